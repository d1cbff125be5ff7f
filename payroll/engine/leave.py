"""Paid leave (congés payés) in working days (jours ouvrables): what a month acquires, and the
counters of the reference period.

Modelled:
- L3141-3 Code du travail: 2.5 working days per month of actual work, 30 a reference period at
  most;
- L3141-5-1 Code du travail (loi 2024-364 du 22 avril 2024, art. 37): a month of sick leave
  that is not work-related still acquires 2 working days, "dans la limite d'une attribution, à
  ce titre, de vingt-quatre jours ouvrables par période de référence". The 24-day cap binds only
  the days acquired on account of that sick leave: the days acquired by work come on top, the
  total staying within the 30 days of L3141-3. Worked example of the ministry's rules (tableau
  récapitulatif, yitcko-avocats.com, loi 2024-364): 8 months of work and 4 of sick leave acquire
  2.5 × 8 + 2 × 4 = 28 days; a whole period of sick leave acquires 24. Work-related sickness or
  accidents count as actual work (L3141-5), so they are not "sick days" here. The cap is applied
  cumulatively over the months of the reference period (`leave_month`);
- an entry or exit within the month: the days of the month the contract covers, except that
  four weeks count as a whole month (L3141-4: « sont considérées comme équivalentes à un mois
  de travail effectif les périodes équivalentes à quatre semaines ou à vingt-quatre jours de
  travail »): a contract that covers 28 days or more of the month acquires as a full month;
- the reference period (`reference_period_start`): 1 June – 31 May (R3141-4); for an employer
  that must join a paid-leave fund (L3141-32) R3141-4 leaves the start to an arrêté, 1 April –
  31 March for the building trades' funds (CIBTP);
- the carry-over (`leave_counters`): what is left at the end of a reference period becomes the
  "N-1" balance of the next, rounded up to the whole day (L3141-7); the new period's
  acquisition ("N") starts at zero; days taken come off N-1 first, then off N (leave taken in
  advance, L3141-12).

The month is split by calendar days: days of presence without sick leave acquire 2.5 ⁄ month,
sick days 2 ⁄ month, each pro rata of the month's days; the result is rounded to the hundredth.
Not modelled: the 24-days-of-work reading of L3141-4 across several months (only four weeks
within the month are counted as a month); the loss of N-1 days not taken by the end of the taking period and the 15-month carry-over of
L3141-19-1 after a sick leave (every day not taken stays in N-1); fractionnement days (L3141-23);
conventional extra days (seniority, collective agreement); leave counted in jours ouvrés.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

WORK_MONTH = Decimal("2.5")  # L3141-3
SICK_MONTH = Decimal("2")  # L3141-5-1, since loi 2024-364
PERIOD_CAP = Decimal(30)  # L3141-3: 30 working days a reference period
SICK_CAP = Decimal(24)  # L3141-5-1: 24 working days a reference period on account of sick leave
HUNDREDTH = Decimal("0.01")
ZERO = Decimal(0)

REFERENCE_START_MONTH = 6  # R3141-4: 1 June – 31 May
BUILDING_TRADE_START_MONTH = 4  # building-trade paid-leave funds (CIBTP): 1 April – 31 March


def reference_period_start(period: date, *, building_trade: bool = False) -> date:
    """First day of the reference period `period` falls in (R3141-4; CIBTP for a building-trade
    employer affiliated to a paid-leave fund)."""
    start_month = BUILDING_TRADE_START_MONTH if building_trade else REFERENCE_START_MONTH
    year = period.year if period.month >= start_month else period.year - 1
    return date(year, start_month, 1)


FOUR_WEEKS = 28  # L3141-4: four weeks count as a month of actual work


def _present_and_sick(period: date, entry_date: date | None, exit_date: date | None,
                      sick_days: Decimal) -> tuple[int, Decimal, Decimal]:
    days = calendar.monthrange(period.year, period.month)[1]
    first = max(entry_date or period, period)
    last = min(exit_date or period.replace(day=days), period.replace(day=days))
    covered = max((last - first).days + 1, 0)
    present = Decimal(days if covered >= FOUR_WEEKS else covered)  # L3141-4
    return days, present, min(max(sick_days, ZERO), present)


def leave_acquired(*, period: date, entry_date: date | None = None, exit_date: date | None = None,
                   sick_days: Decimal = ZERO) -> Decimal:
    """Working days of paid leave the month acquires, before the reference period's caps."""
    days, present, sick = _present_and_sick(period, entry_date, exit_date, sick_days)
    acquired = (WORK_MONTH * (present - sick) + SICK_MONTH * sick) / days
    return acquired.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MonthAcquired:
    total: Decimal  # the days the month acquires, caps applied
    sick: Decimal  # of which on account of non-work-related sick leave (counts towards the 24)


