"""The staff work queue: filters, order, counts, pagination, quick and bulk actions, query
counts, and the overdue reminder e-mail."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry, Dossier, DossierStatus
from backoffice.services.dossiers import dossier_comment
from backoffice.services.reminders import overdue_reminders_send
from tests.conftest import login
from tests.factories import DocumentFactory, DossierFactory, MembershipFactory, UserFactory

QUEUE = "/staff/queue/"


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def titles(response) -> list[str]:
    return [d.title for d in response.context["page"].object_list]


@pytest.fixture
def officer(world):
    """A second host staff member (payroll officer), to assign dossiers to."""
    with scopes_disabled():
        return MembershipFactory(workspace=world.host, role="payroll_officer",
                                 user=UserFactory(email="paie@example.test", last_name="Officer")).user


@pytest.fixture
def staff(world):
    return login(world.users["staff"])


@pytest.fixture
def queue_world(world, officer):
    """A small queue across two workspaces: overdue, due soon, no date, closed, assigned."""
    me = world.users["staff"]
    with scopes_disabled():
        made = {
            "late": DossierFactory(workspace=world.partner_a, title="Late payroll", due_date=days(-5), assignee=me),
            "later": DossierFactory(workspace=world.partner_b, title="Less late funding", service="training",
                                    due_date=days(-1), status=DossierStatus.IN_PROGRESS),
            "soon": DossierFactory(workspace=world.partner_b, title="Soon payroll", due_date=days(3),
                                   assignee=officer, status=DossierStatus.WAITING_CLIENT),
            "far": DossierFactory(workspace=world.alumni_c, title="Alumni follow-up", service="alumni",
                                  due_date=days(30)),
            "undated": DossierFactory(workspace=world.partner_a, title="Undated request"),
            "closed": DossierFactory(workspace=world.partner_a, title="Closed long ago", due_date=days(-60),
                                     status=DossierStatus.DONE, closed_at=timezone.now()),
        }
    return made


def test_queue_shows_open_dossiers_overdue_first_then_by_due_date(queue_world, staff):
    response = staff.get(QUEUE)
    assert response.status_code == 200
    # Closed dossiers are left out by default; undated ones come last.
    assert titles(response) == ["Late payroll", "Less late funding", "Soon payroll", "Alumni follow-up",
                                "Undated request"]
    rows = response.content.decode()
    assert rows.index("Late payroll") < rows.index("Soon payroll")
    assert 'class="overdue"' in rows


def test_queue_with_closed_dossiers_still_puts_overdue_first(queue_world, staff):
    """A closed dossier with a past due date is not overdue: it must not jump ahead."""
    response = staff.get(QUEUE, {"state": "all"})
    names = titles(response)
    assert names[:2] == ["Late payroll", "Less late funding"]
    assert names.index("Closed long ago") > names.index("Less late funding")
    assert len(names) == 6


@pytest.mark.parametrize(("params", "expected"), [
    ({"workspace": "cae-a"}, {"Late payroll", "Undated request"}),
    ({"service": "training"}, {"Less late funding"}),
    ({"status": "waiting_client"}, {"Soon payroll"}),
    ({"assignee": "me"}, {"Late payroll"}),
    ({"assignee": "none"}, {"Less late funding", "Alumni follow-up", "Undated request"}),
    ({"state": "overdue"}, {"Late payroll", "Less late funding"}),
    ({"state": "closed"}, {"Closed long ago"}),
    ({"q": "PAYROLL"}, {"Late payroll", "Soon payroll"}),
    ({"q": "scop c"}, {"Alumni follow-up"}),                       # the workspace's name
    ({"workspace": "cae-a", "state": "all"}, {"Late payroll", "Undated request", "Closed long ago"}),
])
def test_queue_filters(queue_world, staff, params, expected):
    response = staff.get(QUEUE, params)
    assert response.status_code == 200
    assert set(titles(response)) == expected


def test_queue_filters_by_assignee_and_due_date_range(queue_world, staff, officer):
    assert set(titles(staff.get(QUEUE, {"assignee": officer.pk}))) == {"Soon payroll"}
    response = staff.get(QUEUE, {"due_from": days(-1).isoformat(), "due_to": days(3).isoformat()})
    assert set(titles(response)) == {"Less late funding", "Soon payroll"}


def test_queue_ignores_a_filter_value_that_is_not_valid(queue_world, staff):
    response = staff.get(QUEUE, {"workspace": "no-such-workspace", "assignee": "999999", "sort": "password"})
    assert response.status_code == 200
    assert len(titles(response)) == 5


def test_queue_counts_follow_the_filters(queue_world, staff):
    counts = staff.get(QUEUE).context["counts"]
    assert counts == {"total": 5, "overdue": 2, "unassigned": 3, "mine": 1}
    counts = staff.get(QUEUE, {"workspace": "cae-b"}).context["counts"]
    assert counts == {"total": 2, "overdue": 1, "unassigned": 1, "mine": 0}


@pytest.mark.parametrize(("sort", "expected_first"), [
    ("title", "Alumni follow-up"), ("-title", "Undated request"), ("due", "Late payroll"),
    ("-due", "Alumni follow-up"), ("workspace", "Late payroll"), ("-workspace", "Alumni follow-up"),
])
def test_queue_sortable_columns(queue_world, staff, sort, expected_first):
    response = staff.get(QUEUE, {"sort": sort})
    assert titles(response)[0] == expected_first
    # The header link of the active column reverses it and keeps the other filters.
    response = staff.get(QUEUE, {"sort": "title", "workspace": "cae-a"})
    column = next(c for c in response.context["sort_columns"] if c["key"] == "title")
    assert column["active"] == "asc"
    assert "sort=-title" in column["href"] and "workspace=cae-a" in column["href"]


def test_pagination_keeps_the_filters_and_never_repeats_page(world, staff):
    with scopes_disabled():
        for i in range(120):
            DossierFactory(workspace=world.partner_a, title=f"Bulk {i:03d}", due_date=days(i))
    response = staff.get(QUEUE, {"workspace": "cae-a", "service": "payroll", "page": "2"})
    assert response.context["page"].number == 2
    html = response.content.decode()
    links = re.findall(r'href="\?([^"]*page=[^"]*)"', html)
    assert links, "no pagination link"
    for link in links:
        assert link.count("page=") == 1, link
        assert "workspace=cae-a" in link and "service=payroll" in link
    assert 'page=3"' in html and 'page=1"' in html


def test_queue_counts_queries_do_not_grow_with_the_rows(world, staff, officer):
    """5 or 50 rows on the page: the same number of queries (no per-row query)."""
    workspaces = [world.partner_a, world.partner_b, world.alumni_c]

    def add(n):
        with scopes_disabled():
            for i in range(n):
                ws = workspaces[i % 3]
                dossier = DossierFactory(workspace=ws, due_date=days(i - 2), assignee=officer if i % 2 else None)
                DocumentFactory(workspace=ws, dossier=dossier)
                with scope(workspace=ws):
                    dossier_comment(actor=world.users["staff"], dossier=dossier, body="note")

    add(5)
    staff.get(QUEUE)  # warm the session and caches
    with CaptureQueriesContext(connection) as five:
        assert len(titles(staff.get(QUEUE))) == 5
    add(45)
    with CaptureQueriesContext(connection) as fifty:
        assert len(titles(staff.get(QUEUE))) == 50
    assert len(fifty) == len(five), [q["sql"] for q in fifty.captured_queries]


def test_queue_query_count_is_small(world, staff, django_assert_max_num_queries):
    with scopes_disabled():
        for i in range(30):
            DossierFactory(workspace=world.partner_a, due_date=days(i))
    staff.get(QUEUE)
    with django_assert_max_num_queries(15):
        staff.get(QUEUE)


def test_queue_row_shows_comment_and_file_counts(world, staff):
    with scopes_disabled():
        dossier = DossierFactory(workspace=world.partner_a, title="Counted")
        DocumentFactory(workspace=world.partner_a, dossier=dossier)
        DocumentFactory(workspace=world.partner_a, dossier=dossier)
    with scope(workspace=world.partner_a):
        dossier_comment(actor=world.users["staff"], dossier=dossier, body="one")
    row = staff.get(QUEUE).context["page"].object_list[0]
    assert (row.n_comments, row.n_documents) == (1, 2)


def test_htmx_filter_request_gets_only_the_table(queue_world, staff):
    response = staff.get(QUEUE, {"workspace": "cae-b"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue")
    html = response.content.decode()
    assert "<html" not in html and "Soon payroll" in html and "Late payroll" not in html
    assert "backoffice/staff/_queue_table.html" in [t.name for t in response.templates]


def test_queue_is_closed_to_clients(world, queue_world):
    assert login(world.users["partner_a"]).get(QUEUE).status_code == 404


def test_staff_dashboard_counts_open_dossiers_per_workspace(world, queue_world, staff):
    response = staff.get("/staff/")
    assert response.context["counts"] == {"open": 5, "overdue": 2, "mine": 1, "unassigned": 3}
    figures = {ws.slug: (ws.n_open, ws.n_overdue) for ws in response.context["workspaces"]}
    assert figures == {"mutualise": (0, 0), "cae-a": (2, 1), "cae-b": (2, 1), "scop-c": (1, 0)}
    html = response.content.decode()
    # Its links open the queue already filtered, and the queue understands them.
    assert "?state=open&amp;assignee=me" in html and "?workspace=cae-b&amp;state=overdue" in html
    assert titles(staff.get(QUEUE, {"state": "open", "assignee": "me"})) == ["Late payroll"]


# --- Quick actions from a row ---------------------------------------------------------

def quick_url(dossier) -> str:
    return reverse("dossier_quick", kwargs={"workspace": dossier.workspace.slug, "pk": dossier.pk})


def test_quick_assign_to_me_rerenders_the_row(world, queue_world, staff):
    dossier = queue_world["undated"]
    response = staff.post(quick_url(dossier), {"action": "assign_me"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="dossier-{dossier.pk}"')
    assert str(world.users["staff"]) in html
    assert "Take it" not in html  # already mine: no button
    with scopes_disabled():
        dossier.refresh_from_db()
        assert dossier.assignee == world.users["staff"]
        entry = AuditEntry.objects.get(action="dossier.assign", object_id=str(dossier.pk))
    assert entry.actor == world.users["staff"] and entry.workspace == world.partner_a


def test_quick_status_change_rerenders_the_row_without_overdue(world, queue_world, staff):
    dossier = queue_world["late"]
    response = staff.post(quick_url(dossier), {"action": "status", "status": "done"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="overdue"' not in html
    assert re.search(r'<option value="done" selected>', html)
    with scopes_disabled():
        dossier.refresh_from_db()
    assert dossier.status == "done" and dossier.closed_at is not None


def test_quick_action_without_htmx_redirects_to_the_queue(queue_world, staff):
    response = staff.post(quick_url(queue_world["far"]), {"action": "assign_me"})
    assert response.status_code == 302 and response["Location"] == QUEUE


def test_quick_action_rejects_a_bad_value(queue_world, staff):
    dossier = queue_world["far"]
    assert staff.post(quick_url(dossier), {"action": "status", "status": "burnt"}).status_code == 400
    assert staff.post(quick_url(dossier), {"action": "delete"}).status_code == 400
    with scopes_disabled():
        dossier.refresh_from_db()
    assert dossier.status == "new"


def test_quick_action_is_refused_to_the_client_and_needs_post(world, queue_world, staff):
    dossier = queue_world["undated"]  # in CAE A
    client = login(world.users["partner_a"])
    assert client.post(quick_url(dossier), {"action": "status", "status": "done"}).status_code == 403
    assert staff.get(quick_url(dossier)).status_code == 405
    with scopes_disabled():
        dossier.refresh_from_db()
    assert dossier.status == "new"


# --- Bulk assignment ------------------------------------------------------------------

def test_bulk_assign_across_workspaces_writes_each_in_its_workspace(world, queue_world, staff, officer):
    chosen = [queue_world["undated"], queue_world["far"], queue_world["later"]]
    response = staff.post(reverse("staff:queue_bulk_assign"), {
        "ids": [d.pk for d in chosen], "assignee": str(officer.pk), "query": "workspace=cae-a&page=3"})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?workspace=cae-a&page=3"
    with scopes_disabled():
        for dossier in chosen:
            dossier.refresh_from_db()
            assert dossier.assignee == officer
            entry = AuditEntry.objects.get(action="dossier.assign", object_id=str(dossier.pk))
            assert entry.workspace_id == dossier.workspace_id
            assert entry.changes == {"assignee": [None, str(officer)]}


def test_bulk_assign_to_me_and_to_nobody(world, queue_world, staff):
    ids = [queue_world["soon"].pk, queue_world["far"].pk]
    staff.post(reverse("staff:queue_bulk_assign"), {"ids": ids, "assignee": "me"})
    with scopes_disabled():
        assert set(Dossier.objects.filter(pk__in=ids).values_list("assignee", flat=True)) == {world.users["staff"].pk}
    staff.post(reverse("staff:queue_bulk_assign"), {"ids": ids, "assignee": "none"})
    with scopes_disabled():
        assert set(Dossier.objects.filter(pk__in=ids).values_list("assignee", flat=True)) == {None}


def test_bulk_assign_refuses_a_client_as_assignee_and_an_empty_selection(world, queue_world, staff):
    dossier = queue_world["far"]
    staff.post(reverse("staff:queue_bulk_assign"), {"ids": [dossier.pk], "assignee": world.users["partner_a"].pk})
    staff.post(reverse("staff:queue_bulk_assign"), {"assignee": "me"})
    with scopes_disabled():
        dossier.refresh_from_db()
        assert dossier.assignee is None
        assert not AuditEntry.objects.filter(action="dossier.assign").exists()


# --- The overdue reminder (backoffice/services/reminders.py) --------------------------

def test_overdue_reminder_lists_each_assignee_their_overdue_dossiers(world, queue_world, officer):
    me = world.users["staff"]
    with scopes_disabled():
        DossierFactory(workspace=world.partner_b, title="Officer late one", due_date=days(-2), assignee=officer)
        DossierFactory(workspace=world.partner_b, title="Officer closed late", due_date=days(-2), assignee=officer,
                       status=DossierStatus.CANCELLED)
    sent = overdue_reminders_send()
    assert sent == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {me.email, officer.email}
    with translation.override("fr"):
        late = date_format(days(-5), "SHORT_DATE_FORMAT")
    mine = by_recipient[me.email]
    assert "Late payroll" in mine.body and "CAE A" in mine.body and late in mine.body
    assert "Soon payroll" not in mine.body and "Officer late one" not in mine.body
    assert "1" in mine.subject
    theirs = by_recipient[officer.email]
    assert "Officer late one" in theirs.body and "CAE B" in theirs.body
    # Not overdue (due in 3 days), closed, or unassigned: no reminder.
    assert "Soon payroll" not in theirs.body and "Officer closed late" not in theirs.body
    assert "Less late funding" not in mine.body + theirs.body


def test_overdue_reminder_sends_nothing_when_nothing_is_late(world):
    with scopes_disabled():
        DossierFactory(workspace=world.partner_a, due_date=days(2), assignee=world.users["staff"])
    assert overdue_reminders_send() == 0
    assert mail.outbox == []
