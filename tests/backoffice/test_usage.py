"""Billable usage: idempotent recording, the month grouped by service and kind, and pricing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from backoffice.models import Usage
from backoffice.selectors.usage import (
    agreement_for_month,
    parse_month,
    shift_month,
    usage_month,
)
from backoffice.services.usage import usage_record
from tests.conftest import login
from tests.factories import PriceLineFactory, ServiceAgreementFactory, UsageFactory

D = datetime.date


def record(workspace, **fields) -> Usage:
    defaults = {"service": "payroll", "kind": "payslip", "quantity": Decimal("1"), "occurred_on": D(2026, 1, 31),
                "reference": "payslip:2026-01:E-001"}
    defaults.update(fields)
    with scope(workspace=workspace):
        return usage_record(workspace=workspace, **defaults)


# --- recording ------------------------------------------------------------------------------

def test_usage_record_is_idempotent_on_its_reference(world):
    first = record(world.partner_a, quantity=Decimal("1"))
    again = record(world.partner_a, quantity=Decimal("3"), description="re-run")
    with scopes_disabled():
        rows = list(Usage.objects.filter(workspace=world.partner_a))
    assert len(rows) == 1 and first.pk == again.pk
    assert (rows[0].quantity, rows[0].description) == (Decimal("3"), "re-run")
    # The same reference in another workspace, or for another kind, is another act.
    record(world.partner_b)
    record(world.partner_a, kind="payroll_month")
    with scopes_disabled():
        assert Usage.objects.count() == 3


def test_usage_record_refuses_float_quantities_and_unknown_services(world):
    with pytest.raises(TypeError):
        record(world.partner_a, quantity=1.0)
    with pytest.raises(ValueError):
        record(world.partner_a, service="catering")
    with pytest.raises(ValueError):
        record(world.partner_a, reference="")


def test_month_helpers():
    today = D(2026, 3, 17)
    assert parse_month("2026-01", default=today) == D(2026, 1, 1)
    assert parse_month("2026-13", default=today) == D(2026, 3, 1)
    assert parse_month("garbage", default=today) == D(2026, 3, 1)
    assert parse_month(None, default=today) == D(2026, 3, 1)
    assert shift_month(D(2026, 1, 1), -1) == D(2025, 12, 1)
    assert shift_month(D(2025, 12, 1), 1) == D(2026, 1, 1)


def test_agreement_for_month_prefers_the_one_in_force_at_month_end(world):
    ending = ServiceAgreementFactory.build(start_date=D(2025, 1, 1), end_date=D(2026, 1, 15))
    starting = ServiceAgreementFactory.build(start_date=D(2026, 1, 16))
    assert agreement_for_month([ending, starting], D(2026, 1, 1)) is starting
    assert agreement_for_month([ending], D(2026, 1, 1)) is ending
    assert agreement_for_month([ending], D(2026, 2, 1)) is None


# --- the month, grouped ---------------------------------------------------------------------

@pytest.fixture
def january(world):
    ws = world.partner_a
    with scopes_disabled():
        payroll = ServiceAgreementFactory(workspace=ws, service="payroll", start_date=D(2025, 1, 1))
        PriceLineFactory(agreement=payroll, usage_kind="payslip", unit_price=Decimal("14.00"))
        PriceLineFactory(agreement=payroll, kind="monthly_flat", usage_kind="", label="Forfait",
                         unit_price=Decimal("120.00"))
        for n in range(3):
            UsageFactory(workspace=ws, service="payroll", kind="payslip", quantity=Decimal("1"),
                         occurred_on=D(2026, 1, 10 + n))
        UsageFactory(workspace=ws, service="payroll", kind="payslip", quantity=Decimal("2"), occurred_on=D(2026, 1, 31))
        UsageFactory(workspace=ws, service="payroll", kind="declaration", quantity=Decimal("1"),
                     occurred_on=D(2026, 1, 5))
        UsageFactory(workspace=ws, service="training", kind="funding_request", quantity=Decimal("2"),
                     occurred_on=D(2026, 1, 20))
        # Outside the month, or another workspace's: never counted.
        UsageFactory(workspace=ws, service="payroll", kind="payslip", quantity=Decimal("9"), occurred_on=D(2025, 12, 31))
        UsageFactory(workspace=ws, service="payroll", kind="payslip", quantity=Decimal("9"), occurred_on=D(2026, 2, 1))
        UsageFactory(workspace=world.partner_b, service="payroll", kind="payslip", quantity=Decimal("9"),
                     occurred_on=D(2026, 1, 15))
    return ws


def test_usage_month_groups_by_service_and_kind_with_totals_and_prices(january):
    with scope(workspace=january):
        summary = usage_month(workspace=january, month=D(2026, 1, 1))
    assert [s.service for s in summary.services] == ["payroll", "training"]
    payroll, training = summary.services
    assert [(u.kind, u.quantity, u.acts) for u in payroll.lines] == [
        ("declaration", Decimal("1"), 1), ("payslip", Decimal("5"), 4)]
    declaration, payslip = payroll.lines
    assert declaration.amount is None                              # no line prices declarations
    assert payslip.amount == Decimal("70.00")                      # 5 × 14,00
    assert [(line.label, amount) for line, amount in payroll.flat_fees] == [("Forfait", Decimal("120.00"))]
    assert payroll.total == Decimal("190.00")
    assert training.agreement is None and training.lines[0].amount is None and training.total == Decimal("0.00")
    assert summary.total == Decimal("190.00")


def test_usage_month_uses_three_queries(january, django_assert_num_queries):
    with scope(workspace=january), django_assert_num_queries(3):
        usage_month(workspace=january, month=D(2026, 1, 1))


def test_usage_page_for_staff_with_month_navigation(january, world):
    client = login(world.users["staff"])
    response = client.get(reverse("usage", args=["cae-a"]), {"month": "2026-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "?month=2025-12" in html and "?month=2026-02" in html
    assert "70,00\u00a0€" in html and "190,00\u00a0€" in html
    assert response.context["summary"].month == D(2026, 1, 1)


def test_usage_page_is_staff_only(world):
    assert login(world.users["partner_a"]).get(reverse("usage", args=["cae-a"])).status_code == 403
    assert login(world.users["alumni"]).get(reverse("usage", args=["scop-c"])).status_code == 403


def test_usage_record_many_is_idempotent_like_usage_record(world):
    import datetime
    from decimal import Decimal

    from django_scopes import scope

    from backoffice.models import Usage
    from backoffice.services.usage import usage_record_many

    day = datetime.date(2026, 1, 31)
    with scope(workspace=world.partner_a):
        items = [(f"payroll:2026-01:{i}", Decimal("1"), "Bulletin") for i in range(3)]
        usage_record_many(workspace=world.partner_a, service="payroll", kind="payslip", occurred_on=day, items=items)
        usage_record_many(workspace=world.partner_a, service="payroll", kind="payslip", occurred_on=day,
                          items=items[:1] + [("payroll:2026-01:9", Decimal("2"), "Bulletin")])
        assert Usage.objects.filter(kind="payslip").count() == 4
        assert Usage.objects.get(reference="payroll:2026-01:9").quantity == Decimal("2")
        with pytest.raises(TypeError):
            usage_record_many(workspace=world.partner_a, service="payroll", kind="payslip", occurred_on=day,
                              items=[("x", 1.0, "float")])
