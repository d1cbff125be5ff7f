"""Training background tasks (Celery autodiscovers `training.tasks`); one module per topic."""
from training.tasks import documents, reminders  # noqa: F401
