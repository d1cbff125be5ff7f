"""Art. R3243-1 Code du travail: the payslip gives the employee's job and classification
(« l'emploi du salarié ainsi que sa position dans la classification conventionnelle qui lui est
applicable »). Enforced end to end: the monthly file's classification column for a person the
file brings (required when the column is there, as the birth date is), stored on the employment
the confirmation creates; and the month's computation refuses, naming the people, while a
salaried person of the month has none."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from django_scopes import scope
from openpyxl import load_workbook

from backoffice.models import AuditEntry
from payroll.imports import columns as C
from payroll.imports.template import TemplateRow, build_template
from payroll.models import Employment, Payslip, SubmissionState
from payroll.services import submissions as services
from payroll.services.payslips import payslip_content
from payroll.services.runs import PayrollRunError, payroll_run
from tests.factories import (
    EntrepreneurFactory,
    PayrollEmploymentFactory,
    PayrollSettingsFactory,
    build_payroll_month,
    make_nir,
    submission_row,
    submission_xlsx,
)
from tests.test_i18n import LOCALE_DIR

PERIOD = datetime.date(2026, 1, 1)
HEADERS = [*submission_row("X").keys(), "date_naissance", "classification"]


@pytest.fixture
def ws(world):
    return world.partner_a


@pytest.fixture
def send(ws, django_capture_on_commit_callbacks):
    def _send(content: bytes):
        with scope(workspace=ws), django_capture_on_commit_callbacks(execute=True):
            submission = services.submission_upload(actor=None, workspace=ws, period=PERIOD,
                                                    upload=SimpleUploadedFile("paie.xlsx", content))
        with scope(workspace=ws):
            submission.refresh_from_db()
        return submission
    return _send


def confirm(ws, submission):
    with scope(workspace=ws):
        return services.submission_confirm(actor=None, submission=submission)


def newcomer(matricule: str, n: int, classification: str) -> dict:
    return submission_row(matricule, nom="Nouvelle", prenom="Zoé", nir=make_nir(n), date_naissance="14/07/1990",
                          classification=classification)


def test_r3243_1_a_new_person_needs_a_classification_when_the_column_is_there(ws, send):
    """R3243-1: the file that creates the person's employment gives their classification; an empty
    cell is refused in French, row and column named, and nothing is written."""
    refused = send(submission_xlsx([newcomer("N1", 1, "")], HEADERS))
    assert refused.state == SubmissionState.INVALID
    [error] = refused.errors
    assert (error["row"], error["column"], error["code"]) == (2, "classification", "missing_required")
    assert "N1" in error["message"] and "R3243-1" in error["message"]

    submission = confirm(ws, send(submission_xlsx([newcomer("N1", 1, "Position 2.1, coefficient 275")], HEADERS)))
    assert submission.state == SubmissionState.CONFIRMED, submission.errors
    with scope(workspace=ws):
        employment = Employment.objects.get(entrepreneur__matricule="N1")
    assert employment.classification == "Position 2.1, coefficient 275"


def test_r3243_1_the_file_fills_a_missing_classification_but_never_overwrites_one(ws, send):
    """A known employment without classification takes the file's (audited); one already recorded
    is changed on the employment page, not by the file: a different value is refused, the same is fine."""
    with scope(workspace=ws):
        blank = PayrollEmploymentFactory(entrepreneur=EntrepreneurFactory(workspace=ws, matricule="K1", nir=make_nir(1)),
                                         classification="")
        recorded = PayrollEmploymentFactory(
            entrepreneur=EntrepreneurFactory(workspace=ws, matricule="K2", nir=make_nir(2)), classification="Niveau C")
    different = [submission_row("K1", classification="ETAM niveau D"),
                 submission_row("K2", classification="Niveau D")]
    refused = send(submission_xlsx(different, [*submission_row("X").keys(), "classification"]))
    assert [(e["row"], e["code"]) for e in refused.errors] == [(3, "classification_mismatch")]
    assert "Niveau C" in refused.errors[0]["message"]

    same = [submission_row("K1", classification="ETAM niveau D"), submission_row("K2", classification="Niveau C")]
    submission = confirm(ws, send(submission_xlsx(same, [*submission_row("X").keys(), "classification"])))
    assert submission.state == SubmissionState.CONFIRMED, submission.errors
    with scope(workspace=ws):
        blank.refresh_from_db()
        recorded.refresh_from_db()
        entry = AuditEntry.objects.get(action="employment.update", object_id=str(blank.pk))
        confirmed = AuditEntry.objects.get(action="payroll.submission_confirm")
    assert (blank.classification, recorded.classification) == ("ETAM niveau D", "Niveau C")
    assert entry.changes["classification"] == "ETAM niveau D"
    assert confirmed.changes["classifications_recorded"] == 1


def test_r3243_1_no_payslip_without_a_classification_end_to_end(ws, send):
    """A file without the column creates the person's employment without classification: the run
    refuses in French, naming the person, and writes no payslip; once the classification is on the
    employment the month is computed and the payslip shows it."""
    with scope(workspace=ws):
        PayrollSettingsFactory(workspace=ws)
    headers = [*submission_row("X").keys(), "date_naissance"]
    row = submission_row("N7", nom="Sansclasse", prenom="Léo", nir=make_nir(7), date_naissance="01/02/1988")
    assert confirm(ws, send(submission_xlsx([row], headers))).state == SubmissionState.CONFIRMED
    with scope(workspace=ws), override_settings(LOCALE_PATHS=[LOCALE_DIR]), translation.override("fr"):
        with pytest.raises(PayrollRunError) as refused:
            payroll_run(actor=None, workspace=ws, period=PERIOD)
        assert not Payslip.objects.exists()
    message = str(refused.value)
    assert "N7 Léo Sansclasse" in message and "R3243-1" in message
    assert message.startswith("Aucune classification")

    with scope(workspace=ws):
        Employment.objects.filter(entrepreneur__matricule="N7").update(classification="Employé, niveau 2")
        outcome = payroll_run(actor=None, workspace=ws, period=PERIOD)
        payslip = Payslip.objects.select_related("entrepreneur__employment").get()
        employment = payslip.entrepreneur.employment
        content = payslip_content(payslip=payslip, lines=(), employer={}, employment=employment,
                                  payment_day=PERIOD)
    assert outcome.created == 1
    assert content["employee"]["classification"] == "Employé, niveau 2"


def test_r3243_1_the_run_names_every_person_without_classification_and_skips_cape(ws):
    """Several people are named in one message; a CAPE holder (no payslip) needs none."""
    with scope(workspace=ws):
        period = build_payroll_month(ws, lines=[
            {"entrepreneur": EntrepreneurFactory(workspace=ws, matricule="A1", first_name="Ana", last_name="Un"),
             "employment": {"classification": ""}},
            {"entrepreneur": EntrepreneurFactory(workspace=ws, matricule="B2", first_name="Bob", last_name="Deux"),
             "employment": {"classification": "  "}},
            {"employment": {"classification": "", "contract_type": "cape"}},
            {"gross_salary": Decimal("3000.00")},
        ])
        with pytest.raises(PayrollRunError) as refused:
            payroll_run(actor=None, workspace=ws, period=period)
    message = str(refused.value)
    assert "A1 Ana Un, B2 Bob Deux" in message
    with scope(workspace=ws):
        cape = Employment.objects.get(contract_type="cape").entrepreneur.matricule
        assert cape not in message
        Employment.objects.filter(classification__in=["", "  "], contract_type="cesa").update(classification="N2")
        outcome = payroll_run(actor=None, workspace=ws, period=period)
    assert (outcome.created, outcome.not_salaried) == (3, [cape])


def test_the_template_has_the_classification_column_explained_and_prefilled():
    """The partner's template: the column, its help on the instructions sheet, and the recorded
    classification of each known person."""
    content = build_template([TemplateRow(matricule="A1", last_name="Active", first_name="Alex", nir="", status="cadre",
                                          hours=None, classification="Position 3.1, coefficient 170")],
                             period_label="janvier 2026")
    book = load_workbook(BytesIO(content))
    sheet, instructions = book.worksheets
    header = [c.value for c in sheet[1]]
    assert "classification" in header
    assert sheet.cell(row=2, column=header.index("classification") + 1).value == "Position 3.1, coefficient 170"
    help_rows = {row[0].value: row[1].value for row in instructions.iter_rows(min_row=5) if row[0].value}
    assert "R3243-1" in help_rows["classification"]
    assert C.column_for_header("Classification conventionnelle") == "classification"
