"""Background work of the alumni app (Celery): the task imports the service, never the reverse."""

from __future__ import annotations

from celery import shared_task

from alumni.services.reminders import contribution_reminders_send


@shared_task(name="alumni.tasks.send_contribution_reminders")
def send_contribution_reminders() -> int:
    """Daily (beat schedule): remind companies of undeclared periods. Safe to run twice: a
    period is reminded at most once every 30 days."""
    return len(contribution_reminders_send())
