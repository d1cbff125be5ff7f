"""The training demo: a pooled session with trainees of CAE A and CAE B, a request at each
step, a gathering; idempotent."""

from django.core.management import call_command
from django_scopes import scopes_disabled

from training.models import Enrolment, FundingRequest, Session


def test_seed_demo_builds_training_once(db):
    call_command("seed_demo")
    with scopes_disabled():
        pooled = Session.objects.get(is_gathering=False, pooled=True)
        assert set(Enrolment.objects.filter(session=pooled).values_list("workspace__slug", flat=True)) == {"cae-a", "cae-b"}
        assert set(FundingRequest.objects.values_list("state", flat=True)) == {
            "draft", "submitted", "approved", "partly_approved", "refused", "done", "attendance_complete",
            "claim_sent", "paid", "closed", "cancelled"}
        assert Session.objects.filter(is_gathering=True).exists()
        counts = (Session.objects.count(), Enrolment.objects.count(), FundingRequest.objects.count())
        call_command("seed_demo")
        assert (Session.objects.count(), Enrolment.objects.count(), FundingRequest.objects.count()) == counts


def test_seed_demo_gathering_has_a_programme_and_a_waiting_list(db):
    from training.models import WorkshopRegistration

    call_command("seed_demo")
    with scopes_disabled():
        gathering = Session.objects.get(is_gathering=True)
        assert gathering.workshops.count() == 3
        registrations = WorkshopRegistration.objects.filter(workshop__session=gathering)
        assert set(registrations.values_list("workspace__slug", flat=True)) == {"cae-a", "cae-b"}
        assert registrations.filter(waiting=True).exists()  # the small workshop is full
        before = registrations.count()
        call_command("seed_demo")
        assert registrations.count() == before
