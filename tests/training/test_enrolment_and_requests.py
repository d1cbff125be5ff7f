"""Enrolling and opening requests: bad input gives a clear French message and writes nothing;
on a pooled session, neither CAE sees the other's trainees or requests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry, Dossier
from tests.factories import EntrepreneurFactory
from tests.training.factories import (
    EnrolmentFactory,
    FundingRequestFactory,
    OpcoFactory,
    SessionFactory,
    future,
)
from training.models import Enrolment, FundingRequest
from training.services.enrolments import enrolment_create
from training.services.funding import funding_request_move, funding_request_open


@pytest.fixture
def pooled(world):
    """A pooled session with one trainee of CAE A and one of CAE B, and a request of each."""
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a, world.partner_b], seats=3)
        a = EnrolmentFactory(workspace=world.partner_a, session=session,
                             entrepreneur=EntrepreneurFactory(workspace=world.partner_a, last_name="Alpha"))
        b = EnrolmentFactory(workspace=world.partner_b, session=session,
                             entrepreneur=EntrepreneurFactory(workspace=world.partner_b, last_name="Bravo"))
        ra = FundingRequestFactory(workspace=world.partner_a, session=session, enrolments=[a])
        rb = FundingRequestFactory(workspace=world.partner_b, session=session, enrolments=[b])
    return session, a, b, ra, rb


def _enrol(world, session, ids, workspace=None):
    workspace = workspace or world.partner_a
    with scope(workspace=workspace), translation.override("fr"):
        return enrolment_create(actor=world.users["partner_a"], workspace=workspace, session=session,
                                entrepreneur_ids=ids)


def _nothing_written(count_before):
    with scopes_disabled():
        assert Enrolment.objects.count() == count_before


def test_enrolling_someone_of_another_workspace_by_id_is_refused(world, pooled):
    session = pooled[0]
    with scopes_disabled():
        mine = EntrepreneurFactory(workspace=world.partner_a)
        theirs = EntrepreneurFactory(workspace=world.partner_b)
        before = Enrolment.objects.count()
    with pytest.raises(ValidationError) as exc:
        _enrol(world, session, [mine.pk, theirs.pk])
    assert "not entrepreneurs of your workspace" in exc.value.messages[0]
    _nothing_written(before)


def test_more_trainees_than_seats_is_refused(world, pooled):
    session = pooled[0]  # 3 seats, 2 taken (one by CAE B)
    with scopes_disabled():
        people = [EntrepreneurFactory(workspace=world.partner_a).pk for _ in range(2)]
        before = Enrolment.objects.count()
    with pytest.raises(ValidationError) as exc:
        _enrol(world, session, people)
    assert "seat" in exc.value.messages[0]
    _nothing_written(before)
    assert len(_enrol(world, session, people[:1])) == 1


def test_a_session_in_the_past_is_closed(world):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a], days=[datetime.date(2020, 3, 2)])
        person = EntrepreneurFactory(workspace=world.partner_a)
    with pytest.raises(ValidationError) as exc:
        _enrol(world, session, [person.pk])
    assert "in the past" in exc.value.messages[0]
    _nothing_written(0)


def test_a_session_not_open_to_the_workspace_is_refused(world):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_b], pooled=False)
        person = EntrepreneurFactory(workspace=world.partner_a)
    with pytest.raises(ValidationError):
        _enrol(world, session, [person.pk])
    _nothing_written(0)


@pytest.mark.parametrize("qualiopi", [{"qualiopi_number": ""}, {"qualiopi_expires_on": datetime.date(2021, 12, 31)}])
def test_no_certified_body_no_request(world, qualiopi):
    """Qualiopi is required for OPCO funding since 1 January 2022 (L6316-1 Code du travail;
    training-opco.md §1)."""
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a])
        for name, value in qualiopi.items():
            setattr(session.course.body, name, value)
        session.course.body.save()
        enrolment = EnrolmentFactory(workspace=world.partner_a, session=session)
        opco = OpcoFactory()
    with scope(workspace=world.partner_a), translation.override("fr"), pytest.raises(ValidationError) as exc:
        funding_request_open(actor=world.users["partner_a"], workspace=world.partner_a, session=session, opco=opco,
                             enrolment_ids=[enrolment.pk])
    assert "Qualiopi" in exc.value.messages[0]
    with scopes_disabled():
        assert not FundingRequest.objects.exists() and not Dossier.objects.exists()


def test_a_request_for_another_workspaces_trainee_is_refused(world, pooled):
    session, _a, b, _ra, _rb = pooled
    with scope(workspace=world.partner_a), pytest.raises(ValidationError):
        funding_request_open(actor=world.users["partner_a"], workspace=world.partner_a, session=session,
                             opco=OpcoFactory(), enrolment_ids=[b.pk])


def test_opening_a_request_opens_its_dossier_in_the_queue(world, pooled):
    session, a, *_ = pooled
    with scope(workspace=world.partner_a):
        funding = funding_request_open(actor=world.users["partner_a"], workspace=world.partner_a, session=session,
                                       opco=OpcoFactory(), enrolment_ids=[a.pk], cost_pedagogical=Decimal("450"))
        dossier = Dossier.objects.get(object_id=funding.pk, kind="funding_request")
        assert (dossier.service, dossier.status, dossier.due_date) == ("training", "new", funding.submit_before)
        assert AuditEntry.objects.filter(action="training.funding_request_open").exists()


def test_late_submission_needs_a_staff_override_with_a_reason(world):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a], days=[future(5)])  # 15-day rule: already late
        funding = FundingRequestFactory(workspace=world.partner_a, session=session,
                                        opco=OpcoFactory(request_days_before=15),
                                        submit_before=future(-10))
    with scope(workspace=world.partner_a):
        with pytest.raises(ValidationError):
            funding_request_move(actor=world.users["partner_a"], request=funding, to_state="submitted",
                                 opco_file_number="X", late_override_reason="urgent")  # not staff
        with pytest.raises(ValidationError):
            funding_request_move(actor=world.users["staff"], request=funding, to_state="submitted",
                                 opco_file_number="X")  # no reason
        moved = funding_request_move(actor=world.users["staff"], request=funding, to_state="submitted",
                                     opco_file_number="X", late_override_reason="Accord téléphonique de l'OPCO")
        assert moved.late_override_reason == "Accord téléphonique de l'OPCO"
        entry = AuditEntry.objects.filter(action="training.funding_request_move").latest("pk")
        assert entry.changes["late_override_reason"] == "Accord téléphonique de l'OPCO"


def test_pooled_session_pages_show_only_the_workspaces_own_rows(world, clients, pooled):
    session, a, b, ra, rb = pooled
    page = clients["partner_a"].get(reverse("training_session", args=["cae-a", session.pk])).content.decode()
    assert "ALPHA" in page and "BRAVO" not in page
    assert clients["partner_a"].get(reverse("training_request", args=["cae-a", rb.pk])).status_code == 404
    listing = clients["partner_b"].get(reverse("training_requests", args=["cae-b"])).content.decode()
    assert f"n° {rb.pk}<" in listing and f"n° {ra.pk}<" not in listing
    detail = clients["partner_b"].get(reverse("training_request", args=["cae-b", rb.pk])).content.decode()
    assert "BRAVO" in detail and "ALPHA" not in detail


def test_enrol_page_posting_a_foreign_id_shows_a_clear_message(world, clients, pooled):
    session = pooled[0]
    with scopes_disabled():
        theirs = EntrepreneurFactory(workspace=world.partner_b)
    response = clients["partner_a"].post(reverse("training_session_enrol", args=["cae-a", session.pk]),
                                         {"entrepreneurs": [theirs.pk]}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "not entrepreneurs of your workspace" in response.content.decode()
    with scopes_disabled():
        assert not Enrolment.objects.filter(entrepreneur=theirs).exists()


def test_partner_journey_enrol_open_submit(world, clients):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a], days=[future(40)])
        person = EntrepreneurFactory(workspace=world.partner_a, last_name="Charlie")
        opco = OpcoFactory()
    c = clients["partner_a"]
    assert c.post(reverse("training_session_enrol", args=["cae-a", session.pk]),
                  {"entrepreneurs": [person.pk]}).status_code == 302
    with scopes_disabled():
        enrolment = Enrolment.objects.get(entrepreneur=person)
    response = c.post(reverse("training_request_new", args=["cae-a", session.pk]), {
        "opco": opco.pk, "enrolments": [enrolment.pk], "cost_pedagogical": "450.00", "cost_salary": "0",
        "cost_travel": "35.50"})
    assert response.status_code == 302
    with scopes_disabled():
        funding = FundingRequest.objects.get()
    assert str(funding.amount_asked) == "485.50"
    # A partner may submit, not approve.
    assert c.post(reverse("training_request_move", args=["cae-a", funding.pk]),
                  {"to_state": "approved"}).status_code == 400
    assert c.post(reverse("training_request_move", args=["cae-a", funding.pk]),
                  {"to_state": "submitted", "opco_file_number": "CX-77"}).status_code == 302
    with scopes_disabled():
        funding.refresh_from_db()
    assert funding.state == "submitted"
    # Staff record the approval from the workspace's page.
    assert clients["staff"].post(reverse("training_request_move", args=["cae-a", funding.pk]),
                                 {"to_state": "approved"}).status_code == 302
    staff_page = clients["staff"].get(reverse("staff:training:home")).content.decode()
    assert f"n° {funding.pk}<" in staff_page
