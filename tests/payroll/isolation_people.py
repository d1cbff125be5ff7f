"""Isolation registry of the payroll people, settings and simulation URLs (payroll/urls_people.py)
and of the staff rate-table pages (payroll/urls_staff.py)."""

from __future__ import annotations

import datetime
import functools
import itertools
import json
from collections.abc import Callable
from decimal import Decimal

from payroll.models import RateLine, RateTable
from payroll.services.rates import DATA_DIR

PUBLIC: set[str] = set()

_days = itertools.count()


def _rate_table(_ws) -> RateTable:
    """A shared table (not scoped: the workspace is irrelevant) on a date of its own, with the
    parameters and lines of the latest shipped table (payroll/data/rates), so that the page walk
    (tests/test_page_words.py) reads what staff read: real parameter codes, sources, bases and
    conditions."""
    day = datetime.date(1901, 1, 1) + datetime.timedelta(days=next(_days))
    data = _shipped_table()
    table = RateTable.objects.create(effective_from=day, title=f"Isolation {day}", params=data["params"])
    RateLine.objects.bulk_create(
        RateLine(table=table, order=i, code=raw["code"], label=raw["label"], block=raw["block"], base=raw["base"],
                 employee_rate=Decimal(raw["employee_rate"]),
                 employer_rate=None if raw["employer_rate"] is None else Decimal(raw["employer_rate"]),
                 condition=raw["condition"] or "", source=raw["source"])
        for i, raw in enumerate(data["lines"]))
    return table


@functools.cache
def _shipped_table() -> dict:
    latest = max(DATA_DIR.glob("*.json"))
    return json.loads(latest.read_text(encoding="utf-8"))


def _rate_line(ws) -> int:
    """A line of a shipped table with a snake_case code and a condition (the edit page names both)."""
    return RateLine.objects.filter(table=_rate_table(ws), code__contains="_").exclude(condition="") \
        .order_by("order").first().pk


OBJECT_BUILDERS: dict[str, Callable] = {
    "rate_table": lambda ws: _rate_table(ws).pk,
    "rate_line": _rate_line,
}

# People pages name an entrepreneur (the "entrepreneur" builder of tests/backoffice/isolation.py).
OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "payroll_person": {"pk": "entrepreneur"},
    "payroll_person_edit": {"pk": "entrepreneur"},
    "payroll_person_iban": {"pk": "entrepreneur"},
    "payroll_person_exit_documents": {"pk": "entrepreneur"},
    "staff:payroll:rate_table": {"pk": "rate_table"},
    "staff:payroll:rate_table_edit": {"pk": "rate_table"},
    "staff:payroll:rate_line_edit": {"pk": "rate_line"},
}
