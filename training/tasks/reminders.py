"""Daily reminders of training-funding deadlines (Celery beat). Safe to run twice a day: a
request is reminded at most once a day."""

from __future__ import annotations

from celery import shared_task

from training.services.reminders import training_reminders_send


@shared_task(name="training.tasks.reminders.send_training_reminders")
def send_training_reminders() -> int:
    """Returns the number of e-mails sent."""
    return len(training_reminders_send())
