"""Paid-leave counters across reference periods: N-1 and N, the carry-over, the caps.

Sources:
- R3141-4 Code du travail: the reference period starts on 1 June; for an employer that must join
  a paid-leave fund (L3141-32) the start is set by arrêté: 1 April for the building trades (CIBTP);
- L3141-3 Code du travail: 2.5 working days a month of work, 30 a reference period at most;
- L3141-5-1 Code du travail (loi 2024-364 du 22 avril 2024, art. 37): 2 working days a month of
  non-work-related sick leave, "dans la limite d'une attribution, à ce titre, de vingt-quatre
  jours ouvrables par période de référence"; the cap binds the sick-leave days only, the days of
  work come on top. Worked example: "Tableau récapitulatif du congé payé et maladies (loi 2024-364
  du 22/04/2024)", https://yitcko-avocats.com/tableau-recapitulatif-du-conge-paye-et-maladies-loi-2024-364-du-22-04-2024-article-3x-jo-du-23
  (8 months of work and 4 of sick leave: 20 + 8 = 28 days; a whole period of sick leave: 24);
- L3141-7 Code du travail: an entitlement that is not a whole number of days goes to the next
  whole day (applied when the period closes and becomes N-1);
- L3141-12 Code du travail: leave may be taken from the hiring, so days taken beyond N-1 come off N;
- L3141-24 and L3141-28 Code du travail: the exit indemnity, the larger of the maintien and the
  dixième of the reference period's pay.

Every figure is worked by hand in the test's comments.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from payroll.engine.leave import leave_counters, leave_month, reference_period_start
from payroll.models import Employment, PayrollSettings, Payslip
from payroll.services.employment import COLUMNS, employment_import, employment_save, read_xlsx
from payroll.services.payslips import employer_identity, payslip_content, payslip_pdf_context
from payroll.services.runs import payroll_run
from tests.conftest import login
from tests.factories import (
    EntrepreneurFactory,
    PayrollEmploymentFactory,
    PayrollPeriodFactory,
    PayrollSettingsFactory,
    SubmissionFactory,
    SubmissionLineFactory,
)
from tests.payroll.test_employment_import import xlsx

D = Decimal


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        PayrollSettingsFactory(workspace=world.partner_a)
        yield world.partner_a


def _months(first: datetime.date, count: int) -> list[datetime.date]:
    out = []
    for n in range(count):
        year, month = divmod(first.month - 1 + n, 12)
        out.append(datetime.date(first.year + year, month + 1, 1))
    return out


def _days(month: datetime.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def _person(ws):
    """A salaried entrepreneur since 1 January 2024 (CESA with the classification a payslip needs)."""
    person = EntrepreneurFactory(workspace=ws, entry_date=datetime.date(2024, 1, 1))
    PayrollEmploymentFactory(entrepreneur=person, start_date=person.entry_date)
    return person


def _run(ws, person, month: datetime.date, **line) -> Payslip:
    """One month of data for `person` (2 500 € gross unless said), computed."""
    period = PayrollPeriodFactory(workspace=ws, period=month, stage="checked")
    SubmissionLineFactory(submission=SubmissionFactory(period=period), entrepreneur=person, **line)
    payroll_run(actor=None, workspace=ws, period=period)
    return Payslip.objects.get(entrepreneur=person, period=month)


def _leave_box(payslip: Payslip) -> tuple[dict, list]:
    settings = payslip.workspace.payroll_settings
    context = payslip_pdf_context(payslip_content(
        payslip=payslip, lines=payslip.lines.all(), employer=employer_identity(payslip.workspace, settings),
        employment=None, payment_day=payslip.period))
    box = context["boxes"][2]
    return {label: value for label, value, _style in box["rows"]}, box["notes"]


# --- the rules, without the database ------------------------------------------------------

@pytest.mark.parametrize(("period", "building_trade", "start"), [
    (datetime.date(2026, 5, 1), False, datetime.date(2025, 6, 1)),  # R3141-4: 1 June – 31 May
    (datetime.date(2026, 6, 1), False, datetime.date(2026, 6, 1)),
    (datetime.date(2026, 3, 1), True, datetime.date(2025, 4, 1)),  # CIBTP: 1 April – 31 March
    (datetime.date(2026, 4, 1), True, datetime.date(2026, 4, 1)),
])
def test_reference_period_starts_on_1_june_or_1_april_for_a_building_trade_fund(period, building_trade, start):
    assert reference_period_start(period, building_trade=building_trade) == start


def test_l3141_5_1_caps_the_sick_leave_days_at_24_and_the_total_at_30():
    """L3141-5-1: at most 24 working days a reference period on account of sick leave; the days of
    work are not limited by it; L3141-3: 30 in all (yitcko-avocats.com table, loi 2024-364)."""
    june = datetime.date(2026, 6, 1)  # 30 days
    # 23 sick days credited already: a whole sick month gives 1 more, not 2.
    capped = leave_month(period=june, sick_days=D(30), acquired_before=D(23), sick_before=D(23))
    assert (capped.total, capped.sick) == (D("1.00"), D("1.00"))
    # 24 credited: half a month sick adds nothing for the sickness, the 15 days of work still
    # acquire 2.5 × 15 / 30 = 1.25.
    capped = leave_month(period=june, sick_days=D(15), acquired_before=D(24), sick_before=D(24))
    assert (capped.total, capped.sick) == (D("1.25"), D("0"))
    # Without the cap reached the same month gives 1.25 + 2 × 15 / 30 = 2.25, of which 1.00 sick.
    free = leave_month(period=june, sick_days=D(15), acquired_before=D(10), sick_before=D(4))
    assert (free.total, free.sick) == (D("2.25"), D("1.00"))
    # 29 acquired already: a month of work adds 1, not 2.5 (L3141-3).
    assert leave_month(period=june, acquired_before=D(29)).total == D("1.00")


def test_days_taken_come_off_n_minus_1_first_then_off_n():
    counters = leave_counters(carried=D(10), acquired=D(5), taken=D(12))
    assert (counters.previous, counters.current, counters.balance) == (D(0), D(3), D(3))
    counters = leave_counters(carried=D(10), acquired=D(5), taken=D(4))
    assert (counters.previous, counters.current, counters.balance) == (D(6), D(5), D(11))


# --- the monthly runs ---------------------------------------------------------------------

def test_fourteen_months_crossing_1_june_carry_the_balance_over(ws):
    person = _person(ws)
    slips = {}
    for month in _months(datetime.date(2026, 1, 1), 14):  # January 2026 – February 2027
        taken = D(5) if month == datetime.date(2026, 7, 1) else D(0)
        slips[month] = _run(ws, person, month, leave_taken=taken)

    may, june = slips[datetime.date(2026, 5, 1)], slips[datetime.date(2026, 6, 1)]
    # January – May 2026 belong to the period of 1 June 2025: 5 × 2.5 = 12.5 acquired, nothing before.
    assert (may.leave_previous, may.leave_period_acquired, may.leave_balance) == (D(0), D("12.50"), D("12.50"))
    # 1 June: the 12.5 days become N-1, rounded up to 13 (L3141-7); N starts again.
    assert (june.leave_previous, june.leave_period_acquired, june.leave_balance) == (D(13), D("2.50"), D("15.50"))
    # July: 5 days taken, from N-1 first.
    july = slips[datetime.date(2026, 7, 1)]
    assert (july.leave_taken, july.leave_previous, july.leave_period_acquired, july.leave_balance) == (
        D(5), D(8), D("5.00"), D("13.00"))
    # February 2027: N-1 untouched since, N = 9 months × 2.5 = 22.5.
    last = slips[datetime.date(2027, 2, 1)]
    assert (last.leave_previous, last.leave_period_acquired, last.leave_balance) == (D(8), D("22.50"), D("30.50"))

    rows, notes = _leave_box(june)
    assert rows == {"Acquis ce mois": "2,50 j", "Pris ce mois": "0,00 j", "Solde N-1 à prendre": "13,00 j",
                    "Acquis N": "2,50 j", "Solde total": "15,50 j"}
    assert notes == ["En jours ouvrables. Période N : du 01/06/2026 au 31/05/2027."]


def test_l3141_5_1_a_sick_leave_over_a_whole_reference_period_acquires_exactly_24_days(ws):
    """L3141-5-1 Code du travail: 2 days a month of non-work-related sick leave, 24 at most a
    reference period (yitcko-avocats.com, tableau récapitulatif, loi 2024-364)."""
    person = _person(ws)
    slips = [_run(ws, person, month, gross_salary=D("0.00"), sick_days=D(_days(month)))
             for month in _months(datetime.date(2026, 6, 1), 12)]  # June 2026 – May 2027, all sick
    assert all(slip.leave_acquired == D("2.00") for slip in slips)
    assert (slips[-1].leave_period_acquired, slips[-1].leave_balance) == (D("24.00"), D("24.00"))
    assert sum(slip.leave_sick_acquired for slip in slips) == D("24.00")
    # Back to work on 1 June 2027: the 24 days are N-1, a new period acquires 2.5.
    back = _run(ws, person, datetime.date(2027, 6, 1))
    assert (back.leave_previous, back.leave_period_acquired, back.leave_sick_acquired, back.leave_balance) == (
        D(24), D("2.50"), D("0.00"), D("26.50"))


def test_l3141_5_1_a_year_of_8_months_of_work_and_4_of_sick_leave_acquires_28_days(ws):
    """The example of the yitcko-avocats.com table (loi 2024-364): 2.5 × 8 + 2 × 4 = 28; the 24-day
    cap binds only the sick-leave days."""
    person = _person(ws)
    sick_months = _months(datetime.date(2026, 10, 1), 4)  # October 2026 – January 2027
    slips = [_run(ws, person, month, sick_days=D(_days(month)) if month in sick_months else D(0))
             for month in _months(datetime.date(2026, 6, 1), 12)]
    assert [slip.leave_acquired for slip in slips] == [D("2.50")] * 4 + [D("2.00")] * 4 + [D("2.50")] * 4
    assert (slips[-1].leave_period_acquired, slips[-1].leave_balance) == (D("28.00"), D("28.00"))
    assert sum(slip.leave_sick_acquired for slip in slips) == D("8.00")


def test_a_building_trade_workspace_starts_its_period_on_1_april(ws):
    """CIBTP: the reference period of the building trades' paid-leave funds runs 1 April – 31 March."""
    PayrollSettings.objects.filter(workspace=ws).update(
        paid_leave_fund=True, leave_fund_name="CIBTP du Grand Ouest", leave_fund_dsn_code="01",
        leave_fund_rate=D("19.80"), bad_weather_rate=D("0.68"))
    person = _person(ws)
    slips = [_run(ws, person, month) for month in _months(datetime.date(2026, 1, 1), 4)]  # January – April
    march, april = slips[2], slips[3]
    # January – March 2026: 7.5 days of the period of 1 April 2025.
    assert (march.leave_previous, march.leave_period_acquired) == (D(0), D("7.50"))
    # 1 April: they become N-1 (rounded up to 8), N starts again.
    assert (april.leave_previous, april.leave_period_acquired, april.leave_balance) == (D(8), D("2.50"), D("10.50"))


