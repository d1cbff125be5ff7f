"""Isolation registry of the payroll run URLs (payroll/urls_runs.py): the month's page and
actions, payslips, journal, zip and declarations."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from tests.factories import (
    PayrollDeclarationFactory,
    PayrollPayslipFactory,
    PayrollPeriodFactory,
    PayrollRunFactory,
)

# A month of its own, so these builders never collide with another registry's periods.
MONTH = datetime.date(2025, 11, 1)


def _run(ws):
    period = PayrollPeriodFactory(workspace=ws, period=MONTH, stage="computed")
    return getattr(period, "run", None) or PayrollRunFactory(period=period, workspace=ws)


PUBLIC: set[str] = set()

OBJECT_BUILDERS: dict[str, Callable] = {
    "payroll_run_period": lambda ws: _run(ws).period.pk,
    "payroll_payslip": lambda ws: PayrollPayslipFactory(run=_run(ws)).pk,
    "payroll_declaration": lambda ws: PayrollDeclarationFactory(
        period=PayrollPeriodFactory(workspace=ws, period=MONTH, stage="computed"), workspace=ws).pk,
}

_PERIOD = {"pk": "payroll_run_period"}
OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "payroll_period": _PERIOD,
    "payroll_period_run": _PERIOD,
    "payroll_period_render": _PERIOD,
    "payroll_period_progress": _PERIOD,
    "payroll_period_approve": _PERIOD,
    "payroll_period_deliver": _PERIOD,
    "payroll_period_journal": _PERIOD,
    "payroll_period_zip": _PERIOD,
    "payroll_period_declare": _PERIOD,
    "payroll_declaration_download": {"pk": "payroll_declaration"},
    "payroll_payslip": {"pk": "payroll_payslip"},
    "payroll_payslip_pdf": {"pk": "payroll_payslip"},
}
