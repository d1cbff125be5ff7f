"""AT/MP rates per establishment and risk code (L242-5 and D242-6-1 CSS: the CARSAT notifies a
rate for each establishment and each risk of a distinct activity), and an employee's rate from
their job."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from payroll.models import Employment, Payslip, RiskRate
from payroll.services.runs import payroll_run
from tests.conftest import login
from tests.factories import EntrepreneurFactory, PayrollEmploymentFactory, build_payroll_month, make_siret
from tests.payroll.test_payroll_settings import form_data, settings_of

D = Decimal


def risk_rows(workspace, rows) -> dict:
    data = {"risks-TOTAL_FORMS": str(len(rows)), "risks-INITIAL_FORMS": "0"}
    for index, (siret, code, label, rate) in enumerate(rows):
        data.update({f"risks-{index}-siret": siret, f"risks-{index}-risk_code": code,
                     f"risks-{index}-label": label, f"risks-{index}-rate": rate})
    return data


def test_staff_records_rates_per_establishment_and_an_employee_gets_their_jobs_rate(world):
    ws = world.partner_a
    client = login(world.users["staff"])
    second = make_siret(ws.siren, 7)
    response = client.post(reverse("payroll_settings_edit", args=["cae-a"]), form_data(ws, **risk_rows(ws, [
        ("", "741ga", "Conseil", "0,80"), (second, "45.2BE", "Maçonnerie", "4,60")])))
    assert response.status_code == 302, response.context and response.context["risk_errors"]
    settings = settings_of(ws)
    with scopes_disabled():
        rates = {(r.siret, r.risk_code): r.rate for r in RiskRate.objects.filter(workspace=ws)}
    assert rates == {(settings.siret, "741GA"): D("0.80"), (second, "452BE"): D("4.60")}
    page = client.get(reverse("payroll_settings", args=["cae-a"])).content.decode()
    assert "452BE" in page and "Maçonnerie" in page

    with scope(workspace=ws):
        mason = PayrollEmploymentFactory(entrepreneur=EntrepreneurFactory(workspace=ws),
                                         risk_rate=RiskRate.objects.get(risk_code="452BE"))
        consultant = EntrepreneurFactory(workspace=ws)
        period = build_payroll_month(ws, lines=[{"entrepreneur": mason.entrepreneur, "gross_salary": D("2500.00")},
                                                {"entrepreneur": consultant, "gross_salary": D("2500.00")}])
        payroll_run(actor=None, workspace=ws, period=period)
        at_mp = {p.entrepreneur_id: p.lines.get(code="at_mp") for p in Payslip.objects.all()}
    # 2 500 × 4.60 % = 115.00 for the mason's job; the default 1.30 % (32.50) for the others.
    assert (at_mp[mason.entrepreneur_id].employer_rate, at_mp[mason.entrepreneur_id].employer_amount) == (
        D("4.6000"), D("115.00"))
    assert at_mp[consultant.pk].employer_amount == D("32.50")
    with scope(workspace=ws):  # a simulation for the mason uses the same rate
        from payroll.services.simulation import payslip_simulate

        simulated = payslip_simulate(workspace=ws, period=period.period, mode="gross", amount=D("2500.00"),
                                     entrepreneur=mason.entrepreneur)
    assert simulated.payslip.line("at_mp").employer_amount == D("115.00")

    # The rate changes: the row is kept (the employment still points at it); removed: back to default.
    client.post(reverse("payroll_settings_edit", args=["cae-a"]), form_data(ws, **risk_rows(ws, [
        ("", "741GA", "Conseil", "0,80"), (second, "452BE", "Maçonnerie", "4,20")])))
    with scopes_disabled():
        assert Employment.objects.get(pk=mason.pk).risk_rate.rate == D("4.20")
    client.post(reverse("payroll_settings_edit", args=["cae-a"]), form_data(ws, **risk_rows(ws, [
        ("", "741GA", "Conseil", "0,80")])))
    with scopes_disabled():
        assert Employment.objects.get(pk=mason.pk).risk_rate is None


@pytest.mark.parametrize(("row", "fragment"), [
    (("", "7A", "Conseil", "1"), "741GA"),  # not a risk code
    (("55210000000018", "741GA", "Conseil", "1"), "SIREN"),  # another company's establishment
])
def test_bad_rows_are_refused_and_nothing_is_saved(world, row, fragment):
    ws = world.partner_a
    response = login(world.users["staff"]).post(reverse("payroll_settings_edit", args=["cae-a"]),
                                                form_data(ws, **risk_rows(ws, [row])))
    assert response.status_code == 200
    assert any(fragment in error for error in response.context["risk_errors"])
    assert settings_of(ws) is None


def test_an_employment_cannot_point_at_another_workspaces_rate(world):
    from payroll.services.employment import employment_save

    login(world.users["staff"]).post(reverse("payroll_settings_edit", args=["cae-b"]), form_data(
        world.partner_b, **risk_rows(world.partner_b, [("", "741GA", "Conseil", "1")])))
    with scopes_disabled():
        foreign = RiskRate.objects.get(workspace=world.partner_b)
    person = EntrepreneurFactory(workspace=world.partner_a)
    with scope(workspace=world.partner_a), pytest.raises(Exception, match="AT/MP|AT-MP|taux"):
        employment_save(actor=None, entrepreneur=person, start_date=person.entry_date, classification="P1",
                        risk_rate_id=foreign.pk)