def test_leave_taken_beyond_n_minus_1_comes_off_n(ws):
    person = _person(ws)
    _run(ws, person, datetime.date(2026, 5, 1))  # 2.5 days in the period of 1 June 2025
    june = _run(ws, person, datetime.date(2026, 6, 1), leave_taken=D(5))
    # N-1 = 3 (2.5 rounded up, L3141-7), all taken; the 2 other days come off June's 2.5 (L3141-12).
    assert (june.leave_previous, june.leave_period_acquired, june.leave_balance) == (D(0), D("2.50"), D("0.50"))
    rows, _notes = _leave_box(june)
    assert rows == {"Acquis ce mois": "2,50 j", "Pris ce mois": "5,00 j", "Solde N-1 à prendre": "0,00 j",
                    "Acquis N": "2,50 j", "Solde N": "0,50 j", "Solde total": "0,50 j"}


def test_an_exit_after_1_june_pays_n_minus_1_and_n_each_on_its_own_reference_pay(ws):
    """L3141-28: the days not taken are paid at the exit; L3141-24: the larger of the maintien and
    the dixième, the N-1 days against the previous period's pay, the N days against the current one's."""
    person = _person(ws)
    for month in _months(datetime.date(2026, 1, 1), 6):  # January – June 2026
        _run(ws, person, month)
    leaving = _run(ws, person, datetime.date(2026, 7, 1), exit_date=datetime.date(2026, 7, 15))
    # N-1 = 12.5 → 13; N = June 2.5 + July 2.5 × 15 / 31 = 1.21 → 3.71; 16.71 days paid.
    assert (leaving.leave_acquired, leaving.leave_paid_days, leaving.leave_balance, leaving.leave_previous) == (
        D("1.21"), D("16.71"), D("0.00"), D("0.00"))
    # N: maintien 2 500 × 3.71 / 26 = 356.73 < dixième 5 000 / 10 = 500.00 (all N days due).
    # N-1: maintien 2 500 × 13 / 26 = 1 250.00 < dixième 12 500 / 10 × 13 / 12.5 = 1 300.00.
    assert leaving.leave_indemnity == D("1800.00")


