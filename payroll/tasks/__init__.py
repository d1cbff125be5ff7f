"""Payroll background tasks (Celery autodiscovers `payroll.tasks`); one module per topic."""
from payroll.tasks import runs, submissions, sweep  # noqa: F401
