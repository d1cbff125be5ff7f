"""Reading monthly submissions, their periods and the workspace's API tokens.

Lookups answer 404 for "does not exist" and "not yours" alike (they run inside the
workspace scope and check the actor's workspace again); lists are built for their page with
a constant number of queries.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from backoffice.models import ApiToken, Entrepreneur, Workspace
from backoffice.roles import Perm
from backoffice.selectors.lookups import in_actor_workspace
from backoffice.tenancy import Actor
from payroll.imports.template import TemplateRow
from payroll.imports.validate import ImportContext, KnownEntrepreneur
from payroll.models import MonthlySubmission, PayrollPeriod, SubmissionState
from payroll.selectors.people import require_payroll_workspace
from payroll.selectors.rates import NoRateTable, rate_table_for


def get_submission(actor: Actor, pk: int) -> MonthlySubmission:
    actor.require(Perm.PAYROLL_VIEW)
    require_payroll_workspace(actor)
    submission = get_object_or_404(
        MonthlySubmission.objects.select_related("period", "document", "uploaded_by", "confirmed_by"), pk=pk)
    return in_actor_workspace(actor, submission)


def get_api_token(actor: Actor, pk: int) -> ApiToken:
    actor.require(Perm.API_TOKEN_MANAGE)
    require_payroll_workspace(actor)
    return in_actor_workspace(actor, get_object_or_404(ApiToken, pk=pk))


def period_list(*, actor: Actor) -> QuerySet[PayrollPeriod]:
    """The workspace's months, newest first, each with its submissions newest version first
    (`period.versions`): two queries whatever the number of months and versions."""
    versions = MonthlySubmission.objects.select_related("uploaded_by").order_by("-version")
    return (PayrollPeriod.objects.filter(workspace=actor.workspace).order_by("-period")
            .prefetch_related(Prefetch("submissions", queryset=versions, to_attr="versions")))


def submission_versions(submission: MonthlySubmission) -> QuerySet[MonthlySubmission]:
    """Every version of the submission's month, newest first (one query)."""
    return (MonthlySubmission.objects.filter(workspace=submission.workspace_id, period=submission.period_id)
            .select_related("uploaded_by").order_by("-version"))


def confirmed_submission(period: PayrollPeriod) -> MonthlySubmission | None:
    """The month's data in force: its confirmed submission (at most one: confirming a new
    version supersedes the previous one). The payroll run reads its lines."""
    return (MonthlySubmission.objects.filter(workspace=period.workspace_id, period=period,
                                             state=SubmissionState.CONFIRMED)
            .order_by("-version").first())


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(workspace=actor.workspace).select_related("created_by").order_by("-created_at")


def month_end(period: datetime.date) -> datetime.date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def import_context(*, workspace: Workspace, period: datetime.date) -> ImportContext:
    """Everything a submission's rows are checked against, in three queries: the workspace's
    entrepreneurs (with their employment's status) and the rate table's SMIC."""
    known: dict[str, KnownEntrepreneur] = {}
    nir_owner: dict[str, str] = {}
    rows = (Entrepreneur.objects.filter(workspace=workspace)
            .values_list("pk", "matricule", "nir", "entry_date", "exit_date", "employment__pk",
                         "employment__status", "employment__classification", "nationality"))
    for pk, matricule, nir, entry, exit_, employment_pk, status, classification, nationality in \
            rows.iterator(chunk_size=5000):
        nir = (nir or "").upper()
        known[matricule] = KnownEntrepreneur(pk, nir, entry, exit_, employment_pk, status, classification or "",
                                             nationality or "")
        if nir:
            nir_owner[nir] = matricule
    try:
        table = rate_table_for(period)
    except NoRateTable:
        smic, source = None, ""
    else:
        param = table.params.get("SMIC_HOURLY") or {}
        smic = Decimal(str(param["value"])) if "value" in param else None
        source = param.get("source", "")
    return ImportContext(period=period, period_end=month_end(period), known=known, nir_owner=nir_owner,
                         smic_hourly=smic, smic_source=source)


def template_rows(*, workspace: Workspace, period: datetime.date, with_nir: bool) -> list[TemplateRow]:
    """The entrepreneurs active during the month, by name, for the template (one query)."""
    end = month_end(period)
    entrepreneurs = (Entrepreneur.objects.filter(workspace=workspace, entry_date__lte=end)
                     .exclude(exit_date__lt=period).select_related("employment")
                     .order_by("last_name", "first_name", "matricule"))
    rows = []
    for e in entrepreneurs:
        employment = getattr(e, "employment", None)
        rows.append(TemplateRow(
            matricule=e.matricule, last_name=e.last_name, first_name=e.first_name,
            nir=e.nir if with_nir else "", status=employment.status if employment else "",
            hours=employment.contractual_hours if employment else None,
            classification=employment.classification if employment else ""))
    return rows
