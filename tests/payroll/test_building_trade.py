"""Building-trade CAEs (issue 13, section 4): the paid-leave fund (caisse de congés payés du BTP,
CIBTP), OPPBTP, the payslip's paid-leave box and the fund in the DSN.

Sources:
- facts file (../shared/domain/payroll-fr.md, "CESA pay in a CAE"): membership of a CIBTP is
  compulsory for building-trade CAEs; leave is an absence on the payslip, the fund pays it, the
  employer pays the fund's contributions (about 20 % of gross in all: no per-fund rate is given,
  so the rates below are test inputs, not real figures);
- L3141-32 Code du travail (paid-leave funds of the building trades pay the leave);
- OPPBTP: L4643-1 Code du travail and the arrêté du 16 décembre 1999 modifié, 0.11 % of the
  salaries (the rate named by issue 13; the facts file gives none). Its base uplift (× 1.1314
  for CIBTP members, reported by legisocial.fr) is not in the facts file and not modelled;
- DSN: S21.G00.40.022 "code caisse professionnelle de congés payés" (cahier technique de la DSN,
  contract block). The facts file gives neither the rubric nor its code list: the code is the
  payroll settings' two digits, checked for shape and for being on every contract.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from payroll.engine import PayslipInput, compute_payslip, rate_set_for
from payroll.engine.rates import available_tables
from payroll.exports.dsn import dsn_check
from payroll.models import PayrollSettings, Payslip, RateLine
from payroll.services.payslips import employer_identity, payslip_content, payslip_pdf_context
from payroll.services.runs import DeclarationInvalid, payroll_declaration_generate, payroll_run
from tests.factories import EntrepreneurFactory, build_payroll_month

D = Decimal
JAN_2026 = datetime.date(2026, 1, 1)


def _slip(**kwargs):
    inp = PayslipInput(period=JAN_2026, status="non_cadre", gross_salary=D("2500.00"), at_mp_rate=D("3.40"), **kwargs)
    return compute_payslip(inp, rate_set_for(JAN_2026))


def test_fund_lines_follow_the_workspace_rates_and_oppbtp_is_011_percent():
    member = _slip(leave_fund=True, leave_fund_rate=D("19.80"), bad_weather_rate=D("0.68"))  # test inputs
    outsider = _slip()
    # The fund's contributions, at the workspace's rates, employer side only.
    leave = member.line("cibtp_conges_payes")
    assert (leave.base, leave.employer_rate, leave.employer_amount, leave.employee_amount) == (
        D("2500.00"), D("19.80"), D("495.00"), D("0.00"))
    assert member.line("cibtp_intemperies").employer_amount == D("17.00")
    # OPPBTP: 0.11 % of 2 500 € = 2.75 €.
    oppbtp = member.line("oppbtp")
    assert (oppbtp.employer_rate, oppbtp.employer_amount) == (D("0.11"), D("2.75"))
    assert oppbtp.block == leave.block == "Autres contributions dues par l'employeur"
    # Not a member: none of the three lines.
    assert not any(outsider.has_line(code) for code in ("cibtp_conges_payes", "cibtp_intemperies", "oppbtp"))
    # The employee's side is untouched; the employer's cost grows by exactly the three lines.
    assert member.net_paid == outsider.net_paid and member.net_social == outsider.net_social
    assert member.employer_cost - outsider.employer_cost == D("495.00") + D("17.00") + D("2.75")


def test_a_fund_rate_not_filled_in_gives_no_line():
    slip = _slip(leave_fund=True)
    assert not slip.has_line("cibtp_conges_payes") and not slip.has_line("cibtp_intemperies")
    assert slip.has_line("oppbtp")


def test_every_table_has_the_building_trade_lines_with_their_sources():
    for start in available_tables():
        rates = rate_set_for(start)
        lines = {line.code: line for line in rates.lines}
        assert lines["oppbtp"].employer_rate == D("0.11") and lines["oppbtp"].condition == "leave_fund"
        assert "16 décembre 1999" in lines["oppbtp"].source and "L4643-1" in lines["oppbtp"].source
        # Each fund publishes its own rates: none in the table.
        assert lines["cibtp_conges_payes"].employer_rate is None
        assert lines["cibtp_intemperies"].employer_rate is None
        assert "L3141-32" in lines["cibtp_conges_payes"].source


@pytest.mark.django_db
def test_the_migration_adds_the_lines_to_the_stored_tables():
    assert RateLine.objects.filter(code="oppbtp", employer_rate=D("0.11")).count() == len(available_tables())
    assert RateLine.objects.filter(code="cibtp_conges_payes", employer_rate=None).count() == len(available_tables())


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        yield world.partner_a


def _member_month(ws, **settings):
    person = EntrepreneurFactory(workspace=ws, last_name="Maçon")
    period = build_payroll_month(ws, lines=[
        {"entrepreneur": person, "gross_salary": D("2500.00"), "hours": D("151.67"), "leave_taken": D("5")},
        {"gross_salary": D("4200.00"), "status": "cadre"},
    ])
    PayrollSettings.objects.filter(workspace=ws).update(**{
        "paid_leave_fund": True, "leave_fund_name": "CIBTP du Grand Ouest", "leave_fund_number": "123456",
        "leave_fund_dsn_code": "01", "leave_fund_rate": D("19.80"), "bad_weather_rate": D("0.68"), **settings})
    return person, period


def test_a_run_shows_the_fund_lines_and_the_leave_paid_by_the_fund(ws):
    person, period = _member_month(ws)
    payroll_run(actor=None, workspace=ws, period=period)
    slip = Payslip.objects.get(entrepreneur=person)
    codes = {line.code: line for line in slip.lines.all()}
    assert codes["cibtp_conges_payes"].employer_amount == D("495.00")
    assert codes["oppbtp"].employer_amount == D("2.75")
    settings = PayrollSettings.objects.get(workspace=ws)
    context = payslip_pdf_context(payslip_content(
        payslip=slip, lines=slip.lines.all(), employer=employer_identity(ws, settings), employment=None,
        payment_day=datetime.date(2026, 1, 28)))
    box = context["boxes"][2]
    rows = {label: value for label, value, _style in box["rows"]}
    assert rows == {"Caisse de congés payés": "CIBTP du Grand Ouest", "N° d'adhérent": "123456",
                    "Pris ce mois": "5,00 j, absence indemnisée par la caisse"}
    assert "non par l'employeur" in box["notes"][0]


def test_the_dsn_declares_the_fund_on_every_contract(ws):
    _person, period = _member_month(ws)
    payroll_run(actor=None, workspace=ws, period=period)
    declaration = payroll_declaration_generate(actor=None, payroll_period=period)
    with declaration.document.file.open("rb") as handle:
        text = handle.read().decode("latin-1")
    assert dsn_check(text) == []
    lines = text.split("\r\n")
    assert lines.count("S21.G00.40.022,'01'") == 2
    # Right after the pension scheme, in field order within the contract block.
    assert lines[lines.index("S21.G00.40.022,'01'") - 1] == "S21.G00.40.020,'200'"
    # The fund's and OPPBTP's contributions are not the URSSAF's: the bordereau does not pay them.
    assert "cibtp" not in text.lower()

    # The checker: a contract without the fund, or a code of the wrong shape, is refused.
    without_one = text.replace("S21.G00.40.022,'01'\r\n", "", 1)
    assert any("S21.G00.40.022" in problem and "1 of 2" in problem for problem in dsn_check(without_one))
    assert any("two digits" in problem for problem in dsn_check(text.replace("S21.G00.40.022,'01'",
                                                                             "S21.G00.40.022,'A1'")))


def test_a_member_without_the_funds_dsn_code_gets_a_french_reason(ws):
    _person, period = _member_month(ws, leave_fund_dsn_code="")
    payroll_run(actor=None, workspace=ws, period=period)
    with pytest.raises(DeclarationInvalid) as caught:
        payroll_declaration_generate(actor=None, payroll_period=period)
    assert "S21.G00.40.022" in str(caught.value)


def test_settings_keep_the_fund_and_check_its_code(ws):
    from payroll.services.settings import SETTINGS_FIELDS, payroll_settings_save

    build_payroll_month(ws)
    settings = PayrollSettings.objects.get(workspace=ws)
    fields = {name: getattr(settings, name) for name in SETTINGS_FIELDS}
    fields.update(paid_leave_fund=True, leave_fund_name=" CIBTP Rhône-Alpes ", leave_fund_number="A 77",
                  leave_fund_dsn_code="01", leave_fund_rate=D("20.100"), bad_weather_rate=D("0.130"))
    saved = payroll_settings_save(actor=None, workspace=ws, brackets=[], schemes=[], **fields)
    assert (saved.leave_fund_name, saved.leave_fund_dsn_code, saved.leave_fund_rate) == (
        "CIBTP Rhône-Alpes", "01", D("20.100"))
    with pytest.raises(ValidationError) as caught:
        payroll_settings_save(actor=None, workspace=ws, brackets=[], schemes=[],
                              **{**fields, "leave_fund_dsn_code": "1A"})
    assert "leave_fund_dsn_code" in caught.value.message_dict


# --- PRO BTP provident: one scheme per category (cadres, ETAM, ouvriers) ----------------------
# The building trades have three collective agreements (ouvriers IDCC 1596/1597, ETAM IDCC 2609,
# cadres IDCC 2420), each with its provident scheme, PRO BTP being the branch's institution. The
# facts file gives no PRO BTP rate: the rates below are test inputs.

def test_each_category_gets_its_pro_btp_scheme(ws):
    from payroll.models import Scheme

    ouvrier = EntrepreneurFactory(workspace=ws, last_name="Ouvrier")
    etam = EntrepreneurFactory(workspace=ws, last_name="Etam")
    cadre = EntrepreneurFactory(workspace=ws, last_name="Cadre")
    period = build_payroll_month(ws, lines=[
        {"entrepreneur": ouvrier, "gross_salary": D("2000.00"), "employment": {"trade_category": "ouvrier"}},
        {"entrepreneur": etam, "gross_salary": D("2000.00"), "employment": {"trade_category": "etam"}},
        {"entrepreneur": cadre, "gross_salary": D("2000.00"), "status": "cadre",
         "employment": {"status": "cadre", "trade_category": "etam"}},  # a cadre stays a cadre
    ])
    settings = PayrollSettings.objects.get(workspace=ws)
    settings.schemes.all().delete()  # this test's schemes only
    for applies_to, rate in (("cadre", D("1.50")), ("etam", D("1.00")), ("ouvrier", D("2.00"))):
        Scheme.objects.create(workspace=ws, settings=settings, kind="provident", label=f"PRO BTP {applies_to}",
                              applies_to=applies_to, base="tranche_a", employer_rate=rate)
    payroll_run(actor=None, workspace=ws, period=period)

    def provident(person):
        slip = Payslip.objects.get(entrepreneur=person)
        return sorted((line.label, line.employer_amount) for line in slip.lines.all() if line.code == "provident")

    assert provident(ouvrier) == [("PRO BTP ouvrier", D("40.00"))]
    assert provident(etam) == [("PRO BTP etam", D("20.00"))]
    # The cadres' scheme of at least 1.50 % of tranche A meets the compulsory cadres' provident.
    assert provident(cadre) == [("PRO BTP cadre", D("30.00"))]


def test_a_building_trade_ouvrier_is_declared_07(ws):
    """Cahier technique de la DSN, S21.G00.40.002 (facts file, "Common mistakes"): 04 autres
    cadres, 06 employé, 07 ouvrier. An ETAM may be 05 or 06: it stays 06."""
    ouvrier = EntrepreneurFactory(workspace=ws, last_name="Ouvrier")
    period = build_payroll_month(ws, lines=[
        {"entrepreneur": ouvrier, "gross_salary": D("2000.00"), "employment": {"trade_category": "ouvrier"}},
        {"gross_salary": D("2000.00"), "employment": {"trade_category": "etam"}},
    ])
    payroll_run(actor=None, workspace=ws, period=period)
    declaration = payroll_declaration_generate(actor=None, payroll_period=period)
    with declaration.document.file.open("rb") as handle:
        text = handle.read().decode("latin-1")
    assert dsn_check(text) == []
    people = text.split("S21.G00.30.001,")[1:]
    ouvrier_text = next(chunk for chunk in people if "'OUVRIER'" in chunk)
    other_text = next(chunk for chunk in people if chunk is not ouvrier_text)
    assert "S21.G00.40.002,'07'" in ouvrier_text and "S21.G00.40.002,'06'" in other_text
