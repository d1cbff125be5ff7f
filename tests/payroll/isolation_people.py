"""Isolation registry of the payroll people, settings and simulation URLs (payroll/urls_people.py)
and of the staff rate-table pages (payroll/urls_staff.py)."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal

from payroll.models import RateLine, RateTable

PUBLIC: set[str] = set()

_days = itertools.count()


def _rate_table(_ws) -> RateTable:
    """A shared table (not scoped: the workspace is irrelevant) on a date of its own."""
    day = datetime.date(1901, 1, 1) + datetime.timedelta(days=next(_days))
    return RateTable.objects.create(effective_from=day, title=f"Isolation {day}", params={})


def _rate_line(ws) -> int:
    return RateLine.objects.create(table=_rate_table(ws), order=0, code="csa", label="CSA", block="Autres contributions dues par l'employeur",
                                   base="total", employee_rate=Decimal("0"), employer_rate=Decimal("0.30"),
                                   source="L14-10-4 CASF").pk


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
