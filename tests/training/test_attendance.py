"""Attendance per trainee and half-day: bad input (a half-day of another session, a trainee of
another workspace) is refused with a clear message and writes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from tests.training.factories import EnrolmentFactory, FundingRequestFactory, SessionFactory
from training.models import Attendance
from training.services.attendance import attendance_record


@pytest.fixture
def funding(world):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a, world.partner_b])
        return FundingRequestFactory(workspace=world.partner_a, session=session)


def test_a_half_day_of_another_session_is_refused(world, funding):
    with scopes_disabled():
        other_slot = SessionFactory(workspaces=[world.partner_a]).slots.first()
        enrolment = funding.enrolments.get()
    with scope(workspace=world.partner_a), pytest.raises(ValidationError) as exc:
        attendance_record(actor=world.users["staff"], workspace=world.partner_a, session=funding.session,
                          slot_id=other_slot.pk, marks={enrolment.pk: True})
    assert "does not exist in the session" in exc.value.messages[0]
    with scopes_disabled():
        assert not Attendance.objects.exists()


def test_a_trainee_of_another_workspace_is_refused(world, funding):
    with scopes_disabled():
        theirs = EnrolmentFactory(workspace=world.partner_b, session=funding.session)
        slot = funding.session.slots.first()
    with scope(workspace=world.partner_a), pytest.raises(ValidationError):
        attendance_record(actor=world.users["staff"], workspace=world.partner_a, session=funding.session,
                          slot_id=slot.pk, marks={theirs.pk: True})
    with scopes_disabled():
        assert not Attendance.objects.exists()


def test_attendance_page_all_or_nothing(world, clients, funding):
    with scopes_disabled():
        enrolment = funding.enrolments.get()
        slots = list(funding.session.slots.all())
        other_slot = SessionFactory(workspaces=[world.partner_a]).slots.first()
    url = reverse("training_request_attendance", args=["cae-a", funding.pk])
    bad = clients["staff"].post(url, {"slot": [slots[0].pk, other_slot.pk], f"p_{enrolment.pk}_{slots[0].pk}": "on"})
    assert bad.status_code == 400 and "does not exist in the session" in bad.content.decode()
    with scopes_disabled():
        assert not Attendance.objects.exists()
    good = clients["staff"].post(url, {"slot": [s.pk for s in slots], f"p_{enrolment.pk}_{slots[0].pk}": "on"})
    assert good.status_code == 302
    with scopes_disabled():
        assert Attendance.objects.filter(present=True).count() == 1 and Attendance.objects.count() == 4
    page = clients["staff"].get(reverse("training_request", args=["cae-a", funding.pk])).content.decode()
    assert "3,50" in page or "3.50" in page  # hours attended
    assert clients["partner_a"].get(url).status_code == 403
