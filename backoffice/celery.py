"""The Celery app. Without REDIS_URL tasks run eagerly (settings.CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery
from celery.signals import task_postrun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")

app = Celery("mutualise")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_postrun.connect
def _remove_files_of_rolled_back_transactions(**kwargs):
    """A task's files written in a transaction that rolled back are deleted (backoffice/storage.py)."""
    from backoffice.storage import remove_uncommitted

    remove_uncommitted()
