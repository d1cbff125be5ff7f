"""Alumni companies: one action creates the company from its founders' records; follow-up
tasks land in the staff work queue; the services portal home shows what to do next."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from alumni.models import AlumniCompany, Founder
from backoffice.models import Dossier, Membership, PriceLine, ServiceAgreement, Workspace
from tests.conftest import login
from tests.factories import EntrepreneurFactory, make_siren

D = datetime.date


def test_staff_create_a_company_from_its_founders_records(world):
    with scopes_disabled():
        lea = EntrepreneurFactory(workspace=world.partner_a, matricule="A-001", email="lea@example.test",
                                  exit_date=D(2026, 6, 30), entry_date=D(2022, 1, 1))
        tom = EntrepreneurFactory(workspace=world.partner_a, matricule="A-002", email="tom@example.test")
    client = login(world.users["staff"])
    data = {"origin": "cae-a", "entrepreneurs": "A-001, A-002", "name": "SCOP Bois", "slug": "scop-bois",
            "legal_form": "scop_sarl", "siren": make_siren(77), "declaration_frequency": "yearly",
            "contribution_rate": "1", "agreement_start": "2026-07-01", "invite": "on"}
    bad = client.post(reverse("staff:alumni:company_create"), {**data, "siren": "123456789"})
    assert bad.status_code == 200
    with scopes_disabled():
        assert not Workspace.objects.filter(slug="scop-bois").exists()
    unknown = client.post(reverse("staff:alumni:company_create"), {**data, "entrepreneurs": "A-001, B-999"})
    assert unknown.status_code == 200
    assert unknown.context["form"].errors["entrepreneurs"] == ["Some employee numbers are not entrepreneurs of CAE A."]
    with scopes_disabled():
        assert not Workspace.objects.filter(slug="scop-bois").exists()
    response = client.post(reverse("staff:alumni:company_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        ws = Workspace.objects.get(slug="scop-bois")
        assert ws.origin == world.partner_a and ws.kind == "alumni"
        company = AlumniCompany.objects.get(workspace=ws)
        assert {f.entrepreneur_id for f in Founder.objects.filter(company=company)} == {lea.pk, tom.pk}
        line = PriceLine.objects.get(workspace=ws)
        assert (line.kind, line.usage_kind, line.rate) == ("percentage", "declared_revenue", Decimal("1.000"))
        assert ServiceAgreement.objects.get(workspace=ws).service == "alumni"
        assert Membership.objects.filter(workspace=ws, role="manager").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@example.test", "tom@example.test"]
    page = client.get(reverse("alumni_company", args=["scop-bois"])).content.decode()
    assert "left the CAE on" in page
    # The other side: the entrepreneur's page in the origin CAE, as its manager sees it.
    cae_side = login(world.users["partner_a"])
    lea_page = cae_side.get(reverse("entrepreneur_detail", args=["cae-a", lea.pk])).content.decode()
    assert "Left to found" in lea_page and "SCOP Bois (alumni company), on 30/06/2026" in lea_page
    tom_page = cae_side.get(reverse("entrepreneur_detail", args=["cae-a", tom.pk])).content.decode()
    assert "SCOP Bois (alumni company), on" in tom_page          # no exit date yet: the founding's date
    with scopes_disabled():
        other = EntrepreneurFactory(workspace=world.partner_a, matricule="A-003")
    assert "Left to found" not in cae_side.get(reverse("entrepreneur_detail", args=["cae-a", other.pk])).content.decode()


def test_follow_up_task_shows_in_the_work_queue(world, company):
    client = login(world.users["staff"])
    client.post(reverse("alumni_task_add", args=["scop-c"]), {"title": "Appeler pour le bilan", "due_date": "2026-12-15"})
    with scopes_disabled():
        task = Dossier.objects.get(workspace=world.alumni_c, kind="alumni_followup")
    assert task.due_date == D(2026, 12, 15)
    assert "Appeler pour le bilan" in client.get(reverse("staff:queue")).content.decode()
    assert login(world.users["alumni"]).post(reverse("alumni_task_add", args=["scop-c"]),
                                             {"title": "x"}).status_code == 403


def test_portal_home_guides_the_company_and_a_service_request_opens_a_dossier(world, company):
    client = login(world.users["alumni"])
    home = client.get(reverse("alumni_home", args=["scop-c"]))
    assert home.status_code == 200
    html = home.content.decode()
    assert reverse("alumni_declare", args=["scop-c"]) in html and "No revenue declared yet." in html
    response = client.post(reverse("alumni_service_request", args=["scop-c"]),
                           {"request_kind": "accounting", "message": "Aide pour la clôture"})
    assert response.status_code == 302
    with scopes_disabled():
        dossier = Dossier.objects.get(workspace=world.alumni_c, kind="alumni_service_request")
    assert dossier.title == "Service request: Accounting"


def test_portal_home_keeps_a_constant_query_count(world, company, django_assert_max_num_queries):
    client = login(world.users["alumni"])
    client.get(reverse("alumni_home", args=["scop-c"]))
    with django_assert_max_num_queries(40):
        assert client.get(reverse("alumni_home", args=["scop-c"])).status_code == 200
