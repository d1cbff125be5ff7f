"""Writing invoices: drafts and their lines, issuing (gapless numbering, frozen identities),
credit notes. Keyword-only, atomic, audited. Views check Perm.INVOICE_MANAGE before calling.

Rules (CGI annex II art. 242 nonies A; Code de commerce L441-9): a unique number in a
continuous chronological sequence per series, issued the day it is numbered; an issued
invoice is never changed or deleted — a correction is a credit note referring to it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.models import Workspace, WorkspaceKind
from backoffice.selectors.workspaces import host_workspace
from backoffice.services.audit import audit_record
from backoffice.tenancy import staff_wide
from invoicing.models import (
    SERIES_PREFIX,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceSeries,
    InvoiceState,
    InvoiceStatusEvent,
    LifecycleStatus,
)
from invoicing.services.common import InvoicingError, invoicing_settings, no_issuer
from invoicing.totals import compute_totals, line_net, round_cent

ZERO = Decimal("0.00")
MAX_QUANTITY = Decimal("99999999999")


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal = Decimal("20.00")
    service: str = ""
    service_date: datetime.date | None = None


def _require_draft(invoice: Invoice) -> None:
    if invoice.state != InvoiceState.DRAFT:
        raise InvoicingError(_("An issued invoice can be neither changed nor deleted: issue a credit note."))


def _check_line(line: LineInput) -> None:
    errors = {}
    if not (line.description or "").strip():
        errors["description"] = [_("Describe the line.")]
    for field, raw in (("quantity", line.quantity), ("unit_price", line.unit_price), ("vat_rate", line.vat_rate)):
        try:
            value = Decimal(raw)
        except (InvalidOperation, TypeError, ValueError):
            errors[field] = [_("Enter a number.")]
            continue
        if isinstance(raw, float) or not value.is_finite():
            errors[field] = [_("Enter a number.")]
        elif value < 0:
            errors[field] = [_("A quantity, a price or a rate cannot be negative.")]
        elif value > MAX_QUANTITY:
            errors[field] = [_("This number is too large.")]
    if errors:
        raise InvoicingError(errors)


def invoice_refresh_totals(invoice: Invoice) -> Invoice:
    """Recompute a draft's totals from its lines (EN 16931 rounding; invoicing/totals.py)."""
    _require_draft(invoice)
    totals = compute_totals(invoice.lines.values_list("net_amount", "vat_rate"))
    invoice.total_net, invoice.total_vat, invoice.total_gross = totals.net, totals.vat, totals.gross
    invoice.save(update_fields=["total_net", "total_vat", "total_gross"])
    return invoice


def _check_customer(workspace: Workspace) -> None:
    if workspace.kind == WorkspaceKind.HOST:
        raise InvoicingError(_("The host cooperative does not invoice itself."))


@transaction.atomic
def invoice_create(*, actor, workspace: Workspace, lines: list[LineInput] = (), period: datetime.date | None = None,
                   note: str = "") -> Invoice:
    """A draft invoice for `workspace` (manual, or from a billing run when `period` is set)."""
    _check_customer(workspace)
    for line in lines:
        _check_line(line)
    invoice = Invoice.objects.create(workspace=workspace, kind=InvoiceKind.INVOICE, period=period, note=note)
    for position, line in enumerate(lines):
        _line_create(invoice, line, position)
    invoice_refresh_totals(invoice)
    audit_record(actor=actor, workspace=workspace, action="invoice.create", obj=invoice,
                 changes={"lines": len(lines), "period": period})
    return invoice


def _line_create(invoice: Invoice, line: LineInput, position: int, **extra) -> InvoiceLine:
    quantity, unit_price = Decimal(line.quantity), Decimal(line.unit_price)
    return InvoiceLine.objects.create(
        workspace=invoice.workspace, invoice=invoice, position=position, description=line.description.strip(),
        quantity=quantity, unit_price=unit_price, vat_rate=Decimal(line.vat_rate),
        net_amount=line_net(quantity, unit_price), service=line.service, service_date=line.service_date, **extra)


