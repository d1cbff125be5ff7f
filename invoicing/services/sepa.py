"""SEPA direct debit: mandates, pain.008 batches (sepaxml, validated against its XSD), rejections.

A batch takes the issued invoices due on or before a date whose customer has an active
mandate and no debit already sent; they show "debit sent". A rejection puts the invoice back
to unpaid, with its reason (the invoice itself never changes)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from sepaxml import SepaDD
from stdnum import bic as std_bic
from stdnum.exceptions import ValidationError as StdnumError

from backoffice.models import Workspace
from backoffice.selectors.workspaces import host_workspace
from backoffice.services.audit import audit_record
from backoffice.tenancy import staff_wide
from backoffice.validators import compact_iban, validate_iban
from invoicing.models import DebitBatch, DebitLine, DebitState, Invoice, InvoiceState, Mandate
from invoicing.selectors.invoices import with_balance
from invoicing.services.common import invoicing_settings, no_issuer

SCHEMA = "pain.008.001.02"


@transaction.atomic
def mandate_create(*, actor, workspace: Workspace, reference: str, signed_on: datetime.date, iban: str,
                   debtor_name: str, bic: str = "") -> Mandate:
    errors = {}
    try:
        validate_iban(compact_iban(iban or ""))
    except ValidationError:
        errors["iban"] = [_("This IBAN is not valid (check its key).")]
    if bic:
        try:
            std_bic.validate(bic)
        except StdnumError:
            errors["bic"] = [_("This BIC is not valid.")]
    if not (reference or "").strip():
        errors["reference"] = [_("A mandate needs its reference.")]
    elif Mandate.objects.filter(workspace=workspace, reference=reference.strip()).exists():
        errors["reference"] = [_("This workspace already has a mandate with this reference.")]
    if signed_on and signed_on > timezone.localdate():
        errors["signed_on"] = [_("A mandate cannot be signed in the future.")]
    if errors:
        raise ValidationError(errors)
    Mandate.objects.filter(workspace=workspace, is_active=True).update(is_active=False)
    mandate = Mandate.objects.create(workspace=workspace, reference=reference.strip(), signed_on=signed_on,
                                     iban=compact_iban(iban), bic=bic.strip().upper(), debtor_name=debtor_name[:70])
    audit_record(actor=actor, workspace=workspace, action="mandate.create", obj=mandate,
                 changes={"reference": mandate.reference, "iban": mandate.masked_iban})
    return mandate


def _debtable(due_before: datetime.date) -> list[tuple[Invoice, Mandate]]:
    mandates = {m.workspace_id: m for m in Mandate.objects.filter(is_active=True)}
    pending = set(DebitLine.objects.filter(state=DebitState.SENT).values_list("invoice_id", flat=True))
    invoices = with_balance(Invoice.objects.filter(state=InvoiceState.ISSUED, kind="invoice",
                                                   due_date__lte=due_before, workspace_id__in=list(mandates))
                            .exclude(pk__in=pending).order_by("due_date", "sequence"))
    return [(invoice, mandates[invoice.workspace_id]) for invoice in invoices if invoice.balance > 0]


@transaction.atomic
def sepa_batch_create(*, actor, due_before: datetime.date, collection_date: datetime.date | None = None
                      ) -> DebitBatch | None:
    """A pain.008 batch of every debtable invoice due on or before `due_before` (None if none)."""
    with staff_wide("a direct-debit batch collects from every customer with a mandate"):
        host = host_workspace(missing=no_issuer)
        settings = invoicing_settings(host)
        if not (settings.iban and settings.sepa_creditor_id):
            raise ValidationError(_("Set the host's IBAN and SEPA creditor identifier first."))
        rows = _debtable(due_before)
        if not rows:
            return None
        collection_date = collection_date or timezone.localdate() + datetime.timedelta(days=2)
        sepa = SepaDD({"name": host.name[:70], "IBAN": settings.iban, "BIC": settings.bic or "NOTPROVIDED",
                       "batch": True, "creditor_id": settings.sepa_creditor_id, "currency": "EUR",
                       "instrument": "CORE"}, schema=SCHEMA, clean=True)
        for invoice, mandate in rows:
            payment = {"name": mandate.debtor_name[:70], "IBAN": mandate.iban, "amount": int(invoice.balance * 100),
                       "type": "RCUR" if DebitLine.objects.filter(mandate=mandate).exists() else "FRST",
                       "collection_date": collection_date, "mandate_id": mandate.reference,
                       "mandate_date": mandate.signed_on, "description": f"Facture {invoice.number}",
                       "endtoend_id": invoice.number.replace("-", "")[:35]}
            if mandate.bic:
                payment["BIC"] = mandate.bic
            sepa.add_payment(payment)
        xml = sepa.export(validate=True).decode("utf-8")
        batch = DebitBatch.objects.create(workspace=host, collection_date=collection_date, xml=xml)
        DebitLine.objects.bulk_create([DebitLine(workspace=invoice.workspace, batch=batch, invoice=invoice,
                                                 mandate=mandate, amount=invoice.balance) for invoice, mandate in rows])
        for invoice, _mandate in rows:
            audit_record(actor=actor, workspace=invoice.workspace, action="invoice.debit_sent", obj=invoice,
                         changes={"amount": invoice.balance, "collection_date": collection_date})
    return batch


@transaction.atomic
def debit_reject(*, actor, line: DebitLine, reason: str) -> DebitLine:
    """The bank rejected the debit: the invoice is unpaid again, with the reason."""
    if line.state != DebitState.SENT:
        raise ValidationError(_("This debit was already rejected."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the rejection reason.")]})
    line.state, line.reason = DebitState.REJECTED, reason.strip()[:200]
    line.save(update_fields=["state", "reason"])
    audit_record(actor=actor, workspace=line.workspace, action="invoice.debit_rejected", obj=line.invoice,
                 changes={"reason": line.reason})
    return line


def debit_sent_amount(invoice: Invoice) -> Decimal:
    return sum((d.amount for d in invoice.debits.filter(state=DebitState.SENT)), Decimal("0.00"))
