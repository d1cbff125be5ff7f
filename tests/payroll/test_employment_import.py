"""Importing employment data from xlsx: checked in full first, written all or nothing, errors by
row and column."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook, load_workbook

from backoffice.models import AuditEntry
from payroll.models import Employment
from payroll.services.employment import COLUMNS, employment_import, read_xlsx
from tests.conftest import login
from tests.factories import FAR_CELL_XLSX, EntrepreneurFactory, PayrollEmploymentFactory

IBAN = "FR7630006000011234567890189"
# The required columns and the classification a new salaried contract needs (R3243-1).
HEADER = (*COLUMNS, "classification")


def tr(message: str, **params) -> str:
    """A message as users read it (in the active language: French once the catalogue has it)."""
    text = gettext(message)
    return text % params if params else text


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("salaries.xlsx", buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def row(matricule, **values):
    base = {"matricule": matricule, "contrat": "CESA", "associe": "non", "statut": "non-cadre", "heures": "",
            "emploi": "Graphiste", "date_debut": datetime.date(2025, 1, 1), "date_fin": "", "iban": "",
            "taux_contribution": "", "classification": "Position 2.1, coefficient 275"}
    base.update(values)
    return [base[c] for c in HEADER]


def employments(workspace) -> dict[str, Employment]:
    with scopes_disabled():
        return {e.entrepreneur.matricule: e for e in Employment.objects.filter(workspace=workspace)
                .select_related("entrepreneur")}


def people(workspace, *matricules):
    with scopes_disabled():
        return [EntrepreneurFactory(workspace=workspace, matricule=m) for m in matricules]


def post(client, upload, *, check=False):
    data = {"file": upload, "check" if check else "import": "1"}
    return client.post(reverse("payroll_people_import", args=["cae-a"]), data)


def test_import_writes_every_row_with_decimals_never_floats(world):
    people(world.partner_a, "A-1", "A-2", "1001")
    upload = xlsx([
        row("A-1", heures=151.67, taux_contribution="11,5", iban="FR76 3000 6000 0112 3456 7890 189", associe="oui"),
        row("A-2", contrat="cape", statut="Cadre", date_debut="01/03/2025", date_fin="31/12/2025"),
        row(1001, heures="120,5"),  # a numeric employee number and a French decimal typed as text
    ])
    response = post(login(world.users["partner_a"]), upload)
    assert response.status_code == 302, response.context["report"].errors
    found = employments(world.partner_a)
    assert set(found) == {"A-1", "A-2", "1001"}
    a1 = found["A-1"]
    assert a1.contractual_hours == Decimal("151.67") and a1.contribution_rate == Decimal("11.500")
    assert a1.iban == IBAN and a1.is_associate
    assert found["A-2"].contract_type == "cape" and found["A-2"].status == "cadre"
    assert found["A-2"].end_date == datetime.date(2025, 12, 31)
    assert found["1001"].contractual_hours == Decimal("120.5")
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="employment.create").count() == 3
        (summary,) = AuditEntry.objects.filter(action="employment.import")
        assert summary.changes == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}
        assert IBAN not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_one_bad_row_writes_nothing_and_every_error_is_located(world):
    people(world.partner_a, "A-1", "A-2")
    upload = xlsx([
        row("A-1"),
        row("ZZ-9"),                                           # row 3: unknown employee number
        row("A-2", contrat="CDI", heures="beaucoup", iban="FR00 1234"),  # row 4: three bad cells
        row("A-1"),                                            # row 5: duplicate
    ])
    response = post(login(world.users["partner_a"]), upload)
    assert response.status_code == 200
    errors = {(e.row, e.column) for e in response.context["report"].errors}
    assert errors == {(3, "matricule"), (4, "contrat"), (4, "heures"), (4, "iban"), (5, "matricule")}
    body = response.content.decode()
    assert tr("No entrepreneur with employee number %(matricule)s in this workspace: add them first "
              "(monthly import or the entrepreneurs page).", matricule="ZZ-9") in body
    assert ngettext("%(n)s error: nothing was imported.", "%(n)s errors: nothing was imported.", 5) % {"n": 5} in body
    assert employments(world.partner_a) == {}
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action__startswith="employment.").exists()


def test_rules_of_the_service_apply_per_row(world):
    people(world.partner_a, "A-1")
    upload = xlsx([row("A-1", date_debut=datetime.date(2025, 6, 1), date_fin=datetime.date(2025, 1, 1),
                       taux_contribution=150)])
    report = post(login(world.users["partner_a"]), upload).context["report"]
    assert {(e.row, e.column) for e in report.errors} == {(2, "date_fin"), (2, "taux_contribution")}


def test_check_only_writes_nothing_and_counts_the_changes(world):
    first, second = people(world.partner_a, "A-1", "A-2")
    with scopes_disabled():
        PayrollEmploymentFactory(entrepreneur=first, job_title="Graphiste", start_date=datetime.date(2025, 1, 1))
        PayrollEmploymentFactory(entrepreneur=second, job_title="Ancien", start_date=datetime.date(2025, 1, 1))
    response = post(login(world.users["partner_a"]), xlsx([row("A-1"), row("A-2")]), check=True)
    report = response.context["report"]
    assert report.ok and not report.written
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert tr("The file is valid: %(rows)s rows — %(created)s to create, %(updated)s to update, %(unchanged)s "
              "unchanged. Nothing was written yet.", rows=2, created=0, updated=1, unchanged=1) in response.content.decode()
    assert employments(world.partner_a)["A-2"].job_title == "Ancien"


def test_empty_iban_keeps_the_recorded_one(world):
    (entrepreneur,) = people(world.partner_a, "A-1")
    with scopes_disabled():
        PayrollEmploymentFactory(entrepreneur=entrepreneur, iban=IBAN)
    assert post(login(world.users["partner_a"]), xlsx([row("A-1", iban="")])).status_code == 302
    assert employments(world.partner_a)["A-1"].iban == IBAN


def test_missing_columns_and_other_workspaces_people(world):
    people(world.partner_b, "B-1")
    report = post(login(world.users["partner_a"]), xlsx([["A-1", "CESA"]], header=("matricule", "contrat"))
                  ).context["report"]
    assert [e.message for e in report.errors] == [tr("Missing columns: %(columns)s. Expected: %(expected)s.", columns=", ".join(COLUMNS[2:]), expected=", ".join(COLUMNS))]
    report = post(login(world.users["partner_a"]), xlsx([row("B-1")])).context["report"]
    assert [(e.row, e.column) for e in report.errors] == [(2, "matricule")]  # CAE B's person is unknown here


def test_headers_ignore_case_and_accents(world):
    people(world.partner_a, "A-1")
    header = ["Matricule", "Contrat", "Associé", "Statut", "Heures", "Emploi", "Date début", "Date fin", "IBAN",
              "Taux contribution", "Classification"]
    assert post(login(world.users["partner_a"]), xlsx([row("A-1")], header=header)).status_code == 302


def test_not_an_xlsx_is_refused_before_reading(world):
    fake = SimpleUploadedFile("salaries.xlsx", b"matricule;contrat\n", content_type="text/csv")
    response = post(login(world.users["partner_a"]), fake)
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_template_download_has_the_columns(world):
    response = login(world.users["partner_a"]).get(reverse("payroll_people_import_template", args=["cae-a"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert tuple(c.value for c in sheet[1]) == HEADER


def test_a_new_salaried_contract_needs_its_classification(world):
    """R3243-1 Code du travail: the payslip gives the classification, so the import refuses a new
    CESA without one (by row and column), and a file without the column keeps a recorded one."""
    people(world.partner_a, "A-1", "A-2")
    with scope(workspace=world.partner_a):
        report = employment_import(actor=None, workspace=world.partner_a, rows=read_xlsx(xlsx(
            [row("A-1", classification=""), row("A-2", contrat="CAPE", classification="")])))
        assert [(e.row, e.column) for e in report.errors] == [(2, "classification")] and not report.written
        without_column = xlsx([[cell for cell, name in zip(row("A-1"), HEADER, strict=True) if name in COLUMNS]],
                              header=COLUMNS)
        report = employment_import(actor=None, workspace=world.partner_a, rows=read_xlsx(without_column))
        assert [(e.row, e.column) for e in report.errors] == [(2, "classification")]
        assert employment_import(actor=None, workspace=world.partner_a, rows=read_xlsx(xlsx([row("A-1")]))).written
        report = employment_import(actor=None, workspace=world.partner_a, rows=read_xlsx(without_column))
        assert report.written and Employment.objects.get(entrepreneur__matricule="A-1").classification == \
            "Position 2.1, coefficient 275"


def test_service_dry_run_and_real_run(world):
    people(world.partner_a, "A-1")
    with scope(workspace=world.partner_a):
        report = employment_import(actor=None, workspace=world.partner_a, rows=read_xlsx(xlsx([row("A-1")])),
                                   dry_run=True)
        assert report.ok and report.created == 1 and not Employment.objects.exists()
        report = employment_import(actor=None, workspace=world.partner_a, rows=read_xlsx(xlsx([row("A-1")])))
        assert report.written and Employment.objects.count() == 1


def test_management_command_checks_then_imports(world, tmp_path):
    people(world.partner_a, "A-1")
    path = tmp_path / "salaries.xlsx"
    path.write_bytes(xlsx([row("A-1", heures=151.67)]).read())
    call_command("import_employment", "--workspace", "cae-a", str(path), "--check")
    assert employments(world.partner_a) == {}
    call_command("import_employment", "--workspace", "cae-a", str(path))
    assert employments(world.partner_a)["A-1"].contractual_hours == Decimal("151.67")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([row("NOPE")]).read())
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_employment", "--workspace", "cae-a", str(bad))
    with pytest.raises(CommandError, match="not a CAE"):
        call_command("import_employment", "--workspace", "scop-c", str(path))


@pytest.mark.parametrize("content", [c for _, c in FAR_CELL_XLSX], ids=[i for i, _ in FAR_CELL_XLSX])
def test_a_far_cell_is_refused_and_nothing_is_written(world, monkeypatch, content):
    """Issue 6: the employment import reads through the bounded reader too."""
    from python_calamine import CalamineWorkbook

    monkeypatch.setattr(CalamineWorkbook, "from_path", lambda *a, **k: pytest.fail("calamine saw a far cell"))
    people(world.partner_a, "A-1")
    response = post(login(world.users["partner_a"]), SimpleUploadedFile("salaries.xlsx", content))
    report = response.context["report"]
    assert response.status_code == 200 and not report.written
    assert [(e.row, e.column) for e in report.errors] == [(0, "")] and "CV" in report.errors[0].message
    assert employments(world.partner_a) == {}
