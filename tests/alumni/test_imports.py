"""Import of the host's alumni spreadsheet (companies, then past declarations) with
django-import-export resources: a preview of what will change that writes nothing, an
all-or-nothing import, row and column errors in French, SIREN/SIRET checked with
python-stdnum, the file read only through backoffice.spreadsheets.load_dataset; the same
resources export, and an export imports back unchanged."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook, load_workbook

from alumni.models import AlumniCompany, Founder, RevenueDeclaration
from alumni.resources import CompanyResource, DeclarationResource, column_names
from alumni.selectors.ledger import workspace_ledger
from alumni.services.imports import alumni_import
from backoffice.models import Usage, Workspace
from backoffice.spreadsheets import load_dataset
from tests.conftest import login
from tests.factories import EntrepreneurFactory, make_siren, make_siret

pytestmark = pytest.mark.django_db
D = datetime.date
COMPANY_HEADERS = ["siren", "raison sociale", "forme juridique", "cae d'origine", "date de création", "statut",
                   "ville", "taux de contribution", "fondateurs"]


def xlsx(headers, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def dataset(tmp_path, headers, rows, name="alumni.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(headers, rows))
    return load_dataset(path, name=name)


def test_preview_shows_what_changes_and_writes_nothing_then_import_writes_all(world, company, tmp_path):
    with scopes_disabled():
        EntrepreneurFactory(workspace=world.partner_a, matricule="A-101")
    new_siren = make_siren(777001)
    rows = [[new_siren, "Atelier Bois SCOP", "SCOP SARL", "cae-a", "01/03/2021", "Active", "Lyon", "1,5", "A-101"],
            [world.alumni_c.siren, "", "", "", "", "Cessée", "Villeurbanne", "", ""]]
    data = dataset(tmp_path, COMPANY_HEADERS, rows)
    preview = alumni_import(actor=world.users["staff"], kind="companies", dataset=data, commit=False)
    assert preview.errors == []
    assert [(r.number, r.action) for r in preview.rows] == [(2, "new"), (3, "update")]
    assert preview.rows[1].changes == [("ville", "Lyon", "Villeurbanne"), ("statut", "Active", "Ceased")]
    with scopes_disabled():
        assert not Workspace.objects.filter(siren=new_siren).exists()          # a preview writes nothing
        assert Workspace.objects.get(pk=world.alumni_c.pk).city == "Lyon"

    report = alumni_import(actor=world.users["staff"], kind="companies", dataset=data, commit=True)
    assert report.written and (report.new, report.updated) == (1, 1)
    with scopes_disabled():
        ws = Workspace.objects.get(siren=new_siren)
        created = AlumniCompany.objects.get(workspace=ws)
        assert (ws.kind, ws.origin, ws.slug, created.status, created.creation_date) == (
            "alumni", world.partner_a, "atelier-bois-scop", "active", D(2021, 3, 1))
        assert [f.entrepreneur.matricule for f in Founder.objects.filter(company=created)] == ["A-101"]
        line = ws.agreements.get().price_lines.get()
        assert (line.kind, line.rate, line.usage_kind) == ("percentage", Decimal("1.500"), "declared_revenue")
        assert AlumniCompany.objects.get(pk=company.pk).status == "ceased"
    again = alumni_import(actor=world.users["staff"], kind="companies", dataset=data, commit=False)
    assert [r.action for r in again.rows] == ["unchanged", "unchanged"]


def test_one_bad_row_and_nothing_is_written_with_row_and_column_in_french(world, company, tmp_path, settings):
    from django.conf import settings as django_settings

    settings.LOCALE_PATHS = [django_settings.BASE_DIR / "locale"]  # the French catalogue on
    bad_key = make_siren(777002)[:-1] + str((int(make_siren(777002)[-1]) + 1) % 10)
    rows = [[make_siren(777003), "Bonne SCOP", "SCOP SAS", "CAE A", "", "", "", "", ""],
            [bad_key, "Clé fausse", "SAS", "cae-a", "", "", "", "", ""],
            [make_siren(777004), "Date fausse", "SAS", "cae-a", "31/02/2020", "", "", "", ""],
            [make_siren(777005), "Origine inconnue", "SAS", "cae-z", "", "", "", "", ""],
            [make_siren(777006), "Forme inconnue", "SCOOP", "cae-a", "", "", "", "", ""],
            [make_siren(777007), "Fondateur inconnu", "SAS", "cae-a", "", "", "", "", "Z-999"]]
    data = dataset(tmp_path, COMPANY_HEADERS, rows)
    with translation.override("fr"):
        report = alumni_import(actor=world.users["staff"], kind="companies", dataset=data, commit=True)
    assert not report.written
    assert [(n, column) for n, column, _m in report.errors] == [
        (3, "siren"), (4, "date de création"), (5, "cae d'origine"), (6, "forme juridique"), (7, "fondateurs")]
    messages = {n: m for n, _c, m in report.errors}
    assert "SIREN de 9 chiffres" in messages[3] and "31/02/2020" in messages[4]
    assert "cae-z" in messages[5] and "Z-999" in messages[7]
    with scopes_disabled():
        assert not Workspace.objects.filter(siren=make_siren(777003)).exists()   # the good row neither


def test_missing_and_unknown_columns_are_named(world, tmp_path):
    data = dataset(tmp_path, ["raison sociale", "sirène"], [["X", "Y"]])
    report = alumni_import(actor=world.users["staff"], kind="companies", dataset=data, commit=True)
    assert [m for _n, _c, m in report.errors][:2] == ["Missing columns: siren.", "Unknown columns: sirène."]


def test_past_declarations_are_history_paid_before_mutualise_counts_as_paid(world, company, tmp_path):
    headers = column_names(DeclarationResource())
    siren = world.alumni_c.siren
    rows = [[siren, "SCOP C", "01/01/2023", "31/12/2023", "50 000,00", "500,00", "500"],
            [siren, "SCOP C", "01/01/2024", "31/12/2024", 60000, 600, ""]]
    report = alumni_import(actor=world.users["staff"], kind="declarations", dataset=dataset(tmp_path, headers, rows),
                           commit=True, today=D(2025, 6, 1))
    assert report.written and report.new == 2, report.errors
    with scope(workspace=world.alumni_c):
        assert not Usage.objects.filter(workspace=world.alumni_c).exists()    # never billed again
        row = workspace_ledger(world.alumni_c, today=D(2025, 6, 1)).row
        assert (row.due, row.paid, row.balance) == (Decimal("1100.00"), Decimal("500.00"), Decimal("600.00"))
        assert row.days_overdue(D(2025, 6, 1)) == (D(2025, 6, 1) - D(2024, 1, 30)).days
    same = [[siren, "SCOP C", "01/01/2023", "31/12/2023", "50000", "500", "500"]]
    again = alumni_import(actor=world.users["staff"], kind="declarations", dataset=dataset(tmp_path, headers, same),
                          commit=True, today=D(2025, 6, 1))
    assert again.written and again.unchanged == 1
    other = [[siren, "SCOP C", "01/01/2023", "31/12/2023", "51000", "510", ""],
             [make_siren(888001), "?", "01/01/2023", "31/12/2023", "1", "1", ""],
             [siren, "SCOP C", "01/01/2025", "31/12/2025", "1", "1", ""],
             [siren, "SCOP C", "01/01/2022", "31/12/2022", "-5", "1", ""]]
    refused = alumni_import(actor=world.users["staff"], kind="declarations", dataset=dataset(tmp_path, headers, other),
                            commit=True, today=D(2025, 6, 1))
    assert [(n, c) for n, c, _m in refused.errors] == [
        (2, "début de période"), (3, "siren"), (4, "fin de période"), (5, "chiffre d'affaires")]


def test_export_imports_back_unchanged_and_neutralises_formulas(world, company, tmp_path):
    with scope(workspace=world.alumni_c):
        RevenueDeclaration.objects.create(workspace=world.alumni_c, period_start=D(2024, 1, 1),
                                          period_end=D(2024, 12, 31), revenue=Decimal("80000"),
                                          contribution=Decimal("800"), usage_reference="revenue:2024")
    with scopes_disabled():
        Workspace.objects.filter(pk=world.alumni_c.pk).update(address="=HYPERLINK(\"http://x\")",
                                                              siret=make_siret(world.alumni_c.siren))
    client = login(world.users["staff"])
    for name, kind, resource in (("export_companies", "companies", CompanyResource()),
                                 ("export_declarations", "declarations", DeclarationResource())):
        content = client.get(reverse(f"staff:alumni:{name}")).content
        sheet = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
        assert list(sheet[0]) == column_names(resource) and len(sheet) == 2
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(content)
        report = alumni_import(actor=world.users["staff"], kind=kind, dataset=load_dataset(path, name=path.name),
                               commit=False)
        assert report.errors == [] and [r.action for r in report.rows] == ["unchanged"], report.errors
    companies = list(load_workbook(BytesIO(client.get(reverse("staff:alumni:export_companies")).content))
                     .active.iter_rows(values_only=True))
    assert "'=HYPERLINK(\"http://x\")" in companies[1]


def test_staff_page_previews_then_confirms_the_same_file(world, company):
    new_siren = make_siren(777010)
    content = xlsx(COMPANY_HEADERS, [[new_siren, "Nouvelle SCOP", "SCOP SA", "cae-b", "", "", "", "", ""]])
    client = login(world.users["staff"])
    url = reverse("staff:alumni:import")
    assert client.get(url).status_code == 200
    preview = client.post(url, {"kind": "companies", "preview": "1",
                                "file": SimpleUploadedFile("alumni.xlsx", content)})
    assert preview.status_code == 200 and preview.context["report"].new == 1
    token = preview.context["token"]
    with scopes_disabled():
        assert not Workspace.objects.filter(siren=new_siren).exists()
    assert client.post(url, {"confirm": "1", "token": token + "x"}).status_code == 302   # tampered: refused
    with scopes_disabled():
        assert not Workspace.objects.filter(siren=new_siren).exists()
    done = client.post(url, {"confirm": "1", "token": token})
    assert done.status_code == 302
    with scopes_disabled():
        assert Workspace.objects.get(siren=new_siren).origin == world.partner_b
    assert login(world.users["partner_a"]).post(url, {"confirm": "1", "token": token}).status_code in (403, 404)
