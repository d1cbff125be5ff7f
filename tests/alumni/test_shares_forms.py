"""The register's small forms: settings, college, associate (the services decide, the forms show)."""

from __future__ import annotations

from django_scopes import scopes_disabled

from alumni.models import College, ShareHolder, ShareIssuer


def test_set_up_a_scic_register_with_a_college_and_an_associate(world, clients):
    client = clients["partner_a"]
    bad = client.post("/w/cae-a/alumni/shares/settings/", {
        "legal_form": "scic_sas", "created_on": "2020-01-01", "initial_nominal": "20", "minimum_subscription": "1",
        "unpaid_deadline_years": "6", "future_days_allowed": "0"})
    assert bad.status_code == 200
    with scopes_disabled():
        assert not ShareIssuer.objects.filter(workspace=world.partner_a).exists()
    ok = client.post("/w/cae-a/alumni/shares/settings/", {
        "legal_form": "scic_sas", "created_on": "2020-01-01", "initial_nominal": "20", "minimum_subscription": "1",
        "unpaid_deadline_years": "5", "future_days_allowed": "0"})
    assert ok.status_code == 302
    assert client.post("/w/cae-a/alumni/shares/colleges/new/", {"name": "Salariés", "weight": "50"}).status_code == 302
    with scopes_disabled():
        college = College.objects.get(issuer__workspace=world.partner_a)
    response = client.post("/w/cae-a/alumni/shares/holders/new/", {
        "category": "employee", "name": "Camille", "college": college.pk})
    assert response.status_code == 302
    missing = client.post("/w/cae-a/alumni/shares/holders/new/", {"category": "employee", "name": "Dominique"})
    assert missing.status_code == 200  # a SCIC with colleges: every associate has one
    itself = client.post("/w/cae-a/alumni/shares/holders/new/", {
        "category": "coop_outside", "holder_workspace": world.partner_a.pk, "college": college.pk})
    assert itself.status_code == 200  # not in the choices: a company is not its own associate
    with scopes_disabled():
        assert list(ShareHolder.objects.filter(issuer__workspace=world.partner_a).values_list("name", flat=True)) \
            == ["Camille"]


def test_viewer_cannot_write(world):
    from tests.conftest import login
    from tests.factories import MembershipFactory, UserFactory

    with scopes_disabled():
        viewer = MembershipFactory(workspace=world.partner_a, role="viewer", user=UserFactory(email="v@example.test")).user
    client = login(viewer)
    assert client.get("/w/cae-a/alumni/shares/").status_code == 200
    assert client.get("/w/cae-a/alumni/shares/settings/").status_code == 403
