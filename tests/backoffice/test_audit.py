"""The audit trail: each dossier and document service writes exactly the expected entry, and
staff read it, filtered and readable, at /staff/audit/."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry, Dossier, DossierStatus
from backoffice.services.documents import document_download, document_upload
from backoffice.services.dossiers import (
    dossier_assign,
    dossier_bulk_assign,
    dossier_comment,
    dossier_open,
    dossier_set_due_date,
    dossier_set_status,
)
from tests.conftest import login
from tests.factories import DocumentFactory, DossierFactory

AUDIT = "/staff/audit/"


@pytest.fixture
def dossier(world):
    with scopes_disabled():
        return DossierFactory(workspace=world.partner_a, title="Payroll May", stage="received")


def entries() -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.order_by("pk"))


def only_new_entry(before: int) -> AuditEntry:
    """The one entry written since `before` entries existed (fails if zero or several)."""
    new = entries()[before:]
    assert len(new) == 1, [(e.action, e.changes) for e in new]
    return new[0]


def test_dossier_open_writes_one_entry(world):
    staff = world.users["staff"]
    with scope(workspace=world.partner_b):
        dossier = dossier_open(actor=staff, workspace=world.partner_b, service="training", kind="funding_request",
                               title="CACES funding")
    entry = only_new_entry(0)
    assert (entry.actor, entry.workspace, entry.action) == (staff, world.partner_b, "dossier.open")
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("backoffice.dossier", str(dossier.pk),
                                                                       "CACES funding")
    assert entry.changes == {"service": "training", "kind": "funding_request"}


@pytest.mark.parametrize(("call", "action", "changes"), [
    (lambda d, u: dossier_set_status(actor=u, dossier=d, status="in_progress"), "dossier.status",
     {"status": ["new", "in_progress"], "stage": ["received", "received"]}),
    (lambda d, u: dossier_set_status(actor=u, dossier=d, status="done", stage="delivered"), "dossier.status",
     {"status": ["new", "done"], "stage": ["received", "delivered"]}),
    (lambda d, u: dossier_assign(actor=u, dossier=d, assignee=u), "dossier.assign",
     {"assignee": [None, "STAFF"]}),
    (lambda d, u: dossier_set_due_date(actor=u, dossier=d, due_date=datetime.date(2026, 5, 31)), "dossier.due_date",
     {"due_date": [None, "2026-05-31"]}),
    (lambda d, u: dossier_comment(actor=u, dossier=d, body="Seen"), "dossier.comment", {"internal": False}),
    (lambda d, u: dossier_comment(actor=u, dossier=d, body="Note", internal=True), "dossier.comment",
     {"internal": True}),
])
def test_each_dossier_service_writes_exactly_the_expected_entry(world, dossier, call, action, changes):
    staff = world.users["staff"]
    before = len(entries())
    with scope(workspace=world.partner_a):
        call(dossier, staff)
    entry = only_new_entry(before)
    expected = {k: [str(staff) if x == "STAFF" else x for x in v] if isinstance(v, list) else v
                for k, v in changes.items()}
    assert entry.actor == staff
    assert entry.workspace == world.partner_a
    assert entry.action == action
    assert (entry.object_type, entry.object_id) == ("backoffice.dossier", str(dossier.pk))
    assert entry.changes == expected


def test_changing_the_assignee_and_due_date_records_old_and_new(world, dossier):
    staff = world.users["staff"]
    with scope(workspace=world.partner_a):
        dossier_assign(actor=staff, dossier=dossier, assignee=staff)
        dossier_set_due_date(actor=staff, dossier=dossier, due_date=datetime.date(2026, 5, 31))
        before = len(entries())
        dossier_assign(actor=staff, dossier=dossier, assignee=None)
        assert only_new_entry(before).changes == {"assignee": [str(staff), None]}
        before = len(entries())
        dossier_set_due_date(actor=staff, dossier=dossier, due_date=None)
        assert only_new_entry(before).changes == {"due_date": ["2026-05-31", None]}


def test_a_change_to_the_same_value_writes_nothing(world, dossier):
    staff = world.users["staff"]
    with scope(workspace=world.partner_a):
        dossier_set_status(actor=staff, dossier=dossier, status="new")
        dossier_set_status(actor=staff, dossier=dossier, status="new", stage="received")
        dossier_assign(actor=staff, dossier=dossier, assignee=None)
        dossier_set_due_date(actor=staff, dossier=dossier, due_date=None)
    assert entries() == []


def test_an_automatic_action_is_recorded_without_actor(world):
    with scope(workspace=world.partner_a):
        dossier_open(actor=None, workspace=world.partner_a, service="payroll", kind="monthly_submission", title="Auto")
    assert only_new_entry(0).actor is None


def test_bulk_assign_writes_one_entry_per_changed_dossier_in_its_workspace(world):
    staff = world.users["staff"]
    with scopes_disabled():
        a = DossierFactory(workspace=world.partner_a)
        b = DossierFactory(workspace=world.partner_b)
        already = DossierFactory(workspace=world.partner_b, assignee=staff)
        chosen = list(Dossier.objects.filter(pk__in=[a.pk, b.pk, already.pk]).select_related("workspace"))
    assert dossier_bulk_assign(actor=staff, dossiers=chosen, assignee=staff) == 2
    made = entries()
    assert sorted((e.workspace_id, e.object_id) for e in made) == sorted(
        [(world.partner_a.pk, str(a.pk)), (world.partner_b.pk, str(b.pk))])
    assert {e.action for e in made} == {"dossier.assign"}


def test_document_upload_and_download_write_one_entry_each(world, dossier):
    manager = world.users["partner_a"]
    with scope(workspace=world.partner_a):
        document = document_upload(actor=manager, workspace=world.partner_a, dossier=dossier,
                                   upload=SimpleUploadedFile("v.pdf", b"%PDF-1.4 x", content_type="application/pdf"))
        upload = only_new_entry(0)
        document_download(actor=manager, document=document).close()
        download = only_new_entry(1)
    assert (upload.action, upload.actor, upload.object_id) == ("document.upload", manager, str(document.pk))
    assert upload.changes == {"size": 10, "dossier": "Payroll May"}
    assert (download.action, download.actor, download.object_type) == ("document.download", manager,
                                                                       "backoffice.document")
    assert download.changes == {}


# --- The staff page ---------------------------------------------------------------------

@pytest.fixture
def trail(world, dossier):
    """Entries in two workspaces, by two people, on two days."""
    staff, manager = world.users["staff"], world.users["partner_a"]
    with scope(workspace=world.partner_a):
        dossier_set_status(actor=staff, dossier=dossier, status=DossierStatus.IN_PROGRESS)
        dossier_comment(actor=manager, dossier=dossier, body="Hi")
    with scopes_disabled():
        other = DossierFactory(workspace=world.partner_b, title="B dossier")
        DocumentFactory(workspace=world.partner_b)
    with scope(workspace=world.partner_b):
        dossier_set_due_date(actor=staff, dossier=other, due_date=datetime.date(2026, 6, 30))
    with scopes_disabled():
        old = AuditEntry.objects.get(action="dossier.comment")
        AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    return {"dossier": dossier, "other": other}


def shown(response) -> list[str]:
    return [e.action for e in response.context["page"].object_list]


def test_audit_page_lists_every_workspace_newest_first(world, trail):
    response = login(world.users["staff"]).get(AUDIT)
    assert response.status_code == 200
    assert shown(response) == ["dossier.due_date", "dossier.status", "dossier.comment"]


@pytest.mark.parametrize(("params", "expected"), [
    ({"workspace": "cae-b"}, ["dossier.due_date"]),
    ({"action": "dossier.status"}, ["dossier.status"]),  # a choice of the registered actions
    ({"actor": "a@example"}, ["dossier.comment"]),
    ({"actor": "staff@"}, ["dossier.due_date", "dossier.status"]),
    ({"object": "b doss"}, ["dossier.due_date"]),
])
def test_audit_page_filters(world, trail, params, expected):
    assert shown(login(world.users["staff"]).get(AUDIT, params)) == expected


def test_audit_page_filters_by_local_day_range(world, trail):
    client = login(world.users["staff"])
    today = timezone.localdate()
    ten_days_ago = today - datetime.timedelta(days=10)
    assert shown(client.get(AUDIT, {"date_to": ten_days_ago.isoformat()})) == ["dossier.comment"]
    assert shown(client.get(AUDIT, {"date_from": today.isoformat()})) == ["dossier.due_date", "dossier.status"]
    assert shown(client.get(AUDIT, {"date_from": ten_days_ago.isoformat(), "date_to": ten_days_ago.isoformat()})) \
        == ["dossier.comment"]


def test_audit_page_shows_changes_readably(world, trail):
    html = login(world.users["staff"]).get(AUDIT).content.decode()
    with translation.override("fr"):
        new, in_progress = str(DossierStatus.NEW.label), str(DossierStatus.IN_PROGRESS.label)
        due = date_format(datetime.date(2026, 6, 30), "SHORT_DATE_FORMAT")
    assert f"{new} → {in_progress}" in html
    assert f"— → {due}" in html
    assert "[&#x27;new&#x27;" not in html and "['new'" not in html  # not the raw JSON


def test_audit_page_pagination_keeps_filters(world, dossier):
    staff = world.users["staff"]
    with scope(workspace=world.partner_a):
        for i in range(105):
            dossier_comment(actor=staff, dossier=dossier, body=f"c{i}")
    response = login(staff).get(AUDIT, {"workspace": "cae-a"})
    html = response.content.decode()
    older = response.context["page"].older
    assert f"?workspace=cae-a&amp;after={older}" in html
    assert "after=" not in response.context["query"]


def test_audit_pages_walk_by_keyset_without_count_or_offset(world, dossier, django_assert_max_num_queries):
    """Keyset pages (backoffice/pagination.py): older and newer pages hold every entry once, in
    order, and no page counts the trail or skips rows with OFFSET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = world.users["staff"]
    with scope(workspace=world.partner_a):
        for i in range(250):
            dossier_comment(actor=staff, dossier=dossier, body=f"c{i}")
    with scopes_disabled():
        expected = list(AuditEntry.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))
    client = login(staff)
    seen, pages, after = [], [], None
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(AUDIT, {"after": after} if after else {})
        sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
        assert "COUNT(" not in sql and "OFFSET" not in sql
        page = response.context["page"]
        pages.append(page)
        seen += [e.pk for e in page.object_list]
        if not page.older:
            break
        after = page.older
    assert seen == expected
    assert len(pages) == 3 and pages[0].newer is None and pages[-1].older is None
    back = client.get(AUDIT, {"before": pages[-1].newer}).context["page"]
    assert [e.pk for e in back.object_list] == [e.pk for e in pages[-2].object_list]
    assert client.get(AUDIT, {"after": "not-a-cursor"}).status_code == 200


def test_a_deep_audit_page_costs_the_queries_of_the_first(world, dossier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = world.users["staff"]
    with scope(workspace=world.partner_a):
        for i in range(120):
            dossier_comment(actor=staff, dossier=dossier, body=f"c{i}")
    client = login(staff)
    with CaptureQueriesContext(connection) as first:
        older = client.get(AUDIT).context["page"].older
    with CaptureQueriesContext(connection) as second:
        client.get(AUDIT, {"after": older})
    assert len(second) == len(first)


def test_audit_page_is_closed_to_clients(world, trail):
    assert login(world.users["partner_a"]).get(AUDIT).status_code == 404
