"""The reimbursement claim prorated to the hours attended (training/rules/claim.py).

Source: "seules les heures de formation qui ont été réalisées peuvent en principe être
financées" — OPCO EP, https://www.opcoep.fr/question-formation/beneficier-de-financements/justifier-de-la-realisation-des-actions ;
L6354-1 Code du travail (partial non-performance is refunded); the claim stays within the
approved amount (subrogation up to the approved amount, shared/domain/training-opco.md §3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from tests.conftest import login
from tests.factories import EntrepreneurFactory
from tests.training.factories import EnrolmentFactory, FundingRequestFactory, SessionFactory
from training.rules import lifecycle
from training.rules.claim import claimable
from training.services.attendance import attendance_record, claim_from_attendance
from training.services.funding import funding_request_move

D = Decimal


def test_hour_based_costs_are_claimed_per_trainee_hour_attended_and_travel_as_spent():
    # 2 trainees × 14 h planned = 28 trainee-hours; 1,400 € of hour-based costs = 50 € a trainee-hour.
    claim = claimable(pedagogical=D("900"), salary=D("500"), travel=D("35.40"), hours_planned=D("14"),
                      attended=[D("14"), D("7")], approved=None)
    assert claim.prorated == D("1085.40")  # 50 × 21 + 35.40
    assert claim.amount == claim.prorated and claim.trainee_hours_planned == D("28")


def test_full_attendance_claims_everything_and_the_approved_amount_caps_it():
    full = claimable(pedagogical=D("900"), salary=D("0"), travel=D("0"), hours_planned=D("14"),
                     attended=[D("14"), D("14")], approved=D("600"))
    assert (full.prorated, full.amount, full.capped) == (D("900.00"), D("600"), True)


def test_rounding_is_half_up_once_on_the_total():
    # 100 € over 3 trainee-hours planned, 1 attended: 33.333… → 33.33; 200/3 → 66.67.
    assert claimable(pedagogical=D("100"), salary=D("0"), travel=D("0"), hours_planned=D("3"), attended=[D("1")],
                     approved=None).amount == D("33.33")
    assert claimable(pedagogical=D("200"), salary=D("0"), travel=D("0"), hours_planned=D("3"), attended=[D("1")],
                     approved=None).amount == D("66.67")


@pytest.fixture
def approved_request(world):
    """Two trainees of CAE A on two days (4 half-days of 3.5 h = 14 h), approved at 900 €."""
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a])
        people = [EnrolmentFactory(workspace=world.partner_a, session=session,
                                   entrepreneur=EntrepreneurFactory(workspace=world.partner_a)) for _ in range(2)]
        request = FundingRequestFactory(workspace=world.partner_a, session=session, enrolments=people,
                                        cost_pedagogical=D("900.00"), amount_asked=D("900.00"),
                                        state=lifecycle.ATTENDANCE_COMPLETE, amount_approved=D("900.00"))
    return request, people, list(session.slots.all())


def test_the_claim_defaults_to_what_attendance_justifies_and_cannot_exceed_it(world, approved_request):
    request, (first, second), slots = approved_request
    with scope(workspace=world.partner_a):
        for slot in slots:  # the first trainee came to everything, the second missed the last half-day
            attendance_record(actor=world.users["staff"], workspace=world.partner_a, session=request.session,
                              slot_id=slot.pk, marks={first.pk: True, second.pk: slot != slots[-1]})
        claim = claim_from_attendance(request)
        assert (claim.hours_attended, claim.trainee_hours_planned, claim.amount) == (D("24.50"), D("28.00"),
                                                                                     D("787.50"))
        with pytest.raises(ValidationError) as exc:
            funding_request_move(actor=world.users["staff"], request=request, to_state=lifecycle.CLAIM_SENT,
                                 amount=D("900.00"))
        assert "justify at most" in exc.value.messages[0]
        moved = funding_request_move(actor=world.users["staff"], request=request, to_state=lifecycle.CLAIM_SENT)
    assert moved.amount_claimed == D("787.50")
    page = login(world.users["staff"]).get(
        reverse("training_request", args=["cae-a", request.pk]))
    assert "787" in page.content.decode()


def test_without_recorded_attendance_the_approved_amount_stays_the_default(world, approved_request):
    request = approved_request[0]
    with scope(workspace=world.partner_a):
        assert claim_from_attendance(request) is None  # the signed sheets were attached as a scan
        moved = funding_request_move(actor=world.users["staff"], request=request, to_state=lifecycle.CLAIM_SENT)
    assert moved.amount_claimed == D("900.00")
