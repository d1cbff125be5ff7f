"""Workspaces in the staff area: list, create, edit, (de)activate — and the identity rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from backoffice.models import AuditEntry, Workspace
from backoffice.services.workspaces import (
    vat_siren_error,
    workspace_create,
    workspace_set_active,
    workspace_update,
)
from tests.conftest import login
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory, make_siren, make_siret


def fr_vat(siren: str) -> str:
    """FR + key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97 (impots.gouv.fr)."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def staff_member(world, role: str):
    return MembershipFactory(workspace=world.host, role=role, user=UserFactory()).user


def entries(action: str):
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action=action).order_by("id"))


def create_data(**overrides):
    siren = make_siren(424242)
    data = {"kind": "partner", "slug": "cae-new", "name": "CAE Nouvelle", "siren": siren,
            "siret": make_siret(siren), "vat_number": fr_vat(siren)}
    data.update(overrides)
    return data


def test_fr_vat_helper_matches_stdnum_sample():
    # stdnum.fr.siren: to_tva('443 121 975') == '46 443 121 975'
    assert fr_vat("443121975") == "FR46443121975"


# --- the list -------------------------------------------------------------------------------

def test_staff_list_searches_by_name_and_filters_by_kind(world):
    client = login(world.users["staff"])
    names = lambda r: [ws.name for ws in r.context["page"].object_list]  # noqa: E731
    assert set(names(client.get(reverse("staff:workspaces")))) == {"Coopérative Mutualise", "CAE A", "CAE B", "SCOP C"}
    assert names(client.get(reverse("staff:workspaces"), {"q": "cae a"})) == ["CAE A"]
    assert names(client.get(reverse("staff:workspaces"), {"q": world.partner_b.siren})) == ["CAE B"]
    assert names(client.get(reverse("staff:workspaces"), {"kind": "alumni"})) == ["SCOP C"]


def test_any_staff_reads_the_list_but_only_workspace_managers_create(world):
    client = login(staff_member(world, "payroll_officer"))
    response = client.get(reverse("staff:workspaces"))
    assert response.status_code == 200
    assert reverse("staff:workspace_create") not in response.content.decode()
    assert client.get(reverse("staff:workspace_create")).status_code == 403
    assert client.get(reverse("staff:workspace_edit", args=["cae-a"])).status_code == 403
    assert client.post(reverse("staff:workspace_set_active", args=["cae-a"]), {"active": "0"}).status_code == 403


def test_client_users_never_reach_the_staff_workspace_pages(world):
    client = login(world.users["partner_a"])
    assert client.get(reverse("staff:workspaces")).status_code == 404


# --- creating -------------------------------------------------------------------------------

def test_create_partner_through_the_form_compacts_identifiers_and_is_audited(world):
    client = login(world.users["staff"])
    siren = make_siren(87654321)
    response = client.post(reverse("staff:workspace_create"), {
        "kind": "partner", "slug": "cae-z", "name": "CAE Z", "siren": f"{siren[:3]} {siren[3:6]} {siren[6:]}",
        "siret": make_siret(siren), "vat_number": fr_vat(siren)[:4] + " " + fr_vat(siren)[4:], "city": "Lyon",
    })
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("workspace_home", args=["cae-z"])
    workspace = Workspace.objects.get(slug="cae-z")
    assert (workspace.kind, workspace.siren, workspace.vat_number) == ("partner", siren, fr_vat(siren))
    [entry] = entries("workspace.create")
    assert entry.workspace_id == workspace.pk and entry.actor == world.users["staff"]
    assert entry.changes["siren"] == [None, siren] and entry.changes["kind"] == [None, "partner"]


def test_create_alumni_company_with_its_origin_cae(world):
    workspace = workspace_create(actor=world.users["staff"], **create_data(kind="alumni", origin=world.partner_b))
    assert workspace.origin == world.partner_b


def test_form_shows_the_service_error_on_its_field(world):
    client = login(world.users["staff"])
    siren = make_siren(778)
    response = client.post(reverse("staff:workspace_create"), {
        "kind": "partner", "slug": "cae-y", "name": "CAE Y", "siren": siren, "siret": make_siret(make_siren(779)),
    })
    assert response.status_code == 200
    assert "The SIRET must start with the SIREN." in response.context["form"].errors["siret"]
    assert not Workspace.objects.filter(slug="cae-y").exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"siren": "404833047"}, "siren"),                                    # Luhn key wrong
    ({"siret": make_siret(make_siren(1))}, "siret"),                      # SIRET = SIREN + NIC (INSEE)
    ({"siret": "73282932000079"}, "siret"),                               # invalid SIRET
    ({"vat_number": fr_vat(make_siren(12345678))}, "vat_number"),           # valid VAT of another SIREN
    ({"vat_number": "FR00" + make_siren(424242)}, "vat_number"),          # right SIREN, wrong key
    ({"vat_number": "DE136695976"}, "vat_number"),                        # valid, but not French
    ({"kind": "alumni"}, "origin"),                                       # alumni company needs its CAE
    ({"kind": "host"}, "kind"),                                           # the single host exists from set-up
    ({"slug": "cae-a"}, "slug"),                                          # short names are unique
])
def test_create_refuses_bad_identity(world, overrides, field):
    with pytest.raises(ValidationError) as exc:
        workspace_create(actor=world.users["staff"], **create_data(**overrides))
    assert field in exc.value.message_dict
    assert not Workspace.objects.filter(slug="cae-new").exists()


def test_origin_must_be_a_cae_not_an_alumni_company(world):
    with pytest.raises(ValidationError) as exc:
        workspace_create(actor=world.users["staff"], **create_data(kind="alumni", origin=world.alumni_c))
    assert exc.value.message_dict["origin"] == ["The origin must be a CAE, not an alumni company."]


