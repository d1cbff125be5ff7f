"""The monthly flow says what happened: one dossier per workspace and month, preview counts of
the rows without errors, the page after confirmation, an explicit approval step, and one
message (not two) for a formula in the gross column."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook

from backoffice.models import Dossier
from payroll.models import PayrollPeriod, SubmissionState
from payroll.services import submissions as services
from payroll.services.periods import month_title, payroll_period_open
from tests.conftest import login
from tests.factories import (
    SUBMISSION_HEADERS,
    DossierFactory,
    build_payroll_month,
    make_nir,
    submission_row,
    submission_xlsx,
)

pytestmark = pytest.mark.django_db
PERIOD = datetime.date(2026, 1, 1)


def test_month_titles_are_french_with_elision():
    assert month_title(datetime.date(2026, 11, 1)) == "Paie de novembre 2026"
    assert month_title(datetime.date(2026, 10, 1)) == "Paie d'octobre 2026"
    assert month_title(datetime.date(2026, 4, 1)) == "Paie d'avril 2026"


def test_one_dossier_per_workspace_and_month(world):
    ws = world.partner_a
    with scope(workspace=ws):
        # A dossier opened by hand for the month before its data came (as the demo used to).
        DossierFactory(workspace=ws, service="payroll", kind="monthly_submission", title="Paie de novembre 2026")
        period = payroll_period_open(actor=None, workspace=ws, period=datetime.date(2026, 11, 1))
        again = payroll_period_open(actor=None, workspace=ws, period=datetime.date(2026, 11, 1))
        assert again.pk == period.pk
        dossiers = list(Dossier.objects.filter(workspace=ws, service="payroll"))
    assert len(dossiers) == 1
    assert dossiers[0].subject == period and dossiers[0].title == "Paie de novembre 2026"


@pytest.fixture
def send(world, django_capture_on_commit_callbacks):
    def _send(content: bytes, name: str = "paie.xlsx"):
        ws = world.partner_a
        with scope(workspace=ws), django_capture_on_commit_callbacks(execute=True):
            submission = services.submission_upload(actor=None, workspace=ws, period=PERIOD,
                                                    upload=SimpleUploadedFile(name, content))
        with scope(workspace=ws):
            submission.refresh_from_db()
        return submission
    return _send


def test_preview_counts_only_the_rows_without_errors(world, send):
    rows = [submission_row(f"N{i}", nom=f"Nom{i}", prenom="P", nir=make_nir(i)) for i in range(3)]
    rows[1]["nir"] = "123"  # a bad NIR: this row has an error
    submission = send(submission_xlsx(rows))
    assert submission.state == SubmissionState.INVALID
    assert submission.preview["row_count"] == 3 and submission.preview["valid_count"] == 2
    html = login(world.users["partner_a"]).get(f"/w/cae-a/payroll/submissions/{submission.pk}/").content.decode()
    assert "Rows without errors" in html and "2 of 3" in html


def test_a_formula_in_the_gross_column_gives_one_message(world, send):
    wb = Workbook()
    ws = wb.active
    ws.append(SUBMISSION_HEADERS)
    ws.append(["N1", "Martin", "Léa", make_nir(1), "non_cadre", 151.67, "=10*2", 0, 0, 0, 0])
    ws.append(["N2", "Durand", "Luc", make_nir(2), "non_cadre", None, 2500, 0, 0, 0, 0])
    import io
    out = io.BytesIO()
    wb.save(out)
    submission = send(out.getvalue())
    row2 = [(e["column"], e["code"]) for e in submission.errors if e["row"] == 2]
    assert row2 == [("salaire_brut", "formula")]  # no "below the SMIC", no "no pay figure"
    assert submission.preview["valid_count"] == 1  # the row with a formula is not counted as valid


def test_after_confirmation_the_page_says_what_was_created(world, send):
    rows = [submission_row("N1", nom="Martin", prenom="Léa", nir=make_nir(1))]
    submission = send(submission_xlsx(rows))
    client = login(world.users["partner_a"])
    url = f"/w/cae-a/payroll/submissions/{submission.pk}/"
    assert "confirming creates this entrepreneur" in client.get(url).content.decode()
    client.post(f"{url}confirm/")
    with scopes_disabled():
        submission.refresh_from_db()
    assert submission.state == SubmissionState.CONFIRMED
    html = client.get(url).content.decode()
    assert "confirming creates" not in html and "this entrepreneur was created" in html


def test_approving_a_month_needs_the_confirmation(world):
    with scopes_disabled():
        period = build_payroll_month(world.partner_a, stage="computed")
    client = login(world.users["partner_a"])
    url = f"/w/cae-a/payroll/periods/{period.pk}/approve/"
    page = client.get(f"/w/cae-a/payroll/periods/{period.pk}/").content.decode()
    assert 'name="confirm"' in page  # the approval form asks for it
    client.post(url)  # the button alone does not approve
    with scopes_disabled():
        assert PayrollPeriod.objects.get(pk=period.pk).stage == "computed"
    client.post(url, {"confirm": "1"})
    with scopes_disabled():
        assert PayrollPeriod.objects.get(pk=period.pk).stage == "approved"
