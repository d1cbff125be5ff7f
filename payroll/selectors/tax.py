"""Which withholding rate applies to an employee's month (art. 204 H CGI), and from where.

Order: a rate the tax administration returned in its compte rendu (imported, the latest that
applies by the month's last day); else the rate the monthly file gives; else the
non-personalised grid of the employee's territory of domicile (payroll.engine.withholding).
A compte-rendu rate of the "neutral" kind (the employee opted for the non-personalised rate)
also sends the month to the grid.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from backoffice.models import Workspace
from payroll.models import RateKind, RateSource, TaxRate


@dataclass(frozen=True)
class ChosenRate:
    rate: Decimal | None  # None: the non-personalised grid gives it (engine)
    kind: str  # RateKind
    source: str  # RateSource


def compte_rendu_rates(workspace: Workspace, last_day: datetime.date) -> dict[int, TaxRate]:
    """Per entrepreneur, the latest imported rate applying on or before `last_day` (one query)."""
    latest: dict[int, TaxRate] = {}
    for tax_rate in TaxRate.objects.filter(workspace=workspace, valid_from__lte=last_day).order_by("valid_from", "pk"):
        latest[tax_rate.entrepreneur_id] = tax_rate
    return latest


def choose_rate(*, imported: TaxRate | None, from_file: Decimal | None) -> ChosenRate:
    if imported is not None:
        if imported.kind == RateKind.PERSONALISED:
            return ChosenRate(imported.rate, RateKind.PERSONALISED, RateSource.COMPTE_RENDU)
        return ChosenRate(None, imported.kind, RateSource.GRID)
    if from_file is not None:
        return ChosenRate(from_file, RateKind.PERSONALISED, RateSource.MONTHLY_FILE)
    return ChosenRate(None, RateKind.NON_PERSONALISED, RateSource.GRID)


def tax_rates_of(workspace: Workspace):
    """The imported rates of the workspace, newest first, with their entrepreneur (one query)."""
    return TaxRate.objects.filter(workspace=workspace).select_related("entrepreneur").order_by(
        "entrepreneur__last_name", "entrepreneur__first_name", "-valid_from")[:500]
