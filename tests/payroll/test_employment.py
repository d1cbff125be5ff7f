"""Entrepreneurs' employment data: list, edit rules, the masked IBAN and its audited reveal, rights."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry
from payroll.models import Employment
from payroll.selectors.people import employment_allows_payslip
from payroll.services.employment import HOURS_MAX, employment_save
from tests.conftest import login
from tests.factories import EntrepreneurFactory, MembershipFactory, PayrollEmploymentFactory, UserFactory

IBAN = "FR7630006000011234567890189"
IBAN_2 = "FR1420041010050500013M02606"
MASKED = "FR76 •••• •••• 0189"


def tr(message: str, **params) -> str:
    """A message as users read it (in the active language: French once the catalogue has it)."""
    text = gettext(message)
    return text % params if params else text


def member(workspace, role: str):
    return MembershipFactory(workspace=workspace, role=role, user=UserFactory()).user


def person(workspace, **kwargs):
    with scopes_disabled():
        return EntrepreneurFactory(workspace=workspace, **kwargs)


def employment_of(entrepreneur) -> Employment | None:
    with scopes_disabled():
        return Employment.objects.filter(entrepreneur=entrepreneur).first()


def audit(action: str) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action=action).order_by("id"))


def form_data(**overrides) -> dict:
    data = {"contract_type": "cesa", "status": "non_cadre", "contractual_hours": "", "job_title": "Graphiste",
            "classification": "Position 1.2, coefficient 100", "start_date": "2025-01-01", "end_date": "", "iban": IBAN,
            "contribution_rate": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_url(entrepreneur, slug="cae-a"):
    return reverse("payroll_person_edit", args=[slug, entrepreneur.pk])


# --- list -----------------------------------------------------------------------------------

def test_list_shows_contracts_masked_ibans_and_only_own_workspace(world):
    mine = person(world.partner_a, last_name="Garnier", matricule="A-1")
    with scopes_disabled():
        PayrollEmploymentFactory(entrepreneur=mine, contract_type="cape", iban=IBAN, job_title="Menuisière")
    person(world.partner_a, last_name="Lambert", matricule="A-2")  # no employment data yet
    person(world.partner_b, last_name="Foreign", matricule="B-1")
    response = login(world.users["partner_a"]).get(reverse("payroll_people", args=["cae-a"]))
    assert response.status_code == 200
    names = [e.last_name for e in response.context["page"].object_list]
    assert names == ["Garnier", "Lambert"]
    body = response.content.decode()
    assert MASKED in body and IBAN not in body
    assert "Menuisière" in body and "CAPE" in body
    assert tr("No employment data yet.") in body


def test_list_filters_by_contract(world):
    cape, cesa = person(world.partner_a, last_name="Cape"), person(world.partner_a, last_name="Cesa")
    person(world.partner_a, last_name="Nothing")
    with scopes_disabled():
        PayrollEmploymentFactory(entrepreneur=cape, contract_type="cape")
        PayrollEmploymentFactory(entrepreneur=cesa, contract_type="cesa")
    client = login(world.users["partner_a"])

    def names(**params):
        return [e.last_name for e in client.get(reverse("payroll_people", args=["cae-a"]), params)
                .context["page"].object_list]

    assert names(contract="cape") == ["Cape"]
    assert names(contract="cesa") == ["Cesa"]
    assert names(contract="none") == ["Nothing"]


def test_list_runs_a_constant_number_of_queries(world):
    client = login(world.users["partner_a"])
    url = reverse("payroll_people", args=["cae-a"])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        with scopes_disabled():
            PayrollEmploymentFactory(entrepreneur=EntrepreneurFactory(workspace=world.partner_a), iban=IBAN)
    few = count_queries()
    for _ in range(15):
        with scopes_disabled():
            PayrollEmploymentFactory(entrepreneur=EntrepreneurFactory(workspace=world.partner_a), iban=IBAN)
        person(world.partner_a)
    assert count_queries() == few


# --- edit -----------------------------------------------------------------------------------

def test_edit_creates_the_employment_with_french_decimals_and_audits_iban_as_changed(world):
    entrepreneur = person(world.partner_a)
    client = login(world.users["partner_a"])
    response = client.post(edit_url(entrepreneur), form_data(
        contractual_hours="151,67", contribution_rate="11,5", iban="fr76 3000 6000 0112 3456 7890 189",
        status="cadre", is_associate="on"))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    employment = employment_of(entrepreneur)
    assert employment.contractual_hours == Decimal("151.67")
    assert employment.contribution_rate == Decimal("11.5")
    assert isinstance(employment.contribution_rate, Decimal)
    assert employment.iban == IBAN  # stored compact and upper-case
    assert employment.status == "cadre" and employment.is_associate
    (entry,) = audit("employment.create")
    assert entry.changes["iban"] == "changed"
    assert IBAN not in str(entry.changes) and "3000" not in str(entry.changes)


def test_edit_keeps_the_iban_when_left_empty_and_can_clear_it(world):
    entrepreneur = person(world.partner_a)
    with scopes_disabled():
        PayrollEmploymentFactory(entrepreneur=entrepreneur, iban=IBAN)
    client = login(world.users["partner_a"])
    page = client.get(edit_url(entrepreneur)).content.decode()
    assert IBAN not in page and MASKED in page  # never pre-filled
    same = {"classification": "Position 2.1, coefficient 275", "start_date": "2024-01-01"}  # as the factory's
    assert client.post(edit_url(entrepreneur), form_data(iban="", job_title="Designer", **same)).status_code == 302
    assert employment_of(entrepreneur).iban == IBAN
    (update,) = audit("employment.update")
    assert update.changes == {"job_title": ["Consultante", "Designer"]}
    assert client.post(edit_url(entrepreneur), form_data(iban="", clear_iban="on", job_title="Designer", **same)).status_code == 302
    assert employment_of(entrepreneur).iban == ""
    assert audit("employment.update")[-1].changes == {"iban": "changed"}


@pytest.mark.parametrize(("overrides", "field", "message", "params"), [
    ({"iban": "FR7630006000011234567890180"}, "iban", "%(value)s is not a valid IBAN.",
     {"value": "FR7630006000011234567890180"}),
    ({"end_date": "2024-12-31"}, "end_date", "The contract cannot end before it starts.", {}),
    ({"contractual_hours": "0"}, "contractual_hours",
     "Monthly hours must be more than 0 and at most %(max)s (leave empty when pay follows activity).",
     {"max": HOURS_MAX}),
    ({"contribution_rate": "120"}, "contribution_rate", None, {}),  # Django's "at most 100" message
    ({"contractual_hours": "12.345"}, "contractual_hours", None, {}),  # Django's "2 decimals" message
    # R3243-1 Code du travail: the payslip gives the classification of a salaried contract.
    ({"classification": " "}, "classification", "Required for a salaried contract (CESA): the payslip shows it.",
     {}),
])
def test_edit_validation_messages(world, overrides, field, message, params):
    entrepreneur = person(world.partner_a)
    response = login(world.users["partner_a"]).post(edit_url(entrepreneur), form_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors.get(field, [])
    assert errors, response.context["form"].errors
    if message is not None:
        assert tr(message, **params) in errors
    assert employment_of(entrepreneur) is None


def test_service_refuses_an_entrepreneur_of_an_alumni_company(world):
    alumni_person = person(world.alumni_c)
    with scope(workspace=world.alumni_c), pytest.raises(
            ValidationError, match=re.escape(tr("Only a CAE (the host or a partner) has a payroll."))):
        employment_save(actor=None, entrepreneur=alumni_person, start_date=datetime.date(2025, 1, 1))


def test_failed_update_leaves_the_object_as_stored(world):
    entrepreneur = person(world.partner_a)
    with scopes_disabled():
        employment = PayrollEmploymentFactory(entrepreneur=entrepreneur, job_title="Avant")
    with scope(workspace=world.partner_a), pytest.raises(ValidationError):
        employment_save(actor=None, entrepreneur=entrepreneur, job_title="Après", iban="not an iban")
    assert entrepreneur.employment.job_title == "Avant"
    employment.refresh_from_db()
    assert employment.job_title == "Avant"


def test_cape_holder_gets_no_payslip():
    """L127-1 Code de commerce: a CAPE is a support contract, not an employment contract."""
    assert employment_allows_payslip(Employment(contract_type="cape")) is False
    assert employment_allows_payslip(Employment(contract_type="cesa")) is True
    assert employment_allows_payslip(None) is True


# --- the IBAN reveal ------------------------------------------------------------------------

def test_iban_reveal_is_audited_and_not_cached(world):
    entrepreneur = person(world.partner_a)
    with scopes_disabled():
        PayrollEmploymentFactory(entrepreneur=entrepreneur, iban=IBAN)
    client = login(world.users["partner_a"])
    detail = client.get(reverse("payroll_person", args=["cae-a", entrepreneur.pk]))
    assert MASKED in detail.content.decode() and IBAN not in detail.content.decode()
    assert "no-store" in detail["Cache-Control"]
    response = client.post(reverse("payroll_person_iban", args=["cae-a", entrepreneur.pk]))
    assert response.status_code == 200
    assert IBAN in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    (entry,) = audit("employment.iban_reveal")
    assert entry.actor == world.users["partner_a"] and entry.changes == {"field": "iban"}


def test_viewer_reads_but_cannot_edit_nor_reveal(world):
    entrepreneur = person(world.partner_a)
    with scopes_disabled():
        PayrollEmploymentFactory(entrepreneur=entrepreneur, iban=IBAN)
    viewer = login(member(world.partner_a, "viewer"))
    assert viewer.get(reverse("payroll_people", args=["cae-a"])).status_code == 200
    page = viewer.get(reverse("payroll_person", args=["cae-a", entrepreneur.pk]))
    assert page.status_code == 200 and MASKED in page.content.decode()
    assert reverse("payroll_person_iban", args=["cae-a", entrepreneur.pk]) not in page.content.decode()
    assert viewer.get(edit_url(entrepreneur)).status_code == 403
    assert viewer.post(edit_url(entrepreneur), form_data(iban=IBAN_2)).status_code == 403
    assert viewer.post(reverse("payroll_person_iban", args=["cae-a", entrepreneur.pk])).status_code == 403
    assert viewer.get(reverse("payroll_people_import", args=["cae-a"])).status_code == 403
    assert employment_of(entrepreneur).iban == IBAN
    assert audit("employment.iban_reveal") == []


def test_staff_edit_employment_of_a_partner(world):
    entrepreneur = person(world.partner_a)
    response = login(world.users["staff"]).post(edit_url(entrepreneur), form_data())
    assert response.status_code == 302
    assert employment_of(entrepreneur).job_title == "Graphiste"


@pytest.mark.parametrize("persona", ["alumni", "staff"])
def test_alumni_workspace_has_no_payroll_pages(world, persona):
    alumni_person = person(world.alumni_c)
    client = login(world.users[persona])
    for url in (reverse("payroll_people", args=["scop-c"]), reverse("payroll_person", args=["scop-c", alumni_person.pk]),
                reverse("payroll_people_import", args=["scop-c"]), reverse("payroll_settings", args=["scop-c"]),
                reverse("payroll_simulation", args=["scop-c"])):
        assert client.get(url).status_code == 404, url
