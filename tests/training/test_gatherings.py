"""Gatherings across CAEs (issue 9, "Gatherings across CAEs"): the same enrolment machinery as
a course, a programme of workshops with their own seats, waiting lists promoted when a seat
frees (audited), each workspace's participant list and badges showing only its own people,
and the staff's attendance figures per CAE."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from backoffice.models import AuditEntry
from tests.conftest import login
from tests.factories import EntrepreneurFactory
from tests.training.factories import (
    FundingRequestFactory,
    GatheringFactory,
    SessionFactory,
    WorkshopFactory,
    future,
)
from training.models import Enrolment, WorkshopRegistration
from training.selectors.gatherings import gathering_figures
from training.services.attendance import attendance_record
from training.services.badges import badges_pdf
from training.services.enrolments import enrolment_create
from training.services.gatherings import (
    enrolment_withdraw,
    workshop_register,
    workshop_save,
    workshop_unregister,
)
from training.services.reference import session_save


def _people(ws, *names):
    with scopes_disabled():
        return [EntrepreneurFactory(workspace=ws, last_name=n, first_name="Prénom") for n in names]


def _enrol(world, ws, session, people):
    with scope(workspace=ws), translation.override("fr"):
        return enrolment_create(actor=world.users["staff"], workspace=ws, session=session,
                                entrepreneur_ids=[p.pk for p in people])


@pytest.fixture
def gathering(world):
    with scopes_disabled():
        return GatheringFactory(workspaces=[world.partner_a, world.partner_b], seats=3)


def test_a_full_gathering_puts_people_on_its_waiting_list_and_a_withdrawal_promotes_the_oldest(world, gathering):
    a1, a2 = _people(world.partner_a, "Alpha", "Amont")
    b1, b2 = _people(world.partner_b, "Bravo", "Berge")
    assert [e.waiting for e in _enrol(world, world.partner_a, gathering, [a1, a2])] == [False, False]
    assert [e.waiting for e in _enrol(world, world.partner_b, gathering, [b1, b2])] == [False, True]  # 3 seats
    with scope(workspace=world.partner_a):
        first_a = Enrolment.objects.get(entrepreneur=a1)
        enrolment_withdraw(actor=world.users["partner_a"], workspace=world.partner_a, enrolment=first_a)
    with scopes_disabled():
        berge = Enrolment.objects.get(entrepreneur=b2)
        assert not berge.waiting
        promoted = AuditEntry.objects.get(action="training.waitlist_promote")
        assert promoted.workspace == world.partner_b  # audited where the promoted person belongs
        assert "BERGE" in promoted.changes["participant"]
        assert Enrolment.objects.filter(session=gathering, waiting=False).count() == 3


def test_more_seats_planned_by_staff_promote_those_waiting(world, gathering):
    people = _people(world.partner_a, "Un", "Deux", "Trois", "Quatre")
    assert sum(e.waiting for e in _enrol(world, world.partner_a, gathering, people)) == 1
    session_save(actor=world.users["staff"], session=gathering, workspaces=[world.partner_a, world.partner_b],
                 seats=4)
    with scopes_disabled():
        assert not Enrolment.objects.filter(session=gathering, waiting=True).exists()


def test_a_course_still_refuses_more_trainees_than_seats(world):
    with scopes_disabled():
        course_session = SessionFactory(workspaces=[world.partner_a], seats=1)
    with pytest.raises(ValidationError, match="seats? (is|are) left"):
        _enrol(world, world.partner_a, course_session, _people(world.partner_a, "Un", "Deux"))


def test_workshop_seats_waiting_list_and_promotion_across_workspaces(world, gathering):
    with scopes_disabled():
        workshop = WorkshopFactory(session=gathering, seats=1)
    (ea,) = _enrol(world, world.partner_a, gathering, _people(world.partner_a, "Alpha"))
    (eb,) = _enrol(world, world.partner_b, gathering, _people(world.partner_b, "Bravo"))
    with scope(workspace=world.partner_a):
        (ra,) = workshop_register(actor=world.users["partner_a"], workspace=world.partner_a, workshop=workshop,
                                  enrolment_ids=[ea.pk])
    with scope(workspace=world.partner_b):
        (rb,) = workshop_register(actor=world.users["partner_b"], workspace=world.partner_b, workshop=workshop,
                                  enrolment_ids=[eb.pk])
    assert (ra.waiting, rb.waiting) == (False, True)
    with scope(workspace=world.partner_a):
        workshop_unregister(actor=world.users["partner_a"], workspace=world.partner_a, registration=ra)
    with scopes_disabled():
        rb.refresh_from_db()
        assert not rb.waiting
        assert AuditEntry.objects.filter(action="training.waitlist_promote", workspace=world.partner_b).exists()


def test_workshop_registration_refuses_bad_input_and_writes_nothing(world, gathering):
    with scopes_disabled():
        morning = WorkshopFactory(session=gathering, seats=5)
        same_time = WorkshopFactory(session=gathering, seats=5, starts_at=morning.starts_at, ends_at=morning.ends_at)
    (ea,) = _enrol(world, world.partner_a, gathering, _people(world.partner_a, "Alpha"))
    (eb,) = _enrol(world, world.partner_b, gathering, _people(world.partner_b, "Bravo"))
    with scope(workspace=world.partner_a), translation.override("fr"):
        with pytest.raises(ValidationError, match="not confirmed participants of your workspace"):  # B's participant, by id in a POST
            workshop_register(actor=world.users["partner_a"], workspace=world.partner_a, workshop=morning,
                              enrolment_ids=[ea.pk, eb.pk])
        workshop_register(actor=world.users["partner_a"], workspace=world.partner_a, workshop=morning,
                          enrolment_ids=[ea.pk])
        with pytest.raises(ValidationError, match="another workshop at the same time"):
            workshop_register(actor=world.users["partner_a"], workspace=world.partner_a, workshop=same_time,
                              enrolment_ids=[ea.pk])
    with scopes_disabled():
        assert WorkshopRegistration.objects.filter(enrolment__session=gathering).count() == 1


def test_workshops_belong_to_a_gathering_and_its_days(world, gathering):
    with scopes_disabled():
        course_session = SessionFactory(workspaces=[world.partner_a])
    data = {"title": "Table ronde", "day": gathering.starts_on, "starts_at": datetime.time(14),
            "ends_at": datetime.time(15), "seats": 30}
    with translation.override("fr"):
        with pytest.raises(ValidationError, match="Only a gathering"):
            workshop_save(actor=world.users["staff"], session=course_session, **data)
        with pytest.raises(ValidationError):
            workshop_save(actor=world.users["staff"], session=gathering, **{**data, "day": future(90)})
    made = workshop_save(actor=world.users["staff"], session=gathering, **data)
    with scopes_disabled():
        assert made.pk and AuditEntry.objects.filter(action="training.workshop_create", workspace=world.host).exists()


def test_participant_list_and_badges_show_only_the_workspace_own_people(world, gathering):
    with scopes_disabled():
        workshop = WorkshopFactory(session=gathering, title="Atelier achats groupés", seats=10)
    (ea,) = _enrol(world, world.partner_a, gathering, _people(world.partner_a, "Alpha"))
    (eb,) = _enrol(world, world.partner_b, gathering, _people(world.partner_b, "Bravo"))
    with scope(workspace=world.partner_a):
        workshop_register(actor=world.users["partner_a"], workspace=world.partner_a, workshop=workshop,
                          enrolment_ids=[ea.pk])
    client = login(world.users["partner_a"])
    page = client.get(reverse("training_participants", args=["cae-a", gathering.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert page.status_code == 200 and "ALPHA" in html.upper() and "Atelier achats groupés" in html
    assert "Bravo" not in html
    response = client.get(reverse("training_badges", args=["cae-a", gathering.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "ALPHA" in text and "CAE A" in text and "Atelier achats groupés" in text and gathering.title in text
    assert "BRAVO" not in text and "CAE B" not in text
    with scope(workspace=world.partner_b):
        b_text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(
            badges_pdf(workspace=world.partner_b, session=gathering))).pages)
    assert "BRAVO" in b_text and "ALPHA" not in b_text


def test_the_session_page_registers_in_a_workshop_and_enrols_onto_the_waiting_list(world):
    with scopes_disabled():
        gathering = GatheringFactory(workspaces=[world.partner_a], seats=1)
        workshop = WorkshopFactory(session=gathering, seats=1)
    people = _people(world.partner_a, "Alpha", "Bravo")
    client = login(world.users["partner_a"])
    url = reverse("training_session_enrol", args=["cae-a", gathering.pk])
    response = client.post(url, {"entrepreneurs": [p.pk for p in people]}, HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert "1 person is on the waiting list" in response.content.decode()
    with scope(workspace=world.partner_a):
        seated = Enrolment.objects.get(session=gathering, waiting=False)
    client.post(reverse("training_workshop_register", args=["cae-a", workshop.pk]), {"enrolments": [seated.pk]})
    with scope(workspace=world.partner_a):
        assert WorkshopRegistration.objects.filter(workshop=workshop, enrolment=seated, waiting=False).exists()
    page = client.get(reverse("training_session", args=["cae-a", gathering.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert workshop.title in page.content.decode()


def test_staff_figures_per_cae_after_the_gathering(world, gathering):
    a1, a2 = _people(world.partner_a, "Alpha", "Amont")
    (b1,) = _people(world.partner_b, "Bravo")
    ea1, ea2 = _enrol(world, world.partner_a, gathering, [a1, a2])
    (eb1,) = _enrol(world, world.partner_b, gathering, [b1])
    slot = gathering.slots.first()
    with scope(workspace=world.partner_a):
        attendance_record(actor=world.users["staff"], workspace=world.partner_a, session=gathering, slot_id=slot.pk,
                          marks={ea1.pk: True, ea2.pk: False})
    with scope(workspace=world.partner_b):
        attendance_record(actor=world.users["staff"], workspace=world.partner_b, session=gathering, slot_id=slot.pk,
                          marks={eb1.pk: True})
    rows, _workshops = gathering_figures(gathering)
    by_name = {r.name: r for r in rows}
    assert (by_name["CAE A"].registered, by_name["CAE A"].present, by_name["CAE A"].rate) == (2, 1, 50)
    assert (by_name["CAE B"].registered, by_name["CAE B"].present, by_name["CAE B"].rate) == (1, 1, 100)
    page = login(world.users["staff"]).get(reverse("staff:training:session_figures", args=[gathering.pk]),
                                           HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200 and "CAE A" in page.content.decode() and "50 %" in page.content.decode()


def test_withdrawal_is_refused_for_a_trainee_named_in_a_funding_request(world):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a])
        request = FundingRequestFactory(workspace=world.partner_a, session=session)
        enrolment = request.enrolments.first()
    with scope(workspace=world.partner_a), translation.override("fr"):
        with pytest.raises(ValidationError, match="named in a funding request"):
            enrolment_withdraw(actor=world.users["partner_a"], workspace=world.partner_a, enrolment=enrolment)
        assert Enrolment.objects.filter(pk=enrolment.pk).exists()


def test_a_manager_records_the_attendance_of_its_own_participants(world, gathering):
    (ea,) = _enrol(world, world.partner_a, gathering, _people(world.partner_a, "Alpha"))
    (eb,) = _enrol(world, world.partner_b, gathering, _people(world.partner_b, "Bravo"))
    slot = gathering.slots.first()
    client = login(world.users["partner_a"])
    url = reverse("training_gathering_attendance", args=["cae-a", gathering.pk])
    assert "Bravo" not in client.get(url).content.decode()
    response = client.post(url, {"slot": [slot.pk], f"p_{ea.pk}_{slot.pk}": "on", f"p_{eb.pk}_{slot.pk}": "on"})
    assert response.status_code == 302
    with scopes_disabled():
        from training.models import Attendance

        assert list(Attendance.objects.filter(slot=slot).values_list("enrolment_id", "present")) == [(ea.pk, True)]
