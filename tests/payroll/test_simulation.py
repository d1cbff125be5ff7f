"""Payslip simulation: the whole payslip for a gross, an employer cost or a net, written nowhere."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry, Usage
from payroll.engine import PayslipInput, compute_payslip
from payroll.models import PayrollRun, Payslip, PayslipLine, Scheme
from payroll.selectors.rates import rate_set_for
from payroll.services.simulation import NoPayrollSettings, SimulationError, payslip_simulate
from tests.conftest import login
from tests.factories import (
    EntrepreneurFactory,
    MembershipFactory,
    PayrollEmploymentFactory,
    PayrollSettingsFactory,
    UserFactory,
)

JANUARY_2026 = datetime.date(2026, 1, 1)


def tr(message: str, **params) -> str:
    """A message as users read it (in the active language: French once the catalogue has it)."""
    text = gettext(message)
    return text % params if params else text


@pytest.fixture
def settings_a(world):
    with scopes_disabled():
        settings = PayrollSettingsFactory(workspace=world.partner_a, at_mp_rate=Decimal("1.30"))
        Scheme.objects.create(workspace=world.partner_a, settings=settings, kind="provident",
                              label="Prévoyance cadres", applies_to="cadre", base="tranche_a",
                              employer_rate=Decimal("1.50"))
    return settings


def form_data(**overrides) -> dict:
    data = {"who": "template", "entrepreneur": "", "status": "non_cadre", "hours": "151,67", "mode": "gross",
            "amount": "2 500,00", "period": "2026-01", "pas_rate": "0"}
    data.update(overrides)
    return data


def simulate(client, slug="cae-a", htmx=False, **overrides):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("payroll_simulation", args=[slug]), form_data(**overrides), headers=headers)


def counts() -> tuple[int, ...]:
    with scopes_disabled():
        return (Payslip.objects.count(), PayslipLine.objects.count(), PayrollRun.objects.count(),
                Usage.objects.count(), AuditEntry.objects.count())


def test_gross_gives_the_whole_payslip_as_the_engine_computes_it(world, settings_a):
    """Non-cadre, 2 500 € gross in January 2026: net before tax 1 978.99 € (OpenFisca-France
    `salaire_net`, facts file payroll-fr.md)."""
    response = simulate(login(world.users["partner_a"]))
    assert response.status_code == 200, response.context["form"].errors
    result = response.context["result"]
    _table, rates = rate_set_for(JANUARY_2026)
    expected = compute_payslip(PayslipInput(period=JANUARY_2026, status="non_cadre", gross_salary=Decimal("2500"),
                                            at_mp_rate=Decimal("1.30"), contractual_hours=Decimal("151.67")), rates)
    assert result.payslip == expected
    assert result.payslip.net_before_tax == Decimal("1978.99")
    body = response.content.decode()
    for line in expected.lines:
        assert line.label.replace("'", "&#x27;") in body
    assert "Prévoyance cadres" not in body  # a cadres-only scheme
    assert "1\u00a0978,99\u00a0€" in body and tr("Net paid") in body and tr("Total employer cost") in body


def test_employer_cost_target_is_reached(world, settings_a):
    result = simulate(login(world.users["partner_a"]), mode="employer_cost", amount="3 500").context["result"]
    assert result.solution is not None
    assert abs(result.payslip.employer_cost - Decimal("3500")) <= Decimal("0.02")
    assert result.solution.gross_salary == result.payslip.gross


def test_net_target_with_withholding_tax(world, settings_a):
    result = simulate(login(world.users["partner_a"]), mode="net", amount="2000", pas_rate="7,5").context["result"]
    payslip = result.payslip
    assert payslip.net_before_tax == Decimal("2000.00")
    assert payslip.pas_rate == Decimal("7.5")
    assert payslip.pas_amount == (payslip.taxable_net * Decimal("0.075")).quantize(Decimal("0.01"))
    assert payslip.net_paid == payslip.net_before_tax - payslip.pas_amount


def test_a_simulation_writes_nothing(world, settings_a):
    entrepreneur_with_job = _person(world, status="cadre")
    before = counts()
    client = login(world.users["partner_a"])
    for overrides in ({}, {"mode": "employer_cost"}, {"mode": "net", "amount": "1800"},
                      {"who": "entrepreneur", "entrepreneur": str(entrepreneur_with_job.pk)}):
        assert simulate(client, **overrides).context["result"] is not None
    assert simulate(login(world.users["staff"]), htmx=True).status_code == 200
    assert counts() == before


def test_htmx_gets_only_the_panel(world, settings_a):
    response = simulate(login(world.users["partner_a"]), htmx=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and body.lstrip().startswith('<div id="simulation-panel"')
    assert 'hx-post="' in body and tr("Net paid") in body
    full = login(world.users["partner_a"]).get(reverse("payroll_simulation", args=["cae-a"])).content.decode()
    assert "<html" in full and 'id="simulation-panel"' in full


def test_form_errors_come_back_in_the_panel(world, settings_a):
    response = simulate(login(world.users["partner_a"]), htmx=True, amount="deux mille")
    assert response.status_code == 200 and response.context["result"] is None
    assert "amount" in response.context["form"].errors
    assert "<html" not in response.content.decode()


def _person(world, **employment):
    with scopes_disabled():
        entrepreneur = EntrepreneurFactory(workspace=world.partner_a)
        if employment is not None:
            PayrollEmploymentFactory(entrepreneur=entrepreneur, **employment)
    return entrepreneur


def test_an_entrepreneur_brings_status_hours_and_schemes(world, settings_a):
    cadre = _person(world, status="cadre", contractual_hours=Decimal("75.84"))
    response = simulate(login(world.users["partner_a"]), who="entrepreneur", entrepreneur=str(cadre.pk),
                        status="non_cadre", hours="")
    result = response.context["result"]
    assert result.status == "cadre" and result.hours == Decimal("75.84")
    assert result.payslip.has_line("apec") and result.payslip.has_line("provident")  # cadres only
    assert result.payslip.ceiling == Decimal("2002.63")  # 4 005 × 75.84 / 151.67 = 2 002.632… (R242-7 CSS)
    assert str(cadre) in response.content.decode()


def test_cape_holder_and_missing_employment_are_refused(world, settings_a):
    """A CAPE (L127-1 Code de commerce) is not an employment contract: no payslip."""
    cape = _person(world, contract_type="cape")
    client = login(world.users["partner_a"])
    # A CAPE holder is not offered in the list…
    page = client.get(reverse("payroll_simulation", args=["cae-a"]))
    assert str(cape.pk) not in dict(page.context["form"].fields["entrepreneur"].choices)
    # …and the service refuses one anyway.
    with scope(workspace=world.partner_a), pytest.raises(SimulationError) as refused:
        payslip_simulate(workspace=world.partner_a, period=JANUARY_2026, mode="gross", amount=Decimal("2000"),
                         entrepreneur=cape)
    assert str(refused.value) == tr("%(name)s holds a CAPE (support contract): not salaried, so no payslip.",
                                    name=cape)
    with scopes_disabled():
        bare = EntrepreneurFactory(workspace=world.partner_a)
    response = simulate(client, who="entrepreneur", entrepreneur=str(bare.pk))
    assert response.context["result"] is None
    assert response.context["form"].non_field_errors() == [tr(
        "No employment data is recorded for %(name)s: fill it in, or simulate with a template employee.", name=bare)]


def test_choosing_an_entrepreneur_requires_one(world, settings_a):
    response = simulate(login(world.users["partner_a"]), who="entrepreneur", entrepreneur="")
    assert "entrepreneur" in response.context["form"].errors


def test_without_settings_a_clear_message(world):
    client = login(world.users["partner_a"])
    page = client.get(reverse("payroll_simulation", args=["cae-a"]))
    assert tr("This workspace has no payroll settings yet (SIRET, URSSAF account, AT/MP rate, schemes): a payslip "
              "cannot be simulated before the payroll team sets them up.") in page.content.decode()
    response = simulate(client)
    assert response.status_code == 200 and response.context["result"] is None
    with scope(workspace=world.partner_a), pytest.raises(NoPayrollSettings):
        payslip_simulate(workspace=world.partner_a, period=JANUARY_2026, mode="gross", amount=Decimal("2000"))


def test_period_defaults_to_this_month(world, settings_a):
    form = login(world.users["partner_a"]).get(reverse("payroll_simulation", args=["cae-a"])).context["form"]
    assert form["period"].value() == timezone.localdate().replace(day=1)


def test_service_refuses_floats(world, settings_a):
    with scope(workspace=world.partner_a), pytest.raises(TypeError):
        payslip_simulate(workspace=world.partner_a, period=JANUARY_2026, mode="gross", amount=2500.0)


def test_viewer_cannot_simulate_and_alumni_has_no_simulation(world, settings_a):
    viewer = MembershipFactory(workspace=world.partner_a, role="viewer", user=UserFactory()).user
    assert login(viewer).get(reverse("payroll_simulation", args=["cae-a"])).status_code == 403
    assert simulate(login(viewer)).status_code == 403
    assert simulate(login(world.users["alumni"]), slug="scop-c").status_code == 404


def test_a_month_without_rate_table_is_explained(world, settings_a):
    response = simulate(login(world.users["partner_a"]), period="2019-01")
    assert response.context["result"] is None
    assert response.context["form"].non_field_errors() == [tr(
        "No rate table is in force for %(period)s.", period=date_format(datetime.date(2019, 1, 1), "YEAR_MONTH_FORMAT"))]
