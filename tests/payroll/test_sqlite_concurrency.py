"""Ten parallel clicks on the demo's default SQLite (issue 6 §2): upload, confirm, run and
render serialise (immediate transactions, busy timeout: backoffice/settings.py) instead of
failing with "database is locked". On PostgreSQL select_for_update serialises them: skipped."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from payroll.models import MonthlySubmission, PayrollRun, SubmissionState
from payroll.services import submissions as services
from tests.conftest import login
from tests.factories import (
    PayrollBracketFactory,
    PayrollSettingsFactory,
    build_payroll_month,
    make_nir,
    submission_csv,
    submission_row,
)

pytestmark = pytest.mark.django_db(transaction=True)
CLICKS = 10


@pytest.fixture(autouse=True)
def rate_tables(transactional_db):
    """A transactional test starts from a flushed database: load the rate tables again, as
    their data migration does."""
    import importlib

    from django.apps import apps

    importlib.import_module("payroll.migrations.0002_load_rate_tables").load(apps, None)


@pytest.fixture(autouse=True)
def sqlite_file_only():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL serialises these with select_for_update")
    if connection.settings_dict["NAME"] == ":memory:" or "mode=memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("needs a file database shared by threads")


def in_parallel(make_request) -> list[int]:
    """Run `make_request()` in CLICKS threads released together; their status codes."""
    barrier = threading.Barrier(CLICKS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def click():
        try:
            barrier.wait()
            statuses.append(make_request().status_code)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    return statuses


def test_ten_parallel_uploads_give_no_500(world):
    content = submission_csv([submission_row("A1", nom="Nom", prenom="P", nir=make_nir(7))])
    clients = [login(world.users["partner_a"]) for _ in range(CLICKS)]
    url = reverse("payroll_submission_new", kwargs={"workspace": "cae-a"})
    queue = list(clients)
    statuses = in_parallel(lambda: queue.pop().post(url, {"period": "2026-01",
                                                          "file": SimpleUploadedFile("paie.csv", content)}))
    assert 500 not in statuses and len(statuses) == CLICKS
    with scopes_disabled():
        versions = list(MonthlySubmission.objects.values_list("version", flat=True))
        assert sorted(versions) == list(range(1, CLICKS + 1))  # each click one version, none lost
        assert MonthlySubmission.objects.exclude(state=SubmissionState.SUPERSEDED).count() == 1


def test_ten_parallel_confirms_give_no_500_and_one_confirmation(world):
    content = submission_csv([submission_row("A1", nom="Nom", prenom="P", nir=make_nir(8))])
    with scope(workspace=world.partner_a):
        submission = services.submission_upload(actor=None, workspace=world.partner_a,
                                                period=datetime.date(2026, 1, 1),
                                                upload=SimpleUploadedFile("paie.csv", content))
    assert submission.pk
    url = reverse("payroll_submission_confirm", kwargs={"workspace": "cae-a", "pk": submission.pk})
    queue = [login(world.users["partner_a"]) for _ in range(CLICKS)]
    statuses = in_parallel(lambda: queue.pop().post(url))
    assert 500 not in statuses
    with scopes_disabled():
        assert MonthlySubmission.objects.get(pk=submission.pk).state == SubmissionState.CONFIRMED


def test_ten_parallel_runs_and_renders_give_no_500(world):
    ws = world.partner_a
    with scope(workspace=ws):
        PayrollBracketFactory(settings=PayrollSettingsFactory(workspace=ws), rate=Decimal("10"))
        period = build_payroll_month(ws, lines=[{"revenue": Decimal("5000.00")}, {"gross_salary": Decimal("3000")}])
    kwargs = {"workspace": "cae-a", "pk": period.pk}
    queue = [login(world.users["staff"]) for _ in range(CLICKS)]
    statuses = in_parallel(lambda: queue.pop().post(reverse("payroll_period_run", kwargs=kwargs)))
    assert 500 not in statuses
    with scopes_disabled():
        assert PayrollRun.objects.filter(period=period).count() == 1
    queue = [login(world.users["staff"]) for _ in range(CLICKS)]
    statuses = in_parallel(lambda: queue.pop().post(reverse("payroll_period_render", kwargs=kwargs)))
    assert 500 not in statuses
    with scopes_disabled():
        assert PayrollRun.objects.get(period=period).pdf_state in ("done", "queued", "running")
