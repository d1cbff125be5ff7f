"""Paid leave acquired in a month (congés payés), in working days (jours ouvrables).

- L3141-3 Code du travail: 2.5 working days per month of actual work (30 a year);
- L3141-5-1 Code du travail (loi 2024-364 du 22 avril 2024, art. 37): a month of sick leave
  that is not work-related still acquires 2 working days (24 a year at most); work-related
  sickness or accidents count as actual work (L3141-5), so they are not "sick days" here;
- an entry or exit within the month: the days of the month the contract covers.

The month is split by calendar days: days of presence without sick leave acquire 2.5 ⁄ month,
sick days 2 ⁄ month, each pro rata of the month's days; the result is rounded to the
hundredth. Not modelled: the 24-day yearly cap of L3141-5-1 across a long absence, the
equivalence rules of L3141-4 (4 weeks or 24 days of work count as a month), and the
reference period's carry-over (the balance adds up every stored month).
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

WORK_MONTH = Decimal("2.5")  # L3141-3
SICK_MONTH = Decimal("2")  # L3141-5-1, since loi 2024-364
HUNDREDTH = Decimal("0.01")


def leave_acquired(*, period: date, entry_date: date | None = None, exit_date: date | None = None,
                   sick_days: Decimal = Decimal(0)) -> Decimal:
    """Working days of paid leave the month acquires."""
    days = calendar.monthrange(period.year, period.month)[1]
    first = max(entry_date or period, period)
    last = min(exit_date or period.replace(day=days), period.replace(day=days))
    present = Decimal(max((last - first).days + 1, 0))
    sick = min(max(sick_days, Decimal(0)), present)
    acquired = (WORK_MONTH * (present - sick) + SICK_MONTH * sick) / days
    return acquired.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


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
