"""The monthly billing run: usage → draft invoices priced by the agreement, billed once."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from invoicing.models import Invoice, InvoiceLine, InvoiceLineUsage
from invoicing.services.billing import billing_run
from invoicing.services.invoices import invoice_issue
from tests.factories import PriceLineFactory, ServiceAgreementFactory, UsageFactory

pytestmark = pytest.mark.django_db
JANUARY = datetime.date(2026, 1, 1)


@pytest.fixture
def priced(world):
    with scopes_disabled():
        agreement = ServiceAgreementFactory(workspace=world.partner_a, service="payroll")
        PriceLineFactory(agreement=agreement, kind="per_unit", usage_kind="payslip", label="Bulletin de paie",
                         unit_price=Decimal("12.50"))
        PriceLineFactory(agreement=agreement, kind="monthly_flat", usage_kind="", label="Forfait mensuel",
                         unit_price=Decimal("80.00"))
        alumni = ServiceAgreementFactory(workspace=world.alumni_c, service="alumni")
        PriceLineFactory(agreement=alumni, kind="percentage", usage_kind="declared_revenue",
                         label="Contribution", rate=Decimal("2.5"), unit_price=Decimal("0"))
        for i in range(3):
            UsageFactory(workspace=world.partner_a, kind="payslip", quantity=Decimal("1"),
                         occurred_on=datetime.date(2026, 1, 31), reference=f"jan-{i}")
        UsageFactory(workspace=world.partner_a, kind="payslip", occurred_on=datetime.date(2026, 2, 28),
                     reference="feb-0")
        UsageFactory(workspace=world.partner_a, kind="mystery_kind", occurred_on=datetime.date(2026, 1, 5),
                     reference="m-0")
        UsageFactory(workspace=world.alumni_c, service="alumni", kind="declared_revenue",
                     quantity=Decimal("10000.00"), occurred_on=datetime.date(2026, 1, 15), reference="rev-1")
    return world


def _lines(workspace):
    with scopes_disabled():
        return sorted((line.description, line.quantity, line.unit_price, line.net_amount)
                      for line in InvoiceLine.objects.filter(workspace=workspace))


def test_run_prices_the_month_per_workspace(priced):
    report = billing_run(actor=None, period=JANUARY)
    a = next(b for b in report.bills if b.workspace == priced.partner_a)
    assert [label for label, _q in a.unpriced_labels] == ["mystery kind"]  # never the code name
    assert _lines(priced.partner_a) == [
        ("Bulletin de paie — 01/2026", Decimal("3.000"), Decimal("12.5000"), Decimal("37.50")),
        ("Forfait mensuel — 01/2026", Decimal("1.000"), Decimal("80.0000"), Decimal("80.00")),
    ]
    with scopes_disabled():
        invoice = Invoice.objects.get(workspace=priced.partner_a)
        assert (invoice.state, invoice.period, invoice.total_net, invoice.total_vat) == (
            "draft", JANUARY, Decimal("117.50"), Decimal("23.50"))
        contribution = InvoiceLine.objects.get(workspace=priced.alumni_c)
        assert contribution.net_amount == Decimal("250.00")
        assert not Invoice.objects.filter(workspace=priced.partner_b).exists()


def test_rerun_bills_nothing_twice_even_after_issue(priced):
    billing_run(actor=None, period=JANUARY)
    billing_run(actor=None, period=JANUARY)
    with scopes_disabled():
        assert Invoice.objects.filter(workspace=priced.partner_a).count() == 1
        assert InvoiceLineUsage.objects.filter(workspace=priced.partner_a).count() == 3
        invoice_issue(actor=None, invoice=Invoice.objects.get(workspace=priced.partner_a))
        UsageFactory(workspace=priced.partner_a, kind="payslip", occurred_on=datetime.date(2026, 1, 20),
                     reference="late")
    billing_run(actor=None, period=JANUARY)
    with scopes_disabled():
        drafts = Invoice.objects.filter(workspace=priced.partner_a, state="draft")
        assert drafts.count() == 1
        assert [(line.quantity, line.net_amount) for line in drafts.get().lines.all()] == [(Decimal("1.000"), Decimal("12.50"))]


def test_dry_run_writes_nothing(priced):
    report = billing_run(actor=None, period=JANUARY, dry_run=True)
    assert report.total_net == Decimal("367.50")
    with scopes_disabled():
        assert not Invoice.objects.exists()


def test_issue_invoices_command(priced):
    out = StringIO()
    call_command("issue_invoices", "--period", "2026-01", "--dry-run", stdout=out)
    assert "would bill 2 workspaces" in out.getvalue()
    call_command("issue_invoices", "--period", "2026-01", stdout=StringIO())
    with scopes_disabled():
        assert Invoice.objects.count() == 2
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("issue_invoices", "--period", "janvier")


def test_beat_task_bills_last_month(priced, settings):
    from invoicing.tasks.billing import monthly_billing_run

    assert "invoicing-monthly-billing-run" in settings.CELERY_BEAT_SCHEDULE
    result = monthly_billing_run.delay("2026-01-01").get()
    assert result["drafts"] == 2
