"""Contribution bases (assiettes), the ceiling, the reference SMIC and line conditions.

Every base is rounded to the cent, as printed on the payslip; a line's amount is then
``base × rate`` rounded to the cent.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from payroll.engine.money import HUNDRED, ZERO, cents
from payroll.engine.payslip import PayslipInput
from payroll.engine.rates import RateSet, split_condition

# D241-7 CSS: the annual SMIC of a full-time employee is 1 820 × the hourly SMIC
# (35 h × 52 weeks); a month is a twelfth of it (e.g. 11.88 € → 1 801.80 €).
ANNUAL_LEGAL_HOURS = Decimal(1820)
# The reference SMIC is kept to 6 decimals (not the cent): twelve full-time months must add up
# to the annual 1 820 × hourly SMIC of D241-7 for the cumulative computation (12 × 1 823.03 is
# 4 cents short of 21 876.40). Printed rounded to the cent.
SMIC_PLACES = Decimal("0.000001")


ONE = Decimal(1)


def presence(inp: PayslipInput) -> tuple[Decimal, Decimal]:
    """The share of the month the contract covers: (calendar days, working days Monday–Friday).

    Calendar days prorate the ceiling on an entry or exit within the month (R242-2 CSS, since
    décret 2017-858: days of presence over the days of the month). Working days turn the
    contractual hours into the hours the month pays (the SMIC of the réduction générale follows
    paid time, D241-7 CSS): a 104-hour contract entering on Tuesday 16 June 2026 is paid 11 of
    June's 22 working days, 52 hours.
    """
    if inp.entry_date is None and inp.exit_date is None:
        return ONE, ONE
    days = calendar.monthrange(inp.period.year, inp.period.month)[1]
    first = max(inp.entry_date or inp.period, inp.period)
    last = min(inp.exit_date or inp.period.replace(day=days), inp.period.replace(day=days))
    if last < first:
        return ZERO, ZERO
    weekdays = [inp.period.replace(day=day).weekday() < 5 for day in range(1, days + 1)]
    worked = sum(weekdays[first.day - 1:last.day])
    return Decimal(last.day - first.day + 1) / days, Decimal(worked) / sum(weekdays)


def paid_hours(inp: PayslipInput, rates: RateSet) -> Decimal:
    """Hours the month pays: contractual hours (full time for pay not tied to hours) times the
    working-day share of presence, less unpaid absence hours."""
    full_time = rates.param("LEGAL_MONTHLY_HOURS")
    hours = full_time if inp.contractual_hours is None else inp.contractual_hours
    _calendar_share, working_share = presence(inp)
    return max(hours * working_share - inp.absence_hours, ZERO)


def prorated_ceiling(inp: PayslipInput, rates: RateSet) -> Decimal:
    """Monthly ceiling (PMSS), reduced pro rata for part time, entries, exits and absences.

    R242-7 CSS: for a part-time employee the ceiling is PMSS × contractual hours /
    legal hours (151.67), never more than the PMSS. Pay that is not tied to hours
    (``contractual_hours=None``) keeps the full PMSS. Waiving the proration by agreement
    (OpenFisca's ``renonciation_ajustement_pss_temps_partiel``) is not modelled.
    R242-2 CSS: an entry or exit within the month reduces it to the calendar days of presence
    over the days of the month; an unpaid absence to the hours paid over the hours the
    contract schedules in the period of presence.
    """
    pmss = rates.param("PMSS")
    hours = inp.contractual_hours
    full_time = rates.param("LEGAL_MONTHLY_HOURS")
    ceiling = pmss if hours is None or hours >= full_time else pmss * hours / full_time
    if inp.entry_date is None and inp.exit_date is None and not inp.absence_hours:
        return ceiling  # not rounded: only bases are (as OpenFisca-France does)
    calendar_share, working_share = presence(inp)
    ceiling *= calendar_share
    scheduled = (full_time if hours is None else hours) * working_share
    if inp.absence_hours and scheduled > 0:
        ceiling *= max(scheduled - inp.absence_hours, ZERO) / scheduled
    return ceiling


def smic_reference(inp: PayslipInput, rates: RateSet) -> Decimal:
    """Monthly SMIC that the réduction générale and the reduced-rate thresholds compare pay to
    (6 decimals, see SMIC_PLACES).

    D241-7 CSS: SMIC hourly × 1 820 / 12 for full time, prorated to the contractual hours
    (overtime hours counted without their premium). ``RG_SMIC_HOURLY`` is the hourly SMIC
    frozen at 1 January of the year for these computations.

    No hours (CAE entrepreneurs-salariés, facts file): hour-equivalent =
    gross ÷ (SMIC hourly × 151.67) × 151.67, capped at 151.67, so the reference SMIC is
    ``min(gross, full-time monthly SMIC)``.

    Entries, exits and unpaid absences: the SMIC follows the hours paid (``paid_hours``).
    """
    full_time_smic = rates.param("RG_SMIC_HOURLY") * ANNUAL_LEGAL_HOURS / 12
    full_time = rates.param("LEGAL_MONTHLY_HOURS")
    if inp.entry_date is None and inp.exit_date is None and not inp.absence_hours:
        hours = full_time if inp.contractual_hours is None else inp.contractual_hours
    else:
        hours = paid_hours(inp, rates)
    smic = full_time_smic * hours / full_time
    if inp.contractual_hours is None:
        smic = min(inp.gross, smic)
    return smic.quantize(SMIC_PLACES, rounding=ROUND_HALF_UP)


def ceiling_bases(gross: Decimal, ceiling: Decimal) -> dict[str, Decimal]:
    """Every base but ``csg``: slices of the gross measured in ceilings."""
    return {
        "total": cents(gross),
        "tranche_a": cents(min(gross, ceiling)),
        "tranche_2": cents(min(max(gross - ceiling, ZERO), 7 * ceiling)),
        "up_to_4": cents(min(gross, 4 * ceiling)),
        "up_to_8": cents(min(gross, 8 * ceiling)),
    }


def csg_base(gross: Decimal, ceiling: Decimal, rates: RateSet, employer_schemes: Decimal) -> Decimal:
    """CSG/CRDS base.

    L136-1-1 and L136-1-2 CSS: 98.25 % of pay (a 1.75 % allowance for professional
    expenses) up to 4 ceilings, 100 % above; plus the employer's contributions to
    complementary health and provident schemes, without allowance. The 4 ceilings are the
    prorated ceiling of a part-timer (R242-7, as OpenFisca-France does).
    """
    limit = rates.param("CSG_ALLOWANCE_CEILINGS") * ceiling
    with_allowance = min(gross, limit)
    allowance_kept = (HUNDRED - rates.param("CSG_ALLOWANCE")) / HUNDRED
    return cents(with_allowance * allowance_kept + (gross - with_allowance) + employer_schemes)


@dataclass(frozen=True)
class PayContext:
    """The facts about one payslip that rate-line conditions look at."""

    inp: PayslipInput
    gross: Decimal
    ceiling: Decimal
    smic: Decimal
    above_ceiling: bool | None = None  # judged on the year to date under R243-10; None: gross > ceiling

    def holds(self, condition: str | None) -> bool:
        """Whether a rate line with this condition applies (see ``rates.CONDITIONS``)."""
        if condition is None:
            return True
        name, multiple = split_condition(condition)
        if name == "cadre":
            return self.inp.status == "cadre"
        if name == "above_ceiling":  # CET: pay above the (prorated) ceiling
            return self.gross > self.ceiling if self.above_ceiling is None else self.above_ceiling
        if name == "headcount_lt_11":
            return self.inp.headcount < 11
        if name == "headcount_ge_11":
            return self.inp.headcount >= 11
        if name == "headcount_lt_50":
            return self.inp.headcount < 50
        if name == "headcount_ge_50":
            return self.inp.headcount >= 50
        if name == "alsace_moselle":
            return self.inp.alsace_moselle
        if name == "not_alsace_moselle":
            return not self.inp.alsace_moselle
        if name == "fixed_term":
            return self.inp.fixed_term
        if name == "leave_fund":
            return self.inp.leave_fund
        assert multiple is not None
        # 2025 reduced maladie/famille rates (L241-2-1, L241-6-1, D241-3-2 CSS)
        if name == "gross_le_smic":
            return self.gross <= multiple * self.smic
        if name == "gross_gt_smic":
            return self.gross > multiple * self.smic
        raise AssertionError(f"condition {name!r} is declared in rates.CONDITIONS but not evaluated")
