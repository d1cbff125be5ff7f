"""Invoicing beat tasks. They take no tenant ids (they cover every customer), run staff-wide
inside the services, and can run twice without harm (a usage is billed once)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from backoffice.selectors.usage import shift_month
from invoicing.services.billing import billing_run

logger = logging.getLogger(__name__)


@shared_task(name="invoicing.tasks.billing.monthly_billing_run")
def monthly_billing_run(period: str | None = None) -> dict:
    """Bill last month's usage into drafts (staff review and issue them). `period` "YYYY-MM-DD"."""
    import datetime

    month = datetime.date.fromisoformat(period) if period else shift_month(timezone.localdate().replace(day=1), -1)
    report = billing_run(actor=None, period=month)
    logger.info("billing run %s: %d drafts, %s excl. VAT", month, len(report.drafts), report.total_net)
    return {"period": month.isoformat(), "drafts": len(report.drafts), "total_net": str(report.total_net)}


@shared_task(name="invoicing.tasks.billing.send_invoice_reminders")
def send_invoice_reminders() -> int:
    """E-mail reminders for overdue invoices (daily beat; each invoice at most weekly)."""
    from invoicing.services.payments import invoice_reminders_send

    return invoice_reminders_send()
