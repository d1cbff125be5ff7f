"""REST API (django-ninja) at /api/v1/, for CAEs whose own tools send the month's data.

Authentication: `Authorization: Bearer <token>`, a per-workspace token created on
/w/<workspace>/payroll/api-tokens/ (only its SHA-256 is stored). The token decides the
workspace: it is looked up by hash (the one staff-wide read, in `api_token_authenticate`),
then every query of the request runs inside `scope(workspace=token.workspace)`, so another
workspace's submission is simply not found (404). A revoked or unknown token gets 401.
Requests are limited per token (TOKEN_RATE).

The OpenAPI schema is published at /api/v1/openapi.json. Ninja's interactive docs page is
disabled: it loads Swagger UI from a CDN, which the Content-Security-Policy forbids.
"""

from __future__ import annotations

import datetime
import logging
from contextlib import contextmanager

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope
from ninja import File, Form, NinjaAPI, Schema, Status
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from backoffice.queue import QueueUnavailable
from payroll.imports.columns import parse_period
from payroll.models import MonthlySubmission
from payroll.services.periods import PeriodLocked
from payroll.services.submissions import (
    SubmissionInvalid,
    SubmissionRefused,
    api_token_authenticate,
    locked_message,
    submission_confirm,
    submission_upload,
)

TOKEN_RATE = "120/min"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return api_token_authenticate(raw=token)


class TokenRateThrottle(SimpleRateThrottle):
    """At most TOKEN_RATE requests per token (Django's cache keeps the history). With the cache
    unreachable the throttle lets requests through (fails open, logged): an outage of Redis must
    not turn every API call into a 500."""

    scope = "api_token"

    def allow_request(self, request: HttpRequest) -> bool:
        try:
            return super().allow_request(request)
        except Exception:  # redis.ConnectionError, TimeoutError…: whatever the cache backend raises
            logging.getLogger(__name__).warning("API throttle: cache unreachable, request allowed")
            return True

    def __init__(self, rate: str = TOKEN_RATE):
        super().__init__(rate)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        return f"throttle_api_token_{token.pk}_{token.key_hash[:16]}" if token is not None else None


api = NinjaAPI(
    title="Mutualise API", version="1", urls_namespace="api_v1", docs_url=None,
    description="Monthly payroll data of a CAE. Authenticate with `Authorization: Bearer <token>`; the token "
                "decides the workspace.",
    auth=TokenAuth(), throttle=[TokenRateThrottle()],
)


class RowError(Schema):
    row: int | None = None
    column: str = ""
    code: str = ""
    message: str


class SubmissionOut(Schema):
    id: int
    period: str
    version: int
    source: str
    state: str
    state_label: str
    progress: int
    row_count: int
    error_count: int
    errors: list[RowError]
    preview: dict
    created_at: datetime.datetime
    validated_at: datetime.datetime | None = None
    confirmed_at: datetime.datetime | None = None
    status_url: str
    confirm_url: str


class Problem(Schema):
    detail: str
    errors: list[RowError] = []


@contextmanager
def _workspace_scope(request: HttpRequest):
    with scope(workspace=request.auth.workspace):
        yield request.auth.workspace


def _get(workspace, submission_id: int) -> MonthlySubmission:
    """The token's workspace's submission, or 404 (missing and foreign alike)."""
    submission = get_object_or_404(MonthlySubmission.objects.select_related("period"), pk=submission_id)
    if submission.workspace_id != workspace.pk:
        raise Http404
    return submission


def _out(request: HttpRequest, submission: MonthlySubmission) -> dict:
    errors = submission.errors if isinstance(submission.errors, list) else []
    preview = submission.preview if isinstance(submission.preview, dict) else {}
    return {
        "id": submission.pk, "period": f"{submission.period.period:%Y-%m}", "version": submission.version,
        "source": submission.source, "state": submission.state, "state_label": str(submission.get_state_display()),
        "progress": submission.progress, "row_count": submission.row_count,
        "error_count": preview.get("error_count", len(errors)), "errors": errors, "preview": preview,
        "created_at": submission.created_at, "validated_at": submission.validated_at,
        "confirmed_at": submission.confirmed_at,
        "status_url": request.build_absolute_uri(
            reverse("api_v1:submission_detail", kwargs={"submission_id": submission.pk})),
        "confirm_url": request.build_absolute_uri(
            reverse("api_v1:submission_confirm", kwargs={"submission_id": submission.pk})),
    }


def _via(request: HttpRequest) -> str:
    return f"API token {request.auth.name} ({request.auth.prefix}…)"


@api.post("/payroll/submissions", url_name="submission_create",
          response={202: SubmissionOut, 400: Problem, 409: Problem, 503: Problem},
          summary="Send a month's data (xlsx or csv); it is checked in the background")
def create_submission(request: HttpRequest, period: Form[str], file: File[UploadedFile]):
    """`period` is the month as YYYY-MM. Answers 202 at once with the new version; poll
    `status_url` until `state` is no longer "uploaded" or "validating", then read `errors` and
    `preview`, and POST to `confirm_url` to record the data."""
    try:
        month = parse_period(period)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    with _workspace_scope(request) as workspace:
        try:
            submission = submission_upload(actor=None, workspace=workspace, period=month, upload=file,
                                           source="api", via=_via(request))
        except PeriodLocked:
            return Status(409, {"detail": locked_message(month)})
        except SubmissionRefused as exc:
            return Status(400, {"detail": exc.message})
        except QueueUnavailable as exc:
            return Status(503, {"detail": exc.message})
        submission = _get(workspace, submission.pk)  # with no broker the check has already run
        return Status(202, _out(request, submission))


@api.get("/payroll/submissions/{submission_id}", url_name="submission_detail", response={200: SubmissionOut},
         summary="State, progress, errors by row and column, and preview of a submission")
def get_submission(request: HttpRequest, submission_id: int):
    with _workspace_scope(request) as workspace:
        return Status(200, _out(request, _get(workspace, submission_id)))


@api.post("/payroll/submissions/{submission_id}/confirm", url_name="submission_confirm",
          response={200: SubmissionOut, 409: Problem, 422: Problem},
          summary="Record a checked submission, all or nothing")
def confirm_submission(request: HttpRequest, submission_id: int):
    """Writes the lines (and creates the entrepreneurs of new employee numbers) in one
    transaction. 409 if the version is not ready or the month is approved; 422 if the file no
    longer validates (nothing was written; `errors` says why)."""
    with _workspace_scope(request) as workspace:
        submission = _get(workspace, submission_id)
        try:
            submission_confirm(actor=None, submission=submission, via=_via(request))
        except PeriodLocked:
            return Status(409, {"detail": locked_message(submission.period)})
        except SubmissionRefused as exc:
            return Status(409, {"detail": exc.message})
        except SubmissionInvalid as exc:
            detail = _("The file no longer validates (%(count)d errors): nothing was written.") % {
                "count": exc.result.error_count}
            return Status(422, {"detail": detail, "errors": exc.result.errors})
        return Status(200, _out(request, _get(workspace, submission_id)))


# Included by the root URLconf as include("payroll.api"): Django reads these two names.
urlpatterns, _app_name, _namespace = api.urls
app_name = _namespace
