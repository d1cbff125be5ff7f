"""Deadlines of a funding request from an OPCO's rules and the session's dates.

- "submit before": the last day the request may reach the OPCO, N days before the first day
  of the course (N=1: the day before). Constructys asks at least 15 days before
  (shared/domain/training-opco.md §2).
- "claim before": the last day of the claim, N days after the last day of the course.

An OPCO counts either calendar days or working days; working days are Monday to Friday
except French public holidays (jours fériés, L3133-1 Code du travail) as listed by the
`holidays` package (metropolitan France).
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

CALENDAR = "calendar"
WORKING = "working"
_ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _french_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def shift(day: datetime.date, days: int, count: str) -> datetime.date:
    """`day` moved by `days` (negative: backwards), counting calendar or working days."""
    if count == CALENDAR:
        return day + datetime.timedelta(days=days)
    if count != WORKING:
        raise ValueError(f"unknown day count {count!r}")
    step = _ONE_DAY if days >= 0 else -_ONE_DAY
    remaining = abs(days)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def submit_before(start: datetime.date, days_before: int, count: str) -> datetime.date:
    """The last day to submit for a course starting on `start`."""
    return shift(start, -days_before, count)


def claim_before(end: datetime.date, days_after: int | None, count: str) -> datetime.date | None:
    """The last day to send the claim for a course ending on `end` (None: no known deadline)."""
    if days_after is None:
        return None
    return shift(end, days_after, count)
