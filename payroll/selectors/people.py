"""Reads for the payroll people pages, settings and simulation.

- `require_payroll_workspace`: payroll exists only for CAEs (the host and partners); every
  workspace payroll page calls it first, so an alumni company answers 404.
- `employment_list`: the workspace's entrepreneurs with their contract, in one query per page.
- `get_entrepreneur_with_employment`: a lookup in the
  style of backoffice/selectors/lookups.py (404 for "missing" and "not yours" alike).
- `employment_allows_payslip`: the rule that a CAPE holder gets no payslip.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from backoffice.models import Entrepreneur, Workspace
from backoffice.roles import Perm
from backoffice.tenancy import Actor
from payroll.models import Employment, PayrollSettings, RiskRate
from payroll.models.employment import ContractType

# --- workspaces that have a payroll ---------------------------------------------------------

def require_payroll_workspace(actor: Actor) -> None:
    """404 unless the actor acts in a CAE (host or partner): an alumni company has no payroll,
    and the staff area (no workspace) has no workspace payroll pages."""
    if actor.workspace is None or not actor.workspace.has_entrepreneurs:
        raise Http404("No payroll in this workspace")


def require_payroll(actor: Actor, perm: Perm = Perm.PAYROLL_VIEW) -> Actor:
    """The workspace check (404 outside a CAE), then `perm` (403): the first line of every
    workspace payroll view."""
    require_payroll_workspace(actor)
    actor.require(perm)
    return actor


# --- employment -----------------------------------------------------------------------------

def employment_allows_payslip(employment: Employment | None) -> bool:
    """A CAPE (contrat d'appui au projet d'entreprise, L127-1 Code de commerce) is a support
    contract, not an employment contract: its holder is not salaried and gets no payslip.
    Only a CESA (L7331-2 Code du travail) is paid through payroll. Without employment data the
    answer is True (the monthly data decides; the default contract is CESA)."""
    return employment is None or employment.contract_type == ContractType.CESA


def employment_list(*, actor: Actor, query: str = "", contract: str = "") -> QuerySet[Entrepreneur]:
    """The workspace's entrepreneurs by name, each with `employment` loaded (or missing).

    One query per page whatever the number of rows: the contract is a reverse one-to-one,
    joined with select_related. `contract` is a ContractType value or "none" (no data yet)."""
    qs = Entrepreneur.objects.filter(workspace=actor.workspace).select_related("employment")
    for term in query.split():
        qs = qs.filter(Q(last_name__icontains=term) | Q(first_name__icontains=term) | Q(matricule__icontains=term))
    if contract == "none":
        qs = qs.filter(employment__isnull=True)
    elif contract:
        qs = qs.filter(employment__contract_type=contract)
    return qs.order_by("last_name", "first_name", "pk")


def get_entrepreneur_with_employment(actor: Actor, pk: int) -> tuple[Entrepreneur, Employment | None]:
    """An entrepreneur of the actor's workspace and its employment (None when not recorded yet)."""
    actor.require(Perm.PAYROLL_VIEW)
    require_payroll_workspace(actor)
    entrepreneur = get_object_or_404(Entrepreneur.objects.select_related("employment"), pk=pk)
    if entrepreneur.workspace_id != actor.workspace.pk:
        raise Http404
    try:
        employment = entrepreneur.employment
    except Employment.DoesNotExist:
        employment = None
    return entrepreneur, employment


def entrepreneurs_by_matricule(workspace) -> dict[str, Entrepreneur]:
    """Every entrepreneur of `workspace` keyed by employee number, with its employment (one query)."""
    return {e.matricule: e for e in Entrepreneur.objects.filter(workspace=workspace).select_related("employment")}


def simulation_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """(pk, "matricule — NAME First") of the workspace's salaried entrepreneurs (or not yet
    described), for the simulation's picker. One query; CAPE holders are left out."""
    rows = (Entrepreneur.objects.filter(workspace=actor.workspace)
            .exclude(employment__contract_type=ContractType.CAPE)
            .order_by("last_name", "first_name", "pk")
            .values_list("pk", "matricule", "last_name", "first_name"))
    return [(pk, f"{matricule} — {last.upper()} {first}") for pk, matricule, last, first in rows]


# --- payroll settings -----------------------------------------------------------------------

def payroll_settings_of(workspace) -> PayrollSettings | None:
    """The workspace's settings with its brackets and schemes prefetched, or None."""
    return (PayrollSettings.objects.filter(workspace=workspace)
            .prefetch_related("brackets", "schemes").first())


def risk_rates_of(workspace: Workspace):
    """The workspace's AT/MP rates by establishment and risk code (choices of an employment)."""
    return RiskRate.objects.filter(workspace=workspace).order_by("siret", "risk_code")
