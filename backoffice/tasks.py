"""Background work of the back office (Celery). Tasks take ids, enter a scope, call services."""

from __future__ import annotations

from celery import shared_task

from backoffice.services.reminders import overdue_reminders_send


@shared_task(name="backoffice.tasks.send_overdue_reminders")
def send_overdue_reminders() -> int:
    """Daily (beat schedule): e-mail each assignee the list of their overdue dossiers.
    Returns the number of e-mails sent. Safe to run twice: it only reads and mails."""
    return overdue_reminders_send()
