"""A workspace's invoices under /w/<workspace>/invoicing/: the customer reads its issued
invoices, their status, PDF and XML; host staff also see drafts, edit their lines, issue
them and write credit notes."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.records import add_service_errors
from backoffice.roles import Perm
from invoicing.documents.pdf import invoice_pdf, invoice_xml
from invoicing.forms import CreditNoteForm, LifecycleStatusForm, LineForm, PaymentForm
from invoicing.models import InvoiceState
from invoicing.selectors.invoices import (
    get_invoice,
    get_invoice_for_update,
    get_invoice_line,
    invoice_lines,
    invoice_list,
    invoice_payments,
    invoice_status_events,
)
from invoicing.services.common import InvoicingError
from invoicing.services.invoices import (
    LineInput,
    credit_note_create,
    invoice_delete,
    invoice_issue,
    invoice_line_add,
    invoice_line_delete,
    invoice_line_update,
    invoice_status_record,
)
from invoicing.services.payments import payment_record
from invoicing.totals import compute_totals


def _to_invoice(workspace: str, pk: int):
    return redirect("invoice_detail", workspace=workspace, pk=pk)


def flash_errors(request: HttpRequest, errors) -> None:
    """A refused form or service, shown as messages on the page it goes back to."""
    if hasattr(errors, "messages"):  # a ValidationError
        errors = {None: errors.messages}
    for field_errors in errors.values():
        for message in field_errors:
            messages.error(request, message)


def _refused(request: HttpRequest, error: InvoicingError) -> None:
    for message in error.messages:
        messages.error(request, message)


def invoices(request: HttpRequest, workspace: str) -> HttpResponse:
    rows = list(invoice_list(request.actor))
    return render(request, "invoicing/invoice_list.html", {"invoices": rows, "today": timezone.localdate()})


def invoice_detail(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    invoice = get_invoice(actor, pk)
    lines = list(invoice_lines(invoice))
    can_manage = actor.has(Perm.INVOICE_MANAGE)
    return render(request, "invoicing/invoice_detail.html", {
        "invoice": invoice,
        "lines": lines,
        "breakdown": compute_totals((line.net_amount, line.vat_rate) for line in lines).breakdown,
        "payments": list(invoice_payments(invoice)),
        "credit_notes": list(invoice.credit_notes.order_by("pk")),
        "today": timezone.localdate(),
        "can_edit": can_manage and invoice.state == InvoiceState.DRAFT,
        "can_credit": can_manage and invoice.state == InvoiceState.ISSUED and not invoice.is_credit_note,
        "line_form": LineForm(),
        "credit_form": CreditNoteForm(),
        "can_pay": can_manage and invoice.state == InvoiceState.ISSUED and not invoice.is_credit_note,
        "payment_form": PaymentForm(initial={"received_on": timezone.localdate(), "amount": invoice.balance}),
        "status_events": list(invoice_status_events(invoice)) if invoice.state == InvoiceState.ISSUED else [],
        "can_record_status": can_manage and invoice.state == InvoiceState.ISSUED,
        "status_form": LifecycleStatusForm(initial={"at": timezone.localdate()}),
    })


@require_POST
def invoice_issue_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    invoice = get_invoice_for_update(request.actor, pk)
    try:
        invoice = invoice_issue(actor=request.user, invoice=invoice)
        messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
    except InvoicingError as error:
        _refused(request, error)
    return _to_invoice(workspace, pk)


@require_POST
def invoice_delete_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    invoice = get_invoice_for_update(request.actor, pk)
    try:
        invoice_delete(actor=request.user, invoice=invoice)
    except InvoicingError as error:
        _refused(request, error)
        return _to_invoice(workspace, pk)
    messages.success(request, _("Draft deleted."))
    return redirect("invoices", workspace=workspace)


@require_POST
def invoice_line_add_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    invoice = get_invoice_for_update(request.actor, pk)
    form = LineForm(request.POST)
    if form.is_valid():
        try:
            invoice_line_add(actor=request.user, invoice=invoice, line=form.line_input())
            messages.success(request, _("Line added."))
        except InvoicingError as error:
            _refused(request, error)
    else:
        flash_errors(request, form.errors)
    return _to_invoice(workspace, pk)


def invoice_line_edit(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    line = get_invoice_line(request.actor, pk)
    initial = {"description": line.description, "quantity": line.quantity, "unit_price": line.unit_price,
               "vat_rate": f"{line.vat_rate:.2f}"}
    form = LineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invoice_line_update(actor=request.user, line=line, data=form.line_input())
            messages.success(request, _("Line updated."))
            return _to_invoice(workspace, line.invoice_id)
        except InvoicingError as error:
            add_service_errors(form, error)
    return render(request, "invoicing/line_form.html", {"form": form, "line": line, "invoice": line.invoice},
                  status=400 if form.errors else 200)


@require_POST
def invoice_line_delete_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    line = get_invoice_line(request.actor, pk)
    try:
        invoice_line_delete(actor=request.user, line=line)
        messages.success(request, _("Line deleted."))
    except InvoicingError as error:
        _refused(request, error)
    return _to_invoice(workspace, line.invoice_id)


@require_POST
def invoice_credit_note(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    invoice = get_invoice_for_update(request.actor, pk)
    form = CreditNoteForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form.errors)
        return _to_invoice(workspace, pk)
    data = form.cleaned_data
    lines = None
    if data["amount"]:
        lines = [LineInput(description=_("Credit on invoice %(number)s: %(reason)s")
                           % {"number": invoice.number, "reason": data["reason"]},
                           quantity=1, unit_price=data["amount"], vat_rate=data["vat_rate"])]
    try:
        note = credit_note_create(actor=request.user, invoice=invoice, lines=lines, reason=data["reason"])
    except InvoicingError as error:
        _refused(request, error)
        return _to_invoice(workspace, pk)
    messages.success(request, _("Draft credit note created: check it, then issue it."))
    return _to_invoice(workspace, note.pk)


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def invoice_pdf_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    invoice = get_invoice(request.actor, pk)
    if invoice.is_draft:
        raise Http404
    return _attachment(invoice_pdf(invoice), f"{invoice.number}.pdf", "application/pdf")


def invoice_xml_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    invoice = get_invoice(request.actor, pk)
    if invoice.is_draft:
        raise Http404
    return _attachment(invoice_xml(invoice), f"{invoice.number}.xml", "application/xml")


@require_POST
def invoice_payment(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    invoice = get_invoice_for_update(request.actor, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment_record(actor=request.user, invoice=invoice, **form.cleaned_data)
            messages.success(request, _("Payment recorded."))
        except ValidationError as error:
            flash_errors(request, error)
    else:
        flash_errors(request, form.errors)
    return _to_invoice(workspace, pk)


@require_POST
def invoice_status_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """Record an e-invoicing lifecycle status (a platform's answer, entered by staff)."""
    invoice = get_invoice_for_update(request.actor, pk)
    form = LifecycleStatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        at = timezone.make_aware(datetime.datetime.combine(data["at"], datetime.time(12, 0)))
        try:
            invoice_status_record(actor=request.user, invoice=invoice, status=data["status"], at=at,
                                  source=data["source"], note=data["note"])
            messages.success(request, _("Status recorded."))
        except InvoicingError as error:
            _refused(request, error)
    else:
        flash_errors(request, form.errors)
    return _to_invoice(workspace, pk)
