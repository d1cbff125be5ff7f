"""Revenue declarations: the contribution shown before confirming, recorded as billable usage
(backoffice/pricing.py convention), refusals that write nothing, staff corrections."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from alumni.models import RevenueDeclaration
from alumni.services.declarations import declaration_correct, declaration_create, open_periods
from backoffice.models import AuditEntry, Usage
from tests.conftest import login

D = datetime.date
TODAY = D(2026, 11, 29)


def declare(company, key="2025-01-01", revenue="84500.00"):
    with scope(workspace=company.workspace):
        return declaration_create(actor=None, company=company, period_key=key, revenue=Decimal(revenue), today=TODAY)


def counts(workspace):
    with scopes_disabled():
        return (RevenueDeclaration.objects.filter(workspace=workspace).count(),
                Usage.objects.filter(workspace=workspace).count())


def test_declaration_records_contribution_and_billable_usage(company):
    declaration = declare(company)
    assert declaration.contribution == Decimal("845.00")            # 1 % of 84 500
    with scopes_disabled():
        usage = Usage.objects.get(workspace=company.workspace)
    assert (usage.kind, usage.service, usage.quantity, usage.occurred_on, usage.reference) == (
        "declared_revenue", "alumni", Decimal("84500.00"), D(2025, 12, 31), "revenue:2025-01-01:2025-12-31")
    small = declare(company, key="2024-01-01", revenue="3000")
    assert small.contribution == Decimal("150.00") and small.computation["minimum_applied"] is True


@pytest.mark.parametrize(("key", "revenue", "field"), [
    ("2025-01-01", "-1", "revenue"),                   # negative
    ("2025-04-01", "1000", "period"),                  # not one of a yearly company's periods
    ("2026-01-01", "1000", "period"),                  # not over yet
    ("2023-01-01", "1000", "period"),                  # before the agreement: outside it
    ("not-a-date", "1000", "period"),
])
def test_bad_declarations_are_refused_and_write_nothing(company, key, revenue, field):
    with pytest.raises(ValidationError) as exc:
        declare(company, key=key, revenue=revenue)
    assert field in exc.value.message_dict
    assert counts(company.workspace) == (0, 0)


def test_a_period_is_declared_once(company):
    declare(company)
    with pytest.raises(ValidationError) as exc:
        declare(company, revenue="1")
    assert "already declared" in exc.value.message_dict["period"][0]
    assert counts(company.workspace) == (1, 1)


def test_quarterly_company_declares_quarters(company):
    company.declaration_frequency = "quarterly"
    with scope(workspace=company.workspace):
        company.save()
        keys = [p.key for p in open_periods(company, today=D(2025, 7, 15), years=0)]
    assert keys == ["2025-01-01", "2025-04-01"]


def test_portal_shows_the_contribution_before_confirming(company, world):
    client = login(world.users["alumni"])
    url = reverse("alumni_declare", args=["scop-c"])
    response = client.post(url, {"period": "2025-01-01", "revenue": "84 500,00"})
    assert response.status_code == 200
    assert response.context["preview"].amount == Decimal("845.00")
    assert "845,00" in response.content.decode()
    assert counts(company.workspace) == (0, 0)                     # nothing written before confirming
    response = client.post(url, {"period": "2025-01-01", "revenue": "84 500,00", "confirm": "1"})
    assert response.status_code == 302
    assert counts(company.workspace) == (1, 1)


@pytest.mark.parametrize("revenue", ["abc", "-5", "1,234"])
def test_portal_bad_revenue_gives_a_message_and_writes_nothing(company, world, revenue):
    response = login(world.users["alumni"]).post(reverse("alumni_declare", args=["scop-c"]),
                                                 {"period": "2025-01-01", "revenue": revenue, "confirm": "1"})
    assert response.status_code == 200 and response.context["form"].errors
    assert counts(company.workspace) == (0, 0)


def test_a_partner_cae_has_no_portal_to_declare_in(world, company):
    response = login(world.users["partner_a"]).post(reverse("alumni_declare", args=["cae-a"]),
                                                    {"period": "2025-01-01", "revenue": "1000", "confirm": "1"})
    assert response.status_code == 403
    with scopes_disabled():
        assert not RevenueDeclaration.objects.exists()


def test_another_companys_declaration_cannot_be_corrected_from_here(world, company):
    declaration = declare(company)
    # CAE A's manager with SCOP C's declaration id in CAE A's address: not found.
    response = login(world.users["partner_a"]).post(
        reverse("alumni_declaration_correct", args=["cae-a", declaration.pk]), {"revenue": "1", "reason": "x"})
    assert response.status_code == 404
    # The company itself may read but not correct.
    response = login(world.users["alumni"]).post(
        reverse("alumni_declaration_correct", args=["scop-c", declaration.pk]), {"revenue": "1", "reason": "x"})
    assert response.status_code == 403
    with scopes_disabled():
        assert RevenueDeclaration.objects.get(pk=declaration.pk).revenue == Decimal("84500.00")


def test_staff_correction_recomputes_updates_usage_is_audited_and_shown(world, company):
    declaration = declare(company)
    with scope(workspace=company.workspace), pytest.raises(ValidationError):
        declaration_correct(actor=None, declaration=declaration, revenue=Decimal("90000"), reason="  ")
    response = login(world.users["staff"]).post(
        reverse("alumni_declaration_correct", args=["scop-c", declaration.pk]),
        {"revenue": "90 000", "reason": "Erreur de saisie : CA du bilan 2025"})
    assert response.status_code == 302
    with scopes_disabled():
        declaration.refresh_from_db()
        usage = Usage.objects.get(workspace=company.workspace)
        entry = AuditEntry.objects.get(action="alumni.declaration.correct")
    assert (declaration.revenue, declaration.contribution, declaration.revenue_before_correction) == (
        Decimal("90000.00"), Decimal("900.00"), Decimal("84500.00"))
    assert usage.quantity == Decimal("90000.00")                    # same usage row, updated
    assert entry.changes["reason"] == "Erreur de saisie : CA du bilan 2025"
    page = login(world.users["alumni"]).get(reverse("alumni_contributions", args=["scop-c"])).content.decode()
    assert "Erreur de saisie : CA du bilan 2025" in page and "84\u00a0500,00" in page
