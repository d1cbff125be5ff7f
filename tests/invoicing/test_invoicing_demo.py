"""The demo issues last month's invoices: one paid, one partly paid, one overdue, one credit note,
and one collected by SEPA direct debit (a mandate and a pain.008 batch)."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from invoicing.models import DebitBatch, Invoice, Mandate


def test_seed_demo_issues_invoices_once(db):
    call_command("seed_demo", stdout=StringIO())
    today = timezone.localdate()
    with scopes_disabled():
        invoices = list(Invoice.objects.filter(kind="invoice").select_related("workspace"))
        statuses = {i.workspace.slug: i.payment_status(today) for i in invoices}
        assert {"cae-a", "cae-b", "scop-c", "scop-e"} <= set(statuses)
        assert statuses["cae-a"] == "Paid" and statuses["cae-b"] == "Partly paid"
        assert "Overdue" in statuses.values()
        assert Invoice.objects.filter(kind="credit_note", state="issued").count() == 1
        assert not Invoice.objects.filter(state="draft").exists()
        assert statuses["scop-c"] == "Debit sent"
        [mandate] = Mandate.objects.filter(is_active=True)
        [batch] = DebitBatch.objects.all()
        assert mandate.workspace.slug == "scop-c" and mandate.reference in batch.xml
        assert [line.invoice.workspace.slug for line in batch.lines.select_related("invoice__workspace")] == ["scop-c"]
        count = Invoice.objects.count()
        call_command("seed_demo", stdout=StringIO())
        assert Invoice.objects.count() == count and DebitBatch.objects.count() == 1
