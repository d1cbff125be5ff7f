"""The monthly submission end to end: upload → validation task → preview → confirmation, all
or nothing; versions; the locked month; the pages, the template, API tokens and the
import_monthly command (issue 3, "Monthly submission")."""

from __future__ import annotations

import datetime
import hashlib
import re
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from backoffice.models import ApiToken, AuditEntry, Document, Dossier, Entrepreneur
from payroll.models import (
    Employment,
    MonthlySubmission,
    PayrollPeriod,
    PeriodStage,
    SubmissionLine,
    SubmissionState,
)
from payroll.services import submissions as services
from payroll.services.periods import PeriodLocked, payroll_period_set_stage
from payroll.tasks.submissions import validate_submission
from tests.conftest import login
from tests.factories import (
    EntrepreneurFactory,
    MembershipFactory,
    PayrollEmploymentFactory,
    PayrollPeriodFactory,
    SubmissionFactory,
    UserFactory,
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
    """Upload a file through the service and run the queued validation (eager Celery)."""
    def _send(content: bytes, name: str = "paie.xlsx", *, period=PERIOD, actor=None):
        with scope(workspace=ws), django_capture_on_commit_callbacks(execute=True):
            submission = services.submission_upload(actor=actor, workspace=ws, period=period,
                                                    upload=SimpleUploadedFile(name, content))
        with scope(workspace=ws):
            submission.refresh_from_db()
        return submission
    return _send


def confirm(ws, submission, actor=None):
    with scope(workspace=ws):
        return services.submission_confirm(actor=actor, submission=submission)


def counts(ws) -> dict:
    with scope(workspace=ws):
        return {"lines": SubmissionLine.objects.count(), "entrepreneurs": Entrepreneur.objects.count(),
                "employments": Employment.objects.count()}


def new_rows(n: int, start: int = 0) -> list[dict]:
    return [submission_row(f"N{i:04d}", nom=f"Nom{i}", prenom="Prénom", nir=make_nir(5000 + i),
                           salaire_brut=f"{2000 + i}.50") for i in range(start, start + n)]


# --- the happy path ---------------------------------------------------------------------------

def test_upload_is_checked_in_the_background_then_confirmation_writes_lines_people_and_stage(ws, send, world):
    with scope(workspace=ws):
        known = EntrepreneurFactory(workspace=ws, matricule="K1", nir=make_nir(1))
    rows = [submission_row("K1", statut="cadre", heures="151.67", salaire_brut="3000", primes="150.5",
                           frais_rembourses="42.10", chiffre_affaires_ht="6000", taux_pas="7.5"),
            submission_row("N1", nom="Nouvelle", prenom="Zoé", nir=make_nir(2), salaire_brut="",
                           cout_employeur_cible="4000")]
    submission = send(submission_xlsx(rows, [*rows[0].keys(), "cout_employeur_cible"]),
                      actor=world.users["partner_a"])

    assert submission.state == SubmissionState.VALID, submission.errors
    assert (submission.version, submission.progress, submission.row_count) == (1, 100, 2)
    assert submission.preview["new_count"] == 1 and submission.preview["totals"]["gross_salary"] == "3000.00"
    with scope(workspace=ws):
        period = PayrollPeriod.objects.get(workspace=ws, period=PERIOD)
        assert period.stage == PeriodStage.RECEIVED
        # The month is a dossier of the staff work queue, and the file is attached to it.
        dossier = Dossier.objects.get(workspace=ws, object_id=period.pk)
        assert submission.document.dossier_id == dossier.pk
    assert counts(ws) == {"lines": 0, "entrepreneurs": 1, "employments": 0}  # nothing written before confirming

    submission = confirm(ws, submission, actor=world.users["partner_a"])
    assert submission.state == SubmissionState.CONFIRMED and submission.confirmed_by == world.users["partner_a"]
    with scope(workspace=ws):
        lines = {line.entrepreneur.matricule: line for line in SubmissionLine.objects.select_related("entrepreneur")}
        k1, n1 = lines["K1"], lines["N1"]
        assert (k1.entrepreneur_id, k1.row_number, k1.status, k1.hours, k1.gross_salary, k1.bonuses) == (
            known.pk, 2, "cadre", Decimal("151.67"), Decimal("3000.00"), Decimal("150.50"))
        assert (k1.reimbursed_expenses, k1.revenue, k1.pas_rate) == (Decimal("42.10"), Decimal("6000"), Decimal("7.5"))
        assert n1.gross_salary is None and n1.target_employer_cost == Decimal("4000.00")
        new = n1.entrepreneur
        assert (new.last_name, new.first_name, new.nir, new.entry_date) == ("Nouvelle", "Zoé", make_nir(2), PERIOD)
        assert Employment.objects.get(entrepreneur=known).status == "cadre"
        assert Employment.objects.get(entrepreneur=new).start_date == PERIOD
        period.refresh_from_db()
        assert period.stage == PeriodStage.CHECKED
        actions = set(AuditEntry.objects.filter(workspace=ws).values_list("action", flat=True))
    assert {"payroll.submission_upload", "payroll.submission_validate", "payroll.submission_confirm",
            "entrepreneur.create"} <= actions


def test_the_validation_task_can_run_twice_and_leaves_a_confirmed_version_alone(ws, send):
    submission = send(submission_xlsx(new_rows(3)))
    before = (submission.state, submission.preview, submission.errors)
    result = validate_submission.apply(args=(submission.pk, ws.pk)).get()
    with scope(workspace=ws):
        submission.refresh_from_db()
    assert result["state"] == "valid" and (submission.state, submission.preview, submission.errors) == before
    confirm(ws, submission)
    validate_submission.apply(args=(submission.pk, ws.pk)).get()
    with scope(workspace=ws):
        submission.refresh_from_db()
    assert submission.state == SubmissionState.CONFIRMED
    assert counts(ws)["lines"] == 3  # no duplicate


# --- all or nothing ---------------------------------------------------------------------------

def test_an_error_on_the_last_of_400_rows_leaves_nothing_to_confirm(ws, send):
    rows = new_rows(399) + [submission_row("LAST", nom="Dernier", prenom="X", nir="not a nir")]
    before = counts(ws)
    submission = send(submission_xlsx(rows))
    assert submission.state == SubmissionState.INVALID
    assert [(e["row"], e["column"], e["code"]) for e in submission.errors] == [(401, "nir", "bad_nir")]
    with pytest.raises(services.SubmissionRefused):
        confirm(ws, submission)
    assert counts(ws) == before


def test_confirmation_is_all_or_nothing_when_the_last_row_no_longer_validates(ws, send, monkeypatch):
    """399 new people would be written in batches before row 401 fails: the transaction rolls
    all of it back — no line, no entrepreneur, no employment."""
    monkeypatch.setattr(services, "BATCH_SIZE", 50)
    with scope(workspace=ws):
        leaver = EntrepreneurFactory(workspace=ws, matricule="LEAVER")
    submission = send(submission_xlsx(new_rows(399) + [submission_row("LEAVER")]))
    assert submission.state == SubmissionState.VALID
    with scope(workspace=ws):  # between the check and the confirmation, the person leaves the CAE
        Entrepreneur.objects.filter(pk=leaver.pk).update(exit_date=datetime.date(2025, 12, 31))
    before = counts(ws)

    with pytest.raises(services.SubmissionInvalid) as exc:
        confirm(ws, submission)
    assert [(e["row"], e["column"], e["code"]) for e in exc.value.result.errors] == [(401, "matricule", "exited")]
    assert counts(ws) == before
    with scope(workspace=ws):
        submission.refresh_from_db()
        assert not Entrepreneur.objects.filter(matricule="N0000").exists()
    assert submission.state == SubmissionState.INVALID and submission.errors[0]["row"] == 401


def test_a_file_changed_on_disk_is_not_confirmed(ws, send):
    submission = send(submission_xlsx(new_rows(2)))
    with open(submission.document.file.path, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(services.SubmissionRefused, match="does not match"):
        confirm(ws, submission)
    assert counts(ws)["lines"] == 0


# --- versions and the locked month ------------------------------------------------------------

def test_a_new_upload_supersedes_the_draft_and_confirming_supersedes_the_confirmed_version(ws, send):
    v1 = send(submission_xlsx(new_rows(2)))
    v2 = send(submission_xlsx(new_rows(3)))
    with scope(workspace=ws):
        v1.refresh_from_db()
    assert (v1.version, v1.state, v2.version, v2.state) == (1, SubmissionState.SUPERSEDED, 2, SubmissionState.VALID)
    with pytest.raises(services.SubmissionRefused):
        confirm(ws, v1)  # a replaced draft cannot be confirmed
    confirm(ws, v2)

    v3 = send(submission_xlsx(new_rows(4)))
    with scope(workspace=ws):
        v2.refresh_from_db()
    assert v2.state == SubmissionState.CONFIRMED  # a confirmed version stays until another is confirmed
    confirm(ws, v3)
    with scope(workspace=ws):
        v2.refresh_from_db()
        assert v2.state == SubmissionState.SUPERSEDED
        assert list(MonthlySubmission.objects.order_by("version").values_list("version", "state")) == [
            (1, "superseded"), (2, "superseded"), (3, "confirmed")]
        # Earlier versions keep their file and lines.
        assert Document.objects.filter(pk__in=[v1.document_id, v2.document_id]).count() == 2
        assert SubmissionLine.objects.filter(submission=v2).count() == 3
        assert SubmissionLine.objects.filter(submission=v3).count() == 4


def test_new_data_for_a_computed_month_sends_it_back_to_checked(ws, send):
    v1 = send(submission_xlsx(new_rows(1)))
    confirm(ws, v1)
    with scope(workspace=ws):
        period = PayrollPeriod.objects.get(workspace=ws, period=PERIOD)
        payroll_period_set_stage(actor=None, payroll_period=period, stage=PeriodStage.COMPUTED)
    v2 = send(submission_xlsx(new_rows(2)))
    confirm(ws, v2)
    with scope(workspace=ws):
        period.refresh_from_db()
        assert period.stage == PeriodStage.CHECKED  # the payroll must be run again on the new data
        stages = list(AuditEntry.objects.filter(action="payroll.period_stage").order_by("pk")
                      .values_list("changes", flat=True))
    assert stages[-2:] == [{"stage": ["computed", "received"]}, {"stage": ["received", "checked"]}]


def test_an_approved_month_refuses_new_data_and_confirmation(ws, send, world):
    draft = send(submission_xlsx(new_rows(2)))
    with scope(workspace=ws):
        PayrollPeriod.objects.filter(workspace=ws, period=PERIOD).update(stage=PeriodStage.APPROVED)
    before = counts(ws)
    with pytest.raises(PeriodLocked):
        confirm(ws, draft)
    with pytest.raises(PeriodLocked):
        send(submission_xlsx(new_rows(2)))
    assert counts(ws) == before
    with scope(workspace=ws):
        assert MonthlySubmission.objects.count() == 1

    client = login(world.users["partner_a"])
    response = client.post(reverse("payroll_submission_new", args=[ws.slug]), {
        "period": "2026-01", "file": SimpleUploadedFile("paie.xlsx", submission_xlsx(new_rows(1)))})
    assert response.status_code == 200
    assert "approved" in response.content.decode() and "can no longer change" in response.content.decode()
    response = client.post(reverse("payroll_submission_confirm", args=[ws.slug, draft.pk]), follow=True)
    assert "can no longer change" in response.content.decode()
    assert counts(ws) == before


def test_a_month_too_far_ahead_or_without_rates_is_refused(ws, send):
    with pytest.raises(services.SubmissionRefused, match="too far ahead"):
        send(submission_xlsx(new_rows(1)), period=datetime.date(2030, 1, 1))
    with pytest.raises(services.SubmissionRefused, match="No payroll rates"):
        send(submission_xlsx(new_rows(1)), period=datetime.date(2019, 1, 1))


# --- pages ------------------------------------------------------------------------------------

def test_upload_page_then_result_page_then_confirm(ws, world, django_capture_on_commit_callbacks):
    client = login(world.users["partner_a"])
    assert client.get(reverse("payroll_submission_new", args=[ws.slug])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payroll_submission_new", args=[ws.slug]), {
            "period": "2026-01", "file": SimpleUploadedFile("paie.csv", submission_csv(new_rows(2)))})
    assert response.status_code == 302
    with scopes_disabled():
        submission = MonthlySubmission.objects.get(workspace=ws)
    assert response["Location"] == reverse("payroll_submission_detail", args=[ws.slug, submission.pk])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Nom0" in html and "N0001" in html  # the new matricules are listed
    assert 'hx-trigger="every 1s"' not in html  # finished: no polling
    assert reverse("payroll_submission_confirm", args=[ws.slug, submission.pk]) in html

    response = client.post(reverse("payroll_submission_confirm", args=[ws.slug, submission.pk]), follow=True)
    assert "confirmed" in response.content.decode()
    assert counts(ws)["lines"] == 2


def test_the_errors_table_names_rows_and_columns(ws, world, send):
    submission = send(submission_xlsx([submission_row("N1", nom="A", prenom="B", nir="123")]))
    html = login(world.users["partner_a"]).get(
        reverse("payroll_submission_detail", args=[ws.slug, submission.pk])).content.decode()
    assert "<td class=\"num\">2</td><td>nir</td>" in html
    assert reverse("payroll_submission_confirm", args=[ws.slug, submission.pk]) not in html


def test_progress_partial_polls_while_the_check_runs_and_reloads_when_it_is_done(ws, world):
    with scope(workspace=ws):
        submission = SubmissionFactory(period=PayrollPeriodFactory(workspace=ws, period=PERIOD, stage="received"),
                                       state=SubmissionState.VALIDATING, progress=40)
    client = login(world.users["partner_a"])
    url = reverse("payroll_submission_progress", args=[ws.slug, submission.pk])

    running = client.get(url, HTTP_HX_REQUEST="true")
    html = running.content.decode()
    assert running.status_code == 200 and 'hx-trigger="every 1s"' in html and f'hx-get="{url}"' in html
    assert 'value="40"' in html and "HX-Refresh" not in running
    detail = client.get(reverse("payroll_submission_detail", args=[ws.slug, submission.pk])).content.decode()
    assert f'hx-get="{url}"' in detail  # the page starts polling

    with scope(workspace=ws):
        MonthlySubmission.objects.filter(pk=submission.pk).update(state=SubmissionState.VALID, progress=100)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and 'hx-trigger="every 1s"' not in done.content.decode()


def test_a_viewer_reads_but_neither_uploads_nor_confirms(ws, world, send):
    viewer = UserFactory(email="viewer@example.test")
    with scopes_disabled():
        MembershipFactory(workspace=ws, user=viewer, role="viewer")
    submission = send(submission_xlsx(new_rows(1)))
    client = login(viewer)
    assert client.get(reverse("payroll_home", args=[ws.slug])).status_code == 200
    assert client.get(reverse("payroll_submission_detail", args=[ws.slug, submission.pk])).status_code == 200
    assert client.get(reverse("payroll_submission_new", args=[ws.slug])).status_code == 403
    assert client.get(reverse("payroll_template", args=[ws.slug])).status_code == 403
    assert client.get(reverse("payroll_api_tokens", args=[ws.slug])).status_code == 403
    assert client.post(reverse("payroll_submission_confirm", args=[ws.slug, submission.pk])).status_code == 403
    assert counts(ws)["lines"] == 0


def test_an_alumni_company_has_no_payroll_pages(world):
    client = login(world.users["alumni"])
    assert client.get(reverse("payroll_home", args=[world.alumni_c.slug])).status_code == 404


def test_the_payroll_home_runs_a_constant_number_of_queries(ws, world):
    client = login(world.users["partner_a"])
    url = reverse("payroll_home", args=[ws.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    with scope(workspace=ws):
        SubmissionFactory(period=PayrollPeriodFactory(workspace=ws, period=datetime.date(2025, 1, 1)))
    few = queries()
    with scope(workspace=ws):
        for month in range(2, 10):
            period = PayrollPeriodFactory(workspace=ws, period=datetime.date(2025, month, 1))
            for _ in range(3):
                SubmissionFactory(period=period, state="superseded",
                                  uploaded_by=UserFactory())
    assert queries() == few
    html = client.get(url).content.decode()
    assert html.count("payroll/submissions/") >= 9


def test_the_template_is_prefilled_with_the_months_active_people(ws, world):
    with scope(workspace=ws):
        active = EntrepreneurFactory(workspace=ws, matricule="A1", last_name="Active", nir=make_nir(1))
        PayrollEmploymentFactory(entrepreneur=active, status="cadre", contractual_hours=Decimal("151.67"))
        EntrepreneurFactory(workspace=ws, matricule="GONE", exit_date=datetime.date(2025, 12, 31))
        EntrepreneurFactory(workspace=ws, matricule="LATER", entry_date=datetime.date(2026, 2, 1))
    with scope(workspace=world.partner_b):
        EntrepreneurFactory(workspace=world.partner_b, matricule="OTHER")
    response = login(world.users["partner_a"]).get(reverse("payroll_template", args=[ws.slug]) + "?period=2026-01")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert 'filename="paie-cae-a-2026-01.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_col=6) if row[0].value]
    assert rows == [["A1", "Active", "Alex", make_nir(1), "cadre", 151.67]]
    with scope(workspace=ws):
        entry = AuditEntry.objects.get(action="payroll.template_download")
    assert entry.changes == {"period": "2026-01", "entrepreneurs": 1, "with_nir": True}


def test_api_tokens_are_shown_once_stored_hashed_and_revocable(ws, world):
    client = login(world.users["partner_a"])
    url = reverse("payroll_api_tokens", args=[ws.slug])
    response = client.post(url, {"name": "Outil maison"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    with scope(workspace=ws):
        token = ApiToken.objects.get(workspace=ws)
    raw = re.search(r"<code>(mut_[^<…]+)</code>", response.content.decode()).group(1)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest() and len(raw) > 40
    assert raw not in client.get(url).content.decode()  # shown once

    response = client.post(reverse("payroll_api_token_revoke", args=[ws.slug, token.pk]), follow=True)
    assert "revoked" in response.content.decode()
    with scope(workspace=ws):
        token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.api_token_authenticate(raw=raw) is None


# --- the command ------------------------------------------------------------------------------

def test_import_monthly_imports_synchronously(ws, tmp_path):
    path = tmp_path / "janvier.xlsx"
    path.write_bytes(submission_xlsx(new_rows(5)))
    out = StringIO()
    call_command("import_monthly", "--workspace", ws.slug, "--period", "2026-01", str(path), stdout=out)
    assert "5 rows" in out.getvalue() and "5 new entrepreneurs" in out.getvalue()
    assert counts(ws) == {"lines": 5, "entrepreneurs": 5, "employments": 5}
    with scope(workspace=ws):
        assert MonthlySubmission.objects.get().state == SubmissionState.CONFIRMED


def test_import_monthly_prints_row_errors_and_writes_nothing(ws, tmp_path, settings):
    rows = new_rows(3) + [submission_row("BAD", nom="X", prenom="Y", nir="123", taux_pas="150")]
    path = tmp_path / "janvier.csv"
    path.write_bytes(submission_csv(rows))
    err = StringIO()
    stored_before = sorted(p.name for p in _storage_files(settings))
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_monthly", "--workspace", ws.slug, "--period", "2026-01", str(path), stderr=err)
    assert "row 5, column nir:" in err.getvalue() and "row 5, column taux_pas:" in err.getvalue()
    assert counts(ws) == {"lines": 0, "entrepreneurs": 0, "employments": 0}
    with scope(workspace=ws):
        assert not MonthlySubmission.objects.exists() and not Document.objects.exists()
        assert not PayrollPeriod.objects.exists()
    assert sorted(p.name for p in _storage_files(settings)) == stored_before  # not even the file


def test_import_monthly_refuses_an_unknown_workspace_and_a_bad_month(ws, tmp_path):
    path = tmp_path / "janvier.xlsx"
    path.write_bytes(submission_xlsx(new_rows(1)))
    with pytest.raises(CommandError, match="No workspace"):
        call_command("import_monthly", "--workspace", "nope", "--period", "2026-01", str(path))
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("import_monthly", "--workspace", ws.slug, "--period", "janvier", str(path))


def _storage_files(settings):
    from pathlib import Path

    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()]


def test_exit_date_absence_hours_and_birth_date_columns(ws, send):
    """Issue 13: the monthly file carries the exit date and unpaid absence hours (they prorate the
    ceiling and the SMIC of the réduction générale, R242-2 and D241-7 CSS) and, for a new person,
    the birth date the DSN needs; a new person without it is refused in French, row and column named."""
    with scope(workspace=ws):
        EntrepreneurFactory(workspace=ws, matricule="K1", nir=make_nir(1))
    headers = [*submission_row("K1").keys(), "date_sortie", "heures_absence", "date_naissance"]
    rows = [submission_row("K1", date_sortie="20/01/2026", heures_absence="7,5", date_naissance=""),
            submission_row("N1", nom="Nouvelle", prenom="Zoé", nir=make_nir(2), date_naissance="14/07/1990",
                           date_sortie="", heures_absence="")]
    submission = confirm(ws, send(submission_xlsx(rows, headers)))
    assert submission.state == SubmissionState.CONFIRMED, submission.errors
    with scope(workspace=ws):
        lines = {line.entrepreneur.matricule: line for line in SubmissionLine.objects.select_related("entrepreneur")}
        assert (lines["K1"].exit_date, lines["K1"].absence_hours) == (datetime.date(2026, 1, 20), Decimal("7.50"))
        assert lines["N1"].entrepreneur.birth_date == datetime.date(1990, 7, 14)

    missing = [submission_row("N2", nom="Autre", prenom="Léa", nir=make_nir(3), date_naissance="",
                              date_sortie="15/02/2026", heures_absence="")]
    refused = send(submission_xlsx(missing, headers))
    assert refused.state == SubmissionState.INVALID
    messages = {(error["column"], error["code"]) for error in refused.errors}
    assert ("date_naissance", "missing_required") in messages and ("date_sortie", "exit_outside_period") in messages
