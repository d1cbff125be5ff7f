"""Reminders of training-funding deadlines: the command, the dry run, once a day."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django_scopes import scopes_disabled

from tests.factories import MembershipFactory, UserFactory
from tests.training.factories import FundingRequestFactory, SessionFactory, future
from training.models import FundingRequest
from training.tasks.reminders import send_training_reminders


def _requests(world):
    with scopes_disabled():
        officer = MembershipFactory(workspace=world.host, role="training_officer",
                                    user=UserFactory(email="formation@example.test")).user
        session = SessionFactory(workspaces=[world.partner_a, world.partner_b])
        due_a = FundingRequestFactory(workspace=world.partner_a, session=session, submit_before=future(3))
        late_b = FundingRequestFactory(workspace=world.partner_b, session=session, submit_before=future(-2))
        later = FundingRequestFactory(workspace=world.partner_a, session=session, submit_before=future(20))
        claim = FundingRequestFactory(workspace=world.partner_b, session=session, state="attendance_complete",
                                      claim_before=future(5))
        submitted = FundingRequestFactory(workspace=world.partner_a, session=session, state="submitted",
                                          submit_before=future(-5))
    return officer, due_a, late_b, later, claim, submitted


def test_dry_run_sends_and_writes_nothing(world):
    _requests(world)
    out = StringIO()
    call_command("training_reminders", "--dry-run", stdout=out)
    assert "would send to a@example.test: 1 request(s)" in out.getvalue()
    assert len(mail.outbox) == 0
    with scopes_disabled():
        assert not FundingRequest.objects.filter(reminded_on__isnull=False).exists()


def test_each_manager_gets_its_own_requests_and_staff_get_all(world):
    officer, due_a, late_b, later, claim, submitted = _requests(world)
    assert send_training_reminders() == 3
    by_to = {tuple(m.to): m.body for m in mail.outbox}
    body_a, body_b = by_to[("a@example.test",)], by_to[("b@example.test",)]
    assert f"Funding request {due_a.pk} —" in body_a and f"Funding request {late_b.pk} —" not in body_a
    assert f"Funding request {late_b.pk} —" in body_b and "late" in body_b
    staff_body = next(body for to, body in by_to.items() if officer.email in to)
    for r in (due_a, late_b, claim):
        assert f"Funding request {r.pk} —" in staff_body
    for r in (later, submitted):
        assert f"Funding request {r.pk} —" not in staff_body
    # Run again the same day: nothing more is sent.
    assert send_training_reminders() == 0
    with scopes_disabled():
        assert FundingRequest.objects.filter(reminded_on=datetime.date.today()).count() == 3
