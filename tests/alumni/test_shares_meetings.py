"""General meetings: convened list from the register, attendance, quorum, college weighting."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_scopes import scope

from alumni.models import Attendance
from alumni.services.meetings import (
    meeting_attendance_save,
    meeting_convene,
    meeting_results,
    meeting_send_convocations,
    resolution_tally_save,
)
from alumni.services.shares import college_save, holder_create
from tests.alumni.test_shares import D, make_issuer, person, redeem, subscribe

HELD = datetime.datetime(2026, 5, 20, 18, 0, tzinfo=datetime.UTC)


def convene(issuer, **kwargs):
    params = dict(kind="ordinary", held_at=HELD, record_date=D(2026, 5, 1), agenda="Comptes",
                  resolutions=["Approbation des comptes", "Affectation du résultat"], place="Siège")
    params.update(kwargs)
    with scope(workspace=issuer.workspace):
        return meeting_convene(actor=None, issuer=issuer, **params)


@pytest.fixture
def scic(world):
    """A SCIC with two colleges: employees weigh 60 %, users 40 % (loi 47-1775, art. 19 octies)."""
    issuer = make_issuer(world.host, legal_form="scic_sas", nominal="10")
    with scope(workspace=world.host):
        staff = college_save(actor=None, issuer=issuer, name="Salariés", weight=Decimal("60"))
        users = college_save(actor=None, issuer=issuer, name="Usagers", weight=Decimal("40"))
    people = {}
    for name, college, category in (("S1", staff, "employee"), ("S2", staff, "employee"),
                                    ("U1", users, "beneficiary"), ("U2", users, "beneficiary"),
                                    ("U3", users, "beneficiary"), ("U4", users, "beneficiary")):
        people[name] = person(issuer, name, category, college)
        subscribe(issuer, people[name], 2, D(2021, 1, 1))
    return issuer, staff, users, people


def test_convened_list_comes_from_the_register_at_the_record_date(scic):
    issuer, staff, users, people = scic
    redeem(issuer, people["U4"], 2, D(2026, 5, 10))            # leaves after the record date: still convened
    meeting = convene(issuer)
    with scope(workspace=issuer.workspace):
        convened = {c.holder.name: (c.votes, c.college_id) for c in meeting.convened.select_related("holder")}
    assert convened["U4"] == (1, users.pk) and convened["S1"] == (1, staff.pk) and len(convened) == 6
    later = convene(issuer, record_date=D(2026, 5, 15))
    with scope(workspace=issuer.workspace):
        assert later.convened.count() == 5


def test_college_weighting_decides_the_result(scic):
    """Loi 47-1775, art. 19 octies: the two employees (60 %) outweigh the four users (40 %)."""
    issuer, staff, users, people = scic
    meeting = convene(issuer)
    with scope(workspace=issuer.workspace):
        meeting_attendance_save(actor=None, meeting=meeting, attendance={
            c.pk: (Attendance.PRESENT, None) for c in meeting.convened.all()})
        first = meeting.resolutions.get(number=1)
        resolution_tally_save(actor=None, resolution=first, college=staff, votes_for=2, votes_against=0,
                              abstentions=0)
        resolution_tally_save(actor=None, resolution=first, college=users, votes_for=0, votes_against=4,
                              abstentions=0)
        result = meeting_results(meeting)
    assert result.quorum_reached
    r = result.resolutions[0]
    # 4 votes against 2 per head, but 60 % × 1 + 40 % × 0 = 60 % for: adopted.
    assert r.share_for == Decimal("60.00") and r.adopted


def test_quorum_and_proxies(scic):
    """Quorum per head (one associate, one vote): default one fifth for an ordinary meeting (C. com. L225-98)."""
    issuer, staff, users, people = scic
    meeting = convene(issuer)
    with scope(workspace=issuer.workspace):
        by_name = {c.holder.name: c for c in meeting.convened.select_related("holder")}
        meeting_attendance_save(actor=None, meeting=meeting, attendance={by_name["S1"].pk: (Attendance.PRESENT, None)})
        assert not meeting_results(meeting).quorum_reached          # 1 of 6 < 1/5
        with pytest.raises(ValidationError):                         # proxy to someone absent
            meeting_attendance_save(actor=None, meeting=meeting, attendance={
                by_name["U1"].pk: (Attendance.REPRESENTED, by_name["U2"].pk)})
        meeting_attendance_save(actor=None, meeting=meeting, attendance={
            by_name["U1"].pk: (Attendance.REPRESENTED, by_name["S1"].pk)})
        result = meeting_results(meeting)
        assert result.quorum_reached and result.present_votes == 1 and result.represented_votes == 1
        with pytest.raises(ValidationError):                         # more votes than present or represented
            resolution_tally_save(actor=None, resolution=meeting.resolutions.first(), college=None,
                                  votes_for=3, votes_against=0, abstentions=0)


def test_extraordinary_meeting_needs_two_thirds(world):
    """C. com. L225-96: two thirds of the votes cast in an extraordinary meeting (abstentions not cast)."""
    issuer = make_issuer(world.alumni_c)
    people = [person(issuer, f"P{i}") for i in range(6)]
    for p in people:
        subscribe(issuer, p, 1, D(2021, 1, 1))
    meeting = convene(issuer, kind="extraordinary")
    with scope(workspace=issuer.workspace):
        meeting_attendance_save(actor=None, meeting=meeting, attendance={
            c.pk: (Attendance.PRESENT, None) for c in meeting.convened.all()})
        first, second = meeting.resolutions.all()
        resolution_tally_save(actor=None, resolution=first, college=None, votes_for=4, votes_against=2, abstentions=0)
        resolution_tally_save(actor=None, resolution=second, college=None, votes_for=3, votes_against=2,
                              abstentions=1)
        result = meeting_results(meeting)
    assert result.resolutions[0].adopted                 # 4/6 = 2/3
    assert not result.resolutions[1].adopted             # 3/5 < 2/3


def test_convocations_sent_by_email_with_pdf(scic, world):
    issuer, *_rest, people = scic
    with scope(workspace=world.host):
        a = holder_create(actor=None, issuer=issuer, category="beneficiary", holder_workspace=world.partner_a,
                          email="gestion@cae-a.test", college=_rest[1])
    subscribe(issuer, a, 2, D(2022, 1, 1))
    meeting = convene(issuer)
    with scope(workspace=world.host):
        assert meeting_send_convocations(actor=None, meeting=meeting) == 1
    assert mail.outbox[0].to == ["gestion@cae-a.test"]
    assert mail.outbox[0].attachments[0][1].startswith(b"%PDF")


def test_convened_workspace_sees_its_meeting_in_its_workspace(scic, world, clients):
    issuer, staff, users, people = scic
    with scope(workspace=world.host):
        a = holder_create(actor=None, issuer=issuer, category="beneficiary", holder_workspace=world.partner_a,
                          college=users)
    subscribe(issuer, a, 2, D(2022, 1, 1))
    convene(issuer)
    page = clients["partner_a"].get("/w/cae-a/alumni/shares/meetings/").content.decode()
    assert "Coopérative Mutualise" in page
    assert "Coopérative Mutualise" not in clients["partner_b"].get("/w/cae-b/alumni/shares/meetings/").content.decode()


def test_meeting_pages_for_the_issuer(scic, world, clients):
    issuer, *_ = scic
    meeting = convene(issuer)
    client = clients["staff"]
    base = f"/w/mutualise/alumni/shares/meetings/{meeting.pk}/"
    page = client.get(base)
    assert page.status_code == 200 and "S1" in page.content.decode()
    assert client.get(base + "convocations.pdf").content.startswith(b"%PDF")
    assert client.get(base + "minutes.xlsx").content.startswith(b"PK")
    created = client.post("/w/mutualise/alumni/shares/meetings/new/", {
        "kind": "extraordinary", "held_at": "2026-07-01T18:00", "record_date": "2026-06-01", "agenda": "Statuts",
        "resolutions": "Modification des statuts", "place": ""})
    assert created.status_code == 200  # neither place nor video link: refused, nothing written
    with scope(workspace=world.host):
        assert issuer.meetings.count() == 1
