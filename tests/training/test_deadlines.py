"""Deadlines of a funding request ("submit before", "claim before") from the OPCO's rules.

Sources: Constructys asks the request at least 15 days before the start
(shared/domain/training-opco.md §2); French public holidays are those of L3133-1 Code du
travail (1 January, Easter Monday, 1 May, 8 May, Ascension, Whit Monday, 14 July, 15 August,
1 November, 11 November, 25 December), as listed by the `holidays` package."""

from __future__ import annotations

import datetime

import pytest
from django_scopes import scope, scopes_disabled

from tests.training.factories import EnrolmentFactory, OpcoFactory, SessionFactory
from training.models import Opco
from training.rules.deadlines import claim_before, is_working_day, submit_before
from training.services.funding import funding_request_open

D = datetime.date


def test_constructys_is_seeded_with_15_calendar_days(db):
    """training-opco.md §2: Constructys asks at least 15 days before the start."""
    opco = Opco.objects.get(code="constructys")
    assert (opco.request_days_before, opco.request_day_count) == (15, "calendar")
    assert "15 jours calendaires" in opco.source and "§2" in opco.source
    assert set(Opco.objects.values_list("code", flat=True)) >= {
        "constructys", "akto", "opco-ep", "atlas", "uniformation", "ocapiat", "fafcea"}
    assert all(o.source for o in Opco.objects.all())


def test_akto_is_seeded_with_30_calendar_days(db):
    """AKTO, « Process de dépôt … dossier formation » (akto.fr, plan de développement des
    compétences): the file is lodged 30 calendar days before the training starts."""
    opco = Opco.objects.get(code="akto")
    assert (opco.request_days_before, opco.request_day_count) == (30, "calendar")
    assert "30 jours calendaires" in opco.source and "akto.fr" in opco.source
    # A course starting Monday 1 June 2026: 30 calendar days before is Saturday 2 May.
    assert submit_before(D(2026, 6, 1), opco.request_days_before, opco.request_day_count) == D(2026, 5, 2)


def test_calendar_days_do_not_skip_weekends():
    # A course starting Monday 1 June 2026: 15 calendar days before is Sunday 17 May.
    assert submit_before(D(2026, 6, 1), 15, "calendar") == D(2026, 5, 17)


def test_working_days_skip_weekends_and_french_public_holidays():
    # Monday 18 May 2026, 5 working days before: Fri 15, (Thu 14 Ascension), Wed 13, Tue 12,
    # Mon 11, (Fri 8 May, Victory Day), Thu 7 May.
    assert not is_working_day(D(2026, 5, 14)) and not is_working_day(D(2026, 5, 8))
    assert submit_before(D(2026, 5, 18), 5, "working") == D(2026, 5, 7)


def test_claim_in_working_days_over_christmas_and_new_year():
    # Ends Thursday 24 December 2026; 3 working days after: (Fri 25 Christmas, weekend) Mon 28,
    # Tue 29, Wed 30.
    assert claim_before(D(2026, 12, 24), 3, "working") == D(2026, 12, 30)
    # Across the year: Thu 31 Dec, (Fri 1 January, weekend), Mon 4 January 2027.
    assert claim_before(D(2026, 12, 30), 2, "working") == D(2027, 1, 4)


def test_no_claim_rule_no_claim_deadline():
    assert claim_before(D(2026, 3, 2), None, "calendar") is None


def test_unknown_day_count_is_refused():
    with pytest.raises(ValueError):
        submit_before(D(2026, 3, 2), 1, "lunar")


def test_a_request_takes_its_deadlines_from_the_opco_and_the_session(world):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a], days=[D(2099, 5, 18)])
        enrolment = EnrolmentFactory(workspace=world.partner_a, session=session)
        opco = OpcoFactory(code="working-opco", request_days_before=5, request_day_count="working",
                           claim_days_after=3, claim_day_count="working")
    with scope(workspace=world.partner_a):
        funding = funding_request_open(actor=world.users["partner_a"], workspace=world.partner_a, session=session,
                                       opco=opco, enrolment_ids=[enrolment.pk])
    # 18 May 2099 is a Monday; Ascension 2099 falls on Thursday 21 May, Victory Day on Fri 8 May:
    # 5 working days before: Fri 15, Thu 14, Wed 13, Tue 12, Mon 11.
    assert funding.submit_before == D(2099, 5, 11)
    assert funding.claim_before == D(2099, 5, 21 + 1)  # Tue 19, Wed 20, (Thu 21 Ascension), Fri 22
