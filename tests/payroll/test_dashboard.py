"""The payroll officer's overview: each CAE's recent months (awaited, uploaded, checked,
computed, approved, declared, delivered) and what is late, in a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scopes_disabled

from payroll.selectors.dashboard import lateness, payroll_overview
from tests.conftest import login
from tests.factories import (
    MembershipFactory,
    PayrollDeclarationFactory,
    PayrollPeriodFactory,
    ServiceAgreementFactory,
    UserFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 20)
JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


@pytest.fixture
def payroll_world(world):
    with scopes_disabled():
        for ws in (world.partner_a, world.partner_b):
            ServiceAgreementFactory(workspace=ws, service="payroll")
        # A: January declared, February approved but not declared, March checked.
        PayrollDeclarationFactory(period=PayrollPeriodFactory(workspace=world.partner_a, period=JAN, stage="approved"))
        PayrollPeriodFactory(workspace=world.partner_a, period=FEB, stage="approved")
        PayrollPeriodFactory(workspace=world.partner_a, period=MAR, stage="checked")
        # B: January delivered, February computed (late: never approved), March not sent.
        PayrollPeriodFactory(workspace=world.partner_b, period=JAN, stage="delivered")
        PayrollPeriodFactory(workspace=world.partner_b, period=FEB, stage="computed")
    return world


def _states(rows):
    return {row.workspace.slug: [(cell.state, bool(cell.late)) for cell in row.months] for row in rows}


def test_each_month_shows_its_state_and_lateness(payroll_world):
    periods, rows = payroll_overview(today=TODAY, months=3)
    assert periods == [JAN, FEB, MAR]
    states = _states(rows)
    assert states["cae-a"] == [("declared", False), ("approved", True), ("checked", False)]
    assert states["cae-b"] == [("delivered", False), ("computed", True), ("awaiting", False)]
    assert "scop-c" not in states and "mutualise" not in states  # no payroll agreement
    assert [row.workspace.slug for row in rows][:2] == ["cae-a", "cae-b"]  # late ones first, by name


def test_uploaded_month_is_shown_as_uploaded(payroll_world):
    with scopes_disabled():
        PayrollPeriodFactory(workspace=payroll_world.partner_b, period=MAR, stage="received")
    _periods, rows = payroll_overview(today=TODAY, months=3)
    assert _states(rows)["cae-b"][2] == ("received", False)


def test_lateness_rules():
    # Payslips of February are due by 28 February; the DSN by 15 March (CSS art. R. 133-14).
    assert lateness(FEB, "checked", False, datetime.date(2026, 2, 28)) == ""
    assert lateness(FEB, "checked", False, datetime.date(2026, 3, 1)) != ""
    assert lateness(FEB, "approved", False, datetime.date(2026, 3, 15)) == ""
    assert lateness(FEB, "approved", False, datetime.date(2026, 3, 16)) != ""
    assert lateness(FEB, "declared", True, datetime.date(2026, 4, 30)) == ""
    assert lateness(FEB, "delivered", False, datetime.date(2026, 4, 30)) == ""


def test_overview_query_count_is_constant(payroll_world, django_assert_num_queries):
    with django_assert_num_queries(2):
        payroll_overview(today=TODAY, months=6)
    with scopes_disabled():
        for i in range(10):
            ws = WorkspaceFactory(slug=f"cae-x{i}", name=f"CAE X{i}")
            ServiceAgreementFactory(workspace=ws, service="payroll")
            PayrollPeriodFactory(workspace=ws, period=FEB, stage="computed")
    with django_assert_num_queries(2):
        _periods, rows = payroll_overview(today=TODAY, months=6)
    assert len(rows) == 12


def test_payroll_officer_lands_on_the_overview(payroll_world):
    with scopes_disabled():
        officer = MembershipFactory(workspace=payroll_world.host, role="payroll_officer",
                                    user=UserFactory(email="paie@example.test")).user
    client = login(officer)
    html = client.get("/staff/").content.decode()
    assert 'id="payroll-months"' in html and "CAE A" in html
    page = client.get("/staff/payroll/")
    assert page.status_code == 200 and 'id="payroll-months"' in page.content.decode()
    # The payroll menu of a workspace links employment data, settings and the simulation.
    ws_html = client.get("/w/cae-a/payroll/").content.decode()
    for url in ("/w/cae-a/payroll/people/", "/w/cae-a/payroll/settings/", "/w/cae-a/payroll/simulation/"):
        assert f'href="{url}"' in ws_html


def test_staff_without_payroll_rights_see_no_payroll_panel(payroll_world):
    with scopes_disabled():
        trainer = MembershipFactory(workspace=payroll_world.host, role="training_officer",
                                    user=UserFactory(email="formation@example.test")).user
    client = login(trainer)
    assert 'id="payroll-months"' not in client.get("/staff/").content.decode()
    assert client.get("/staff/payroll/").status_code == 403
