"""Reading submission files: headers, cells, csv dialects, and the checks of each row
(payroll/imports/). No database: the rows are checked against a hand-made context."""

from __future__ import annotations

import datetime
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from backoffice.spreadsheets import FileRejected, open_table
from payroll.imports import columns as C
from payroll.imports.template import TemplateRow, build_template
from payroll.imports.validate import ImportContext, KnownEntrepreneur, validate_file
from tests.factories import make_nir, submission_csv, submission_row, submission_xlsx

PERIOD = datetime.date(2026, 1, 1)
# SMIC_HOURLY of the 2026 rate table (payroll/data/rates/2026-01-01.json; décret of December 2025).
SMIC_2026 = Decimal("12.02")


def context(known=None) -> ImportContext:
    known = known or {}
    return ImportContext(period=PERIOD, period_end=datetime.date(2026, 1, 31), known=known,
                         nir_owner={k.nir: m for m, k in known.items() if k.nir}, smic_hourly=SMIC_2026)


def known(pk=1, *, nir="", entry=datetime.date(2024, 1, 1), exit_=None, status="non_cadre"):
    return KnownEntrepreneur(pk, nir, entry, exit_, pk, status)


def check(tmp_path: Path, content: bytes, name: str, ctx=None):
    path = tmp_path / name
    path.write_bytes(content)
    rows = []
    result = validate_file(path, name=name, ctx=ctx or context(), on_row=rows.append)
    return result, rows


def errors_at(result) -> set[tuple]:
    return {(e["row"], e["column"], e["code"]) for e in result.errors}


# --- headers and cells ------------------------------------------------------------------------

@pytest.mark.parametrize("header, key", [
    ("Salaire brut", "salaire_brut"), ("  SALAIRE_BRUT ", "salaire_brut"), ("salaire-brut", "salaire_brut"),
    ("Prénom", "prenom"), ("N° sécurité sociale", "nir"), ("Chiffre d'affaires HT", "chiffre_affaires_ht"),
    ("Taux PAS", "taux_pas"), ("Coût employeur cible", "cout_employeur_cible"), ("Date d'entrée", "date_entree"),
    ("commentaire", None),
])
def test_headers_match_whatever_the_case_accents_and_spaces(header, key):
    assert C.column_for_header(header) == key


@pytest.mark.parametrize("raw, expected", [
    ("1 234,56", Decimal("1234.56")), ("1\u202f234,56 €", Decimal("1234.56")), ("1.234,56", Decimal("1234.56")),
    ("1234.5", Decimal("1234.50")), ("0", Decimal("0.00")), (2500, Decimal("2500.00")),
    (1234.56, Decimal("1234.56")),
    # Binary float noise of a numeric xlsx cell is what the user typed, not a third decimal.
    (0.1 + 0.2, Decimal("0.30")), ("", None), ("   ", None), (None, None),
])
def test_money_is_read_as_decimal_from_text_and_numbers(raw, expected):
    value = C.read_money(raw)
    assert value == expected
    assert value is None or isinstance(value, Decimal)


@pytest.mark.parametrize("raw, code", [
    ("12,345", "too_many_decimals"), (1234.567, "too_many_decimals"), ("-5", "negative"), ("−5,00", "negative"),
    ("abc", "not_a_number"), ("12,5,3", "not_a_number"), ("1e5", "not_a_number"), (True, "not_a_number"),
    (datetime.date(2026, 1, 5), "date_in_number"), (float("nan"), "not_a_number"), ("99999999999", "too_large"),
])
def test_bad_amounts_are_refused_with_a_reason(raw, code):
    with pytest.raises(C.CellError) as exc:
        C.read_money(raw)
    assert exc.value.code == code and exc.value.message


