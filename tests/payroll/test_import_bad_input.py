"""Bad input (issue 3, "Bad input"): every malformed file gives a clear message and writes
nothing. One test per case; each file is generated here. Each goes the whole way: upload
service → validation task → the version's state and errors → confirmation refused."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope
from openpyxl import Workbook

from backoffice import spreadsheets as parse
from backoffice.models import Entrepreneur
from payroll.models import MonthlySubmission, SubmissionLine, SubmissionState
from payroll.services import submissions as services
from tests.factories import (
    FAR_CELL_XLSX,
    SUBMISSION_HEADERS,
    make_nir,
    submission_csv,
    submission_row,
    submission_xlsx,
)

PERIOD = datetime.date(2026, 1, 1)


@pytest.fixture
def ws(world):
    return world.partner_a


@pytest.fixture
def send(ws, django_capture_on_commit_callbacks):
    def _send(content: bytes, name: str = "paie.xlsx"):
        with scope(workspace=ws), django_capture_on_commit_callbacks(execute=True):
            submission = services.submission_upload(actor=None, workspace=ws, period=PERIOD,
                                                    upload=SimpleUploadedFile(name, content))
        with scope(workspace=ws):
            submission.refresh_from_db()
        return submission
    return _send


@pytest.fixture
def nothing_written(ws):
    """After the test: no line and no entrepreneur, and a version with errors cannot be confirmed."""
    yield
    with scope(workspace=ws):
        assert not SubmissionLine.objects.exists() and not Entrepreneur.objects.exists()
        for submission in MonthlySubmission.objects.all():
            assert submission.state in (SubmissionState.INVALID, SubmissionState.FAILED)
            with pytest.raises(services.SubmissionRefused):
                services.submission_confirm(actor=None, submission=submission)


def valid_rows(n: int = 2) -> list[dict]:
    return [submission_row(f"N{i}", nom=f"Nom{i}", prenom="P", nir=make_nir(i)) for i in range(n)]


def workbook_bytes(fill) -> bytes:
    wb = Workbook()
    fill(wb.active)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def errors(submission) -> list[tuple]:
    return [(e["row"], e["column"], e["code"]) for e in submission.errors]


def test_wrong_columns(send, nothing_written):
    headers = [h for h in SUBMISSION_HEADERS if h not in ("salaire_brut", "taux_pas")] + ["commentaire"]
    submission = send(submission_xlsx([[f"N{i}", "A", "B", make_nir(i), "cadre", "", "0", "0", "0", "ok"]
                                       for i in range(3)], headers))
    assert submission.state == SubmissionState.INVALID
    assert (1, "commentaire", "unknown_column") in errors(submission)
    (missing,) = [e["message"] for e in submission.errors if e["code"] == "missing_column"]
    assert "salaire_brut" in missing and "template" in missing
    assert "taux_pas" not in missing  # optional: without it, the compte-rendu rate or the grid applies
    assert len(submission.errors) == 2  # no noise from every row once the header is wrong


def test_a_column_twice(send, nothing_written):
    submission = send(submission_csv([[*r.values(), "1"] for r in valid_rows()], [*SUBMISSION_HEADERS, "Primes"]),
                      "paie.csv")
    assert (1, "Primes", "duplicate_column") in errors(submission)


def test_merged_cells(send, nothing_written):
    def fill(ws):
        ws.append(SUBMISSION_HEADERS)
        ws.append(["N1", "Martin", "", make_nir(1), "cadre", None, 2500, 0, 0, 0, 0])
        ws.merge_cells("B2:C2")
    submission = send(workbook_bytes(fill))
    assert submission.state == SubmissionState.INVALID
    (merged,) = [e for e in submission.errors if e["code"] == "merged"]
    assert (merged["row"], merged["column"]) == (2, "nom") and "B2:C2" in merged["message"]


def test_formulas(send, nothing_written):
    def fill(ws):
        ws.append(SUBMISSION_HEADERS)
        ws.append(["N1", "Martin", "Léa", make_nir(1), "cadre", None, "=1000*2", 0, 0, 0, 0])
        ws.append(["N2", "Durand", "Luc", make_nir(2), "cadre", None, 2000, "=G2/10", 0, 0, 0])
    submission = send(workbook_bytes(fill))
    assert submission.state == SubmissionState.INVALID
    formulas = [(e["row"], e["column"]) for e in submission.errors if e["code"] == "formula"]
    assert formulas == [(2, "salaire_brut"), (3, "primes")]
    assert "paste the values only" in submission.errors[0]["message"]


def test_error_values(send, nothing_written):
    def fill(ws):
        ws.append(SUBMISSION_HEADERS)
        ws.append(["N1", "Martin", "Léa", make_nir(1), "cadre", None, "#DIV/0!", 0, 0, 0, 0])
    submission = send(workbook_bytes(fill))
    assert ("error_value" in {e["code"] for e in submission.errors}
            and (2, "salaire_brut") in {(e["row"], e["column"]) for e in submission.errors})


def test_dates_as_text_and_dates_in_amounts(send, nothing_written):
    def fill(ws):
        ws.append([*SUBMISSION_HEADERS, "date_entree"])
        ws.append(["N1", "Martin", "Léa", make_nir(1), "cadre", None, 2500, 0, 0, 0, 0, "début janvier"])
        ws.append(["N2", "Durand", "Luc", make_nir(2), "cadre", None, datetime.date(2026, 1, 5), 0, 0, 0, 0,
                   "05/01/2026"])
    submission = send(workbook_bytes(fill))
    assert submission.state == SubmissionState.INVALID
    assert errors(submission) == [(2, "date_entree", "bad_date"), (3, "salaire_brut", "date_in_number")]
    assert "dd/mm/yyyy" in submission.errors[0]["message"] and "05/01/2026" in submission.errors[1]["message"]


def test_an_empty_sheet(send, nothing_written):
    submission = send(workbook_bytes(lambda ws: None))
    assert submission.state == SubmissionState.FAILED
    assert errors(submission) == [(None, "", "empty")] and "empty" in submission.errors[0]["message"]


def test_a_header_without_data(send, nothing_written):
    submission = send(submission_xlsx([], SUBMISSION_HEADERS))
    assert submission.state == SubmissionState.INVALID and errors(submission) == [(2, "", "no_rows")]


def test_a_file_over_the_size_limit(ws, send, settings, nothing_written):
    settings.MAX_UPLOAD_BYTES = 10_000
    content = submission_csv(valid_rows(200))
    assert len(content) > 10_000
    with pytest.raises(services.SubmissionRefused, match="limit"):
        send(content, "paie.csv")
    with scope(workspace=ws):
        assert not MonthlySubmission.objects.exists()


@pytest.mark.parametrize("name, make", [("paie.xlsx", submission_xlsx), ("paie.csv", submission_csv)])
def test_too_many_rows(send, monkeypatch, nothing_written, name, make):
    monkeypatch.setattr(parse, "MAX_ROWS", 20)
    submission = send(make(valid_rows(30)), name)
    assert submission.state in (SubmissionState.FAILED, SubmissionState.INVALID)
    assert any(e["code"] == "too_many_rows" and "20" in e["message"] for e in submission.errors)


@pytest.mark.parametrize("name, content", [
    ("paie.xlsx", b"%PDF-1.4 not a spreadsheet at all"),
    ("paie.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # an old .xls / protected file
    ("paie.csv", bytes(range(256)) * 20),                               # binary data named .csv
    ("paie.pdf", b"%PDF-1.4"),
])
def test_not_a_spreadsheet_is_refused_at_upload(ws, send, nothing_written, name, content):
    with pytest.raises(services.SubmissionRefused) as exc:
        send(content, name)
    assert exc.value.message
    with scope(workspace=ws):
        assert not MonthlySubmission.objects.exists()


def test_a_zip_that_is_not_a_workbook(send, nothing_written):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    submission = send(out.getvalue())
    assert submission.state == SubmissionState.FAILED
    assert "not an Excel workbook" in submission.errors[0]["message"]


def test_a_zip_bomb_is_refused_before_it_is_decompressed(send, nothing_written):
    good = submission_xlsx(valid_rows(1))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + b" " * 30_000_000)
            zf.writestr(info.filename, data)
    assert len(out.getvalue()) < 200_000  # 30 MB of XML in a few kilobytes
    submission = send(out.getvalue())
    assert submission.state == SubmissionState.FAILED
    assert errors(submission) == [(None, "", "zip_bomb")] and "zip bomb" in submission.errors[0]["message"]


def test_a_workbook_declaring_a_huge_uncompressed_size(send, monkeypatch, nothing_written):
    monkeypatch.setattr(parse, "MAX_UNCOMPRESSED", 1000)
    submission = send(submission_xlsx(valid_rows(1)))
    assert submission.state == SubmissionState.FAILED and submission.errors[0]["code"] == "zip_bomb"


def test_a_csv_with_one_column(send, nothing_written):
    submission = send("\r\n".join(["matricule", "N1", "N2"]).encode(), "paie.csv")
    assert submission.state == SubmissionState.FAILED
    assert "“;” separators" in submission.errors[0]["message"]


def test_a_csv_with_a_broken_record(send, nothing_written):
    import csv

    csv.field_size_limit(1000)  # so that the test needs no huge file
    try:
        content = submission_csv(valid_rows(2)) + b'N9;"' + b"x" * 2000 + b'";P\r\n'
        submission = send(content, "paie.csv")
    finally:
        csv.field_size_limit(131072)
    assert submission.state in (SubmissionState.FAILED, SubmissionState.INVALID)
    assert any(e["code"] == "bad_csv" and e["row"] == 4 for e in submission.errors)


@pytest.mark.parametrize("content", [c for _, c in FAR_CELL_XLSX], ids=[i for i, _ in FAR_CELL_XLSX])
def test_a_far_cell_is_refused_before_calamine_reads_it(send, monkeypatch, nothing_written, content):
    """Issue 6: one cell at XFD1048576 in a 5 KB file made calamine ask for 549 GB."""
    from python_calamine import CalamineWorkbook

    monkeypatch.setattr(CalamineWorkbook, "from_path", lambda *a, **k: pytest.fail("calamine saw a far cell"))
    submission = send(content)
    assert submission.state == SubmissionState.FAILED
    assert [e["code"] for e in submission.errors] == ["too_far"]
