"""Validating an uploaded monthly submission in the background (Celery).

Queued by `submission_upload` with `transaction.on_commit`; takes ids, loads the workspace,
enters its scope and calls the service, reporting its progress both in the submission row
(read by the page's progress bar) and through `update_state` (read by Celery's result
backend). Safe to run twice: the service recomputes the same result, and leaves a confirmed or
superseded version alone. With no broker (eager mode) it runs inside the upload request, after
the commit, so the page shows the finished result at once.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils.translation import gettext as _
from django_scopes import scope

from backoffice.models import Workspace
from payroll.services.submissions import submission_fail, submission_validate

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="payroll.tasks.submissions.validate_submission", acks_late=True)
def validate_submission(self, submission_id: int, workspace_id: int) -> dict:
    """Returns {"submission": id, "state": …, "errors": n}; never raises for a bad file (the
    errors are the result). An unexpected failure is logged and marks the version "failed"."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()  # not scoped: it is the scope
    if workspace is None:
        return {"submission": submission_id, "state": "missing"}

    def report(percent: int) -> None:
        if self.request.id and not self.request.is_eager:
            self.update_state(state="PROGRESS", meta={"submission": submission_id, "percent": percent})

    with scope(workspace=workspace):
        try:
            submission = submission_validate(submission_id=submission_id, report=report)
        except Exception:
            logger.exception("validating submission %s failed", submission_id)
            submission_fail(submission_id=submission_id,
                            message=_("The file could not be checked because of an internal error. The team has "
                                      "been notified; try again later."))
            return {"submission": submission_id, "state": "failed"}
        if submission is None:
            return {"submission": submission_id, "state": "missing"}
        return {"submission": submission.pk, "state": submission.state,
                "errors": len(submission.errors) if isinstance(submission.errors, list) else 0}