def test_rates_hours_status_nir_and_dates():
    assert C.read_rate("7,5 %") == Decimal("7.50")
    with pytest.raises(C.CellError, match="between 0 and 100"):
        C.read_rate("101")
    # A duration cell 151:40 is 151.67 hours (to the hundredth).
    assert C.read_hours(datetime.timedelta(hours=151, minutes=40)) == Decimal("151.67")
    with pytest.raises(C.CellError):
        C.read_hours("800")
    assert C.read_status("Non-Cadre") == "non_cadre" and C.read_status("CADRE") == "cadre"
    assert C.read_status("non cadre") == "non_cadre"  # what the template's list and its messages offer
    with pytest.raises(C.CellError, match="cadre or non cadre"):
        C.read_status("stagiaire")
    nir = make_nir(7)
    assert C.read_nir(f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:]}") == nir
    assert C.read_nir(float(nir)) == nir  # a NIR typed into a number cell (calamine returns a float)
    with pytest.raises(C.CellError, match="not a valid social-security number"):
        C.read_nir(nir[:-2] + "00")
    assert C.read_date("05/01/2026") == datetime.date(2026, 1, 5)  # French order, not US
    assert C.read_date(datetime.datetime(2026, 1, 5, 0, 0)) == datetime.date(2026, 1, 5)
    with pytest.raises(C.CellError, match="dd/mm/yyyy"):
        C.read_date("début janvier")
    assert C.parse_period("2026-01") == PERIOD and C.parse_period("01/2026") == PERIOD
    with pytest.raises(ValueError):
        C.parse_period("janvier")


# --- csv dialects -----------------------------------------------------------------------------

def test_french_excel_csv_in_windows_1252_with_accents_and_decimal_comma(tmp_path):
    nir = make_nir(1)
    content = submission_csv([submission_row("M1", nom="Lefèvre", prenom="Zoé", nir=nir, salaire_brut="2500.50",
                                             primes="100.25", taux_pas="7.5")], encoding="cp1252")
    assert "è".encode("cp1252") in content and b"2500,50" in content  # really cp1252, really a decimal comma
    result, rows = check(tmp_path, content, "paie.csv")
    assert result.ok, result.errors
    assert result.preview["file"]["encoding"] == "cp1252" and result.preview["file"]["delimiter"] == ";"
    (row,) = rows
    assert (row.last_name, row.first_name, row.gross_salary, row.bonuses, row.pas_rate) == (
        "Lefèvre", "Zoé", Decimal("2500.50"), Decimal("100.25"), Decimal("7.50"))


def test_csv_utf8_with_bom(tmp_path):
    content = submission_csv([submission_row("M1", nom="Œuvre", prenom="Anaïs", nir=make_nir(2))],
                             encoding="utf-8-sig")
    assert content.startswith(b"\xef\xbb\xbf")
    result, rows = check(tmp_path, content, "paie.csv")
    assert result.ok, result.errors
    assert rows[0].last_name == "Œuvre" and rows[0].first_name == "Anaïs"
    assert rows[0].matricule == "M1"  # the BOM is not glued to the first header


def test_csv_utf8_without_bom_with_an_accent_far_down(tmp_path):
    """The encoding is decided on the whole file, not its first bytes."""
    rows = [submission_row(f"M{i}", nom="Martin", prenom="Jean", nir=make_nir(i)) for i in range(300)]
    rows[-1]["nom"] = "Müller"
    result, parsed = check(tmp_path, submission_csv(rows, encoding="utf-8"), "paie.csv")
    assert result.ok, result.errors[:3]
    assert parsed[-1].last_name == "Müller"


def test_csv_with_comma_separator_and_quoted_decimal_commas(tmp_path):
    content = submission_csv([submission_row("M1", nom="A", prenom="B", nir=make_nir(3), salaire_brut="2000.10")],
                             delimiter=",", encoding="utf-8")
    result, rows = check(tmp_path, content, "paie.csv")
    assert result.ok, result.errors
    assert rows[0].gross_salary == Decimal("2000.10")


# --- row rules --------------------------------------------------------------------------------