# --- opening figures (a payroll taken over during the year) -------------------------------

def test_an_opening_balance_is_the_starting_point_of_the_counters(ws):
    person = _person(ws)
    employment = person.employment
    december = _run(ws, person, datetime.date(2025, 12, 1))  # computed before the take-over: not counted
    assert december.leave_balance == D("2.50")
    employment_save(actor=None, entrepreneur=person, leave_opening_date=datetime.date(2026, 1, 1),
                    leave_opening_previous=D("10"), leave_opening_acquired=D("17.5"))
    employment.refresh_from_db()
    assert (employment.leave_opening_previous, employment.leave_opening_acquired) == (D("10"), D("17.5"))

    january = _run(ws, person, datetime.date(2026, 1, 1), leave_taken=D(4))
    # N-1: 10 − 4 taken = 6; N: 17.5 + 2.5 = 20; in all 26.
    assert (january.leave_previous, january.leave_period_acquired, january.leave_balance) == (
        D("6.00"), D("20.00"), D("26.00"))
    rows, _notes = _leave_box(january)
    assert rows == {"Acquis ce mois": "2,50 j", "Pris ce mois": "4,00 j", "Solde N-1 à prendre": "6,00 j",
                    "Acquis N": "20,00 j", "Solde total": "26,00 j"}

    for month in _months(datetime.date(2026, 2, 1), 4):  # February – May 2026
        may = _run(ws, person, month)
    # 17.5 + 5 × 2.5 = 30, the most a period acquires (L3141-3).
    assert (may.leave_previous, may.leave_period_acquired, may.leave_balance) == (D("6.00"), D("30.00"), D("36.00"))
    june = _run(ws, person, datetime.date(2026, 6, 1))
    # The 30 days join the 6 of N-1 on 1 June.
    assert (june.leave_previous, june.leave_period_acquired, june.leave_balance) == (D(36), D("2.50"), D("38.50"))


