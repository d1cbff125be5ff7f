"""The funding-request lifecycle: every pair of states, legal or not, through the one service
(training/services/funding.py); each legal move records date, actor, audit entry and the
dossier's stage."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry, Dossier, Usage
from tests.training.factories import FundingRequestFactory, SessionFactory
from training.models import FundingRequestEvent, RequestState
from training.rules import lifecycle
from training.services.attendance import attendance_record
from training.services.funding import IllegalMove, funding_request_move

LEGAL = {(a, b) for a, targets in lifecycle.TRANSITIONS.items() for b in targets}
ALL_PAIRS = list(itertools.product(lifecycle.STATES, lifecycle.STATES))

# What each target needs to be reached (the service refuses the move without it).
NEEDS = {
    lifecycle.SUBMITTED: {"opco_file_number": "CX-2026-0001"},
    lifecycle.APPROVED: {},
    lifecycle.PARTLY_APPROVED: {"amount": Decimal("500.00")},
    lifecycle.ATTENDANCE_COMPLETE: {"note": "Feuilles signées jointes au dossier (scan)."},
    lifecycle.CLAIM_SENT: {"amount": Decimal("400.00")},
    lifecycle.PAID: {"amount": Decimal("400.00")},
    lifecycle.CANCELLED: {"note": "Le stagiaire a quitté la CAE."},
}


def test_the_table_matches_the_issue():
    """Issue 9: draft → submitted → approved / partly approved / refused → done → attendance
    complete → claim sent → paid → closed; cancelled from any open step."""
    chain = [lifecycle.DRAFT, lifecycle.SUBMITTED, lifecycle.APPROVED, lifecycle.DONE, lifecycle.ATTENDANCE_COMPLETE,
             lifecycle.CLAIM_SENT, lifecycle.PAID, lifecycle.CLOSED]
    for a, b in itertools.pairwise(chain):
        assert (a, b) in LEGAL
    assert {(s, lifecycle.CANCELLED) for s in lifecycle.OPEN} <= LEGAL
    assert not lifecycle.TRANSITIONS[lifecycle.CLOSED] and not lifecycle.TRANSITIONS[lifecycle.CANCELLED]
    assert set(lifecycle.STATES) == set(RequestState.values)


@pytest.fixture
def funding(world):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a])
        return FundingRequestFactory(workspace=world.partner_a, session=session)


@pytest.mark.parametrize(("from_state", "to_state"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_every_pair(world, funding, from_state, to_state):
    staff = world.users["staff"]
    with scope(workspace=world.partner_a):
        funding.state = from_state
        funding.amount_approved = Decimal("600.00") if from_state not in (lifecycle.DRAFT, lifecycle.SUBMITTED) else None
        funding.save()
        events_before = FundingRequestEvent.objects.count()
        audits_before = AuditEntry.objects.filter(action="training.funding_request_move").count()
        if (from_state, to_state) in LEGAL:
            moved = funding_request_move(actor=staff, request=funding, to_state=to_state, **NEEDS.get(to_state, {}))
            moved.refresh_from_db()
            assert moved.state == to_state
            event = FundingRequestEvent.objects.order_by("-pk").first()
            assert (event.from_state, event.to_state, event.actor) == (from_state, to_state, staff)
            assert event.at is not None
            audit = AuditEntry.objects.filter(action="training.funding_request_move").order_by("-pk").first()
            assert audit.changes["state"] == [from_state, to_state] and audit.actor == staff
            dossier = Dossier.objects.get(object_id=funding.pk, kind="funding_request")
            assert dossier.stage == str(RequestState(to_state).label)
        else:
            with pytest.raises(IllegalMove):
                funding_request_move(actor=staff, request=funding, to_state=to_state, **NEEDS.get(to_state, {}))
            funding.refresh_from_db()
            assert funding.state == from_state
            assert FundingRequestEvent.objects.count() == events_before
            assert AuditEntry.objects.filter(action="training.funding_request_move").count() == audits_before


def test_submitting_bills_one_usage_even_if_recorded_twice(world, funding):
    with scope(workspace=world.partner_a):
        funding_request_move(actor=world.users["partner_a"], request=funding, to_state="submitted",
                             opco_file_number="CX-1")
        usage = Usage.objects.get(kind="funding_request")
        assert usage.quantity == Decimal("1") and usage.reference == f"funding_request:{funding.pk}"
        assert usage.service == "training"


def test_attendance_complete_needs_every_mark_or_a_note(world, funding):
    with scope(workspace=world.partner_a):
        funding.state = "done"
        funding.save()
        with pytest.raises(ValidationError) as exc:
            funding_request_move(actor=world.users["staff"], request=funding, to_state="attendance_complete")
        assert "4 attendance marks are missing" in exc.value.message_dict["note"][0]
        enrolment = funding.enrolments.get()
        for slot in funding.session.slots.all():
            attendance_record(actor=world.users["staff"], workspace=world.partner_a, session=funding.session,
                              slot_id=slot.pk, marks={enrolment.pk: True})
        assert funding_request_move(actor=world.users["staff"], request=funding,
                                    to_state="attendance_complete").state == "attendance_complete"


@pytest.mark.parametrize(("to_state", "data", "field"), [
    ("submitted", {}, "opco_file_number"),
    ("cancelled", {"note": "  "}, "note"),
])
def test_a_move_without_what_it_needs_writes_nothing(world, funding, to_state, data, field):
    with scope(workspace=world.partner_a):
        with pytest.raises(ValidationError) as exc:
            funding_request_move(actor=world.users["staff"], request=funding, to_state=to_state, **data)
        assert field in exc.value.message_dict
        funding.refresh_from_db()
        assert funding.state == "draft" and not FundingRequestEvent.objects.filter(request=funding).exists()


def test_partial_approval_must_be_below_the_amount_asked(world, funding):
    with scope(workspace=world.partner_a):
        funding_request_move(actor=world.users["staff"], request=funding, to_state="submitted", opco_file_number="X")
        with pytest.raises(ValidationError):
            funding_request_move(actor=world.users["staff"], request=funding, to_state="partly_approved",
                                 amount=funding.amount_asked)
        moved = funding_request_move(actor=world.users["staff"], request=funding, to_state="partly_approved",
                                     amount=Decimal("300"))
        assert moved.amount_approved == Decimal("300.00")


def test_cancel_records_the_reason(world, funding):
    with scope(workspace=world.partner_a):
        moved = funding_request_move(actor=world.users["partner_a"], request=funding, to_state="cancelled",
                                     note="Session reportée")
        assert moved.cancel_reason == "Session reportée"
        assert Dossier.objects.get(object_id=funding.pk).status == "cancelled"
