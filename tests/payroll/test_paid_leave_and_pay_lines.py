"""Paid leave acquired, taken and balance from the monthly data, and base pay and bonuses on
their own payslip lines (R3243-1 Code du travail).

Sources: L3141-3 Code du travail (2.5 working days a month of work); L3141-5-1 Code du travail,
created by loi 2024-364 du 22 avril 2024 art. 37 (2 working days a month of sick leave that is
not work-related). Figures recomputed by hand in each test."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_scopes import scope

from payroll.engine.leave import leave_acquired
from payroll.models import Payslip
from payroll.services.payslips import employer_identity, payslip_content, payslip_pdf_context
from payroll.services.runs import payroll_run
from tests.factories import (
    EntrepreneurFactory,
    PayrollPeriodFactory,
    SubmissionFactory,
    SubmissionLineFactory,
    build_payroll_month,
)

D = Decimal
JUNE = datetime.date(2026, 6, 1)  # 30 days


@pytest.mark.parametrize(("kwargs", "days"), [
    ({}, D("2.50")),  # a month of work: 2.5 (L3141-3)
    ({"sick_days": D("30")}, D("2.00")),  # a whole month of sick leave: 2 (L3141-5-1)
    ({"sick_days": D("15")}, D("2.25")),  # (2.5 × 15 + 2 × 15) / 30
    ({"entry_date": datetime.date(2026, 6, 16)}, D("1.25")),  # 15 days of 30 present: 2.5 × 15 / 30
    ({"entry_date": datetime.date(2026, 6, 16), "sick_days": D("20")}, D("1.00")),  # sick days capped at presence
    ({"exit_date": datetime.date(2026, 6, 10), "sick_days": D("3")}, D("0.78")),  # (2.5 × 7 + 2 × 3) / 30 = 0.783
])
def test_leave_acquired_in_a_month(kwargs, days):
    assert leave_acquired(period=JUNE, **kwargs) == days


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        yield world.partner_a


def _context(payslip: Payslip) -> dict:
    settings = payslip.workspace.payroll_settings
    return payslip_pdf_context(payslip_content(
        payslip=payslip, lines=payslip.lines.all(), employer=employer_identity(payslip.workspace, settings),
        employment=None, payment_day=datetime.date(2026, 1, 28)))


def test_balance_adds_up_the_months_and_the_payslip_shows_it(ws):
    person = EntrepreneurFactory(workspace=ws)
    january = build_payroll_month(ws, lines=[{"entrepreneur": person, "gross_salary": D("2500.00"),
                                              "hours": D("151.67"), "bonuses": D("300.00")}])
    payroll_run(actor=None, workspace=ws, period=january)
    first = Payslip.objects.get()
    assert (first.leave_acquired, first.leave_taken, first.leave_balance) == (D("2.50"), D("0"), D("2.50"))
    assert (first.base_salary, first.bonuses, first.gross) == (D("2500.00"), D("300.00"), D("2800.00"))

    # February (28 days): 7 sick days (2.5 × 21 + 2 × 7) / 28 = 2.375 → 2.38; 3 days taken.
    february = PayrollPeriodFactory(workspace=ws, period=datetime.date(2026, 2, 1), stage="checked")
    SubmissionLineFactory(submission=SubmissionFactory(period=february), entrepreneur=person,
                          gross_salary=D("2500.00"), leave_taken=D("3"), sick_days=D("7"))
    payroll_run(actor=None, workspace=ws, period=february)
    second = Payslip.objects.get(period=datetime.date(2026, 2, 1))
    assert (second.leave_acquired, second.leave_taken, second.leave_balance) == (D("2.38"), D("3"), D("1.88"))

    leave_box = {label: value for label, value, _style in _context(second)["boxes"][2]["rows"]}
    # No N-1 (nothing before January): the 3 days come off N, acquired 2.50 + 2.38 = 4.88.
    assert leave_box == {"Acquis ce mois": "2,38 j", "Pris ce mois": "3,00 j", "Solde N-1 à prendre": "0,00 j",
                         "Acquis N": "4,88 j", "Solde N": "1,88 j", "Solde total": "1,88 j"}

    lines = [line["cells"] for line in _context(first)["lines"][:3]]
    # Base pay with its hours and hourly rate (2 500 / 151.67 = 16.4832 €/h), bonuses apart, then the gross.
    assert lines[0] == ["Salaire de base", "151,67 h", "16,4832 €/h", "2\u00a0500,00", "", ""]
    assert lines[1] == ["Primes", "", "", "300,00", "", ""]
    assert lines[2][0] == "Salaire brut" and lines[2][3] == "2\u00a0800,00"


def test_pay_not_tied_to_hours_is_a_monthly_amount(ws):
    period = build_payroll_month(ws, lines=[{"gross_salary": D("1900.00"), "hours": None}])
    payroll_run(actor=None, workspace=ws, period=period)
    (first, gross) = [line["cells"] for line in _context(Payslip.objects.get())["lines"][:2]]
    assert first[0].startswith("Salaire de base (forfait mensuel") and first[3] == "1\u00a0900,00"
    assert gross[0] == "Salaire brut"  # no bonus line without a bonus