@pytest.mark.parametrize(("fields", "field"), [
    ({"leave_opening_previous": D("5")}, "leave_opening_date"),  # a figure without its date
    ({"leave_opening_date": datetime.date(2026, 1, 15), "leave_opening_previous": D("5")}, "leave_opening_date"),
    ({"leave_opening_date": datetime.date(2023, 12, 1), "leave_opening_previous": D("5")},
     "leave_opening_date"),  # before the contract (1 January 2024)
    ({"leave_opening_date": datetime.date(2026, 1, 1), "leave_opening_previous": D("-1")},
     "leave_opening_previous"),
    ({"leave_opening_date": datetime.date(2026, 1, 1), "leave_opening_previous": D("31")},
     "leave_opening_previous"),
    # 1 June 2025 – 31 December 2025: 7 months, 17.5 days at most (L3141-3).
    ({"leave_opening_date": datetime.date(2026, 1, 1), "leave_opening_acquired": D("18")},
     "leave_opening_acquired"),
    # The contract began on 1 October 2025: 3 months, 7.5 days at most.
    ({"leave_opening_date": datetime.date(2026, 1, 1), "leave_opening_acquired": D("8"),
      "start_date": datetime.date(2025, 10, 1)}, "leave_opening_acquired"),
])
def test_opening_figures_are_checked(ws, fields, field):
    person = _person(ws)
    with pytest.raises(ValidationError) as caught:
        employment_save(actor=None, entrepreneur=person, **fields)
    assert field in caught.value.message_dict


