"""The one bounded spreadsheet reader (backoffice/spreadsheets.py, issue 6 §1): every far
coordinate is refused by the streaming pre-scan, before calamine sizes a grid from it, and
load_dataset gives django-import-export users a tablib.Dataset of what passed."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backoffice import spreadsheets
from backoffice.spreadsheets import FileRejected, load_dataset
from tests.factories import FAR_CELL_XLSX, raw_xlsx, submission_xlsx


@pytest.fixture
def calamine_never_called(monkeypatch):
    """A far cell must be refused before calamine opens the file."""
    from python_calamine import CalamineWorkbook

    def refuse(*args, **kwargs):
        raise AssertionError("calamine opened a file the pre-scan should have refused")
    monkeypatch.setattr(CalamineWorkbook, "from_path", refuse)


@pytest.mark.parametrize("content", [c for _, c in FAR_CELL_XLSX], ids=[i for i, _ in FAR_CELL_XLSX])
def test_a_far_coordinate_is_refused_before_any_reader(tmp_path, calamine_never_called, content):
    path = tmp_path / "paie.xlsx"
    path.write_bytes(content)
    assert len(content) < 5000
    with pytest.raises(FileRejected) as exc:
        load_dataset(path, name="paie.xlsx")
    assert exc.value.code == "too_far"
    assert "CV" in exc.value.message and "101" in exc.value.message  # says what is read


def test_references_at_the_limits_are_read(tmp_path):
    last = spreadsheets.column_letter(spreadsheets.MAX_COLUMNS - 1)  # CV
    row = spreadsheets.max_row_number()
    content = raw_xlsx(f'<row r="2"><c r="A2"><v>7</v></c><c r="{last}2"><v>8</v></c></row>'
                       f'<row r="{row}"><c r="A{row}"><v>9</v></c></row>', dimension=f"A1:{last}{row}",
                       header=("a",))
    path = tmp_path / "ok.xlsx"
    path.write_bytes(content)
    with spreadsheets.open_table(path, name="ok.xlsx") as table:
        rows = list(table.rows)
    assert table.header == ["a"] and [(number, cells[0], cells[-1]) for number, cells in rows] == [
        (2, 7.0, 8.0), (row, 9.0, "")]


def test_leading_zeros_and_page_margins_are_not_mistaken_for_far_cells(tmp_path):
    # `header="0.3"` ends in r="…" and a reference may be written with leading zeros.
    content = raw_xlsx('<row r="2"><c r="A002"><v>7</v></c></row>', header=("a",)).replace(
        b"</sheetData>", b'</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
                         b'header="0.3" footer="0.3"/>')
    path = tmp_path / "ok.xlsx"
    path.write_bytes(content)
    assert load_dataset(path, name="ok.xlsx")[0] == (7.0,)


def test_load_dataset_from_an_upload_in_memory():
    rows = [{"matricule": "N1", "nom": "Dupont", "date": datetime.date(2026, 1, 5)}]
    upload = SimpleUploadedFile("liste.xlsx", submission_xlsx(rows, headers=["matricule", "nom", "date"]))
    dataset = load_dataset(upload, name=upload.name)
    assert dataset.headers == ["matricule", "nom", "date"]
    assert dataset.dict[0]["nom"] == "Dupont" and dataset.dict[0]["date"] in (datetime.date(2026, 1, 5),
                                                                            datetime.datetime(2026, 1, 5))


def test_load_dataset_reads_a_french_csv(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes("nom;montant\r\n\r\nÉlodie;1 234,50\r\n".encode("cp1252"))
    dataset = load_dataset(path, name="liste.csv")
    assert dataset.headers == ["nom", "montant"] and dataset[0] == ("Élodie", "1 234,50")
    assert dataset.row_numbers == [3]


def test_load_dataset_refuses_a_value_without_a_header(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(b"nom;montant\r\nA;1;surprise\r\n")
    with pytest.raises(FileRejected, match="no header"):
        load_dataset(path, name="liste.csv")


@pytest.mark.parametrize("name, content", [("liste.xlsx", b"%PDF-1.4"), ("liste.ods", b"PK\x03\x04"),
                                           ("liste.csv", b"")])
def test_load_dataset_refuses_what_is_not_a_spreadsheet(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileRejected) as exc:
        load_dataset(path, name=name)
    assert exc.value.message


def test_an_upload_over_the_limit_is_not_copied(settings):
    settings.MAX_UPLOAD_BYTES = 1000
    with pytest.raises(FileRejected, match="limit"):
        load_dataset(SimpleUploadedFile("liste.csv", b"a;b\r\n" * 1000), name="liste.csv")


# --- the memory ceiling (guarded_load) -------------------------------------------------------

# One cell at the last row and column that the pre-scan allows: calamine's dense grid of
# 101,001 × 100 cells takes ~330 MB (bench/spreadsheets.py), over a ceiling of 150 MB.
HEAVY = raw_xlsx('<row r="101001"><c r="CV101001"><v>1</v></c></row>', header=("matricule",))


def test_a_sheet_over_the_memory_ceiling_fails_in_its_child_only(tmp_path, settings):
    settings.SPREADSHEET_MEMORY_MB = 150
    path = tmp_path / "lourd.xlsx"
    path.write_bytes(HEAVY)
    with pytest.raises(FileRejected) as exc:
        load_dataset(path, name="lourd.xlsx")
    assert exc.value.code == "too_much_memory" and "150" in exc.value.message


def test_a_normal_sheet_passes_the_ceiling_and_reports_its_peak(tmp_path, settings):
    settings.SPREADSHEET_MEMORY_MB = 150
    path = tmp_path / "ok.xlsx"
    path.write_bytes(submission_xlsx([{"matricule": "N1", "nom": "Dupont"}], headers=["matricule", "nom"]))
    report = spreadsheets.guarded_load(path)
    assert report.rows == 2 and 0 < report.maxrss_kb < 150 * 1024
    assert load_dataset(path, name="ok.xlsx")[0] == ("N1", "Dupont")


def test_a_damaged_workbook_that_passes_the_scan_is_refused_by_the_child(tmp_path, settings):
    settings.SPREADSHEET_MEMORY_MB = 300
    path = tmp_path / "casse.xlsx"
    path.write_bytes(raw_xlsx('<row r="2"><c r="A2" t="s"><v>99</v></c></row>'))  # no shared strings part
    with pytest.raises(FileRejected) as exc:
        load_dataset(path, name="casse.xlsx")
    assert exc.value.code == "not_a_spreadsheet"


def test_an_over_limit_submission_ends_failed_not_validating(world, settings, django_capture_on_commit_callbacks):
    """The validation task's parse over the ceiling becomes a clean "failed" version."""
    from django_scopes import scope

    from payroll.models import SubmissionState
    from payroll.services import submissions as services

    settings.SPREADSHEET_MEMORY_MB = 150
    with scope(workspace=world.partner_a), django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_upload(actor=None, workspace=world.partner_a,
                                                period=datetime.date(2026, 1, 1),
                                                upload=SimpleUploadedFile("paie.xlsx", HEAVY))
    with scope(workspace=world.partner_a):
        submission.refresh_from_db()
    assert submission.state == SubmissionState.FAILED
    assert [e["code"] for e in submission.errors] == ["too_much_memory"]


@pytest.mark.parametrize(("raw", "unit", "expected"), [
    ("1 234,50", "", "1234.50"), ("1\u00a0234,5", "", "1234.5"), (151.67, "", "151.67"), (14, "", "14"),
    ("12,5 %", "%", "12.5"), ("450,00 €", "€", "450.00"), ("", "", None), (None, "", None),
])
def test_french_decimal_reads_what_french_users_type(raw, unit, expected):
    from decimal import Decimal

    from backoffice.spreadsheets import french_decimal

    assert french_decimal(raw, unit=unit) == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize("raw", ["douze", True, "1,2,3", "nan", "inf"])
def test_french_decimal_refuses_what_is_not_a_number(raw):
    from backoffice.spreadsheets import french_decimal

    with pytest.raises(ValueError):
        french_decimal(raw)


def test_french_date_formats():
    import datetime

    from backoffice.spreadsheets import french_date

    day = datetime.date(2026, 1, 31)
    assert {french_date(v) for v in ("31/01/2026", "2026-01-31", "31-01-2026", "31.01.2026", day,
                                     datetime.datetime(2026, 1, 31, 8))} == {day}
    assert french_date("") is None
    with pytest.raises(ValueError):
        french_date("31/02/2026")
