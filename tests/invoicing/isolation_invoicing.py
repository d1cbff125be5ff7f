"""Isolation registry of the invoicing URLs (invoicing/urls.py and invoicing/urls_staff.py)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from backoffice.models import Workspace, WorkspaceKind
from invoicing.models import BankLine, BankStatement, DebitBatch, DebitLine, Invoice, InvoiceLine, Mandate
from tests.invoicing.conftest import make_draft, make_issued

PUBLIC: set[str] = set()


def _draft(ws) -> Invoice:
    if ws.is_host:  # the host is never invoiced: a bare row, only so the walk has an id
        invoice = Invoice.objects.create(workspace=ws)
        InvoiceLine.objects.create(workspace=ws, invoice=invoice, description="x", quantity=Decimal("1"),
                                   unit_price=Decimal("1"), net_amount=Decimal("1"))
        return invoice
    return make_draft(ws)


def _statement(ws) -> BankStatement:
    """Bank statements are the host's (its account), whatever workspace the walk builds for."""
    host = Workspace.objects.get(kind=WorkspaceKind.HOST)
    number = BankStatement.objects.filter(workspace=host).count() + 1
    statement = BankStatement.objects.create(workspace=host, reference=f"REL-{number}", digest="0" * 64)
    BankLine.objects.create(workspace=host, statement=statement, key=f"k-{number}", booking_date="2026-01-05",
                            amount=Decimal("10.00"), state="review", reason="Pas de numéro de facture.")
    return statement


def _debit_line(ws) -> DebitLine:
    """A batch is the host's; its line belongs to the customer whose invoice it collects."""
    host = Workspace.objects.get(kind=WorkspaceKind.HOST)
    number = DebitBatch.objects.filter(workspace=host).count() + 1
    batch = DebitBatch.objects.create(workspace=host, collection_date="2026-01-10", xml="<Document/>")
    invoice = _draft(ws) if ws.is_host else make_issued(ws)
    mandate = Mandate.objects.create(workspace=ws, reference=f"M-{number}", signed_on="2026-01-02",
                                     iban="FR7630006000011234567890189", debtor_name=ws.name)
    return DebitLine.objects.create(workspace=ws, batch=batch, invoice=invoice, mandate=mandate,
                                    amount=Decimal("150.00"))


OBJECT_BUILDERS: dict[str, Callable] = {
    # A draft (only staff may see or change it) and an issued invoice (the customer reads it).
    "invoice_draft": lambda ws: _draft(ws).pk,
    "invoice_issued": lambda ws: _draft(ws).pk if ws.is_host else make_issued(ws).pk,
    "invoice_line": lambda ws: _draft(ws).lines.get().pk,
    "bank_statement": lambda ws: _statement(ws).pk,
    "bank_line": lambda ws: _statement(ws).lines.get().pk,
    "debit_batch": lambda ws: _debit_line(ws).batch_id,
    "debit_line": lambda ws: _debit_line(ws).pk,
}

OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "invoice_detail": {"pk": "invoice_issued"},
    "invoice_pdf": {"pk": "invoice_issued"},
    "invoice_xml": {"pk": "invoice_issued"},
    "invoice_issue": {"pk": "invoice_draft"},
    "invoice_delete": {"pk": "invoice_draft"},
    "invoice_line_add": {"pk": "invoice_draft"},
    "invoice_credit_note": {"pk": "invoice_issued"},
    "invoice_payment": {"pk": "invoice_issued"},
    "invoice_line_edit": {"pk": "invoice_line"},
    "invoice_line_delete": {"pk": "invoice_line"},
    "staff:invoicing:bank_statement": {"pk": "bank_statement"},
    "staff:invoicing:bank_line_match": {"pk": "bank_line"},
    "staff:invoicing:bank_line_dismiss": {"pk": "bank_line"},
    "invoice_status": {"pk": "invoice_issued"},
    "staff:invoicing:debit_batch": {"pk": "debit_batch"},
    "staff:invoicing:debit_batch_xml": {"pk": "debit_batch"},
    "staff:invoicing:debit_reject": {"pk": "debit_line"},
}
