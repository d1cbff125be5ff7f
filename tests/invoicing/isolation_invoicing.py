"""Isolation registry of the invoicing URLs (invoicing/urls.py and invoicing/urls_staff.py)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from invoicing.models import Invoice, InvoiceLine
from tests.invoicing.conftest import make_draft, make_issued

PUBLIC: set[str] = set()


def _draft(ws) -> Invoice:
    if ws.is_host:  # the host is never invoiced: a bare row, only so the walk has an id
        invoice = Invoice.objects.create(workspace=ws)
        InvoiceLine.objects.create(workspace=ws, invoice=invoice, description="x", quantity=Decimal("1"),
                                   unit_price=Decimal("1"), net_amount=Decimal("1"))
        return invoice
    return make_draft(ws)


OBJECT_BUILDERS: dict[str, Callable] = {
    # A draft (only staff may see or change it) and an issued invoice (the customer reads it).
    "invoice_draft": lambda ws: _draft(ws).pk,
    "invoice_issued": lambda ws: _draft(ws).pk if ws.is_host else make_issued(ws).pk,
    "invoice_line": lambda ws: _draft(ws).lines.get().pk,
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
}