def test_a_building_trade_opening_counts_its_months_from_1_april(ws):
    PayrollSettings.objects.filter(workspace=ws).update(paid_leave_fund=True)
    person = _person(ws)
    # 1 April 2025 – 31 December 2025: 9 months, 22.5 days (17.5 from 1 June would refuse it).
    saved = employment_save(actor=None, entrepreneur=person, leave_opening_date=datetime.date(2026, 1, 1),
                            leave_opening_acquired=D("22.5"))
    assert saved.leave_opening_acquired == D("22.5")


def test_staff_give_the_opening_figures_in_the_employment_form(world):
    with scopes_disabled():
        person = EntrepreneurFactory(workspace=world.partner_a)
        PayrollEmploymentFactory(entrepreneur=person)
    client = login(world.users["partner_a"])
    url = reverse("payroll_person_edit", args=["cae-a", person.pk])
    assert "leave_opening_previous" in client.get(url).content.decode()
    data = {"contract_type": "cesa", "status": "non_cadre", "classification": "Position 2.1, coefficient 275",
            "start_date": "2024-01-01", "leave_opening_date": "2026-01-01", "leave_opening_previous": "12,5",
            "leave_opening_acquired": "17,5"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        employment = Employment.objects.get(entrepreneur=person)
    assert (employment.leave_opening_date, employment.leave_opening_previous, employment.leave_opening_acquired) == (
        datetime.date(2026, 1, 1), D("12.5"), D("17.5"))
    refused = client.post(url, {**data, "leave_opening_acquired": "20"})
    assert refused.status_code == 200 and refused.context["form"].errors["leave_opening_acquired"]
    page = client.get(reverse("payroll_person", args=["cae-a", person.pk])).content.decode()
    assert "12,50" in page and "17,50" in page


def test_the_employment_import_carries_the_opening_figures_in_optional_columns(ws):
    person = EntrepreneurFactory(workspace=ws, matricule="CP-1", entry_date=datetime.date(2024, 1, 1))
    base = ["CP-1", "CESA", "non", "non-cadre", "", "Graphiste", datetime.date(2024, 1, 1), "", "", "", "Niveau C"]
    header = [*COLUMNS, "classification", "cp_date_reprise", "cp_n1_restant", "cp_n_acquis"]
    report = employment_import(actor=None, workspace=ws, rows=read_xlsx(xlsx(
        [[*base, "01/01/2026", "12,5", 17.5]], header=header)))
    assert report.written, report.errors
    employment = Employment.objects.get(entrepreneur=person)
    assert (employment.leave_opening_date, employment.leave_opening_previous, employment.leave_opening_acquired) == (
        datetime.date(2026, 1, 1), D("12.5"), D("17.5"))
    # A file without the columns keeps them.
    report = employment_import(actor=None, workspace=ws, rows=read_xlsx(xlsx([base[:-1]], header=COLUMNS)))
    assert report.written and Employment.objects.get(entrepreneur=person).leave_opening_acquired == D("17.5")
    # N above what 7 months acquire (17.5): refused, by row and column, nothing written.
    report = employment_import(actor=None, workspace=ws, rows=read_xlsx(xlsx(
        [[*base, "01/01/2026", "0", "20"]], header=header)))
    assert not report.written and [(e.row, e.column) for e in report.errors] == [(2, "cp_n_acquis")]


@pytest.mark.parametrize(("entry", "exit_", "expected"), [
    (datetime.date(2026, 3, 4), None, D("2.50")),   # 28 days of March: four weeks, a whole month
    (datetime.date(2026, 3, 5), None, D("2.18")),   # 27 days: 2.5 × 27 / 31
    (None, datetime.date(2026, 2, 28), D("2.50")),  # the whole of February (28 days)
    (None, datetime.date(2026, 3, 28), D("2.50")),  # leaving on 28 March: 28 days
    (None, datetime.date(2026, 3, 27), D("2.18")),
])
def test_l3141_4_four_weeks_count_as_a_month(entry, exit_, expected):
    """L3141-4 Code du travail: « sont considérées comme équivalentes à un mois de travail
    effectif les périodes équivalentes à quatre semaines ou à vingt-quatre jours de travail »; a
    contract covering 28 days of a month acquires the month's 2.5 days (L3141-3)."""
    period = (exit_ or entry).replace(day=1)
    assert leave_month(period=period, entry_date=entry, exit_date=exit_).total == expected