def test_every_row_error_names_its_excel_row_and_column(tmp_path):
    nir_known, nir_new = make_nir(10), make_nir(11)
    ctx = context({"K1": known(1, nir=nir_known), "K2": known(2, exit_=datetime.date(2025, 12, 31)),
                   "K3": known(3, entry=datetime.date(2026, 2, 1))})
    rows = [
        submission_row("K1", nir=make_nir(12)),                                  # row 2: NIR not the recorded one
        submission_row("K2"),                                                    # row 3: left before the month
        submission_row("N1", nom="New", prenom="", nir=nir_new),                 # row 4: prenom missing (new)
        submission_row("N2", nom="New", prenom="Two", nir=make_nir(12)[:-1] + "0"),  # row 5: bad NIR key
        submission_row("N3", nom="New", prenom="Three", nir=nir_known),          # row 6: NIR of K1
        submission_row("K1"),                                                    # row 7: duplicate matricule
        submission_row("K3"),                                                    # row 8: enters after the month
        submission_row("", salaire_brut="100"),                                  # row 9: matricule missing
        submission_row("N4", nom="A", prenom="B", nir=make_nir(13), statut="interim"),  # row 10: bad statut
        submission_row("N5", nom="A", prenom="B", nir=make_nir(14), salaire_brut="-10"),  # row 11: negative
        submission_row("N6", nom="A", prenom="B", nir=make_nir(15), taux_pas="120"),      # row 12: rate
        submission_row("N7", nom="A", prenom="B", nir=make_nir(16), taux_pas=""),         # row 13: no rate: fine
        submission_row("N8", nom="A", prenom="B", nir=make_nir(17), salaire_brut="", net_cible="1500",
                       cout_employeur_cible="3000"),                                      # row 14: two figures
        submission_row("N9", nom="A", prenom="B", nir=make_nir(18), salaire_brut=""),     # row 15: no figure
        submission_row("N10", nom="A", prenom="B", nir=make_nir(19), heures="151.67",
                       salaire_brut="1500"),                                              # row 16: below SMIC
        submission_row("N11", nom="A", prenom="B", nir=make_nir(20), salaire_brut="deux mille"),  # row 17
    ]
    headers = [*rows[0].keys(), "net_cible", "cout_employeur_cible"]
    result, written = check(tmp_path, submission_xlsx(rows, headers), "paie.xlsx", ctx)
    assert not written  # nothing is handed to the writer once an error is found
    assert {
        (2, "nir", "nir_mismatch"), (3, "matricule", "exited"), (4, "prenom", "missing_required"),
        (5, "nir", "bad_nir"), (6, "nir", "nir_taken"), (7, "matricule", "duplicate"),
        (8, "matricule", "not_yet_entered"), (9, "matricule", "missing_required"), (10, "statut", "bad_status"),
        (11, "salaire_brut", "negative"), (12, "taux_pas", "rate_out_of_range"),
        (14, "net_cible", "several_pay_figures"), (15, "salaire_brut", "no_pay_figure"),
        (16, "salaire_brut", "below_smic"), (17, "salaire_brut", "not_a_number"),
    } <= errors_at(result)
    # An empty rate is no error: the compte-rendu rate or the non-personalised grid applies
    # (art. 204 H III CGI).
    assert 13 not in {e["row"] for e in result.errors}
    by_row = {e["row"]: e["message"] for e in result.errors}
    assert "row 2" in by_row[7]  # the duplicate points at the first occurrence
    assert make_nir(12) not in str(result.errors)  # a NIR is never repeated in clear, even a wrong one
    assert "12,02" in by_row[16] or "12.02" in by_row[16]  # the SMIC of the rate table in force is quoted
    assert result.error_count == len(result.errors)


def test_the_monthly_smic_for_151_67_hours_passes_and_a_cent_less_fails(tmp_path):
    """2026: 12.02 € × 35 h × 52 / 12 = 1 823.03 € (the published monthly SMIC); 151.67 h is
    that month rounded to the hundredth, so the check allows for the hours' rounding."""
    ok = submission_row("N1", nom="A", prenom="B", nir=make_nir(1), heures="151.67", salaire_brut="1823.03")
    low = submission_row("N2", nom="A", prenom="B", nir=make_nir(2), heures="151.67", salaire_brut="1820.00")
    result, _ = check(tmp_path, submission_xlsx([ok, low]), "paie.xlsx")
    assert errors_at(result) == {(3, "salaire_brut", "below_smic")}


