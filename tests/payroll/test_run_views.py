"""The month's payroll pages (payroll/views/runs.py): who may run, approve, deliver and
download; the progress partial; constant queries on the period page."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from backoffice.models import AuditEntry
from payroll.models import PayrollPeriod, PayrollRun, Payslip
from payroll.services.payslips import payslips_render
from payroll.services.runs import payroll_run
from tests.conftest import login
from tests.factories import (
    MembershipFactory,
    PayrollBracketFactory,
    PayrollSettingsFactory,
    UserFactory,
    build_payroll_month,
)


@pytest.fixture
def period(world):
    ws = world.partner_a
    with scope(workspace=ws):
        settings = PayrollSettingsFactory(workspace=ws)
        PayrollBracketFactory(settings=settings, rate=Decimal("10"))
        return build_payroll_month(ws, lines=[{"revenue": Decimal("5000.00")}, {"gross_salary": Decimal("3000.00")}])


def url(name, period, **extra):
    return reverse(name, kwargs={"workspace": "cae-a", "pk": period.pk, **extra})


def stage_of(period):
    with scopes_disabled():
        return PayrollPeriod.objects.get(pk=period.pk).stage


def compute(world, period):
    with scope(workspace=world.partner_a):
        payroll_run(actor=None, workspace=world.partner_a, period=period)


def test_staff_compute_the_month_from_the_period_page(world, period):
    client = login(world.users["staff"])
    page = client.get(url("payroll_period", period))
    assert page.status_code == 200
    assert url("payroll_period_run", period).encode() in page.content

    response = client.post(url("payroll_period_run", period), follow=True)
    assert response.status_code == 200
    assert stage_of(period) == "computed"
    with scopes_disabled():
        assert Payslip.objects.filter(workspace=world.partner_a).count() == 2
    assert "500,00" in response.content.decode()  # 10 % of 5 000 € revenue: the CAE contribution


def test_a_partner_manager_cannot_compute_but_approves(world, period):
    manager = login(world.users["partner_a"])
    assert manager.post(url("payroll_period_run", period)).status_code == 403
    assert stage_of(period) == "checked"
    compute(world, period)
    page = manager.get(url("payroll_period", period))
    assert url("payroll_period_approve", period).encode() in page.content
    assert url("payroll_period_run", period).encode() not in page.content

    manager.post(url("payroll_period_approve", period), {"confirm": "1"})
    assert stage_of(period) == "approved"
    with scopes_disabled():
        assert PayrollPeriod.objects.get(pk=period.pk).approved_by == world.users["partner_a"]
    # Locked: staff can no longer recompute it.
    response = login(world.users["staff"]).post(url("payroll_period_run", period), follow=True)
    assert "can no longer be recomputed" in response.content.decode()


def test_staff_cannot_approve_and_a_viewer_only_reads(world, period):
    compute(world, period)
    assert login(world.users["staff"]).post(url("payroll_period_approve", period)).status_code == 403
    with scopes_disabled():
        viewer = MembershipFactory(workspace=world.partner_a, role="viewer",
                                   user=UserFactory(email="viewer@example.test")).user
    client = login(viewer)
    assert client.get(url("payroll_period", period)).status_code == 200
    assert client.post(url("payroll_period_approve", period)).status_code == 403
    assert client.post(url("payroll_period_run", period)).status_code == 403
    assert stage_of(period) == "computed"


def test_delivery_needs_approval_and_every_pdf(world, period, django_capture_on_commit_callbacks):
    staff = login(world.users["staff"])
    compute(world, period)
    staff.post(url("payroll_period_deliver", period))
    assert stage_of(period) == "computed"  # not approved yet
    login(world.users["partner_a"]).post(url("payroll_period_approve", period), {"confirm": "1"})
    response = staff.post(url("payroll_period_deliver", period), follow=True)
    assert stage_of(period) == "approved"
    assert "render the payslips first" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the batch is queued on commit (eager here)
        staff.post(url("payroll_period_render", period))
    staff.post(url("payroll_period_deliver", period))
    assert stage_of(period) == "delivered"


def test_render_button_runs_the_batch_and_the_progress_partial_stops_polling(world, period,
                                                                           django_capture_on_commit_callbacks):
    compute(world, period)
    staff = login(world.users["staff"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        staff.post(url("payroll_period_render", period))
    # one batch queued (the other callbacks forget the files the batch wrote once committed)
    assert sum("payslips_render_start" in c.__qualname__ for c in callbacks) == 1
    with scopes_disabled():
        run = PayrollRun.objects.get(period=period)
        assert run.pdf_state == "done" and run.pdf_task_id
        assert not Payslip.objects.filter(run=run, pdf__isnull=True).exists()
    partial = staff.get(url("payroll_period_progress", period)).content.decode()
    assert "2 of 2 payslip PDFs up to date" in partial or "2 sur 2" in partial
    assert "hx-trigger" not in partial
    with scopes_disabled():
        PayrollRun.objects.filter(pk=run.pk).update(pdf_state="running", pdf_progress=40)
    partial = staff.get(url("payroll_period_progress", period)).content.decode()
    assert 'hx-trigger="every 2s"' in partial and 'value="40"' in partial


def test_downloads_go_through_rights_checks(world, period):
    compute(world, period)
    with scope(workspace=world.partner_a):
        payslips_render(actor=None, workspace=world.partner_a, payroll_period=period)
        payslip = Payslip.objects.filter(workspace=world.partner_a).first()
    manager = login(world.users["partner_a"])
    pdf = manager.get(reverse("payroll_payslip_pdf", kwargs={"workspace": "cae-a", "pk": payslip.pk}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert pdf["Cache-Control"] == "private, no-store"
    archive = manager.get(url("payroll_period_zip", period))
    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    journal = manager.get(url("payroll_period_journal", period))
    sheet = load_workbook(io.BytesIO(b"".join(journal.streaming_content))).active
    assert sheet.max_row == 4  # header, two payslips, totals
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="payroll.journal_export").count() == 1
    # Partner B cannot reach A's payslip, even with its own workspace in the address.
    other = login(world.users["partner_b"])
    assert other.get(reverse("payroll_payslip_pdf", kwargs={"workspace": "cae-b", "pk": payslip.pk})).status_code == 404


def test_declaration_generated_by_staff_and_downloaded_only_with_nir_rights(world, period):
    compute(world, period)
    staff = login(world.users["staff"])
    page = staff.post(url("payroll_period_declare", period), follow=True).content.decode()
    assert "DSN-VAL" in page
    with scopes_disabled():
        declaration = period.declarations.get()
    download = reverse("payroll_declaration_download", kwargs={"workspace": "cae-a", "pk": declaration.pk})
    assert staff.get(download).status_code == 200
    assert login(world.users["partner_a"]).post(url("payroll_period_declare", period)).status_code == 403
    with scopes_disabled():
        viewer = MembershipFactory(workspace=world.partner_a, role="viewer",
                                   user=UserFactory(email="viewer2@example.test")).user
    assert login(viewer).get(download).status_code == 403


def test_period_page_queries_do_not_grow_with_payslips(world, period):
    compute(world, period)
    staff = login(world.users["staff"])
    staff.get(url("payroll_period", period))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        staff.get(url("payroll_period", period))
    with scope(workspace=world.partner_a):
        bigger = build_payroll_month(world.partner_a, period=period.period.replace(month=2), lines=[{}] * 8)
        payroll_run(actor=None, workspace=world.partner_a, period=bigger)
    with CaptureQueriesContext(connection) as many:
        staff.get(url("payroll_period", bigger))
    assert len(many) == len(few)


def test_period_list_shows_the_months(world, period):
    compute(world, period)
    page = login(world.users["partner_a"]).get(reverse("payroll_periods", kwargs={"workspace": "cae-a"}))
    assert page.status_code == 200
    assert url("payroll_period", period).encode() in page.content
