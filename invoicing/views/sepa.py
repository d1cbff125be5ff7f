"""Staff pages of SEPA direct debit under /staff/invoicing/: the customers' mandates, the
pain.008 batches (generate for due invoices, download, record a rejection)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.records import add_service_errors
from backoffice.roles import Perm
from backoffice.tenancy import staff_wide
from invoicing.forms import DebitBatchForm, DebitRejectForm, MandateForm
from invoicing.selectors.sepa import batch_lines, batch_list, get_batch, get_debit_line, mandate_list
from invoicing.selectors.staff import customer_workspaces, require_staff
from invoicing.services.sepa import debit_reject, mandate_create, sepa_batch_create
from invoicing.views.invoices import _attachment, flash_errors


def mandates(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("a mandate may be signed by any customer"):
        form = MandateForm(request.POST or None, workspaces=customer_workspaces(),
                           initial={"signed_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                mandate = mandate_create(actor=request.user, workspace=data["workspace"], reference=data["reference"],
                                         signed_on=data["signed_on"], iban=data["iban"],
                                         debtor_name=data["debtor_name"], bic=data["bic"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Mandate %(reference)s recorded for %(customer)s (%(iban)s).") % {
                    "reference": mandate.reference, "customer": data["workspace"].name, "iban": mandate.masked_iban})
                return redirect("staff:invoicing:mandates")
        return render(request, "invoicing/staff_mandates.html", {"form": form, "mandates": mandate_list(actor)},
                      status=400 if form.errors else 200)


def debits(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require_staff(actor, Perm.INVOICE_MANAGE)
    form = DebitBatchForm(request.POST or None, initial={"due_before": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            batch = sepa_batch_create(actor=request.user, due_before=form.cleaned_data["due_before"],
                                      collection_date=form.cleaned_data["collection_date"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if batch is None:
                messages.info(request, _("No invoice to collect: none is due with a signed mandate."))
                return redirect("staff:invoicing:debits")
            messages.success(request, _("Direct-debit batch ready: download it and send it to the bank."))
            return redirect("staff:invoicing:debit_batch", pk=batch.pk)
    return render(request, "invoicing/staff_debits.html", {"form": form, "batches": batch_list(actor)},
                  status=400 if form.errors else 200)


def debit_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch(request.actor, pk)
    lines = batch_lines(request.actor, batch)
    for line in lines:
        line.reject_form = DebitRejectForm(auto_id=f"reject{line.pk}_%s")
    return render(request, "invoicing/staff_debit_batch.html", {"batch": batch, "lines": lines,
                                                                 "today": timezone.localdate()})


def debit_batch_xml(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch(request.actor, pk)
    return _attachment(batch.xml.encode("utf-8"), f"prelevements-{batch.collection_date:%Y%m%d}-{batch.pk}.xml",
                       "application/xml")


@require_POST
def debit_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_debit_line(request.actor, pk)
    form = DebitRejectForm(request.POST)
    if form.is_valid():
        try:
            with staff_wide("the batch's lines span customers"):
                debit_reject(actor=request.user, line=line, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Rejection recorded: invoice %(number)s is unpaid again.") % {
                "number": line.invoice.number})
    else:
        flash_errors(request, form.errors)
    return redirect("staff:invoicing:debit_batch", pk=line.batch_id)
