"""The periodic sweep (Celery beat, every 5 minutes): work whose task never ran is queued again.

A broker outage after a service committed (the on_commit publish failed, logged by
backoffice.queue.enqueue), or a worker killed mid-task, leaves a state that nothing will
move: a submission "uploaded" or "validating" for ever, a PDF batch "queued" with no task.
Both tasks are idempotent (a second check recomputes the same result; a second batch renders
only what is missing), so queueing them again is safe.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from backoffice.tenancy import staff_wide
from payroll.models import MonthlySubmission, PayrollRun, SubmissionState

logger = logging.getLogger(__name__)

UPLOADED_AFTER = datetime.timedelta(minutes=5)      # a check normally starts within seconds
VALIDATING_AFTER = datetime.timedelta(minutes=30)   # 100,000 rows take well under this


@shared_task(name="payroll.tasks.sweep.requeue_stuck")
def requeue_stuck() -> dict:
    from payroll.tasks.runs import render_payslips
    from payroll.tasks.submissions import validate_submission

    now = timezone.now()
    with staff_wide("the sweep finds stuck background work in every workspace"):
        submissions = list(MonthlySubmission.objects.filter(
            Q(state=SubmissionState.UPLOADED, created_at__lt=now - UPLOADED_AFTER)
            | Q(state=SubmissionState.VALIDATING, created_at__lt=now - VALIDATING_AFTER))
            .order_by("pk").values_list("pk", "workspace_id"))
        runs = list(PayrollRun.objects.filter(pdf_state="queued", pdf_task_id="")
                    .values_list("pk", "workspace_id", "period__period"))
    for pk, workspace_id in submissions:
        logger.warning("submission %s was never checked: queued again", pk)
        validate_submission.apply_async(args=(pk, workspace_id))
    for pk, workspace_id, period in runs:
        logger.warning("payslip batch of run %s was never started: queued again", pk)
        result = render_payslips.delay(workspace_id, period.isoformat(), None)
        with staff_wide("the sweep records the task of the batch it queued"):
            PayrollRun.objects.filter(pk=pk, pdf_task_id="").update(pdf_task_id=result.id or "")
    return {"submissions": [pk for pk, _ in submissions], "runs": [pk for pk, _, _ in runs]}
