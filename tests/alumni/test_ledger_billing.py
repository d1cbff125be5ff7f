"""Invoiced and paid in the contributions ledger, end to end: a company declares its revenue
(billable usage), the billing run bills it, the invoice is issued and half paid; the ledger
(alumni, through backoffice/billing_status.py — alumni never imports invoicing) shows what was
invoiced, paid, the balance and the days overdue from the invoice's own due date. A partner
CAE's row counts its agreements' usage the same way."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from alumni.selectors.ledger import PARTNERS, monthly_due, staff_ledger, workspace_ledger
from alumni.services.declarations import declaration_create
from backoffice import billing_status
from backoffice.billing_status import billing_figures
from invoicing import ledger_figures
from invoicing.models import Invoice
from invoicing.services.billing import billing_run
from invoicing.services.invoices import credit_note_create, invoice_issue
from invoicing.services.payments import payment_record
from tests.conftest import login
from tests.factories import PriceLineFactory, ServiceAgreementFactory, UsageFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _declare_bill_issue(company, world):
    """2025 declared (80,000 € → 1 % = 800 € due), billed in the December 2025 run, issued on 5 January 2026."""
    with scope(workspace=company.workspace):
        declaration_create(actor=world.users["alumni"], company=company, period_key="2025-01-01",
                           revenue=Decimal("80000.00"), today=D(2026, 1, 2))
    billing_run(actor=None, period=D(2025, 12, 1), workspaces=[company.workspace])
    with scopes_disabled():
        draft = Invoice.objects.get(workspace=company.workspace)
        return invoice_issue(actor=None, invoice=draft, today=D(2026, 1, 5))


def test_declaration_invoiced_then_half_paid_shows_in_every_ledger(world, company):
    invoice = _declare_bill_issue(company, world)
    assert invoice.total_net == Decimal("800.00") and invoice.total_gross == Decimal("960.00")
    today = invoice.due_date + datetime.timedelta(days=12)
    with scope(workspace=company.workspace):
        row = workspace_ledger(company.workspace, today=today).row
    assert (row.due, row.invoiced, row.paid, row.balance) == (Decimal("800"), Decimal("800.00"), 0, Decimal("800"))
    assert row.days_overdue(today) == 12                     # from the invoice's due date, not the convention

    with scopes_disabled():
        payment_record(actor=None, invoice=invoice, amount=Decimal("480.00"), received_on=D(2026, 2, 3),
                       method="transfer")
    with scope(workspace=company.workspace):
        row = workspace_ledger(company.workspace, today=today).row
    assert (row.invoiced, row.paid, row.balance) == (Decimal("800.00"), Decimal("400.00"), Decimal("400.00"))
    assert row.days_overdue(today) == 12

    [staff_row] = [r for r in staff_ledger(year=2025, today=today) if r.workspace == company.workspace]
    assert (staff_row.declared, staff_row.due, staff_row.invoiced, staff_row.paid, staff_row.balance) == (
        Decimal("80000.00"), Decimal("800.00"), Decimal("800.00"), Decimal("400.00"), Decimal("400.00"))
    assert staff_ledger(year=2024, today=today) and all(
        r.invoiced == 0 for r in staff_ledger(year=2024, today=today))   # the year filters usage too
    assert dict((m, p) for m, _d, p in monthly_due(year=2026))[D(2026, 2, 1)] == Decimal("400.00")

    page = login(world.users["staff"]).get(reverse("staff:alumni:ledger"), {"year": "2025"}).content.decode()
    assert "400,00" in page and "800,00" in page
    portal = login(world.users["alumni"]).get(reverse("alumni_contributions", args=["scop-c"])).content.decode()
    assert "400,00" in portal

    with scopes_disabled():
        payment_record(actor=None, invoice=invoice, amount=Decimal("480.00"), received_on=D(2026, 2, 20),
                       method="transfer")
    with scope(workspace=company.workspace):
        row = workspace_ledger(company.workspace, today=today).row
    assert (row.paid, row.balance, row.days_overdue(today)) == (Decimal("800.00"), 0, 0)


def test_credit_note_reduces_what_is_invoiced(world, company):
    invoice = _declare_bill_issue(company, world)
    with scopes_disabled():
        note = credit_note_create(actor=None, invoice=invoice)
        invoice_issue(actor=None, invoice=note, today=D(2026, 1, 10))
    figures = billing_figures([company.workspace_id], services=["alumni"], today=D(2026, 3, 1))
    assert figures[company.workspace_id].invoiced == 0
    assert figures[company.workspace_id].oldest_overdue_on is None


def test_unbilled_contribution_is_overdue_by_the_convention(world, company):
    with scope(workspace=company.workspace):
        declaration_create(actor=world.users["alumni"], company=company, period_key="2025-01-01",
                           revenue=Decimal("80000.00"), today=D(2026, 1, 2))
        row = workspace_ledger(company.workspace, today=D(2026, 2, 9)).row
    assert (row.invoiced, row.paid, row.balance) == (0, 0, Decimal("800.00"))
    assert row.days_overdue(D(2026, 2, 9)) == 10               # 31 Dec 2025 + 30 days = 30 Jan 2026


def test_partner_cae_rows_count_their_agreements_usage(world, company):
    with scopes_disabled():
        agreement = ServiceAgreementFactory(workspace=world.partner_a, service="payroll", start_date=D(2025, 1, 1))
        PriceLineFactory(agreement=agreement, kind="per_unit", usage_kind="payslip", label="Bulletin",
                         unit_price=Decimal("12.50"))
        for i in range(4):
            UsageFactory(workspace=world.partner_a, service="payroll", kind="payslip", quantity=Decimal("1"),
                         occurred_on=D(2025, 3, 31), reference=f"mar-{i}")
    billing_run(actor=None, period=D(2025, 3, 1), workspaces=[world.partner_a])
    with scopes_disabled():
        invoice = invoice_issue(actor=None, invoice=Invoice.objects.get(workspace=world.partner_a),
                                today=D(2025, 4, 2))
        payment_record(actor=None, invoice=invoice, amount=invoice.total_gross, received_on=D(2025, 4, 20),
                       method="transfer")
        UsageFactory(workspace=world.partner_a, service="payroll", kind="payslip", quantity=Decimal("1"),
                     occurred_on=D(2025, 4, 30), reference="apr-0")
    rows = {r.workspace.slug: r for r in staff_ledger(year=2025, who=PARTNERS, today=D(2025, 6, 9))}
    assert set(rows) == {"cae-a", "cae-b"}
    cae_a = rows["cae-a"]
    assert (cae_a.declared, cae_a.due, cae_a.invoiced, cae_a.paid, cae_a.balance) == (
        None, Decimal("62.50"), Decimal("50.00"), Decimal("50.00"), Decimal("12.50"))
    assert cae_a.days_overdue(D(2025, 6, 9)) == 10            # April's payslip, not billed: 30 Apr + 30 days
    assert [r.workspace.slug for r in staff_ledger(year=2025, origin="cae-a", today=D(2025, 6, 9))] == [
        "cae-a", "scop-c"]


def test_without_a_provider_nothing_is_invoiced(world, company, monkeypatch):
    monkeypatch.setattr(billing_status, "_figures", None)
    assert billing_figures([company.workspace_id], today=D(2026, 1, 1)) == {
        company.workspace_id: billing_status.NOTHING}
    monkeypatch.setattr(billing_status, "_figures", ledger_figures.ledger_figures)


def test_staff_dashboard_charts_due_and_paid_per_service(world, company):
    """One server-rendered chart per service on the staff dashboard: payroll due in the month of
    its usage, alumni contributions 30 days after their period; paid when the payment came in."""
    from django.utils import timezone

    from alumni.selectors.ledger import due_and_paid_by_service

    year = timezone.localdate().year - 1                       # a year already over
    with scopes_disabled():
        agreement = ServiceAgreementFactory(workspace=world.partner_a, service="payroll",
                                            start_date=D(year, 1, 1))
        PriceLineFactory(agreement=agreement, kind="per_unit", usage_kind="payslip", label="Bulletin",
                         unit_price=Decimal("12.50"))
        for i in range(2):
            UsageFactory(workspace=world.partner_a, service="payroll", kind="payslip", quantity=Decimal("1"),
                         occurred_on=D(year, 1, 31), reference=f"jan-{i}")
    billing_run(actor=None, period=D(year, 1, 1), workspaces=[world.partner_a])
    with scopes_disabled():
        invoice = invoice_issue(actor=None, invoice=Invoice.objects.get(workspace=world.partner_a),
                                today=D(year, 2, 1))
        payment_record(actor=None, invoice=invoice, amount=invoice.total_gross, received_on=D(year, 2, 10),
                       method="transfer")
    with scope(workspace=company.workspace):
        declaration_create(actor=world.users["alumni"], company=company, period_key=f"{year - 1}-01-01",
                           revenue=Decimal("80000.00"), today=D(year, 1, 2))
    by_service = {s.service: s for s in due_and_paid_by_service(year=year)}
    assert set(by_service) == {"payroll", "alumni"}
    payroll = dict((m.month, (d, p)) for m, d, p in by_service["payroll"].months)
    assert payroll[1] == (Decimal("25.00"), 0)
    assert payroll[2] == (0, Decimal("25.00"))
    alumni = dict((m.month, (d, p)) for m, d, p in by_service["alumni"].months)
    assert alumni[1] == (Decimal("800.00"), 0)                   # 31 Dec + 30 days: January
    with scope(workspace=company.workspace):
        declaration_create(actor=world.users["alumni"], company=company, period_key=f"{year}-01-01",
                           revenue=Decimal("10000.00"))                 # due in January of this year
    page = login(world.users["staff"]).get(reverse("staff:dashboard")).content.decode()
    assert page.count('<svg class="chart"') == 1 and "contributions-by-service" in page
