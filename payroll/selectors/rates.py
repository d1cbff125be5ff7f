"""The rate table in force for a period, as the engine's RateSet."""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from backoffice.roles import Perm
from backoffice.tenancy import Actor, staff_wide
from payroll.engine.rates import RateSet, load_rate_set
from payroll.models import PayrollRun, RateLine, RateTable


class NoRateTable(Exception):
    pass


def rate_table_for(period: datetime.date) -> RateTable:
    """The table with the latest effective date on or before `period` (shared, not scoped)."""
    table = RateTable.objects.filter(effective_from__lte=period).order_by("-effective_from").first()
    if table is None:
        raise NoRateTable(f"no rate table in force on {period:%Y-%m-%d}")
    return table


def rate_set_for(period: datetime.date) -> tuple[RateTable, RateSet]:
    table = rate_table_for(period)
    return table, load_rate_set(table.as_dict())


# --- the staff rate-table pages (RateTable/RateLine are shared, not scoped) ---------------

def rate_table_list() -> QuerySet[RateTable]:
    """Every rate table, newest effective date first, with its number of lines."""
    return RateTable.objects.annotate(n_lines=Count("lines")).order_by("-effective_from")


def get_rate_table(actor: Actor, pk: int) -> RateTable:
    actor.require(Perm.PAYROLL_VIEW)
    if not actor.is_staff or actor.workspace is not None:
        raise Http404
    return get_object_or_404(RateTable, pk=pk)


def get_rate_line(actor: Actor, pk: int) -> RateLine:
    actor.require(Perm.PAYROLL_VIEW)
    if not actor.is_staff or actor.workspace is not None:
        raise Http404
    return get_object_or_404(RateLine.objects.select_related("table"), pk=pk)


def rate_table_runs_count(table: RateTable) -> int:
    """How many payroll runs (all workspaces) were computed with this table: editing it then
    changes what a re-run of those months would give."""
    with staff_wide("a shared rate table is used by payroll runs of every workspace"):
        return PayrollRun.objects.filter(rate_table=table).count()