def test_partner_cannot_have_an_origin(world):
    with pytest.raises(ValidationError) as exc:
        workspace_create(actor=world.users["staff"], **create_data(origin=world.partner_a))
    assert "origin" in exc.value.message_dict


def test_vat_siren_error_messages():
    siren = make_siren(424242)
    assert vat_siren_error(fr_vat(siren), siren) is None
    assert vat_siren_error(fr_vat(make_siren(12345678)), siren) == (
        f"This VAT number belongs to SIREN {make_siren(12345678)}, not to {siren}.")
    assert vat_siren_error("DE136695976", siren) == "A French company's VAT number starts with FR."


# --- editing, deactivating ------------------------------------------------------------------

def test_update_is_audited_with_the_changed_fields_only(world):
    staff = world.users["staff"]
    old_name = world.partner_a.name
    workspace_update(actor=staff, workspace=world.partner_a, name="CAE A renamed", city="Lyon", trade="Conseil")
    [entry] = entries("workspace.update")
    assert entry.changes == {"name": [old_name, "CAE A renamed"], "trade": ["", "Conseil"]}
    workspace_update(actor=staff, workspace=world.partner_a, name="CAE A renamed")
    assert len(entries("workspace.update")) == 1  # nothing changed, nothing written


def test_refused_update_leaves_the_object_as_stored(world):
    with pytest.raises(ValidationError):
        workspace_update(actor=world.users["staff"], workspace=world.partner_a, name="X", siren="404833047")
    assert world.partner_a.name == "CAE A"
    world.partner_a.refresh_from_db()
    assert world.partner_a.name == "CAE A"


def test_edit_page_saves_identity(world):
    client = login(world.users["staff"])
    url = reverse("staff:workspace_edit", args=["cae-b"])
    form = client.get(url).context["form"]
    data = {k: (v.pk if isinstance(v, Workspace) else v or "") for k, v in form.initial.items()}
    data.update(name="Bâtisseurs", email="contact@cae-b.test")
    response = client.post(url, data)
    assert response.status_code == 302
    world.partner_b.refresh_from_db()
    assert (world.partner_b.name, world.partner_b.email) == ("Bâtisseurs", "contact@cae-b.test")


def test_deactivation_locks_client_users_out_but_not_staff(world):
    staff = login(world.users["staff"])
    partner = login(world.users["partner_a"])
    home = reverse("workspace_home", args=["cae-a"])
    assert partner.get(home).status_code == 200
    response = staff.post(reverse("staff:workspace_set_active", args=["cae-a"]), {"active": "0"})
    assert response.status_code == 302
    assert partner.get(home).status_code == 404
    assert staff.get(home).status_code == 200
    assert [e.changes for e in entries("workspace.deactivate")] == [{"is_active": [True, False]}]
    staff.post(reverse("staff:workspace_set_active", args=["cae-a"]), {"active": "1"})
    assert partner.get(home).status_code == 200
    assert len(entries("workspace.reactivate")) == 1


def test_host_cannot_be_deactivated(world):
    with pytest.raises(ValidationError):
        workspace_set_active(actor=world.users["staff"], workspace=world.host, active=False)
    world.host.refresh_from_db()
    assert world.host.is_active


def test_workspace_home_shows_the_staff_panel_to_staff_only(world):
    edit_url = reverse("staff:workspace_edit", args=["cae-a"])
    assert edit_url in login(world.users["staff"]).get(reverse("workspace_home", args=["cae-a"])).content.decode()
    assert edit_url not in login(world.users["partner_a"]).get(reverse("workspace_home", args=["cae-a"])).content.decode()


def test_setup_host_creates_the_host_once_and_invites_its_first_administrator(db):
    from django.core import mail
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django_scopes import scopes_disabled

    from backoffice.models import Membership, Workspace

    args = ["--name", "Coopérative X", "--slug", "coop-x", "--admin-first-name", "Ada", "--admin-last-name", "Martin",
            "--base-url", "https://mutualise.example"]
    with pytest.raises(CommandError):  # a SIREN with a wrong Luhn key: nothing is created
        call_command("setup_host", "--siren", "123456788", "--admin-email", "ada@coop-x.fr", *args)
    assert not Workspace.objects.exists()
    call_command("setup_host", "--siren", "732 829 320", "--admin-email", "ada@coop-x.fr", *args)
    host = Workspace.objects.get(kind="host")
    assert (host.slug, host.siren) == ("coop-x", "732829320")
    with scopes_disabled():
        assert Membership.objects.get(workspace=host).role == "host_admin"
    assert mail.outbox and "https://mutualise.example/accounts/invitation/" in mail.outbox[0].body
    # A second run keeps the one host and may invite another administrator.
    call_command("setup_host", "--siren", "732829320", "--admin-email", "bob@coop-x.fr", *args)
    assert Workspace.objects.filter(kind="host").count() == 1
    with scopes_disabled():
        assert Membership.objects.filter(workspace=host, role="host_admin").count() == 2


def test_host_workspace_is_the_one_host_and_its_absence_raises_what_the_caller_asks(db):
    from backoffice.selectors.workspaces import host_workspace
    from invoicing.services.common import InvoicingError, no_issuer

    with pytest.raises(RuntimeError):
        host_workspace()
    with pytest.raises(InvoicingError, match="No host cooperative|Aucune coopérative"):
        host_workspace(missing=no_issuer)
    with scopes_disabled():
        WorkspaceFactory(slug="cae-x", name="CAE X")
        host = WorkspaceFactory(slug="hote", kind="host", name="Hôte")
    assert host_workspace() == host
