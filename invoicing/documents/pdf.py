"""The PDF of an issued invoice or credit note: French mentions, number on every page, and
its CII XML embedded as Factur-X (profile EN 16931, PDF/A-3) by the `factur-x` package.

Rendered on demand through backoffice/pdf.py from the invoice's frozen fields, so the same
invoice always gives the same document content."""

from __future__ import annotations

import facturx
from django.core.exceptions import ValidationError

from backoffice.pdf import fr_number, render_pdf
from backoffice.validators import compact_iban
from invoicing.documents.cii import invoice_cii_xml
from invoicing.models import Invoice
from invoicing.totals import compute_totals

FACTURX_LEVEL = "en16931"


def _date(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _iban_groups(iban: str) -> str:
    iban = compact_iban(iban)
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def invoice_pdf_context(invoice: Invoice, lines) -> dict:
    lines = list(lines)
    totals = compute_totals((line.net_amount, line.vat_rate) for line in lines)
    service_date = max((line.service_date for line in lines if line.service_date), default=None)
    return {
        "invoice": invoice,
        "title": "Avoir" if invoice.is_credit_note else "Facture",
        "issue_date": _date(invoice.issue_date),
        "due_date": _date(invoice.due_date),
        "service_date": _date(service_date) if service_date and service_date != invoice.issue_date else "",
        "period": invoice.period.strftime("%m/%Y") if invoice.period else "",
        "corrected_date": _date(invoice.corrects.issue_date) if invoice.corrects_id else "",
        "iban": _iban_groups(invoice.seller_iban) if invoice.seller_iban else "",
        "lines": [{"description": line.description, "quantity_text": fr_number(line.quantity, 3).rstrip("0").rstrip(","),
                   "unit_price_text": fr_number(line.unit_price, 2), "vat_text": fr_number(line.vat_rate, 2),
                   "net_text": fr_number(line.net_amount, 2)} for line in lines],
        "breakdown": [{"rate_text": fr_number(b.rate, 2), "taxable_text": fr_number(b.taxable),
                       "vat_text": fr_number(b.vat)} for b in totals.breakdown],
        "exempt": "art. 261 du CGI" if any(b.rate == 0 for b in totals.breakdown) else "",
        "total_net": fr_number(totals.net), "total_vat": fr_number(totals.vat), "total_gross": fr_number(totals.gross),
    }


def invoice_xml(invoice: Invoice) -> bytes:
    if invoice.is_draft:
        raise ValidationError("a draft has no e-invoice")
    return invoice_cii_xml(invoice, invoice.lines.order_by("position", "pk"))


def invoice_pdf(invoice: Invoice) -> bytes:
    """The Factur-X PDF of issued `invoice` (XSD-checked XML embedded)."""
    if invoice.is_draft:
        raise ValidationError("a draft has no PDF")
    lines = list(invoice.lines.order_by("position", "pk"))
    pdf = render_pdf("pdf/invoice.html", invoice_pdf_context(invoice, lines), language="fr", pdf_variant="pdf/a-3b")
    xml = invoice_cii_xml(invoice, lines)
    return facturx.generate_from_binary(
        pdf, xml, flavor="factur-x", level=FACTURX_LEVEL, check_xsd=True, lang="fr-FR",
        pdf_metadata={"author": invoice.seller_name, "keywords": "Factur-X, facture",
                      "title": f"{'Avoir' if invoice.is_credit_note else 'Facture'} {invoice.number}",
                      "subject": f"{'Avoir' if invoice.is_credit_note else 'Facture'} {invoice.number} "
                                 f"— {invoice.customer_name}"})
