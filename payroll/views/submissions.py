"""Pages of the monthly submission: the payroll home, upload, progress, errors and preview,
confirmation, the xlsx template, and the workspace's API tokens.

Views parse the request, call one service or selector and render; rights come from
backoffice/roles.py (PAYROLL_VIEW to read, PAYROLL_SUBMIT to upload and confirm,
API_TOKEN_MANAGE for tokens). Pages that may show names or NIR fragments are never cached.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backoffice.queue import QueueUnavailable
from backoffice.roles import Perm
from backoffice.spreadsheets import MAX_ROWS
from backoffice.views.entrepreneurs import no_store
from payroll.imports.columns import parse_period
from payroll.models import SubmissionState
from payroll.selectors.people import require_payroll_workspace
from payroll.selectors.submissions import (
    api_token_list,
    get_api_token,
    get_submission,
    period_list,
    submission_versions,
)
from payroll.services.periods import PeriodLocked
from payroll.services.submissions import (
    SubmissionInvalid,
    SubmissionRefused,
    api_token_create,
    api_token_revoke,
    locked_message,
    submission_confirm,
    submission_template,
    submission_upload,
)

RUNNING = (SubmissionState.UPLOADED, SubmissionState.VALIDATING)


class SubmissionUploadForm(forms.Form):
    period = forms.CharField(label=gettext_lazy("Month"), max_length=7,
                             widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"}))
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("What will use it, e.g. “our accounting software”."))
    expires_on = forms.DateField(label=gettext_lazy("Valid until (optional)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=gettext_lazy("Leave empty for a token that works until it is revoked."))


def _actor(request: HttpRequest, perm: Perm):
    actor = request.actor
    actor.require(perm)
    require_payroll_workspace(actor)
    return actor


def payroll_home(request: HttpRequest, workspace: str) -> HttpResponse:
    """The months with their stage and submissions (newest version first)."""
    actor = _actor(request, Perm.PAYROLL_VIEW)
    page = Paginator(period_list(actor=actor), 24).get_page(request.GET.get("page"))
    return render(request, "payroll/submission_list.html", {"page": page, "query": ""})


def submission_new(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = _actor(request, Perm.PAYROLL_SUBMIT)
    try:
        initial = parse_period(request.GET.get("period", ""))  # "send a new version" of a given month
    except ValueError:
        initial = timezone.localdate().replace(day=1)
    form = SubmissionUploadForm(request.POST or None, request.FILES or None, initial={"period": f"{initial:%Y-%m}"})
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            submission = submission_upload(actor=request.user, workspace=actor.workspace, period=period,
                                           upload=form.cleaned_data["file"])
        except PeriodLocked:
            form.add_error(None, locked_message(period))
        except (SubmissionRefused, QueueUnavailable) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Version %(version)d received.") % {"version": submission.version})
            return redirect("payroll_submission_detail", workspace=workspace, pk=submission.pk)
    return render(request, "payroll/submission_new.html", {"form": form, "max_rows": MAX_ROWS})


def submission_detail(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = _actor(request, Perm.PAYROLL_VIEW)
    submission = get_submission(actor, pk)
    preview = submission.preview or {}
    context = {
        "submission": submission, "preview": preview, "running": submission.state in RUNNING,
        "versions": submission_versions(submission),
        "can_confirm": (submission.state == SubmissionState.VALID and actor.has(Perm.PAYROLL_SUBMIT)
                        and not submission.period.is_locked),
        "can_upload": actor.has(Perm.PAYROLL_SUBMIT) and not submission.period.is_locked,
        "error_count": preview.get("error_count", len(submission.errors or [])),
        "hidden_errors": max(preview.get("error_count", 0) - len(submission.errors or []), 0),
        "hidden_new": max(preview.get("new_count", 0) - len(preview.get("new_entrepreneurs", [])), 0),
    }
    return no_store(render(request, "payroll/submission_detail.html", context))


def submission_progress(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """The progress bar (htmx partial, polled every second). When the check is over it asks
    htmx to reload the page, which then shows the errors and the preview."""
    actor = _actor(request, Perm.PAYROLL_VIEW)
    submission = get_submission(actor, pk)
    running = submission.state in RUNNING
    response = render(request, "payroll/_progress.html", {"submission": submission, "running": running})
    if not running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return no_store(response)


@require_POST
def submission_confirm_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = _actor(request, Perm.PAYROLL_VIEW)
    submission = get_submission(actor, pk)
    actor.require(Perm.PAYROLL_SUBMIT)
    try:
        submission = submission_confirm(actor=request.user, submission=submission)
    except PeriodLocked:
        messages.error(request, locked_message(submission.period))
    except SubmissionRefused as exc:
        messages.error(request, exc.message)
    except SubmissionInvalid as exc:
        messages.error(request, _("The file no longer validates (%(count)d errors): nothing was written.") % {
            "count": exc.result.error_count})
    else:
        messages.success(request, _("Version %(version)d confirmed: %(rows)d rows recorded, %(new)d new "
                                    "entrepreneurs.") % {"version": submission.version,
                                                         "rows": submission.row_count,
                                                         "new": submission.preview.get("new_count", 0)})
    return redirect("payroll_submission_detail", workspace=workspace, pk=pk)


def payroll_template(request: HttpRequest, workspace: str) -> HttpResponse:
    """The month's xlsx template, pre-filled with the entrepreneurs active in it
    (`?period=YYYY-MM`, this month by default)."""
    actor = _actor(request, Perm.PAYROLL_SUBMIT)
    try:
        period = parse_period(request.GET.get("period", ""))
    except ValueError:
        period = timezone.localdate().replace(day=1)
    content = submission_template(actor=actor, workspace=actor.workspace, period=period)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="paie-{actor.workspace.slug}-{period:%Y-%m}.xlsx"'
    return no_store(response)


def api_tokens(request: HttpRequest, workspace: str) -> HttpResponse:
    """List, create (the clear token is shown once, in this response only) and revoke tokens."""
    actor = _actor(request, Perm.API_TOKEN_MANAGE)
    form = ApiTokenForm(request.POST or None)
    created, raw = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            created, raw = api_token_create(actor=request.user, workspace=actor.workspace,
                                            name=form.cleaned_data["name"],
                                            expires_on=form.cleaned_data["expires_on"])
        except SubmissionRefused as exc:
            form.add_error(None, exc.message)
        else:
            form = ApiTokenForm()
    return no_store(render(request, "payroll/submission_api_tokens.html", {
        "form": form, "tokens": api_token_list(actor=actor), "created": created, "raw": raw,
        "today": timezone.localdate(),
        "api_base": request.build_absolute_uri(reverse("api_v1:api-root")),
    }))


@require_POST
def api_token_revoke_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = _actor(request, Perm.API_TOKEN_MANAGE)
    token = get_api_token(actor, pk)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("payroll_api_tokens", workspace=workspace)
