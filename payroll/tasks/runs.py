"""The payslip PDF batch (Celery): renders a month's payslips chunk by chunk, then the zip.

Takes ids, loads the workspace, enters its scope, calls the service, reports progress
(`self.update_state` for Celery, `PayrollRun.pdf_progress` for the page's progress bar).
Idempotent: a payslip whose content did not change is not re-rendered, so running it twice
(or after an interruption) does only the remaining work."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django_scopes import scope

from backoffice.models import Workspace
from payroll.models import PayrollPeriod, PayrollRun
from payroll.services.payslips import PDF_CHUNK, payslips_render

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="payroll.tasks.runs.render_payslips")
def render_payslips(self, workspace_id: int, period: str, user_id: int | None = None,
                    chunk_size: int = PDF_CHUNK) -> dict:
    """Render the month's payslip PDFs. `period` is "YYYY-MM-DD" (first day of the month)."""
    workspace = Workspace.objects.get(pk=workspace_id)  # workspaces and users are not scoped
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    month = datetime.date.fromisoformat(period)
    with scope(workspace=workspace):
        payroll_period = PayrollPeriod.objects.get(workspace=workspace, period=month)

        def progress(done: int, total: int) -> None:
            if self.request.id:
                self.update_state(state="PROGRESS", meta={"done": done, "total": total})

        try:
            outcome = payslips_render(actor=actor, workspace=workspace, payroll_period=payroll_period,
                                      chunk_size=chunk_size, progress=progress)
        except Exception:
            PayrollRun.objects.filter(period=payroll_period).update(pdf_state="failed")
            logger.exception("payslip batch failed for %s %s", workspace.slug, period)
            raise
    return {"total": outcome.total, "rendered": outcome.rendered, "unchanged": outcome.unchanged,
            "zip_rebuilt": outcome.zip_rebuilt}