@transaction.atomic
def invoice_line_add(*, actor, invoice: Invoice, line: LineInput) -> InvoiceLine:
    invoice = _locked(invoice)
    _require_draft(invoice)
    _check_line(line)
    position = (invoice.lines.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    created = _line_create(invoice, line, position)
    invoice_refresh_totals(invoice)
    audit_record(actor=actor, workspace=invoice.workspace, action="invoice.line_add", obj=invoice,
                 changes={"description": created.description, "net_amount": created.net_amount})
    return created


@transaction.atomic
def invoice_line_update(*, actor, line: InvoiceLine, data: LineInput) -> InvoiceLine:
    invoice = _locked(line.invoice)
    _require_draft(invoice)
    _check_line(data)
    before = {"description": line.description, "quantity": line.quantity, "unit_price": line.unit_price,
              "vat_rate": line.vat_rate}
    line.description = data.description.strip()
    line.quantity, line.unit_price = Decimal(data.quantity), Decimal(data.unit_price)
    line.vat_rate = Decimal(data.vat_rate)
    line.net_amount = line_net(line.quantity, line.unit_price)
    line.save()
    invoice_refresh_totals(invoice)
    audit_record(actor=actor, workspace=invoice.workspace, action="invoice.line_update", obj=invoice,
                 changes={k: [str(v), str(getattr(line, k))] for k, v in before.items() if v != getattr(line, k)})
    return line


@transaction.atomic
def invoice_line_delete(*, actor, line: InvoiceLine) -> None:
    """Remove a draft's line; its usage goes back to "not billed" (the link is deleted with it)."""
    invoice = _locked(line.invoice)
    _require_draft(invoice)
    description = line.description
    line.delete()
    invoice_refresh_totals(invoice)
    audit_record(actor=actor, workspace=invoice.workspace, action="invoice.line_delete", obj=invoice,
                 changes={"description": description})


@transaction.atomic
def invoice_delete(*, actor, invoice: Invoice) -> None:
    """Delete a draft (never an issued invoice: the database refuses it too)."""
    invoice = _locked(invoice)
    _require_draft(invoice)
    workspace, label = invoice.workspace, str(invoice)
    audit_record(actor=actor, workspace=workspace, action="invoice.delete", changes={"invoice": label})
    invoice.delete()


def _locked(invoice: Invoice) -> Invoice:
    """The invoice row re-read under a row lock (two people issuing the same draft)."""
    return Invoice.objects.select_for_update().select_related("workspace").get(pk=invoice.pk)


def _next_number(host: Workspace, kind: str, year: int) -> tuple[InvoiceSeries, int]:
    """The next number of the (host, kind, year) series, holding the series row locked until
    the caller's transaction ends: no duplicate, and no gap since a rollback undoes it."""
    with staff_wide("numbering series belong to the host and number every customer's invoices"):
        series = InvoiceSeries.objects.select_for_update().filter(workspace=host, kind=kind, year=year).first()
        if series is None:
            try:
                with transaction.atomic():
                    InvoiceSeries.objects.create(workspace=host, kind=kind, year=year, prefix=SERIES_PREFIX[kind])
            except IntegrityError:
                pass  # another issue created it at the same moment
            series = InvoiceSeries.objects.select_for_update().get(workspace=host, kind=kind, year=year)
        series.last_number += 1
        series.save(update_fields=["last_number"])
    return series, series.last_number


def _freeze_identities(invoice: Invoice, host: Workspace) -> None:
    settings = invoicing_settings(host)
    customer = invoice.workspace
    for prefix, ws in (("seller", host), ("customer", customer)):
        for field in ("name", "legal_form", "siren", "siret", "vat_number", "address", "postal_code", "city"):
            setattr(invoice, f"{prefix}_{field}", getattr(ws, field) or "")
    invoice.customer_email = customer.email or ""
    invoice.seller_iban, invoice.seller_bic = settings.iban, settings.bic
    invoice.vat_on_debits = settings.vat_on_debits
    invoice.late_penalty_text = settings.late_penalty_text
    invoice.payment_terms_text = settings.early_payment_text
    invoice.due_date = invoice.issue_date + datetime.timedelta(days=settings.payment_days)


def credited_amount(invoice: Invoice) -> Decimal:
    """Total with VAT of the issued credit notes correcting `invoice`."""
    return sum((c.total_gross for c in invoice.credit_notes.filter(state=InvoiceState.ISSUED)), ZERO)


def creditable_amount(invoice: Invoice) -> Decimal:
    return invoice.total_gross - credited_amount(invoice)


@transaction.atomic
def invoice_issue(*, actor, invoice: Invoice, today: datetime.date | None = None) -> Invoice:
    """Number a draft, date it today, copy the seller's and customer's identities onto it.

    From then on the database refuses any change to it (models/invoices.py)."""
    invoice = _locked(invoice)
    _require_draft(invoice)
    if not invoice.lines.exists():
        raise InvoicingError(_("An invoice without lines cannot be issued."))
    invoice_refresh_totals(invoice)
    if invoice.is_credit_note:
        original = Invoice.objects.select_for_update().get(pk=invoice.corrects_id)
        if invoice.total_gross > creditable_amount(original):
            raise InvoicingError(_("This credit note is larger than what remains of invoice %(number)s "
                                   "(%(remaining)s € incl. VAT).")
                                 % {"number": original.number, "remaining": creditable_amount(original)})
    elif invoice.total_gross <= 0:
        raise InvoicingError(_("An invoice of zero cannot be issued."))
    host = host_workspace(missing=no_issuer)
    invoice.issue_date = today or timezone.localdate()
    invoice.series, invoice.sequence = _next_number(host, invoice.kind, invoice.issue_date.year)
    invoice.number = invoice.series.format(invoice.sequence)
    _freeze_identities(invoice, host)
    invoice.state = InvoiceState.ISSUED
    invoice.issued_at = timezone.now()
    invoice.issued_by = actor if getattr(actor, "is_authenticated", False) else None
    invoice.save()
    InvoiceStatusEvent.objects.create(workspace=invoice.workspace, invoice=invoice, status=LifecycleStatus.DEPOSITED,
                                      at=invoice.issued_at, source="Mutualise", created_by=invoice.issued_by)
    audit_record(actor=actor, workspace=invoice.workspace, action="invoice.issue", obj=invoice,
                 changes={"number": invoice.number, "total_gross": invoice.total_gross})
    return invoice


def invoice_issue_many(*, actor, invoices) -> tuple[list[Invoice], list[tuple[Invoice, str]]]:
    """Issue several drafts, each in its own transaction: (issued, [(refused draft, reason)])."""
    issued, refused = [], []
    for invoice in invoices:
        try:
            issued.append(invoice_issue(actor=actor, invoice=invoice))
        except InvoicingError as error:
            refused.append((invoice, " ".join(error.messages)))
    return issued, refused


@transaction.atomic
def credit_note_create(*, actor, invoice: Invoice, lines: list[LineInput] | None = None,
                       reason: str = "") -> Invoice:
    """A draft credit note correcting issued `invoice`: its lines (default: all of the
    invoice's lines, a full credit). Refused above what remains of the invoice."""
    invoice = _locked(invoice)
    if invoice.state != InvoiceState.ISSUED or invoice.is_credit_note:
        raise InvoicingError(_("A credit note corrects an issued invoice."))
    if lines is None:
        lines = [LineInput(description=line.description, quantity=line.quantity, unit_price=line.unit_price,
                           vat_rate=line.vat_rate, service=line.service, service_date=line.service_date)
                 for line in invoice.lines.all()]
    for line in lines:
        _check_line(line)
    totals = compute_totals((line_net(x.quantity, x.unit_price), x.vat_rate) for x in lines)
    remaining = creditable_amount(invoice)
    if totals.gross <= 0:
        raise InvoicingError(_("A credit note needs an amount."))
    if totals.gross > remaining:
        raise InvoicingError(_("This credit note is larger than what remains of invoice %(number)s "
                               "(%(remaining)s € incl. VAT).")
                             % {"number": invoice.number, "remaining": round_cent(remaining)})
    note = Invoice.objects.create(workspace=invoice.workspace, kind=InvoiceKind.CREDIT_NOTE, corrects=invoice,
                                  period=invoice.period, note=reason)
    for position, line in enumerate(lines):
        _line_create(note, line, position)
    invoice_refresh_totals(note)
    audit_record(actor=actor, workspace=invoice.workspace, action="credit_note.create", obj=note,
                 changes={"corrects": invoice.number, "total_gross": note.total_gross})
    return note


@transaction.atomic
def invoice_status_record(*, actor, invoice: Invoice, status: str, at=None, source: str = "",
                          note: str = "") -> InvoiceStatusEvent:
    """Record a lifecycle status of the e-invoicing reform (entered by staff or imported from a platform)."""
    if invoice.state != InvoiceState.ISSUED:
        raise InvoicingError(_("Only an issued invoice has a lifecycle."))
    if status not in LifecycleStatus.values:
        raise InvoicingError({"status": [_("Choose a status.")]})
    if at is not None and at > timezone.now() + datetime.timedelta(days=1):
        raise InvoicingError({"at": [_("A status cannot be dated in the future.")]})
    event = InvoiceStatusEvent.objects.create(workspace=invoice.workspace, invoice=invoice, status=status,
                                              at=at or timezone.now(), source=source[:100], note=note[:300],
                                              created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, workspace=invoice.workspace, action="invoice.status", obj=invoice,
                 changes={"status": status, "source": source})
    return event