def test_a_valid_file_gives_totals_and_the_new_matricules(tmp_path):
    ctx = context({"K1": known(1)})
    rows = [submission_row("K1", salaire_brut="2000", primes="100", frais_rembourses="12.5",
                           chiffre_affaires_ht="5000"),
            submission_row("N1", nom="Nouveau", prenom="Né", nir=make_nir(40), salaire_brut="", net_cible="1500",
                           chiffre_affaires_ht="3000.10", date_entree="15/01/2026")]
    result, written = check(tmp_path, submission_xlsx(rows, [*rows[0].keys(), "net_cible", "date_entree"]),
                            "paie.xlsx", ctx)
    assert result.ok, result.errors
    preview = result.preview
    assert preview["row_count"] == 2 and preview["new_count"] == 1 and preview["known_count"] == 1
    assert preview["totals"]["gross_salary"] == "2000.00" and preview["totals"]["revenue"] == "8000.10"
    assert preview["totals"]["target_net"] == "1500.00" and preview["pay_given_as"] == {
        "gross": 1, "employer_cost": 0, "net": 1}
    assert preview["new_entrepreneurs"] == [{"row": 3, "matricule": "N1", "last_name": "Nouveau", "first_name": "Né"}]
    assert written[1].entry_date == datetime.date(2026, 1, 15) and written[1].target_net == Decimal("1500.00")


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(tmp_path):
    rows = [submission_row("N1", nom="A", prenom="B", nir=make_nir(1)), {},
            submission_row("N2", nom="A", prenom="B", nir="bad")]
    result, _ = check(tmp_path, submission_xlsx(rows, list(rows[0])), "paie.xlsx")
    assert result.row_count == 2
    assert errors_at(result) == {(4, "nir", "bad_nir")}


def test_stored_errors_are_capped_with_the_total_count(tmp_path, monkeypatch):
    from payroll.imports import validate

    monkeypatch.setattr(validate, "MAX_STORED_ERRORS", 5)
    rows = [submission_row(f"N{i}", nom="A", prenom="B", nir="bad") for i in range(12)]
    result, _ = check(tmp_path, submission_xlsx(rows), "paie.xlsx")
    assert len(result.errors) == 5 and result.error_count == 12 and result.preview["errors_truncated"]


# --- the template -----------------------------------------------------------------------------

def test_the_template_has_headers_validation_prefilled_rows_and_no_formula_injection(tmp_path):
    rows = [TemplateRow("00123", "=HYPERLINK(\"http://x\")", "Zoé", make_nir(1), "cadre", Decimal("151.67")),
            TemplateRow("M2", "Martin", "Léa", "", "", None)]
    content = build_template(rows, period_label="janvier 2026")
    wb = load_workbook(BytesIO(content))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [c.key for c in C.COLUMNS]
    assert ws["A2"].value == "00123" and ws["A2"].number_format == "@"  # leading zeros kept as text
    assert ws["B2"].data_type == "s" and ws["B2"].quotePrefix  # a name starting with "=" stays text
    assert ws["E2"].value == "cadre" and str(ws["F2"].value) == "151.67"
    validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert validations["E2"].formula1 == '"cadre,non cadre"'
    assert (validations["K2"].formula1, validations["K2"].formula2) == ("0", "100")  # taux_pas
    assert validations["G2"].operator == "greaterThanOrEqual"  # amounts ≥ 0
    with zipfile.ZipFile(BytesIO(content)) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")
    # Filled in and sent back, the template validates.
    ws["G2"], ws["K2"], ws["G3"], ws["K3"], ws["E3"] = 2500, 0, 2100, 5, "non_cadre"
    ws["C3"].value, ws["D3"].value = "Léa", make_nir(2)
    out = BytesIO()
    wb.save(out)
    ctx = context({"00123": known(1, nir=make_nir(1)), "M2": known(2)})
    result, written = check(tmp_path, out.getvalue(), "paie.xlsx", ctx)
    assert result.ok, result.errors
    assert [r.matricule for r in written] == ["00123", "M2"]


def test_open_table_refuses_an_unknown_extension(tmp_path):
    path = tmp_path / "paie.ods"
    path.write_bytes(b"PK\x03\x04whatever")
    with pytest.raises(FileRejected, match="not accepted"):
        with open_table(path, name="paie.ods"):
            pass
