"""An invoice of workspace B, named by its id or its number in a URL or a form of workspace A,
is refused with 404 and nothing is written — even for host staff, who may enter both
workspaces (the lookup is bound to the workspace of the address, not to what the user may see
elsewhere). Issue 12, "Bad input": "an invoice number posted for another workspace"."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry
from backoffice.tenancy import resolve_actor
from invoicing.models import Invoice, InvoiceLine, InvoiceStatusEvent, Payment
from invoicing.selectors.invoices import get_invoice_by_number
from tests.invoicing.conftest import make_draft, make_issued

pytestmark = pytest.mark.django_db


def _written() -> tuple[int, ...]:
    with scopes_disabled():
        return (Invoice.objects.count(), InvoiceLine.objects.count(), Payment.objects.count(),
                InvoiceStatusEvent.objects.count(), AuditEntry.objects.count())


@pytest.fixture
def foreign(world):
    """Workspace B's issued invoice and draft (with its line)."""
    issued = make_issued(world.partner_b)
    draft = make_draft(world.partner_b)
    with scopes_disabled():
        line = draft.lines.get()
    return issued, draft, line


def _posts(issued, draft, line, number):
    """(URL name, object id, form data) of every write of an invoice page."""
    return [
        ("invoice_payment", issued.pk, {"amount": "10", "received_on": issued.issue_date.isoformat(),
                                        "method": "transfer", "reference": number}),
        ("invoice_credit_note", issued.pk, {"amount": "10", "vat_rate": "20.00", "reason": number}),
        ("invoice_status", issued.pk, {"status": "212", "at": issued.issue_date.isoformat(), "source": number}),
        ("invoice_issue", draft.pk, {}),
        ("invoice_delete", draft.pk, {}),
        ("invoice_line_add", draft.pk, {"description": "x", "quantity": "1", "unit_price": "1", "vat_rate": "20.00"}),
        ("invoice_line_edit", line.pk, {"description": "x", "quantity": "1", "unit_price": "1", "vat_rate": "20.00"}),
        ("invoice_line_delete", line.pk, {}),
    ]


def test_staff_posting_b_invoices_to_a_urls_get_404_and_nothing_is_written(world, clients, foreign):
    issued, draft, line = foreign
    before = _written()
    for name, pk, data in _posts(issued, draft, line, issued.number):
        response = clients["staff"].post(reverse(name, args=[world.partner_a.slug, pk]), data)
        assert response.status_code == 404, name
    for name in ("invoice_detail", "invoice_pdf", "invoice_xml"):
        assert clients["staff"].get(reverse(name, args=[world.partner_a.slug, issued.pk])).status_code == 404, name
    assert _written() == before
    with scopes_disabled():
        assert Invoice.objects.get(pk=draft.pk).state == "draft"
    # Control: the same requests in B's own address are found (so the 404 above is the workspace's).
    assert clients["staff"].get(reverse("invoice_pdf", args=[world.partner_b.slug, issued.pk])).status_code == 200


def test_a_customer_cannot_reach_another_customers_invoice(world, clients, foreign):
    issued, draft, line = foreign
    before = _written()
    for name in ("invoice_detail", "invoice_pdf", "invoice_xml"):
        assert clients["partner_a"].get(reverse(name, args=[world.partner_a.slug, issued.pk])).status_code == 404
    for name, pk, data in _posts(issued, draft, line, issued.number):
        response = clients["partner_a"].post(reverse(name, args=[world.partner_a.slug, pk]), data)
        assert response.status_code in (403, 404), name  # no right to write at all: refused before any lookup
    assert _written() == before


def test_an_invoice_number_of_another_workspace_is_not_found(world, foreign):
    issued, _draft, _line = foreign
    own = make_issued(world.partner_a)
    actor = resolve_actor(world.users["staff"], world.partner_a.slug)
    with scope(workspace=world.partner_a):
        assert get_invoice_by_number(actor, own.number).pk == own.pk
        with pytest.raises(Http404):
            get_invoice_by_number(actor, issued.number)
