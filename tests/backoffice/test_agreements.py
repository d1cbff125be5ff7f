"""Service agreements and price lines: reading, editing, the no-overlap rule, the money filter."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry, PriceLine, ServiceAgreement
from backoffice.services.agreements import (
    agreement_create,
    agreement_update,
    price_line_create,
    price_line_update,
)
from backoffice.templatetags.money import format_money, format_percent
from tests.conftest import login
from tests.factories import PriceLineFactory, ServiceAgreementFactory

D = datetime.date


def agreement(workspace, **kwargs) -> ServiceAgreement:
    with scopes_disabled():
        return ServiceAgreementFactory(workspace=workspace, **kwargs)


def audit(action: str) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action=action).order_by("id"))


# --- the money filter -----------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("1234.56"), "1\u00a0234,56\u00a0€"),
    (Decimal("0"), "0,00\u00a0€"),
    (Decimal("12.5"), "12,50\u00a0€"),
    (Decimal("1234567.891"), "1\u00a0234\u00a0567,89\u00a0€"),
    (Decimal("-1234.5"), "-1\u00a0234,50\u00a0€"),
    (Decimal("2.005"), "2,01\u00a0€"),        # ROUND_HALF_UP at the cent, not Django's truncation
    (Decimal("2.004"), "2,00\u00a0€"),
    (Decimal("-0.001"), "0,00\u00a0€"),       # never "-0,00 €"
    (15, "15,00\u00a0€"),
    ("99.9", "99,90\u00a0€"),
    (None, ""),
])
def test_money_formats_french_amounts(value, expected):
    with translation.override("fr"):
        assert format_money(value) == expected


def test_money_filter_in_a_template_and_refuses_floats():
    with translation.override("fr"):
        rendered = Template("{% load money %}{{ amount|money }}").render(Context({"amount": Decimal("1234.56")}))
        assert rendered == "1\u00a0234,56\u00a0€"
    with pytest.raises(TypeError):
        format_money(12.5)


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("2.500"), "2,5\u00a0%"), (Decimal("20.00"), "20\u00a0%"), (Decimal("5.5"), "5,5\u00a0%"),
    (Decimal("0.125"), "0,125\u00a0%"), (None, ""),
])
def test_percent_drops_trailing_zeros(value, expected):
    with translation.override("fr"):
        assert format_percent(value) == expected


# --- reading --------------------------------------------------------------------------------

def test_client_reads_its_agreements_by_service_without_edit_links(world):
    payroll = agreement(world.partner_a, service="payroll", start_date=D(2025, 1, 1), end_date=D(2025, 12, 31))
    agreement(world.partner_a, service="payroll", start_date=D(2026, 1, 1))
    training = agreement(world.partner_a, service="training", start_date=D(2025, 1, 1))
    agreement(world.partner_b, service="it", start_date=D(2025, 1, 1))
    with scopes_disabled():
        PriceLineFactory(agreement=payroll, unit_price=Decimal("1234.50"), label="Bulletin de paie")
        PriceLineFactory(agreement=training, kind="percentage", usage_kind="funded_amount", unit_price=Decimal("0"),
                         rate=Decimal("2.500"), label="Frais de dossier")
    client = login(world.users["partner_a"])
    response = client.get(reverse("agreements", args=["cae-a"]))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g.service for g in groups] == ["payroll", "training"]   # not CAE B's IT agreement
    assert [a.start_date for a in groups[0].agreements] == [D(2026, 1, 1), D(2025, 1, 1)]
    html = response.content.decode()
    assert "1\u00a0234,50\u00a0€" in html and "2,5\u00a0%" in html and "20\u00a0%" in html
    assert reverse("agreement_create", args=["cae-a"]) not in html
    assert "/edit/" not in html
    assert client.get(reverse("agreement_create", args=["cae-a"])).status_code == 403
    assert client.post(reverse("price_line_create", args=["cae-a", payroll.pk]), {}).status_code == 403


def test_alumni_company_reads_its_agreement_too(world):
    agreement(world.alumni_c, service="alumni", start_date=D(2025, 1, 1))
    response = login(world.users["alumni"]).get(reverse("agreements", args=["scop-c"]))
    assert response.status_code == 200 and [g.service for g in response.context["groups"]] == ["alumni"]


# --- the no-overlap rule --------------------------------------------------------------------

def create(workspace, **fields):
    with scope(workspace=workspace):
        return agreement_create(actor=None, workspace=workspace, **fields)


@pytest.mark.parametrize(("start", "end", "ok"), [
    (D(2026, 1, 1), None, True),                 # starts the day after the existing one ends
    (D(2025, 12, 31), None, False),              # shares its last day
    (D(2025, 3, 1), D(2025, 4, 30), False),      # inside it
    (D(2024, 1, 1), D(2024, 12, 31), True),      # ends the day before it starts
    (D(2024, 1, 1), D(2025, 1, 1), False),       # ends on its first day
    (D(2024, 1, 1), None, False),                # open-ended, so it runs into it
])
def test_two_agreements_for_one_service_never_overlap(world, start, end, ok):
    """Rule (DOMAIN-MAP, ServiceAgreement; records brief): one workspace's agreements for one
    service never share a day, so exactly one agreement prices a given day. Dates are inclusive."""
    agreement(world.partner_a, service="payroll", start_date=D(2025, 1, 1), end_date=D(2025, 12, 31))
    if ok:
        create(world.partner_a, service="payroll", start_date=start, end_date=end)
    else:
        with pytest.raises(ValidationError) as exc:
            create(world.partner_a, service="payroll", start_date=start, end_date=end)
        [message] = exc.value.message_dict[NON_FIELD_ERRORS]
        assert "overlap" in message and "01/01/2025" in message and "31/12/2025" in message


def test_overlap_with_an_open_ended_agreement_says_to_end_it(world):
    agreement(world.partner_a, service="payroll", start_date=D(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        create(world.partner_a, service="payroll", start_date=D(2026, 1, 1))
    assert "no end date" in exc.value.messages[0]
    # Another service, or another workspace, is not concerned.
    create(world.partner_a, service="training", start_date=D(2026, 1, 1))
    create(world.partner_b, service="payroll", start_date=D(2026, 1, 1))


def test_update_checks_overlap_against_the_others_only(world):
    first = agreement(world.partner_a, service="payroll", start_date=D(2025, 1, 1), end_date=D(2025, 6, 30))
    agreement(world.partner_a, service="payroll", start_date=D(2025, 7, 1))
    with scope(workspace=world.partner_a):
        agreement_update(actor=None, agreement=first, start_date=D(2025, 2, 1))  # overlaps only itself
        with pytest.raises(ValidationError):
            agreement_update(actor=None, agreement=first, end_date=D(2025, 7, 1))
    first.refresh_from_db()
    assert (first.start_date, first.end_date) == (D(2025, 2, 1), D(2025, 6, 30))


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        create(world.partner_a, service="it", start_date=D(2025, 5, 1), end_date=D(2025, 4, 30))
    assert "end_date" in exc.value.message_dict


def test_staff_create_through_the_form_shows_the_overlap_and_audits(world):
    agreement(world.partner_a, service="payroll", start_date=D(2025, 1, 1))
    client = login(world.users["staff"])
    url = reverse("agreement_create", args=["cae-a"])
    response = client.post(url, {"service": "payroll", "start_date": "2026-01-01"})
    assert response.status_code == 200
    assert "overlap" in " ".join(response.context["form"].non_field_errors())
    response = client.post(url, {"service": "training", "start_date": "2026-01-01", "reference": " CONV-7 "})
    assert response.status_code == 302
    [entry] = audit("agreement.create")
    assert entry.workspace == world.partner_a
    assert entry.changes["service"] == [None, "training"] and entry.changes["reference"] == [None, "CONV-7"]


def test_staff_edit_is_audited_with_the_diff(world):
    a = agreement(world.partner_a, service="payroll", start_date=D(2025, 1, 1))
    response = login(world.users["staff"]).post(reverse("agreement_edit", args=["cae-a", a.pk]), {
        "service": "payroll", "start_date": "2025-01-01", "end_date": "2025-12-31"})
    assert response.status_code == 302
    [entry] = audit("agreement.update")
    assert entry.changes == {"end_date": [None, "2025-12-31"]}


def test_payroll_officer_cannot_change_agreements(world):
    from tests.factories import MembershipFactory, UserFactory

    officer = MembershipFactory(workspace=world.host, role="payroll_officer", user=UserFactory()).user
    client = login(officer)
    assert client.get(reverse("agreements", args=["cae-a"])).status_code == 200
    assert client.get(reverse("agreement_create", args=["cae-a"])).status_code == 403


# --- price lines ----------------------------------------------------------------------------

def line(a, **fields):
    defaults = {"kind": "per_unit", "label": "Bulletin", "usage_kind": "payslip", "unit_price": Decimal("14.00")}
    defaults.update(fields)
    with scope(workspace=a.workspace):
        return price_line_create(actor=None, agreement=a, **defaults)


@pytest.mark.parametrize(("fields", "field"), [
    ({"usage_kind": ""}, "usage_kind"),                                                   # per unit of what?
    ({"rate": Decimal("1")}, "rate"),                                                     # only percentages
    ({"kind": "percentage", "usage_kind": "declared_revenue", "unit_price": Decimal("0")}, "rate"),
    ({"kind": "percentage", "usage_kind": "declared_revenue", "rate": Decimal("120")}, "rate"),
    ({"kind": "monthly_flat", "usage_kind": "payslip"}, "usage_kind"),                    # a fee prices no usage
    ({"unit_price": Decimal("-1")}, "unit_price"),
    ({"vat_rate": Decimal("120")}, "vat_rate"),
])
def test_price_line_rules(world, fields, field):
    a = agreement(world.partner_a, service="payroll")
    with pytest.raises(ValidationError) as exc:
        line(a, **fields)
    assert field in exc.value.message_dict


def test_one_line_per_usage_kind_and_one_flat_fee_per_agreement(world):
    a = agreement(world.partner_a, service="payroll")
    line(a)
    with pytest.raises(ValidationError) as exc:
        line(a, kind="percentage", rate=Decimal("1"), label="Autre")
    assert exc.value.message_dict["usage_kind"] == ["The line “Bulletin” already prices payslip in this agreement."]
    line(a, kind="monthly_flat", usage_kind="", label="Forfait", unit_price=Decimal("120"))
    with pytest.raises(ValidationError) as exc:
        line(a, kind="monthly_flat", usage_kind="", label="Forfait 2", unit_price=Decimal("10"))
    assert "kind" in exc.value.message_dict


def test_price_line_pages_create_edit_delete_audited(world):
    a = agreement(world.partner_a, service="payroll")
    client = login(world.users["staff"])
    response = client.post(reverse("price_line_create", args=["cae-a", a.pk]), {
        "kind": "per_unit", "label": "Bulletin de paie", "usage_kind": "payslip", "unit_price": "14,50",
        "vat_rate": "20"})
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        created = PriceLine.objects.get(agreement=a)
    assert created.unit_price == Decimal("14.50") and created.workspace == world.partner_a
    client.post(reverse("price_line_edit", args=["cae-a", created.pk]), {
        "kind": "per_unit", "label": "Bulletin de paie", "usage_kind": "payslip", "unit_price": "15", "vat_rate": "20"})
    client.post(reverse("price_line_delete", args=["cae-a", created.pk]))
    with scopes_disabled():
        assert not PriceLine.objects.filter(pk=created.pk).exists()
    assert [e.action for e in audit("price_line.create") + audit("price_line.update") + audit("price_line.delete")] == [
        "price_line.create", "price_line.update", "price_line.delete"]
    assert audit("price_line.update")[0].changes == {"unit_price": ["14.50", "15"]}


def test_refused_price_line_update_leaves_it_unchanged(world):
    a = agreement(world.partner_a, service="payroll")
    pl = line(a)
    with scope(workspace=world.partner_a), pytest.raises(ValidationError):
        price_line_update(actor=None, line=pl, usage_kind="")
    assert pl.usage_kind == "payslip"
