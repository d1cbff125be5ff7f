"""Reads of the payroll run pages: lookups (404 for missing and foreign alike) and lists
whose query count does not grow with the number of rows."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from backoffice.roles import Perm
from backoffice.selectors.lookups import in_actor_workspace
from backoffice.tenancy import Actor
from payroll.models import Declaration, PayrollPeriod, PayrollRun, Payslip

TOTAL_FIELDS = (
    "gross", "total_employee_contributions", "total_employer_contributions", "net_social", "net_before_tax",
    "taxable_net", "pas_amount", "net_paid", "employer_cost", "revenue", "cae_contribution",
)



def get_payroll_period(actor: Actor, pk: int) -> PayrollPeriod:
    actor.require(Perm.PAYROLL_VIEW)
    return in_actor_workspace(actor, get_object_or_404(PayrollPeriod.objects.select_related("workspace", "approved_by"), pk=pk))


def get_payslip(actor: Actor, pk: int) -> Payslip:
    actor.require(Perm.PAYROLL_VIEW)
    return in_actor_workspace(actor, get_object_or_404(Payslip.objects.select_related("entrepreneur", "pdf", "run__period"), pk=pk))


def get_declaration(actor: Actor, pk: int) -> Declaration:
    actor.require(Perm.PAYROLL_VIEW)
    return in_actor_workspace(actor, get_object_or_404(Declaration.objects.select_related("document", "period"), pk=pk))


def period_list(actor: Actor) -> QuerySet[PayrollPeriod]:
    """The workspace's months, newest first, with their payslip count (one query)."""
    actor.require(Perm.PAYROLL_VIEW)
    return (PayrollPeriod.objects.filter(workspace=actor.workspace)
            .annotate(payslip_count=Count("run__payslips")).order_by("-period"))


def run_of(payroll_period: PayrollPeriod) -> PayrollRun | None:
    return (PayrollRun.objects.select_related("submission", "rate_table", "computed_by", "zip_document")
            .filter(period=payroll_period).first())


def payslip_list(payroll_period: PayrollPeriod) -> QuerySet[Payslip]:
    """The month's payslips for the period page (paginate it: one query per page)."""
    return (Payslip.objects.filter(workspace=payroll_period.workspace, period=payroll_period.period)
            .select_related("entrepreneur").order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk"))


def payslip_totals(payroll_period: PayrollPeriod) -> dict[str, Decimal | int]:
    """Sums of the month's payslips and PDF counts, in one query."""
    aggregates = {name: Sum(name) for name in TOTAL_FIELDS}
    aggregates["count"] = Count("pk")
    aggregates["with_pdf"] = Count("pk", filter=Q(pdf__isnull=False))
    aggregates["pdf_current"] = Count("pk", filter=Q(pdf__isnull=False, pdf_hash=F("content_hash")))
    totals = Payslip.objects.filter(workspace=payroll_period.workspace, period=payroll_period.period) \
        .aggregate(**aggregates)
    for name in TOTAL_FIELDS:
        totals[name] = totals[name] or Decimal("0.00")
    return totals


def declaration_list(payroll_period: PayrollPeriod) -> QuerySet[Declaration]:
    return Declaration.objects.filter(period=payroll_period).select_related("document").order_by("-created_at")
