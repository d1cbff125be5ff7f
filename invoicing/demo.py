"""Demo invoicing (called by `manage.py seed_demo`; idempotent: it does nothing once the
demo has invoices).

Last month's billable usage of CAE A, CAE B and the alumni companies (recorded here when the
other apps' demos did not record it) goes through the real billing run, then the drafts are
issued. One invoice is paid, one partly paid, one overdue (a manual invoice issued 45 days
ago, numbered first so the sequence stays chronological) and one corrected by a credit note."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from backoffice.models import User, Workspace
from backoffice.selectors.usage import shift_month
from backoffice.services.usage import usage_record
from backoffice.tenancy import staff_wide
from invoicing.models import Invoice, InvoicingSettings
from invoicing.services.billing import billing_run
from invoicing.services.invoices import LineInput, credit_note_create, invoice_create, invoice_issue
from invoicing.services.payments import payment_record
from invoicing.services.sepa import mandate_create, sepa_batch_create

DEMO_USAGE = [
    # slug, service, kind, quantity, reference
    ("cae-a", "payroll", "payslip", "12", "demo-bulletins"),
    ("cae-a", "training", "funding_request", "2", "demo-financements"),
    ("cae-b", "payroll", "payslip", "9", "demo-bulletins"),
    ("scop-c", "alumni", "declared_revenue", "48500.00", "demo-ca"),
    ("scop-e", "alumni", "declared_revenue", "73200.00", "demo-ca"),
]


def seed(stdout) -> None:
    with staff_wide("the demo bills every demo workspace"):
        if Invoice.objects.exists():
            return
        staff = User.objects.get(email="support@mutualise.test")
        host = Workspace.objects.get(slug="mutualise")
        InvoicingSettings.objects.update_or_create(workspace=host, defaults={
            "iban": "FR7630006000011234567890189", "bic": "AGRIFRPP", "sepa_creditor_id": "FR12ZZZ123456",
            "vat_on_debits": True})
        today = timezone.localdate()
        month = shift_month(today.replace(day=1), -1)
        workspaces = {w.slug: w for w in Workspace.objects.filter(slug__in=["cae-a", "cae-b", "scop-c", "scop-e"])}
        # The overdue one first: issued 45 days ago, so its number comes first.
        overdue = invoice_create(actor=staff, workspace=workspaces["scop-e"], note="Accompagnement (démo)", lines=[
            LineInput(description="Accompagnement à la reprise d'activité", quantity=Decimal("3"),
                      unit_price=Decimal("180.00"))])
        invoice_issue(actor=staff, invoice=overdue, today=today - datetime.timedelta(days=45))
        for slug, service, kind, quantity, reference in DEMO_USAGE:
            usage_record(workspace=workspaces[slug], service=service, kind=kind, quantity=Decimal(quantity),
                         occurred_on=month.replace(day=28), reference=f"{reference}-{month:%Y-%m}",
                         description="Démo")
        report = billing_run(actor=staff, period=month, workspaces=list(workspaces.values()))
        issued = {bill.workspace.slug: invoice_issue(actor=staff, invoice=bill.invoice)
                  for bill in report.drafts if bill.invoice}
        if "cae-a" in issued:  # paid
            payment_record(actor=staff, invoice=issued["cae-a"], amount=issued["cae-a"].total_gross,
                           received_on=today, method="transfer", reference=issued["cae-a"].number)
        if "cae-b" in issued:  # partly paid
            payment_record(actor=staff, invoice=issued["cae-b"], amount=(issued["cae-b"].total_gross / 2).quantize(
                Decimal("0.01")), received_on=today, method="cheque", reference="Chèque n° 0001234")
        if "scop-c" in issued:  # corrected by a credit note
            note = credit_note_create(actor=staff, invoice=issued["scop-c"], reason="Chiffre d'affaires rectifié", lines=[
                LineInput(description="Rectification du chiffre d'affaires déclaré", quantity=Decimal("1"),
                          unit_price=Decimal("50.00"))])
            invoice_issue(actor=staff, invoice=note)
        # SCOP C pays by SEPA direct debit: its mandate, and the batch (pain.008) that collects
        # what it still owes; the other customers pay by transfer or cheque.
        mandate_create(actor=staff, workspace=workspaces["scop-c"], reference="DEMO-SCOPC-2025-01",
                       signed_on=today - datetime.timedelta(days=365), iban="FR1420041010050500013M02606",
                       debtor_name=workspaces["scop-c"].name)
        batch = sepa_batch_create(actor=staff, due_before=today + datetime.timedelta(days=60))
        stdout.write(f"  invoicing {month:%Y-%m}: {len(issued) + 1} invoices issued, 1 credit note, "
                     f"{batch.lines.count() if batch else 0} direct debit(s) in a SEPA batch")
