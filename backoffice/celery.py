"""The Celery app. Without REDIS_URL tasks run eagerly (settings.CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")

app = Celery("mutualise")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
