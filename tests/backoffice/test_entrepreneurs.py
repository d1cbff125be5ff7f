"""Entrepreneurs: list, create/edit rules, the masked NIR and its audited reveal."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry, Entrepreneur
from backoffice.services.entrepreneurs import (
    entrepreneur_create,
    entrepreneur_update,
    nir_birth_date_error,
    personal_id_reveal,
    redact_personal_ids,
)
from backoffice.tenancy import resolve_actor
from tests.conftest import login
from tests.factories import EntrepreneurFactory, MembershipFactory, UserFactory, make_nir

BORN = datetime.date(1985, 6, 1)
NIR = make_nir(42, year=85, month=6)  # consistent with BORN


def member(workspace, role: str):
    return MembershipFactory(workspace=workspace, role=role, user=UserFactory()).user


def entrepreneur_in(workspace, **kwargs) -> Entrepreneur:
    with scopes_disabled():
        return EntrepreneurFactory(workspace=workspace, **kwargs)


def audit(action: str | None = None) -> list[AuditEntry]:
    with scopes_disabled():
        qs = AuditEntry.objects.order_by("id")
        return list(qs.filter(action=action) if action else qs)


def form_data(**overrides) -> dict:
    data = {"matricule": "E-001", "last_name": "Lefèvre", "first_name": "Jeanne", "birth_date": "1985-06-01",
            "nir": NIR, "email": "", "phone": "", "address": "", "entry_date": "2025-01-01", "exit_date": "",
            "trade": "Conseil"}
    data.update(overrides)
    return data


def create(workspace, **overrides) -> Entrepreneur:
    fields = {"matricule": "E-001", "last_name": "Lefèvre", "first_name": "Jeanne", "birth_date": BORN,
              "nir": NIR, "entry_date": datetime.date(2025, 1, 1)}
    fields.update(overrides)
    with scope(workspace=workspace):
        return entrepreneur_create(actor=None, workspace=workspace, **fields)


# --- the list -------------------------------------------------------------------------------

def test_list_searches_by_name_and_employee_number_and_filters_exited(world):
    today = datetime.date.today()
    entrepreneur_in(world.partner_a, last_name="Garnier", matricule="A-100")
    entrepreneur_in(world.partner_a, last_name="Lambert", matricule="A-200",
                    exit_date=today - datetime.timedelta(days=1))
    entrepreneur_in(world.partner_b, last_name="Garnier", matricule="B-100")
    client = login(world.users["partner_a"])
    url = reverse("entrepreneurs", args=["cae-a"])

    def names(**params):
        return [e.last_name for e in client.get(url, params).context["page"].object_list]

    assert names() == ["Garnier", "Lambert"]  # never CAE B's Garnier
    assert names(q="garn") == ["Garnier"]
    assert names(q="A-200") == ["Lambert"]
    assert names(status="active") == ["Garnier"]
    assert names(status="exited") == ["Lambert"]


def test_list_is_paginated_with_constant_queries(world):
    client = login(world.users["partner_a"])
    url = reverse("entrepreneurs", args=["cae-a"])
    for _ in range(3):
        entrepreneur_in(world.partner_a)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(60):
        entrepreneur_in(world.partner_a)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages == 2
    assert len(client.get(url, {"page": 2}).context["page"].object_list) == 13


def test_alumni_company_has_no_entrepreneur_pages(world):
    client = login(world.users["alumni"])
    assert client.get(reverse("entrepreneurs", args=["scop-c"])).status_code == 404
    assert client.get(reverse("entrepreneur_create", args=["scop-c"])).status_code == 404
    staff = login(world.users["staff"])
    assert staff.get(reverse("entrepreneurs", args=["scop-c"])).status_code == 404
    assert "/entrepreneurs/" not in staff.get(reverse("workspace_home", args=["scop-c"])).content.decode()


def test_alumni_workspace_refused_by_the_service(world):
    with pytest.raises(ValidationError):
        create(world.alumni_c)


def test_viewer_reads_but_does_not_edit(world):
    client = login(member(world.partner_a, "viewer"))
    response = client.get(reverse("entrepreneurs", args=["cae-a"]))
    assert response.status_code == 200
    assert reverse("entrepreneur_create", args=["cae-a"]) not in response.content.decode()
    assert client.get(reverse("entrepreneur_create", args=["cae-a"])).status_code == 403
    e = entrepreneur_in(world.partner_a)
    assert client.post(reverse("entrepreneur_edit", args=["cae-a", e.pk]), form_data()).status_code == 403


# --- creating and editing -------------------------------------------------------------------

def test_create_through_the_form(world):
    client = login(world.users["partner_a"])
    spaced = f"{NIR[0]} {NIR[1:3]} {NIR[3:5]} {NIR[5:7]} {NIR[7:10]} {NIR[10:13]} {NIR[13:]}"
    response = client.post(reverse("entrepreneur_create", args=["cae-a"]), form_data(nir=spaced))
    with scopes_disabled():
        e = Entrepreneur.objects.get(workspace=world.partner_a, matricule="E-001")
    assert response.status_code == 302
    assert response["Location"] == reverse("entrepreneur_detail", args=["cae-a", e.pk])
    assert e.nir == NIR and e.workspace == world.partner_a


def test_duplicate_employee_number_is_a_form_error_not_a_crash(world):
    entrepreneur_in(world.partner_a, matricule="E-001")
    entrepreneur_in(world.partner_b, matricule="E-002")
    client = login(world.users["partner_a"])
    response = client.post(reverse("entrepreneur_create", args=["cae-a"]), form_data())
    assert response.status_code == 200
    assert response.context["form"].errors["matricule"] == ["Employee number E-001 is already used in this workspace."]
    # The same number in another workspace is fine: unique per workspace.
    assert client.post(reverse("entrepreneur_create", args=["cae-a"]), form_data(matricule="E-002")).status_code == 302


def test_edit_to_a_taken_employee_number_is_refused(world):
    create(world.partner_a)
    other = create(world.partner_a, matricule="E-009", nir="")
    with scope(workspace=world.partner_a), pytest.raises(ValidationError) as exc:
        entrepreneur_update(actor=None, entrepreneur=other, matricule="E-001")
    assert "matricule" in exc.value.message_dict
    assert other.matricule == "E-009"


@pytest.mark.parametrize("nir", ["185067512345699", "18506751234", "1850675X2345678"])
def test_invalid_nir_is_refused(world, nir):
    with pytest.raises(ValidationError) as exc:
        create(world.partner_a, nir=nir)
    assert "nir" in exc.value.message_dict


def test_exit_before_entry_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        create(world.partner_a, exit_date=datetime.date(2024, 12, 31))
    assert exc.value.message_dict["exit_date"] == ["The exit date cannot be before the entry date."]


# Décret n° 82-103 du 22 janvier 1982, art. 4: NIR characters 2-3 = year of birth, 4-5 = month;
# months 20, 30-42 and 50-99 are not calendar months (civil-status document without the month).
@pytest.mark.parametrize(("nir", "born", "ok"), [
    (make_nir(1, year=85, month=6), BORN, True),
    (make_nir(1, year=84, month=6), BORN, False),                       # year differs
    (make_nir(1, year=85, month=7), BORN, False),                       # month differs
    (make_nir(1, year=85, month=20), BORN, True),                       # month unknown
    (make_nir(1, year=85, month=35), BORN, True),
    (make_nir(1, year=85, month=42), BORN, True),
    (make_nir(1, year=85, month=62), BORN, True),
    (make_nir(1, year=5, month=1), datetime.date(2005, 1, 31), True),   # year 2005 → "05"
    (make_nir(1, year=5, month=1), datetime.date(1905, 1, 31), True),   # two digits only: century unknown
    (make_nir(1, year=85, month=6), None, True),                        # no birth date: nothing to compare
])
def test_nir_agrees_with_birth_year_and_month(nir, born, ok):
    assert (nir_birth_date_error(nir, born) is None) is ok


def test_nir_birth_date_disagreement_is_a_field_error(world):
    with pytest.raises(ValidationError) as exc:
        create(world.partner_a, nir=make_nir(1, year=85, month=7))
    assert exc.value.message_dict["nir"] == [
        "The NIR says born in month 07, but the birth date is in month 06."]


def test_corsican_nir_is_accepted(world):
    # stdnum.fr.nir sample: born in Haute-Corse (2B) in July 1953.
    e = create(world.partner_a, nir="2 53 07 2B 073 004 70", birth_date=datetime.date(1953, 7, 14))
    assert e.nir == "253072B07300470"


def test_an_older_record_with_a_disagreeing_nir_can_still_be_edited(world):
    legacy = entrepreneur_in(world.partner_a, nir=make_nir(3, year=70, month=1), birth_date=BORN)
    with scope(workspace=world.partner_a):
        entrepreneur_update(actor=None, entrepreneur=legacy, phone="04 00 00 00 00")
        with pytest.raises(ValidationError):
            entrepreneur_update(actor=None, entrepreneur=legacy, birth_date=datetime.date(1985, 7, 1))


def test_edit_form_keeps_the_nir_when_left_empty_and_can_remove_it(world):
    e = create(world.partner_a)
    client = login(world.users["partner_a"])
    url = reverse("entrepreneur_edit", args=["cae-a", e.pk])
    page = client.get(url).content.decode()
    assert NIR not in page and e.nir_masked in page  # the form is never pre-filled with the NIR
    assert client.post(url, form_data(nir="", phone="0600000000")).status_code == 302
    e.refresh_from_db()
    assert (e.nir, e.phone) == (NIR, "0600000000")
    assert client.post(url, form_data(nir="", clear_nir="on")).status_code == 302
    e.refresh_from_db()
    assert e.nir == ""


# --- the NIR is masked, revealed on request, and never audited in clear ---------------------

def test_nir_is_masked_on_list_detail_and_edit_pages(world):
    e = create(world.partner_a)
    client = login(world.users["partner_a"])
    for url in (reverse("entrepreneurs", args=["cae-a"]), reverse("entrepreneur_detail", args=["cae-a", e.pk]),
                reverse("entrepreneur_edit", args=["cae-a", e.pk])):
        page = client.get(url).content.decode()
        assert NIR not in page and NIR[1:13] not in page
        assert e.nir_masked in page


def test_manager_reveals_the_nir_and_the_reveal_is_audited(world):
    e = create(world.partner_a)
    client = login(world.users["partner_a"])
    detail = client.get(reverse("entrepreneur_detail", args=["cae-a", e.pk])).content.decode()
    reveal_url = reverse("entrepreneur_nir_reveal", args=["cae-a", e.pk])
    assert f'hx-post="{reveal_url}"' in detail
    response = client.post(reveal_url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert NIR in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    [entry] = audit("entrepreneur.nir_reveal")
    assert entry.actor == world.users["partner_a"] and entry.object_id == str(e.pk)
    assert entry.changes == {"field": "nir"}


@pytest.mark.parametrize(("who", "allowed"), [
    ("host_admin", True), ("payroll_officer", True), ("training_officer", False), ("alumni_officer", False),
])
def test_reveal_rights_of_staff_roles(world, who, allowed):
    e = create(world.partner_a)
    client = login(member(world.host, who))
    response = client.post(reverse("entrepreneur_nir_reveal", args=["cae-a", e.pk]))
    assert response.status_code == (200 if allowed else 403)
    assert (NIR in response.content.decode()) is allowed
    assert len(audit("entrepreneur.nir_reveal")) == (1 if allowed else 0)


def test_viewer_cannot_reveal_and_sees_no_button(world):
    e = create(world.partner_a)
    client = login(member(world.partner_a, "viewer"))
    reveal_url = reverse("entrepreneur_nir_reveal", args=["cae-a", e.pk])
    assert reveal_url not in client.get(reverse("entrepreneur_detail", args=["cae-a", e.pk])).content.decode()
    assert client.post(reveal_url).status_code == 403
    assert audit("entrepreneur.nir_reveal") == []


def test_nothing_to_reveal_without_a_nir(world):
    e = create(world.partner_a, nir="")
    assert login(world.users["partner_a"]).post(
        reverse("entrepreneur_nir_reveal", args=["cae-a", e.pk])).status_code == 404
    assert audit("entrepreneur.nir_reveal") == []


def test_reveal_is_post_only(world):
    e = create(world.partner_a)
    response = login(world.users["partner_a"]).get(reverse("entrepreneur_nir_reveal", args=["cae-a", e.pk]))
    assert response.status_code == 405
    assert audit("entrepreneur.nir_reveal") == []


def test_personal_id_reveal_checks_the_right_itself(world):
    e = create(world.partner_a)
    viewer = member(world.partner_a, "viewer")
    with pytest.raises(PermissionDenied):
        personal_id_reveal(actor=resolve_actor(viewer, "cae-a"), obj=e, field="nir", action="entrepreneur.nir_reveal")
    with pytest.raises(ValueError):
        personal_id_reveal(actor=resolve_actor(world.users["partner_a"], "cae-a"), obj=e, field="last_name",
                           action="entrepreneur.name_reveal")


def test_audit_trail_never_holds_a_nir(world):
    client = login(world.users["partner_a"])
    client.post(reverse("entrepreneur_create", args=["cae-a"]), form_data())
    with scopes_disabled():
        e = Entrepreneur.objects.get(matricule="E-001")
    new_nir = make_nir(77, year=85, month=6)
    client.post(reverse("entrepreneur_edit", args=["cae-a", e.pk]), form_data(nir=new_nir))
    client.post(reverse("entrepreneur_nir_reveal", args=["cae-a", e.pk]))
    client.post(reverse("entrepreneur_edit", args=["cae-a", e.pk]), form_data(nir="", clear_nir="on"))
    entries = audit()
    assert [x.action for x in entries] == ["entrepreneur.create", "entrepreneur.update", "entrepreneur.nir_reveal",
                                           "entrepreneur.update"]
    assert entries[0].changes["nir"] == "changed" and entries[0].changes["last_name"] == [None, "Lefèvre"]
    assert entries[1].changes == {"nir": "changed"}
    assert entries[3].changes == {"nir": "changed"}
    dumped = json.dumps([x.changes for x in entries]) + "".join(x.object_repr for x in entries)
    for value in (NIR, new_nir, NIR[:13], new_nir[:13]):
        assert value not in dumped


def test_redact_personal_ids_covers_iban_too():
    assert redact_personal_ids({"iban": ["FR76…", "DE89…"], "nir": ["1", "2"], "phone": ["a", "b"]}) == {
        "iban": "changed", "nir": "changed", "phone": ["a", "b"]}
