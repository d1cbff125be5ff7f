"""Payroll commands: run_payroll, export_payroll_journal, render_payslips. Each enters the
workspace's scope itself and fails with a plain CommandError."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from payroll.models import PayrollRun, Payslip
from payroll.services.periods import payroll_period_set_stage
from tests.factories import build_payroll_month


@pytest.fixture
def month(world):
    with scope(workspace=world.partner_a):
        return build_payroll_month(world.partner_a, lines=[{"gross_salary": Decimal("2500.00")},
                                                           {"gross_salary": Decimal("3300.00")}])


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_run_payroll_computes_the_month_and_can_run_twice(month):
    first = run("run_payroll", "--workspace", "cae-a", "--period", "2026-01")
    assert "2 payslips (2 new" in first
    second = run("run_payroll", "--workspace", "cae-a", "--period", "2026-01")
    assert "2 payslips (0 new, 0 changed, 2 unchanged" in second
    with scopes_disabled():
        assert Payslip.objects.count() == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--workspace", "cae-a", "--period", "01/2026"], "expected a month as YYYY-MM"),
    (["--workspace", "nope", "--period", "2026-01"], "no such workspace"),
    (["--workspace", "cae-a", "--period", "2025-07"], "has no payroll month 2025-07"),
])
def test_run_payroll_explains_bad_arguments(month, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("run_payroll", *args)


def test_run_payroll_refuses_an_approved_month(month):
    run("run_payroll", "--workspace", "cae-a", "--period", "2026-01")
    with scopes_disabled():
        payroll_period_set_stage(actor=None, payroll_period=month, stage="approved")
    with pytest.raises(CommandError, match="was approved"):
        call_command("run_payroll", "--workspace", "cae-a", "--period", "2026-01")


def test_export_payroll_journal_writes_the_xlsx(month, tmp_path):
    run("run_payroll", "--workspace", "cae-a", "--period", "2026-01")
    target = tmp_path / "journal.xlsx"
    out = run("export_payroll_journal", "--workspace", "cae-a", "--period", "2026-01", "--output", str(target))
    assert str(target) in out
    sheet = load_workbook(target).active
    assert sheet.max_row == 4
    assert sheet.cell(row=4, column=1).value == "TOTAL"


def test_export_payroll_journal_checks_the_output(month, tmp_path):
    with pytest.raises(CommandError, match="must end with .xlsx"):
        call_command("export_payroll_journal", "--workspace", "cae-a", "--period", "2026-01",
                     "--output", str(tmp_path / "journal.csv"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_payroll_journal", "--workspace", "cae-a", "--period", "2026-01",
                     "--output", str(tmp_path / "missing" / "journal.xlsx"))


def test_render_payslips_renders_then_skips_unchanged(month):
    with pytest.raises(CommandError, match="run run_payroll first"):
        call_command("render_payslips", "--workspace", "cae-a", "--period", "2026-01")
    run("run_payroll", "--workspace", "cae-a", "--period", "2026-01")
    assert "2 rendered, 0 unchanged, zip rebuilt" in run("render_payslips", "--workspace", "cae-a",
                                                           "--period", "2026-01")
    assert "0 rendered, 2 unchanged, zip unchanged" in run("render_payslips", "--workspace", "cae-a",
                                                             "--period", "2026-01")
    with scopes_disabled():
        assert PayrollRun.objects.get().zip_document is not None
