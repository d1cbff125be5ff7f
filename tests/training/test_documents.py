"""The training documents: each PDF's text (extracted with pypdf) carries its mandatory
mentions, and a pooled session's documents of CAE A never name CAE B's trainees."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from backoffice.models import Document
from backoffice.pdf import fr_number
from tests.factories import EntrepreneurFactory
from tests.training.factories import EnrolmentFactory, OpcoFactory, SessionFactory
from training.services.attendance import attendance_record, missing_signatures
from training.services.documents import request_documents, training_documents_store
from training.services.funding import funding_request_open


def _text(pdf: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def pooled_request(world):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a, world.partner_b], trainer="Karim Benali")
        a = EnrolmentFactory(workspace=world.partner_a, session=session,
                             entrepreneur=EntrepreneurFactory(workspace=world.partner_a, last_name="Alpha",
                                                              first_name="Anne"))
        EnrolmentFactory(workspace=world.partner_b, session=session,
                         entrepreneur=EntrepreneurFactory(workspace=world.partner_b, last_name="Bravo",
                                                          first_name="Basile"))
        opco = OpcoFactory()
    with scope(workspace=world.partner_a):
        funding = funding_request_open(actor=world.users["partner_a"], workspace=world.partner_a, session=session,
                                       opco=opco, enrolment_ids=[a.pk], cost_pedagogical=Decimal("1234.50"))
    return funding, a


def test_every_document_has_its_mentions_and_only_its_workspaces_trainees(world, pooled_request):
    funding, enrolment = pooled_request
    body = funding.session.course.body
    with scope(workspace=world.partner_a):
        slots = list(funding.session.slots.all())
        attendance_record(actor=world.users["staff"], workspace=world.partner_a, session=funding.session,
                          slot_id=slots[0].pk, marks={enrolment.pk: True})
        docs = [(d.filename, _text(d.content)) for d in request_documents(funding)]
    texts: dict[str, list[str]] = {}
    for name, text in docs:
        texts.setdefault(name.split("-")[0], []).append(text)
        assert "BRAVO" not in text and "Basile" not in text, name
        assert "ALPHA" in text, name
    assert set(texts) == {"convention", "emargement", "convocation", "certificat", "attestation"}
    assert len(texts["emargement"]) == len(slots) == 4  # one per half-day
    # D6353-1 Code du travail: title, objective, content, means, duration and dates, how it runs,
    # is followed and sanctioned, price and payment terms; and the body's identifiers.
    convention = texts["convention"][0]
    for mention in ("Convention de formation", "Intitulé", "objectif", "Contenu", "Moyens prévus",
                    "Durée et période de réalisation", "Modalités de déroulement, de suivi et de sanction",
                    "Prix et modalités de règlement", fr_number(Decimal("1234.50")), body.siret, body.nda, "Qualiopi", "ALPHA Anne",
                    "D6353-1"):
        assert mention in convention, mention
    # R6332-26: a signature cell per trainee and for the trainer, per half-day.
    for sheet in texts["emargement"]:
        assert "Feuille d'émargement" in sheet and "Signature" in sheet and "Karim Benali" in sheet
        assert "ALPHA Anne" in sheet and "CAE A" in sheet
    # Certificat de réalisation, Ministry of Labour model.
    certificate = texts["certificat"][0]
    for mention in ("Certificat de réalisation", "atteste que", "ALPHA Anne", "action de formation",
                    "bilan de compétences", "qui s'est déroulée du", "pour une durée de 3,50 heures", "3 ans",
                    "Cachet et signature"):
        assert mention in certificate, mention
    # L6353-1: objectives, nature, duration, results of the assessment.
    attestation = texts["attestation"][0]
    for mention in ("Attestation de fin de formation", "Objectifs", "Nature de l'action", "Durée",
                    "Résultats de l'évaluation des acquis"):
        assert mention in attestation, mention
    assert "Convocation" in texts["convocation"][0] and "Lieu" in texts["convocation"][0]


def test_documents_are_stored_once_on_the_dossier(world, pooled_request):
    funding, _ = pooled_request
    call_command("render_training_documents", "--funding-request", str(funding.pk))
    with scopes_disabled():
        documents = Document.objects.filter(workspace=world.partner_a, dossier__object_id=funding.pk)
        count = documents.count()
        assert count == 1 + 4 + 3
        assert not Document.objects.filter(workspace=world.partner_b).exists()
    with scope(workspace=world.partner_a):
        assert training_documents_store(actor=None, request=funding) == []


def test_missing_signatures_are_listed(world, pooled_request):
    funding, enrolment = pooled_request
    with scope(workspace=world.partner_a):
        slot = funding.session.slots.first()
        assert len(missing_signatures(funding)) == 4
        attendance_record(actor=world.users["staff"], workspace=world.partner_a, session=funding.session,
                          slot_id=slot.pk, marks={enrolment.pk: True})
        assert len(missing_signatures(funding)) == 3
