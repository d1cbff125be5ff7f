"""Import of an existing register from xlsx: read through backoffice.spreadsheets.load_dataset,
every rule checked over the whole history, all or nothing, highest capital rebuilt."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook

from alumni.models import ShareMovement
from alumni.services.shares import register_at
from tests.alumni.test_shares import D, make_issuer

HEADER = ["Date", "Nature", "Associé", "Catégorie", "Cessionnaire", "Parts", "Montant", "Libéré", "Nominal",
          "Décision"]


def xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("registre.xlsx", out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


GOOD = [
    [datetime.datetime(2020, 2, 1), "Souscription", "Alice", "salarié", None, 30, 3000, 3000, None, "Bulletin 1"],
    [datetime.datetime(2020, 3, 1), "Souscription", "Bob", "salarié", None, 10, 1000, 250, None, "Bulletin 2"],
    [datetime.datetime(2021, 1, 1), "Libération", "Bob", None, None, 0, 750, None, None, "Versement"],
    [datetime.datetime(2022, 1, 1), "Cession", "Alice", None, "Bob", 5, 500, None, None, "Agrément AG"],
    [datetime.datetime(2023, 1, 1), "Remboursement", "Alice", None, None, 20, 2000, None, None, "Départ"],
]


def count(issuer):
    with scopes_disabled():
        return ShareMovement.objects.filter(issuer=issuer).count()


def test_check_writes_nothing_and_import_rebuilds_the_highest_capital(world, clients):
    issuer = make_issuer(world.alumni_c)
    client = clients["alumni"]
    check = client.post("/w/scop-c/alumni/shares/import/", {"file": xlsx(GOOD), "check": "1"})
    assert check.status_code == 200 and count(issuer) == 0
    assert "5 movements checked" in check.content.decode()
    done = client.post("/w/scop-c/alumni/shares/import/", {"file": xlsx(GOOD), "import": "1"})
    assert done.status_code == 302 and count(issuer) == 5
    issuer.refresh_from_db()
    assert issuer.highest_capital == Decimal("4000") and issuer.last_number == 5
    with scope(workspace=world.alumni_c):
        assert register_at(issuer, D(2023, 6, 1)).capital == Decimal("2000")


def test_one_refused_row_and_nothing_is_written(world, clients):
    """Loi 47-1775 art. 13 over the whole history: the last row takes capital below a quarter of 4 000 €."""
    issuer = make_issuer(world.alumni_c)
    bad = [*GOOD, [datetime.datetime(2023, 6, 1), "Remboursement", "Bob", None, None, 12, 1200, None, None, "x"],
           [datetime.datetime(2023, 7, 1), "Souscription", "Carol", "salarié", None, 2.5, 250, 250, None, "y"]]
    response = clients["alumni"].post("/w/scop-c/alumni/shares/import/", {"file": xlsx(bad), "import": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and count(issuer) == 0
    assert "art. 13" in html and "whole number" in html
    issuer.refresh_from_db()
    assert issuer.last_number == 0 and issuer.highest_capital == 0


def test_a_file_the_bounded_reader_refuses(world, clients):
    make_issuer(world.alumni_c)
    upload = SimpleUploadedFile("registre.xlsx", b"not a zip", content_type="application/octet-stream")
    response = clients["alumni"].post("/w/scop-c/alumni/shares/import/", {"file": upload, "check": "1"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_dates_and_amounts_as_a_french_spreadsheet_types_them(world, clients):
    """The project's French widgets (backoffice.imports): a date typed 01/02/2020, amounts typed
    "3 000,00 €", and a refused date named with its column."""
    issuer = make_issuer(world.alumni_c)
    typed = [["01/02/2020", "Souscription", "Alice", "salarié", None, "30", "3 000,00 €", "3000", None, "B1"]]
    refused = clients["alumni"].post("/w/scop-c/alumni/shares/import/", {
        "file": xlsx([["31/02/2020", *typed[0][1:]]]), "check": "1"}).content.decode()
    assert "Column date: expected a date DD/MM/YYYY, not “31/02/2020”" in refused.replace("&ldquo;", "“").replace(
        "&rdquo;", "”")
    done = clients["alumni"].post("/w/scop-c/alumni/shares/import/", {"file": xlsx(typed), "import": "1"})
    assert done.status_code == 302 and count(issuer) == 1
    with scopes_disabled():
        movement = ShareMovement.objects.get(issuer=issuer)
    assert (movement.effective_date, movement.amount) == (datetime.date(2020, 2, 1), Decimal("3000.00"))