def leave_month(*, period: date, entry_date: date | None = None, exit_date: date | None = None,
                sick_days: Decimal = ZERO, acquired_before: Decimal = ZERO,
                sick_before: Decimal = ZERO) -> MonthAcquired:
    """The month's acquisition with the caps of the reference period applied cumulatively:
    `acquired_before` is what the period acquired before this month (opening figure included),
    `sick_before` the part of it acquired on account of sick leave.

    The sick share (2 × sick days ⁄ days of the month) is credited only up to what is left of
    the 24 days of L3141-5-1; the work share is not limited by it; the month's total is then
    credited only up to what is left of the 30 days of L3141-3."""
    days, _present, sick = _present_and_sick(period, entry_date, exit_date, sick_days)
    uncapped = leave_acquired(period=period, entry_date=entry_date, exit_date=exit_date, sick_days=sick_days)
    sick_share = min((SICK_MONTH * sick / days).quantize(HUNDREDTH, rounding=ROUND_HALF_UP), uncapped)
    work_share = uncapped - sick_share
    sick_credit = min(sick_share, max(SICK_CAP - sick_before, ZERO))
    total = min(work_share + sick_credit, max(PERIOD_CAP - acquired_before, ZERO))
    return MonthAcquired(total=total, sick=min(sick_credit, total))


def round_up_to_day(days: Decimal) -> Decimal:
    """L3141-7: a leave entitlement that is not a whole number of days goes to the next whole day."""
    return Decimal(math.ceil(days)) if days > 0 else days


@dataclass(frozen=True)
class LeaveCounters:
    previous: Decimal  # N-1: days of earlier reference periods still to take
    acquired: Decimal  # N: days acquired in the current reference period so far
    balance: Decimal  # every day still to take (N-1 + N − days of N already taken)

    @property
    def current(self) -> Decimal:
        """Days of N still to take."""
        return self.balance - self.previous


def leave_counters(*, carried: Decimal, acquired: Decimal, taken: Decimal) -> LeaveCounters:
    """The counters after a month: `carried` is what was left to take when the reference period
    began (the N-1 balance, possibly negative after leave taken in advance), `acquired` and
    `taken` the days acquired and taken since (this month included). Days taken come off N-1
    first, then off N."""
    previous = max(min(carried, carried - taken), ZERO)
    return LeaveCounters(previous=previous, acquired=acquired, balance=carried + acquired - taken)


# Working days (jours ouvrables) in a month, the usual divisor of the "maintien de salaire"
# method (Cass. soc., 26 jours ouvrables; used by payroll software for a monthly salary).
WORKING_DAYS_A_MONTH = Decimal(26)


def leave_indemnity(*, days: Decimal, monthly_salary: Decimal, reference_gross: Decimal,
                    reference_acquired: Decimal) -> Decimal:
    """Indemnité compensatrice de congés payés for ``days`` of leave not taken at the exit
    (L3141-28 Code du travail), the larger of the two methods of L3141-24:

    - maintien de salaire: what the days would have been paid, ``monthly_salary`` / 26 working
      days a day;
    - règle du dixième: a tenth of the gross pay of the reference period (``reference_gross``),
      for the share of the period's acquired days (``reference_acquired``) still due.

    Rounded to the cent. Zero without days."""
    if days <= 0:
        return Decimal("0.00")
    maintien = monthly_salary * days / WORKING_DAYS_A_MONTH
    dixieme = reference_gross / 10 * days / reference_acquired if reference_acquired > 0 else Decimal(0)
    return max(maintien, dixieme).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
