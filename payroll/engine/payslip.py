"""What goes into a payslip computation and what comes out of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from payroll.engine.money import ZERO

FULL_TIME_HOURS = Decimal("151.67")

Status = Literal["cadre", "non_cadre"]
SchemeKind = Literal["health", "provident"]


@dataclass(frozen=True, kw_only=True)
class Scheme:
    """A complementary health (mutuelle) or provident (prévoyance) scheme.

    Each share is ``rate % × base + fixed``. ``base`` is a base name of ``rates.BASES``
    (``tranche_a`` for the cadres' 1.50 % provident, ``total``…) or ``"pmss"`` for
    premiums quoted as a % of the full, non-prorated PMSS.

    Treatment (facts file; BOSS "Montant net social"; art. 83 CGI):
    - employer shares of both kinds enter the CSG/CRDS base at 100 % (no allowance);
    - the employer *health* share is taxable income, the employer provident share is not;
    - the montant net social deducts the employee shares of both kinds and adds no
      employer share (BOSS, « Montant net social », update of 14 November 2023).
    """

    label: str
    kind: SchemeKind
    base: str = "total"
    employee_rate: Decimal = ZERO
    employer_rate: Decimal = ZERO
    employee_fixed: Decimal = ZERO
    employer_fixed: Decimal = ZERO


CEILING_SLICES = ("tranche_a", "tranche_2", "up_to_4", "up_to_8")


@dataclass(frozen=True)
class YearToDate:
    """The employee's earlier months of the calendar year with this employer, summed from the
    stored payslips (so a corrected month flows into the next month computed).

    The réduction générale is annual (D241-7 CSS): each month the coefficient is worked out on
    the pay and SMIC of the year so far, and the month carries the difference between the
    reduction due to date and the reduction already applied (progressive regularisation).
    """

    gross: Decimal = ZERO  # pay subject to contributions
    smic: Decimal = ZERO  # the monthly reference SMICs (bases.smic_reference) added up
    reduction: Decimal = ZERO  # réduction générale already applied, regularisations included
    # Progressive regularisation of the ceiling (R243-10 CSS): the (prorated) ceilings and the
    # ceiling-sliced bases of the earlier months added up. ``ceiling=None``: each month's bases
    # are sliced on its own ceiling (no regularisation).
    ceiling: Decimal | None = None
    tranche_a: Decimal = ZERO
    tranche_2: Decimal = ZERO
    up_to_4: Decimal = ZERO
    up_to_8: Decimal = ZERO


@dataclass(frozen=True, kw_only=True)
class PayslipInput:
    """One employee, one month.

    ``contractual_hours``: monthly contractual hours; 151.67 is full time, fewer is part
    time (ceilings prorated, R242-7 CSS). ``None`` means pay is not tied to hours (CAE
    entrepreneurs-salariés): no proration, and the réduction générale uses the
    hour-equivalent rule (see ``bases.smic_reference``).
    Rates (``pas_rate``, ``at_mp_rate``, ``mobility_rate``) are percentages.
    ``pas_rate=None``: no rate from the tax administration (or the employee opted for the
    non-personalised rate): the grid of ``pas_territory`` applies (art. 204 H III CGI, see
    ``withholding.py``).

    ``headcount``: the employer's headcount as retained for thresholds (L130-1 CSS: yearly
    average of the previous year, a threshold counting once crossed for 5 consecutive
    years); it drives FNAL, the réduction générale's T, formation professionnelle,
    versement mobilité, forfait social and PEEC (conditions ``headcount_*``).
    ``fixed_term``: a fixed-term contract (CDD), which owes the CPF-CDD contribution.
    ``leave_fund``: the employer belongs to a building-trade paid-leave fund (CIBTP; facts
    file: compulsory for building-trade CAEs, the fund pays the leave, the employer pays its
    contributions): the fund's lines at ``leave_fund_rate`` and ``bad_weather_rate`` (%, each
    fund's own) and OPPBTP (0.11 %, rate table) apply. Not modelled yet: OPPBTP's base uplift
    (gross × 1.1314 for CIBTP members, arrêté du 16 décembre 1999 modifié as reported by
    legisocial.fr; not in the facts file) and the réduction générale's 10 % uplift for employers
    of a paid-leave fund (D241-7 CSS; not in the facts file): both to confirm before use.

    Entries, exits and unpaid absences within the month: ``entry_date`` / ``exit_date`` (first
    and last day of the contract when they fall in the month) and ``absence_hours`` (unpaid
    hours) prorate the ceiling (R242-2 CSS) and the SMIC of the réduction générale (D241-7
    CSS); see ``bases.presence``.
    ``year_to_date``: given, the réduction générale is computed cumulatively (D241-7 CSS); None
    keeps the month-alone computation (simulations of a single month).
    """

    period: date
    status: Status
    gross_salary: Decimal
    at_mp_rate: Decimal
    contractual_hours: Decimal | None = FULL_TIME_HOURS
    bonuses: Decimal = ZERO
    reimbursed_expenses: Decimal = ZERO
    pas_rate: Decimal | None = ZERO
    pas_territory: str = "metropole"
    headcount: int = 1
    mobility_rate: Decimal = ZERO
    fixed_term: bool = False
    leave_fund: bool = False
    leave_fund_rate: Decimal = ZERO
    bad_weather_rate: Decimal = ZERO
    schemes: tuple[Scheme, ...] = ()
    alsace_moselle: bool = False
    entry_date: date | None = None
    exit_date: date | None = None
    absence_hours: Decimal = ZERO
    year_to_date: YearToDate | None = None

    def __post_init__(self) -> None:
        if self.period.day != 1:
            raise ValueError("period must be the first day of the month")
        if self.status not in ("cadre", "non_cadre"):
            raise ValueError(f"status must be 'cadre' or 'non_cadre', not {self.status!r}")
        for name in ("gross_salary", "at_mp_rate", "bonuses", "reimbursed_expenses", "pas_rate", "mobility_rate",
                     "absence_hours", "leave_fund_rate", "bad_weather_rate"):
            if not isinstance(getattr(self, name), Decimal) and not (name == "pas_rate" and self.pas_rate is None):
                raise TypeError(f"{name} must be a Decimal")
        if self.contractual_hours is not None and not (
            isinstance(self.contractual_hours, Decimal) and self.contractual_hours > 0
        ):
            raise ValueError("contractual_hours must be a positive Decimal or None")
        if self.headcount < 0:
            raise ValueError("headcount cannot be negative")
        if self.absence_hours < 0:
            raise ValueError("absence_hours cannot be negative")
        if self.entry_date and self.exit_date and self.exit_date < self.entry_date:
            raise ValueError("the contract cannot end before it starts")

    @property
    def headcount_50_plus(self) -> bool:
        return self.headcount >= 50

    @property
    def gross(self) -> Decimal:
        """Pay subject to contributions: salary plus bonuses."""
        return self.gross_salary + self.bonuses


@dataclass(frozen=True)
class PayslipLine:
    """A payslip line. Amounts are positive charges; a reduction has a negative amount.

    For scheme lines with fixed amounts ``base`` and rates are ``None``.
    """

    code: str
    label: str
    block: str
    base: Decimal | None
    employee_rate: Decimal | None
    employee_amount: Decimal
    employer_rate: Decimal | None
    employer_amount: Decimal


@dataclass(frozen=True)
class PayslipResult:
    """Every figure of the payslip, in cents."""

    period: date
    ceiling: Decimal  # PMSS, prorated for part time (to the cent for display; bases use it unrounded)
    gross: Decimal
    lines: tuple[PayslipLine, ...]
    total_employee_contributions: Decimal
    total_employer_contributions: Decimal  # after the réduction générale
    rg_coefficient: Decimal  # the coefficient applied: on the year to date when year_to_date is given
    reduction_generale: Decimal  # positive amount (the month's line plus its regularisation)
    net_social: Decimal  # montant net social
    net_before_tax: Decimal  # net à payer avant impôt sur le revenu
    taxable_net: Decimal  # net imposable, base of the withholding tax
    pas_rate: Decimal  # the rate applied: the input's, or the grid's when the input had none
    pas_amount: Decimal
    reimbursed_expenses: Decimal
    net_paid: Decimal
    employer_cost: Decimal  # gross + employer contributions − réduction générale
    smic_reference: Decimal  # monthly SMIC used by the réduction générale and thresholds
    pas_from_grid: bool = False  # the non-personalised grid gave the rate (art. 204 H III CGI)
    rg_regularisation: Decimal = ZERO  # part of reduction_generale catching up earlier months
    rg_smic: Decimal = ZERO  # the reference SMIC to 6 decimals, what the year to date adds up
    ceiling_exact: Decimal = ZERO  # the prorated ceiling to 6 decimals, what the year to date adds up
    sliced_bases: tuple[Decimal, Decimal, Decimal, Decimal] = (ZERO, ZERO, ZERO, ZERO)  # CEILING_SLICES

    def line(self, code: str) -> PayslipLine:
        """The first line with this code (KeyError if the line does not apply)."""
        for payslip_line in self.lines:
            if payslip_line.code == code:
                return payslip_line
        raise KeyError(code)

    def has_line(self, code: str) -> bool:
        return any(payslip_line.code == code for payslip_line in self.lines)

    def block_lines(self, block: str) -> list[PayslipLine]:
        return [payslip_line for payslip_line in self.lines if payslip_line.block == block]
