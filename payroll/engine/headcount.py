"""The employer's headcount for social-security thresholds (L130-1 and R130-1 CSS).

- The yearly headcount of year N is the average, over the months of the previous calendar
  year, of the people employed on the last day of each month; months with nobody employed
  are left out (R130-1 CSS). A part-time employee counts for their contractual hours over the
  legal monthly hours (L1111-2 Code du travail, to which R130-1 refers); an entrepreneur whose
  pay is not tied to hours counts as one.
- Crossing upwards: a threshold counts only once the yearly headcount has reached it for five
  consecutive calendar years (L130-1 II CSS). Crossing downwards counts at once, and the five
  years start again from the next year the threshold is reached.

Thresholds used by the rate tables: 11 (formation professionnelle 1 %, versement mobilité,
forfait social on provident/health) and 50 (FNAL 0.50 % on all pay, the RGDU's higher
T_delta, PEEC). :func:`retained_headcount` gives the engine a headcount that falls in the
right band: the yearly figure, held below a threshold that is not yet crossed for five years.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from payroll.engine.payslip import FULL_TIME_HOURS

THRESHOLDS: tuple[int, ...] = (11, 50)
CROSSING_YEARS = 5


@dataclass(frozen=True)
class Contract:
    """One employment contract as the headcount sees it."""

    start: date
    end: date | None  # last day worked, None while it runs
    hours: Decimal | None  # monthly contractual hours; None: pay not tied to time (counts 1)

    def weight(self) -> Decimal:
        if self.hours is None or self.hours >= FULL_TIME_HOURS:
            return Decimal(1)
        return self.hours / FULL_TIME_HOURS


def _month_ends(year: int) -> list[date]:
    ends = []
    for month in range(1, 13):
        following = date(year + (month == 12), month % 12 + 1, 1)
        ends.append(date.fromordinal(following.toordinal() - 1))
    return ends


def yearly_headcount(contracts: Iterable[Contract], year: int) -> Decimal:
    """Average over ``year``'s months of the people employed on each month's last day (R130-1),
    months with nobody employed left out; two decimals."""
    ends = _month_ends(year)
    totals = [Decimal(0)] * 12
    for contract in contracts:
        weight = contract.weight()
        for index, end in enumerate(ends):
            if contract.start <= end and (contract.end is None or contract.end >= end):
                totals[index] += weight
    months = [total for total in totals if total > 0]
    if not months:
        return Decimal(0)
    return (sum(months, Decimal(0)) / len(months)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def retained_headcount(yearly: Mapping[int, Decimal], year: int) -> int:
    """The headcount the engine uses in ``year``, from ``yearly[N]`` = the yearly headcount of
    year N (itself the average over N − 1, see :func:`yearly_headcount`); missing years are 0.

    Each threshold counts only when every one of the last five yearly figures (N − 4 … N)
    reached it (L130-1 II CSS); otherwise the figure is held just below it."""
    figure = yearly.get(year, Decimal(0))
    retained = int(figure)  # people: the whole part
    for threshold in sorted(THRESHOLDS, reverse=True):
        if retained >= threshold and not all(
            yearly.get(past, Decimal(0)) >= threshold for past in range(year - CROSSING_YEARS + 1, year + 1)
        ):
            retained = threshold - 1
    return retained


def headcount_for_year(contracts: Iterable[Contract], year: int) -> tuple[int, Decimal]:
    """(retained headcount for ``year``, the yearly figure of ``year``) from the contracts."""
    contracts = list(contracts)
    yearly = {
        past: yearly_headcount(contracts, past - 1) for past in range(year - CROSSING_YEARS + 1, year + 1)
    }
    return retained_headcount(yearly, year), yearly[year]
