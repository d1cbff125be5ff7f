"""The CAE's contribution on an entrepreneur's activity (contribution coopérative).

A CAE funds its shared services from a percentage of each member's activity (L7332-3
Code du travail; facts file): a flat rate, or decreasing brackets on the year-to-date
figure, applied to revenue or to gross margin (revenue − purchases), sometimes waived
for the first months after entry.

Brackets are **marginal**, like income-tax brackets: with 10 % from 0, 8 % from 35 000 €
and 6 % from 45 000 €, the first 35 000 € of the year bear 10 %, the next 10 000 € 8 %,
the rest 6 %. A month's contribution is the schedule applied to the year-to-date figure
after the month minus the schedule applied to it before, each side rounded to the cent:
the months of a year then add up exactly to the schedule of the year's total, and a
month that crosses a bracket is charged at both rates. A negative month (a credit note)
gives a negative contribution.

Waiver: with ``waiver_months = N`` the month of entry and the N − 1 following months
owe nothing; their activity still counts in the year-to-date figure, so the brackets
progress as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from payroll.engine.money import HUNDRED, ZERO, cents

Basis = Literal["revenue", "gross_margin"]


@dataclass(frozen=True)
class Bracket:
    start: Decimal  # year-to-date amount from which ``rate`` applies
    rate: Decimal  # percent


@dataclass(frozen=True)
class ContributionScheme:
    brackets: tuple[Bracket, ...]
    basis: Basis = "revenue"
    waiver_months: int = 0

    def __post_init__(self) -> None:
        starts = [bracket.start for bracket in self.brackets]
        if not starts or starts[0] != 0 or starts != sorted(set(starts)):
            raise ValueError("brackets must start at 0 and be in strictly increasing order")
        if self.waiver_months < 0:
            raise ValueError("waiver_months cannot be negative")

    @classmethod
    def flat(cls, rate: Decimal, basis: Basis = "revenue", waiver_months: int = 0) -> ContributionScheme:
        return cls(brackets=(Bracket(ZERO, rate),), basis=basis, waiver_months=waiver_months)


@dataclass(frozen=True)
class Activity:
    """An amount of activity: revenue (excl. VAT) and the purchases it required."""

    revenue: Decimal
    purchases: Decimal = ZERO

    def basis(self, basis: Basis) -> Decimal:
        return self.revenue if basis == "revenue" else self.revenue - self.purchases

    def __add__(self, other: Activity) -> Activity:
        return Activity(self.revenue + other.revenue, self.purchases + other.purchases)


@dataclass(frozen=True)
class ContributionResult:
    base_before: Decimal  # year-to-date basis before the month
    base_after: Decimal  # year-to-date basis after the month
    computed: Decimal  # what the brackets give for the month
    waived: bool
    amount: Decimal  # what is owed: 0 when waived, else ``computed``


def schedule(amount: Decimal, brackets: tuple[Bracket, ...]) -> Decimal:
    """Contribution due on a year-to-date ``amount`` (unrounded; negative amounts give 0)."""
    total = ZERO
    for index, bracket in enumerate(brackets):
        end = brackets[index + 1].start if index + 1 < len(brackets) else None
        slice_top = amount if end is None else min(amount, end)
        if slice_top > bracket.start:
            total += (slice_top - bracket.start) * bracket.rate / HUNDRED
    return total


def months_since_entry(period: date, entry: date) -> int:
    """0 for the month of entry, 1 for the next…"""
    return (period.year - entry.year) * 12 + period.month - entry.month


def contribution_for_month(
    scheme: ContributionScheme,
    *,
    period: date,
    entry_date: date,
    month: Activity,
    year_to_date_before: Activity,
) -> ContributionResult:
    """The CAE contribution owed for ``month``'s activity."""
    before = year_to_date_before.basis(scheme.basis)
    after = (year_to_date_before + month).basis(scheme.basis)
    computed = cents(schedule(after, scheme.brackets)) - cents(schedule(before, scheme.brackets))
    waived = months_since_entry(period, entry_date) < scheme.waiver_months
    return ContributionResult(
        base_before=before,
        base_after=after,
        computed=computed,
        waived=waived,
        amount=ZERO if waived else computed,
    )
