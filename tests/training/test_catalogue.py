"""The training catalogue in spreadsheets (issue 9, "Reference data"): bodies, courses and OPCO
rules export as xlsx through backoffice/safe_cells.py and import back through
backoffice/spreadsheets.py with django-import-export resources: a preview that writes
nothing, then all or nothing, errors by row and column."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import Workbook, load_workbook

from backoffice.models import AuditEntry
from backoffice.spreadsheets import load_dataset
from tests.conftest import login
from tests.factories import make_siren, make_siret
from tests.training.factories import CourseFactory, TrainingBodyFactory
from training.models import Course, Opco, TrainingBody
from training.services.catalogue import catalogue_export, catalogue_import

SIRET_A = make_siret(make_siren(812345))
SIRET_B = make_siret(make_siren(812346))


def _xlsx(tmp_path, rows, name="catalogue.xlsx"):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _bodies_file(tmp_path, *rows):
    header = ["nom", "siret", "numéro de déclaration d'activité", "adresse", "certificat qualiopi",
              "fin de validité qualiopi"]
    return _xlsx(tmp_path, [header, *rows])


def _import(world, path, kind, commit):
    return catalogue_import(actor=world.users["staff"], kind_code=kind, dataset=load_dataset(path, name=path.name),
                            commit=commit)


def test_preview_says_what_would_change_and_writes_nothing_then_import_writes_all(world, tmp_path):
    existing = TrainingBodyFactory(name="Organisme existant", siret=SIRET_B, qualiopi_number="Q-1")
    path = _bodies_file(tmp_path,
                        ["Compagnons Formation", SIRET_A, "84691234569", "Lyon", "Q-42", "31/12/2027"],
                        ["Organisme existant", SIRET_B, existing.nda, existing.address, "Q-2",
                         existing.qualiopi_expires_on])
    preview = _import(world, path, "bodies", commit=False)
    assert not preview.errors and not preview.written
    assert [(o.number, o.action, o.columns) for o in preview.rows] == [
        (2, "new", []), (3, "update", ["certificat qualiopi"])]
    assert not TrainingBody.objects.filter(siret=SIRET_A).exists()
    existing.refresh_from_db()
    assert existing.qualiopi_number == "Q-1"
    done = _import(world, path, "bodies", commit=True)
    assert done.written
    body = TrainingBody.objects.get(siret=SIRET_A)
    assert body.qualiopi_expires_on == datetime.date(2027, 12, 31)
    existing.refresh_from_db()
    assert existing.qualiopi_number == "Q-2"
    with scopes_disabled():  # written through the staff services: audited in the host workspace
        assert AuditEntry.objects.filter(action="training.body_create", workspace=world.host).count() == 1


def test_one_bad_row_and_nothing_is_written_with_its_row_and_column(world, tmp_path):
    path = _bodies_file(tmp_path,
                        ["Bon organisme", SIRET_A, "84691234569", "", "", ""],
                        ["Mauvais SIRET", "12345678901234", "84691234569", "", "", ""],
                        ["Mauvaise date", SIRET_B, "84691234569", "", "Q", "31/02/2027"])
    report = _import(world, path, "bodies", commit=True)
    assert not report.written
    assert [(row, column) for row, column, _message in report.errors] == [
        (3, "siret"), (4, "fin de validité qualiopi")]
    assert "31/02/2027" in report.errors[1][2]
    assert not TrainingBody.objects.exists()


def test_missing_and_unknown_columns_are_named(world, tmp_path):
    report = _import(world, _xlsx(tmp_path, [["nom", "couleur"], ["X", "bleu"]]), "bodies", commit=False)
    assert report.errors and report.errors[0][0] == 1 and "siret" in report.errors[0][1]


@pytest.fixture
def french(settings):
    settings.LOCALE_PATHS = [settings.BASE_DIR / "locale"]  # the suite runs without the catalogue


def test_courses_and_opcos_round_trip_through_the_export_unchanged(world, tmp_path, french):
    course = CourseFactory(title="=HYPERLINK(\"http://x\")", price=Decimal("1234.50"), modality="mixed")
    Opco.objects.update_or_create(code="constructys", defaults={"name": "Constructys", "source": "test",
                                                               "hourly_ceiling": Decimal("25.50")})
    for kind, model in (("courses", Course), ("opcos", Opco)):
        content = catalogue_export(kind)
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(content)
        report = _import(world, path, kind, commit=False)
        assert not report.errors, report.errors
        assert report.rows and all(o.action == "unchanged" for o in report.rows), report.rows
        assert len(report.rows) == model.objects.count()
    sheet = load_workbook(io.BytesIO(catalogue_export("courses"))).active
    rows = list(sheet.iter_rows(values_only=True))
    title_col = rows[0].index("intitulé")
    assert rows[1][title_col] == "'" + course.title  # a formula stays text (backoffice/safe_cells.py)
    assert rows[1][rows[0].index("modalité")] == "Mixte"  # the French label, read back above
    assert rows[1][rows[0].index("prix (€ HT)")] == 1234.5  # a number, not text


def test_a_course_of_an_unknown_body_is_refused(world, tmp_path, french):
    header = ["siret de l'organisme", "intitulé", "objectifs", "programme", "durée (heures)", "évaluation",
              "prix (€ HT)", "modalité"]
    path = _xlsx(tmp_path, [header, [SIRET_A, "Chantier", "o", "p", "14", "QCM", "450,00", "En présentiel"]])
    report = _import(world, path, "courses", commit=True)
    assert report.errors[0][:2] == (2, "siret de l'organisme")
    TrainingBodyFactory(siret=SIRET_A)
    report = _import(world, path, "courses", commit=True)
    assert report.written, report.errors
    assert Course.objects.values_list("price", "modality").get(title="Chantier") == (Decimal("450.00"), "in_person")


@pytest.mark.parametrize("button", ["check", "import"])
def test_the_staff_page_previews_and_imports(world, tmp_path, button):
    path = _bodies_file(tmp_path, ["Compagnons Formation", SIRET_A, "84691234569", "", "", ""])
    client = login(world.users["staff"])
    with path.open("rb") as upload:
        response = client.post(reverse("staff:training:catalogue"), {"kind": "bodies", "file": upload, button: "1"},
                               HTTP_ACCEPT_LANGUAGE="fr")
    assert TrainingBody.objects.filter(siret=SIRET_A).exists() == (button == "import")
    if button == "check":
        assert response.status_code == 200 and "Compagnons Formation" in response.content.decode()
    else:
        assert response.status_code == 302
    export = client.get(reverse("staff:training:catalogue_xlsx") + "?kind=bodies")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_partners_cannot_reach_the_catalogue(world):
    assert login(world.users["partner_a"]).get(reverse("staff:training:catalogue")).status_code in (403, 404)
