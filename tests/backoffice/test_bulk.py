"""backoffice/bulk.py: COPY on PostgreSQL (bulk_create elsewhere) writes exactly what the ORM
would — defaults, nulls, decimals, dates, auto_now_add — and a constraint violation is
Django's IntegrityError with nothing written."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django_scopes import scope

from backoffice.bulk import bulk_insert, bulk_set
from backoffice.services.documents import document_upload
from payroll.models import Employment, SubmissionLine
from tests.factories import EntrepreneurFactory, SubmissionFactory, build_payroll_month


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        yield world.partner_a


def test_bulk_insert_writes_what_bulk_create_would(ws):
    period = build_payroll_month(ws, lines=[])
    submission = SubmissionFactory(period=period)
    people = [EntrepreneurFactory(workspace=ws) for _ in range(3)]
    written = bulk_insert(SubmissionLine, [
        {"workspace_id": ws.pk, "submission_id": submission.pk, "entrepreneur_id": person.pk, "row_number": i + 2,
         "status": "cadre", "hours": None, "gross_salary": Decimal("2500.10"), "pas_rate": Decimal("4.5")}
        for i, person in enumerate(people)])
    bulk_insert(Employment, [{"workspace_id": ws.pk, "entrepreneur_id": people[0].pk, "status": "cadre",
                              "start_date": datetime.date(2026, 1, 1)}])
    assert written == 3
    lines = list(SubmissionLine.objects.filter(submission=submission).order_by("row_number"))
    assert [line.row_number for line in lines] == [2, 3, 4]
    assert lines[0].gross_salary == Decimal("2500.10") and lines[0].hours is None
    assert lines[0].bonuses == Decimal("0") and lines[0].pas_rate == Decimal("4.50")  # defaults
    employment = Employment.objects.get(entrepreneur=people[0])
    assert (employment.job_title, employment.is_associate, employment.contract_type) == (
        "", False, Employment._meta.get_field("contract_type").get_default())
    assert employment.start_date == datetime.date(2026, 1, 1)


def test_bulk_insert_refuses_a_duplicate_and_writes_nothing(ws):
    period = build_payroll_month(ws, lines=[])
    submission = SubmissionFactory(period=period)
    person = EntrepreneurFactory(workspace=ws)
    row = {"workspace_id": ws.pk, "submission_id": submission.pk, "entrepreneur_id": person.pk, "row_number": 2,
           "status": "cadre", "gross_salary": Decimal("2500")}
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(SubmissionLine, [row, {**row, "row_number": 3}])
    assert not SubmissionLine.objects.filter(submission=submission).exists()


def test_bulk_insert_of_nothing_does_nothing():
    assert bulk_insert(SubmissionLine, []) == 0


def test_an_upload_is_hashed_as_it_is_stored(ws):
    content = b"%PDF-1.4 " + b"x" * 200_000
    document = document_upload(actor=None, workspace=ws, upload=SimpleUploadedFile("a.pdf", content))
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    with document.file.open("rb") as handle:
        assert handle.read() == content


def test_bulk_set_updates_only_the_given_rows_and_columns(ws):
    period = build_payroll_month(ws, lines=[])
    submission = SubmissionFactory(period=period)
    people = [EntrepreneurFactory(workspace=ws) for _ in range(3)]
    lines = [SubmissionLine.objects.create(workspace=ws, submission=submission, entrepreneur=person, row_number=i + 2,
                                           status="cadre", gross_salary=Decimal("2500"))
             for i, person in enumerate(people)]
    changed = bulk_set(SubmissionLine, {
        lines[0].pk: {"gross_salary": Decimal("3100.55"), "hours": Decimal("151.67")},
        lines[2].pk: {"gross_salary": Decimal("1800"), "hours": None},
    }, ["gross_salary", "hours"])
    assert changed == 2
    after = {line.pk: line for line in SubmissionLine.objects.filter(submission=submission)}
    assert (after[lines[0].pk].gross_salary, after[lines[0].pk].hours) == (Decimal("3100.55"), Decimal("151.67"))
    assert (after[lines[2].pk].gross_salary, after[lines[2].pk].hours) == (Decimal("1800"), None)
    assert after[lines[1].pk].gross_salary == Decimal("2500")  # not given: untouched
    assert after[lines[0].pk].row_number == 2  # a column not named: untouched


def test_bulk_set_refuses_an_unknown_column(ws):
    with pytest.raises(TypeError):
        bulk_set(SubmissionLine, {1: {"nope": 1}}, ["nope"])
