"""OPCO request deadlines set from each body's own page (migration 0006).

Sources:
- FAFCEA, « Ma demande en pratique »
  (https://www.fafcea.com/je-m-informe/le-fafcea/edito-du-president-du-fafcea.html?id=17):
  « Mon dossier complet parvient au FAFCEA en un seul envoi, 3 mois maximum avant et jusqu’au jour
  de début de ma formation » ; « C’est la date de réception de mon dossier par le FAFCEA qui est
  prise en compte » -> the last day is the first day of the course (0 calendar days before).
- Atlas, « Critères de financement », branche Bureaux d’études, critères 2024
  (https://www.opco-atlas.fr/criteres-financement.html?branche=214): « Les dossiers doivent être
  déposés avant le début de la formation » -> no number of days stated; the day before stays.
OPCO EP, Uniformation and Ocapiat: no rule of their own found; they stay unverified. No claim
deadline was found for any of them."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django_scopes import scope, scopes_disabled

from tests.training.factories import EnrolmentFactory, SessionFactory
from training.models import Opco
from training.rules.deadlines import submit_before
from training.services.funding import funding_request_open

D = datetime.date
MIGRATION = importlib.import_module("training.migrations.0006_fafcea_atlas_request_deadlines")


def test_fafcea_file_may_reach_it_on_the_first_day_of_the_course(db):
    """FAFCEA « Ma demande en pratique »: « jusqu’au jour de début de ma formation », date of receipt."""
    opco = Opco.objects.get(code="fafcea")
    assert (opco.request_days_before, opco.request_day_count) == (0, "calendar")
    assert "fafcea.com" in opco.source and "jusqu’au jour de début de ma formation" in opco.source
    assert "non vérifiés" in opco.source  # claim deadline, ceilings, subrogation: still unknown
    assert opco.claim_days_after is None
    # A course starting Monday 1 June 2026: the file must be received on Monday 1 June at the latest.
    assert submit_before(D(2026, 6, 1), opco.request_days_before, opco.request_day_count) == D(2026, 6, 1)


def test_atlas_before_the_start_is_read_as_the_day_before(db):
    """Atlas « Critères de financement » (branche Bureaux d’études, 2024): « Les dossiers doivent être
    déposés avant le début de la formation »; no number of days given."""
    opco = Opco.objects.get(code="atlas")
    assert (opco.request_days_before, opco.request_day_count) == (1, "calendar")
    assert "opco-atlas.fr" in opco.source and "déposés avant le début de la formation" in opco.source
    assert opco.claim_days_after is None
    # A course starting Monday 1 June 2026: the day before is Sunday 31 May (calendar days).
    assert submit_before(D(2026, 6, 1), opco.request_days_before, opco.request_day_count) == D(2026, 5, 31)


@pytest.mark.parametrize("code", ["opco-ep", "uniformation", "ocapiat"])
def test_opcos_without_a_rule_of_their_own_stay_unverified(db, code):
    opco = Opco.objects.get(code=code)
    assert (opco.request_days_before, opco.claim_days_after) == (1, None)
    assert "avant le début de la formation" in opco.source and "non vérifiés" in opco.source


def test_a_fafcea_request_is_due_on_the_first_day_of_its_session(world):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a], days=[D(2099, 6, 1), D(2099, 6, 2)])
        enrolment = EnrolmentFactory(workspace=world.partner_a, session=session)
        opco = Opco.objects.get(code="fafcea")
    with scope(workspace=world.partner_a):
        funding = funding_request_open(actor=world.users["partner_a"], workspace=world.partner_a, session=session,
                                       opco=opco, enrolment_ids=[enrolment.pk])
    assert funding.submit_before == D(2099, 6, 1)  # Monday 1 June 2099, the first day
    assert funding.claim_before is None


def test_the_migration_leaves_a_row_staff_edited_alone(db):
    fafcea = Opco.objects.get(code="fafcea")
    fafcea.request_days_before, fafcea.source = 1, MIGRATION.SEEDED_FAFCEA_SOURCE
    fafcea.save()
    atlas = Opco.objects.get(code="atlas")
    atlas.request_days_before, atlas.source = 10, "Vérifié par l’équipe auprès du conseiller Atlas."
    atlas.save()
    MIGRATION.forward(django_apps, None)
    fafcea.refresh_from_db()
    atlas.refresh_from_db()
    assert (fafcea.request_days_before, fafcea.source) == (0, MIGRATION.FAFCEA_SOURCE)  # seeded row: updated
    assert (atlas.request_days_before, atlas.source) == (10, "Vérifié par l’équipe auprès du conseiller Atlas.")
