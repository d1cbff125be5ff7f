"""The rate table in force for a period, as the engine's RateSet."""

from __future__ import annotations

import datetime

from payroll.engine.rates import RateSet, load_rate_set
from payroll.models import RateTable


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
