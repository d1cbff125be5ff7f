"""The DSN-shaped monthly declaration (payroll/exports/dsn.py): structure, sanitised values,
norm version by year, and the structural check catching broken files. Source of the shape:
cahier technique de la DSN (norme NEODeS, net-entreprises.fr); the official validator
(DSN-VAL) remains required before filing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_scopes import scope

from payroll.exports.dsn import DsnBuildError, dsn_check, dsn_value, norm_version
from payroll.models import Declaration
from payroll.services.runs import DeclarationInvalid, payroll_declaration_generate, payroll_run
from tests.factories import EntrepreneurFactory, build_payroll_month


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        yield world.partner_a


@pytest.fixture
def declaration(ws):
    person = EntrepreneurFactory(workspace=ws, last_name="O'Brien, Jr", first_name="Zoé")
    period = build_payroll_month(ws, lines=[
        {"entrepreneur": person, "gross_salary": Decimal("2500.00"), "pas_rate": Decimal("5.00")},
        {"gross_salary": Decimal("6000.00"), "status": "cadre", "hours": Decimal("151.67")},
    ])
    payroll_run(actor=None, workspace=ws, period=period)
    return payroll_declaration_generate(actor=None, payroll_period=period)


def text_of(declaration: Declaration) -> str:
    with declaration.document.file.open("rb") as handle:
        return handle.read().decode("latin-1")


def test_generated_declaration_passes_the_structural_checks_and_is_stored(declaration):
    text = text_of(declaration)
    assert dsn_check(text) == []
    assert declaration.norm_version == "P26V01"
    assert "S10.G00.00.006,'P26V01'" in text
    assert "S20.G00.05.001,'01'" in text  # nature: DSN mensuelle
    assert "S20.G00.05.005,'01012026'" in text
    assert text.count("S21.G00.30.001,") == 2
    lines = text.strip().split("\r\n")
    assert lines[-2] == f"S90.G00.90.001,'{len(lines)}'"
    assert declaration.document.content_type == "text/plain"


def test_values_carry_no_comma_and_keep_apostrophes(declaration):
    """Apostrophes are valid characters of names (issue 13's review): O'Brien stays O'BRIEN."""
    text = text_of(declaration)
    assert "S21.G00.30.002,'O'BRIEN JR'" in text
    assert "S21.G00.30.004,'Zoé'" in text
    for line in text.strip().split("\r\n"):
        rubric, _, value = line.partition(",")
        assert value.startswith("'") and value.endswith("'") and "," not in value and '"' not in value


def test_amounts_have_two_decimals_and_a_dot(declaration):
    text = text_of(declaration)
    assert "S21.G00.51.013,'2500.00'" in text
    assert "S21.G00.50.006,'5.00'" in text


def test_individual_contributions_and_the_reduction(declaration):
    text = text_of(declaration)
    assert "S21.G00.81.001,'076'" in text and "S21.G00.81.001,'075'" in text
    assert "S21.G00.81.001,'018'" in text  # réduction générale: 2 500 € is under 3 SMIC in 2026
    reduction = text.split("S21.G00.81.001,'018'\r\n")[1].split("\r\n")[1]
    assert reduction.startswith("S21.G00.81.004,'-")


@pytest.mark.parametrize(("year", "expected"), [(2025, "P25V01"), (2026, "P26V01")])
def test_norm_version_follows_the_year_of_the_month(year, expected):
    assert norm_version(datetime.date(year, 3, 1)) == expected


def test_a_year_without_a_known_norm_is_refused():
    with pytest.raises(DsnBuildError):
        norm_version(datetime.date(2031, 1, 1))


def _break(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_dsn_check_catches_broken_files(declaration):
    good = text_of(declaration)
    lines = good.strip().split("\r\n")
    without_nature = "\r\n".join(line for line in lines if not line.startswith("S20.G00.05.001")) + "\r\n"
    assert any("mandatory rubric(s) 001" in p for p in dsn_check(without_nature))
    assert any("S90.G00.90.001" in p for p in dsn_check(without_nature))  # one line fewer than announced

    nir_line = next(line for line in lines if line.startswith("S21.G00.30.001"))
    assert any("NIR" in p for p in dsn_check(_break(good, nir_line, "S21.G00.30.001,'123'")))
    assert any("not of the form" in p for p in dsn_check(_break(good, "'2500.00'", "'2500,00'")))  # comma inside
    assert any("two decimals" in p for p in dsn_check(_break(good, "'2500.00'", "'2500'")))
    assert any("date" in p for p in dsn_check(_break(good, "S20.G00.05.005,'01012026'", "S20.G00.05.005,'2026-01'")))
    swapped = _break(good, "S10.G00.00.001,'Mutualise'", "S90.G00.90.002,'1'")
    assert any("cannot follow" in p for p in dsn_check(swapped))
    assert any("not of the form" in p for p in dsn_check(good + "S21.G00.30.002,'D,Artagnan'\r\n"))
    assert any("is not one of" in p for p in dsn_check(_break(good, "S21.G00.40.002,'06'", "S21.G00.40.002,'02'")))
    contract = next(line for line in lines if line.startswith("S21.G00.40.001"))
    assert any("exactly once" in p for p in dsn_check(_break(good, contract, contract + "\r\n" + contract)))
    assert any("must end with" in p for p in dsn_check("\r\n".join(lines[:-2]) + "\r\n"))
    assert dsn_check("") == ["the file is empty"]


def test_an_employee_without_nir_blocks_the_declaration(ws):
    person = EntrepreneurFactory(workspace=ws, nir="")
    period = build_payroll_month(ws, lines=[{"entrepreneur": person}])
    payroll_run(actor=None, workspace=ws, period=period)
    with pytest.raises(DeclarationInvalid) as caught:
        payroll_declaration_generate(actor=None, payroll_period=period)
    assert any("NIR" in problem for problem in caught.value.problems)
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(("raw", "clean"), [
    ("D'Artagnan, Charles", "D'Artagnan Charles"),
    ("D\u2019Artagnan", "D'Artagnan"),
    ('a"b;c\r\nd\te', "a b c d e"),
    ("Łukasz Øster", "Lukasz Øster"),  # Latin-1 has Ø, not Ł
    ("  Zoé  ", "Zoé"),
    (None, ""),
])
def test_dsn_value_sanitises(raw, clean):
    assert dsn_value(raw) == clean


def test_review_fixes_status_codes_net_paid_headcount_and_second_sending(ws):
    """Issue 13 (review of the DSN): S21.G00.40.002 is 04 for a cadre, 06 for an employee;
    S21.G00.50.004 is the montant net versé (net taxable − non-deductible CSG − CRDS − employer
    health share = the net before income tax, whatever the PAS and expenses); S21.G00.11.008 is
    the contracts running at the month's end, not the number of payslips; a second sending is
    an "annule et remplace intégral" (S20.G00.05.002 = 03)."""
    from payroll.models import Payslip
    from tests.factories import PayrollEmploymentFactory

    period = build_payroll_month(ws, lines=[
        {"gross_salary": Decimal("2500.00"), "pas_rate": Decimal("5.00"), "reimbursed_expenses": Decimal("40.00")},
        {"gross_salary": Decimal("6000.00"), "status": "cadre"},
    ])
    for _ in range(3):  # contracts without a payslip this month still count in the headcount
        PayrollEmploymentFactory(entrepreneur=EntrepreneurFactory(workspace=ws))
    payroll_run(actor=None, workspace=ws, period=period)
    first = payroll_declaration_generate(actor=None, payroll_period=period)
    text = text_of(first)
    assert "S21.G00.40.002,'04'" in text and "S21.G00.40.002,'06'" in text
    low = Payslip.objects.get(gross=Decimal("2500.00"))
    assert f"S21.G00.50.004,'{low.net_before_tax}'" in text and low.net_paid != low.net_before_tax
    from payroll.models import Employment
    # The two paid this month and the three without a payslip.
    assert f"S21.G00.11.008,'{Employment.objects.count()}'" in text and Employment.objects.count() == 5
    assert "S20.G00.05.002,'01'" in text
    assert "S21.G00.11.022,'" in text  # the establishment's main collective agreement (IDCC)
    assert any("four digits" in p for p in dsn_check(text.replace("S21.G00.11.022,'", "S21.G00.11.022,'X", 1)))
    second = text_of(payroll_declaration_generate(actor=None, payroll_period=period))
    assert "S20.G00.05.002,'03'" in second and dsn_check(second) == []


def test_a_new_hire_without_birth_date_is_named_in_the_users_language(ws):
    """A new hire without a birth date blocks the DSN with a translated message (msgid asserted
    here: the suite runs without the project catalogue; tests/test_i18n.py checks the French)
    naming the person and where to give the date."""
    person = EntrepreneurFactory(workspace=ws, birth_date=None)
    period = build_payroll_month(ws, lines=[{"entrepreneur": person}])
    payroll_run(actor=None, workspace=ws, period=period)
    with pytest.raises(DeclarationInvalid) as caught:
        payroll_declaration_generate(actor=None, payroll_period=period)
    expected = (f"{person.matricule} {person.last_name}: the birth date is missing; give it in the entrepreneur's "
                "record or in the monthly file (column date_naissance).")
    assert caught.value.problems == [expected]
