"""The nationality the DSN needs (S21.G00.30.013, codification UE: 01 France, 02 another EU member
state, 03 EEA or Switzerland, 04 other; cahier technique de la DSN): read from the monthly file
for a new person, recorded on the entrepreneur, and the value a spreadsheet may hold."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from backoffice.models import AuditEntry, Entrepreneur
from backoffice.models.entrepreneurs import Nationality, nationality_from_text
from payroll.models import SubmissionState
from payroll.services import submissions as services
from tests.factories import (
    EntrepreneurFactory,
    PayrollSettingsFactory,
    make_nir,
    submission_row,
    submission_xlsx,
)

PERIOD = datetime.date(2026, 1, 1)
HEADERS = [*submission_row("X").keys(), "date_naissance", "classification", "nationalite"]


@pytest.mark.parametrize(("text", "expected"), [
    ("FR", Nationality.FRENCH), ("française", Nationality.FRENCH), ("UE", Nationality.EU), ("de", Nationality.EU),
    ("GR", Nationality.EU), ("EEE", Nationality.EEA), ("Suisse", Nationality.EEA), ("NO", Nationality.EEA),
    ("CH", Nationality.EEA), ("autre", Nationality.OTHER), ("MA", Nationality.OTHER), ("GB", Nationality.OTHER),
    ("Allemagne", None), ("", None),
])
def test_what_a_cell_may_hold(text, expected):
    """EU members since 1 February 2020 (the United Kingdom is "other"); Iceland, Liechtenstein and
    Norway (EEA) and Switzerland share the code 03."""
    assert nationality_from_text(text) == expected


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        PayrollSettingsFactory(workspace=world.partner_a)
    return world.partner_a


def send(ws, content: bytes, captured):
    with scope(workspace=ws), captured(execute=True):
        submission = services.submission_upload(actor=None, workspace=ws, period=PERIOD,
                                                upload=SimpleUploadedFile("paie.xlsx", content))
    with scope(workspace=ws):
        submission.refresh_from_db()
    return submission


def newcomer(nationality: str) -> dict:
    return submission_row("N1", nom="Nouvelle", prenom="Zoé", nir=make_nir(7), date_naissance="14/07/1990",
                          classification="Position 2.1", nationalite=nationality)


def test_a_new_person_needs_a_nationality_when_the_column_is_there(ws, django_capture_on_commit_callbacks):
    refused = send(ws, submission_xlsx([newcomer("")], HEADERS), django_capture_on_commit_callbacks)
    assert refused.state == SubmissionState.INVALID
    assert [(e["row"], e["column"], e["code"]) for e in refused.errors] == [(2, "nationalite", "missing_required")]
    unreadable = send(ws, submission_xlsx([newcomer("Allemagne")], HEADERS), django_capture_on_commit_callbacks)
    assert [(e["column"], e["code"]) for e in unreadable.errors] == [("nationalite", "bad_nationality")]

    submission = send(ws, submission_xlsx([newcomer("DE")], HEADERS), django_capture_on_commit_callbacks)
    with scope(workspace=ws):
        services.submission_confirm(actor=None, submission=submission)
        assert Entrepreneur.objects.get(matricule="N1").nationality == Nationality.EU


def test_the_file_fills_a_missing_nationality_and_leaves_a_recorded_one(ws, django_capture_on_commit_callbacks):
    with scope(workspace=ws):
        blank = EntrepreneurFactory(workspace=ws, matricule="K1", nir=make_nir(1), nationality="")
        recorded = EntrepreneurFactory(workspace=ws, matricule="K2", nir=make_nir(2), nationality="fr")
    rows = [submission_row("K1", nationalite="autre"), submission_row("K2", nationalite="UE")]
    submission = send(ws, submission_xlsx(rows, [*submission_row("X").keys(), "nationalite"]),
                      django_capture_on_commit_callbacks)
    with scope(workspace=ws):
        confirmed = services.submission_confirm(actor=None, submission=submission)
        assert confirmed.state == SubmissionState.CONFIRMED, confirmed.errors
        blank.refresh_from_db()
        recorded.refresh_from_db()
        entry = AuditEntry.objects.get(action="entrepreneur.update", object_id=str(blank.pk))
    assert (blank.nationality, recorded.nationality) == ("other", "fr")
    assert entry.changes["nationality"] == "other"
