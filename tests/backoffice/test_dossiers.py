"""A dossier's page: timeline, staff-only notes, who may do what, the status workflow."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry, Document, Dossier, DossierComment, DossierStatus
from backoffice.services.dossiers import (
    NotHostStaff,
    dossier_assign,
    dossier_comment,
    dossier_open,
    dossier_set_status,
)
from tests.conftest import login
from tests.factories import (
    DocumentFactory,
    DossierFactory,
    EntrepreneurFactory,
    MembershipFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n% test\n"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def url(name: str, dossier: Dossier) -> str:
    return reverse(name, kwargs={"workspace": dossier.workspace.slug, "pk": dossier.pk})


@pytest.fixture
def dossier(world):
    with scope(workspace=world.partner_a):
        return dossier_open(actor=world.users["staff"], workspace=world.partner_a, service="payroll",
                            kind="monthly_submission", title="Payroll March", stage="received")


@pytest.fixture
def viewer(world):
    with scopes_disabled():
        return MembershipFactory(workspace=world.partner_a, role="viewer",
                                 user=UserFactory(email="viewer@example.test")).user


def reload(obj):
    with scopes_disabled():
        obj.refresh_from_db()
    return obj


def test_timeline_lists_comments_and_changes_in_order(world, dossier):
    staff, manager = world.users["staff"], world.users["partner_a"]
    with scope(workspace=world.partner_a):
        dossier_comment(actor=manager, dossier=dossier, body="Here are the March variables.")
        dossier_set_status(actor=staff, dossier=dossier, status=DossierStatus.IN_PROGRESS, stage="checked")
        dossier_comment(actor=staff, dossier=dossier, body="Checked, computing now.")
    response = login(staff).get(url("dossier_detail", dossier))
    timeline = response.context["timeline"]
    assert [item.action or "comment" for item in timeline] == ["dossier.open", "comment", "dossier.status", "comment"]
    assert timeline[1].comment.body == "Here are the March variables."
    with translation.override("fr"):
        expected = (str(DossierStatus.NEW.label), str(DossierStatus.IN_PROGRESS.label))
    status_line = next(line for line in timeline[2].changes if line.old == expected[0])
    assert status_line.new == expected[1]
    html = response.content.decode()
    assert html.index("Here are the March variables.") < html.index("Checked, computing now.")


def test_internal_comments_are_hidden_from_clients(world, dossier, viewer):
    with scope(workspace=world.partner_a):
        dossier_comment(actor=world.users["staff"], dossier=dossier, body="SECRET staff note", internal=True)
        dossier_comment(actor=world.users["staff"], dossier=dossier, body="Public answer")
    for user in (world.users["partner_a"], viewer):
        html = login(user).get(url("dossier_detail", dossier)).content.decode()
        assert "Public answer" in html
        assert "SECRET staff note" not in html
    staff_html = login(world.users["staff"]).get(url("dossier_detail", dossier)).content.decode()
    assert "SECRET staff note" in staff_html


def test_a_client_cannot_write_a_staff_only_note(world, dossier):
    client = login(world.users["partner_a"])
    response = client.post(url("dossier_comment", dossier), {"body": "Tick the box", "internal": "on"})
    assert response.status_code == 302
    with scopes_disabled():
        comment = DossierComment.objects.get(dossier=dossier)
    assert comment.internal is False and comment.author == world.users["partner_a"]


def test_staff_can_write_a_staff_only_note(world, dossier):
    login(world.users["staff"]).post(url("dossier_comment", dossier), {"body": "Internal", "internal": "on"})
    with scopes_disabled():
        assert DossierComment.objects.get(dossier=dossier).internal is True


def test_an_empty_comment_is_refused(world, dossier):
    login(world.users["partner_a"]).post(url("dossier_comment", dossier), {"body": "   "})
    with scopes_disabled():
        assert not DossierComment.objects.filter(dossier=dossier).exists()


def test_the_client_manager_may_comment_and_attach(world, dossier):
    client = login(world.users["partner_a"])
    assert client.post(url("dossier_comment", dossier), {"body": "Hello"}).status_code == 302
    upload = {"file": _pdf("variables.pdf"), "title": "Variables"}
    assert client.post(url("dossier_attach", dossier), upload).status_code == 302
    with scopes_disabled():
        assert DossierComment.objects.filter(dossier=dossier).count() == 1
        document = Document.objects.get(dossier=dossier)
    assert document.workspace == world.partner_a and document.title == "Variables" and not document.internal


@pytest.mark.parametrize("action", [
    {"action": "status", "status": "done"},
    {"action": "assign", "assignee": "SELF"},
    {"action": "due_date", "due_date": "2030-01-31"},
])
def test_the_client_manager_cannot_change_status_assignee_or_due_date(world, dossier, action):
    """roles.py: DOSSIER_MANAGE is a host staff permission; a client gets 403."""
    data = {k: (world.users["partner_a"].pk if v == "SELF" else v) for k, v in action.items()}
    response = login(world.users["partner_a"]).post(url("dossier_update", dossier), data)
    assert response.status_code == 403
    reload(dossier)
    assert (dossier.status, dossier.assignee, dossier.due_date) == ("new", None, None)
    with scopes_disabled():
        assert list(AuditEntry.objects.values_list("action", flat=True)) == ["dossier.open"]


def test_the_client_page_has_no_staff_forms(world, dossier):
    response = login(world.users["partner_a"]).get(url("dossier_detail", dossier))
    assert "status_form" not in response.context
    assert url("dossier_update", dossier) not in response.content.decode()


def test_a_viewer_may_only_read(world, dossier, viewer):
    client = login(viewer)
    response = client.get(url("dossier_detail", dossier))
    assert response.status_code == 200
    assert response.context["comment_form"] is None and response.context["upload_form"] is None
    assert client.post(url("dossier_comment", dossier), {"body": "Hi"}).status_code == 403
    assert client.post(url("dossier_attach", dossier), {"file": _pdf("a.pdf")}).status_code == 403
    assert client.post(url("dossier_update", dossier), {"action": "status", "status": "done"}).status_code == 403
    with scopes_disabled():
        assert not DossierComment.objects.exists() and not Document.objects.exists()


def test_the_partner_sees_its_dossier_status_and_stage(world, dossier):
    with scope(workspace=world.partner_a):
        dossier_set_status(actor=world.users["staff"], dossier=dossier, status=DossierStatus.WAITING_CLIENT,
                           stage="computed")
    html = login(world.users["partner_a"]).get(url("dossier_detail", dossier)).content.decode()
    with translation.override("fr"):
        label = str(DossierStatus.WAITING_CLIENT.label)
    assert label in html and "computed" in html
    list_html = login(world.users["partner_a"]).get(reverse("dossiers", args=["cae-a"])).content.decode()
    assert "Payroll March" in list_html and "computed" in list_html


def test_staff_update_forms_change_the_dossier(world, dossier):
    client = login(world.users["staff"])
    client.post(url("dossier_update", dossier), {"action": "status", "status": "in_progress"})
    client.post(url("dossier_update", dossier), {"action": "assign", "assignee": world.users["staff"].pk})
    client.post(url("dossier_update", dossier), {"action": "due_date", "due_date": "2030-01-31"})
    reload(dossier)
    assert dossier.status == "in_progress"
    assert dossier.assignee == world.users["staff"]
    assert dossier.due_date == datetime.date(2030, 1, 31)


def test_staff_cannot_assign_a_dossier_to_a_client_user(world, dossier):
    response = login(world.users["staff"]).post(url("dossier_update", dossier),
                                                {"action": "assign", "assignee": world.users["partner_a"].pk})
    assert response.status_code == 302
    assert reload(dossier).assignee is None
    with scope(workspace=world.partner_a), pytest.raises(NotHostStaff):
        dossier_assign(actor=world.users["staff"], dossier=dossier, assignee=world.users["partner_a"])


def test_closing_sets_closed_at_and_reopening_clears_it(world, dossier):
    staff = world.users["staff"]
    with scope(workspace=world.partner_a):
        dossier_set_status(actor=staff, dossier=dossier, status=DossierStatus.DONE)
        closed_at = reload(dossier).closed_at
        assert closed_at is not None
        # Done → cancelled: still closed, closing date kept.
        dossier_set_status(actor=staff, dossier=dossier, status=DossierStatus.CANCELLED)
        assert reload(dossier).closed_at == closed_at
        dossier_set_status(actor=staff, dossier=dossier, status=DossierStatus.IN_PROGRESS)
        assert reload(dossier).closed_at is None
        assert reload(dossier).is_open


def test_an_unknown_status_is_refused(world, dossier):
    with scope(workspace=world.partner_a), pytest.raises(ValueError):
        dossier_set_status(actor=world.users["staff"], dossier=dossier, status="lost")


def test_dossier_open_is_idempotent_per_subject(world):
    with scope(workspace=world.partner_a):
        person = EntrepreneurFactory(workspace=world.partner_a)
        first = dossier_open(actor=None, workspace=world.partner_a, service="training", kind="funding_request",
                             title="Funding", subject=person)
        again = dossier_open(actor=None, workspace=world.partner_a, service="training", kind="funding_request",
                             title="Funding (again)", subject=person)
        assert again.pk == first.pk and first.subject == person
        assert AuditEntry.objects.filter(action="dossier.open").count() == 1


def test_workspace_dossier_list_is_paginated_with_its_own_dossiers_only(world):
    with scopes_disabled():
        for i in range(55):
            DossierFactory(workspace=world.partner_a, title=f"A-{i:02d}")
        DossierFactory(workspace=world.partner_b, title="B-only")
    client = login(world.users["partner_a"])
    first = client.get(reverse("dossiers", args=["cae-a"]))
    assert first.context["page"].paginator.count == 55
    second = client.get(reverse("dossiers", args=["cae-a"]), {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert "B-only" not in first.content.decode() + second.content.decode()


def test_dossier_page_queries_do_not_grow_with_its_history(world, dossier):
    """The timeline and the file list load in a fixed number of queries (2 vs 20 comments)."""
    staff = world.users["staff"]
    client = login(staff)

    def add(n):
        with scope(workspace=world.partner_a):
            for i in range(n):
                dossier_comment(actor=staff if i % 2 else world.users["partner_a"], dossier=dossier, body=f"c{i}")
                dossier_set_status(actor=staff, dossier=dossier, status="in_progress" if i % 2 else "waiting_client")
                DocumentFactory(workspace=world.partner_a, dossier=dossier, uploaded_by=staff)

    add(2)
    client.get(url("dossier_detail", dossier))
    with CaptureQueriesContext(connection) as few:
        client.get(url("dossier_detail", dossier))
    add(18)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("dossier_detail", dossier))
    assert len(response.context["timeline"]) == 1 + 20 + 20
    assert len(many) == len(few)


def test_workspace_home_queries_do_not_grow_with_open_dossiers(world):
    """The home lists up to ten open dossiers, each linking by its workspace's slug: one query
    for all of them, not one per dossier."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["partner_a"])
    home = reverse("workspace_home", kwargs={"workspace": "cae-a"})
    with scope(workspace=world.partner_a):
        DossierFactory(workspace=world.partner_a)
    with CaptureQueriesContext(connection) as one:
        assert client.get(home).status_code == 200
    with scope(workspace=world.partner_a):
        for _ in range(8):
            DossierFactory(workspace=world.partner_a)
    with CaptureQueriesContext(connection) as nine:
        assert client.get(home).status_code == 200
    assert len(nine) == len(one)
