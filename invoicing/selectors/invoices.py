"""Reads of the invoicing pages: one lookup per model (404 for missing and foreign alike),
lists with a constant query count, balances."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from backoffice.roles import Perm
from backoffice.selectors.lookups import in_actor_workspace
from backoffice.tenancy import Actor
from invoicing.models import Invoice, InvoiceLine, InvoiceState, InvoiceStatusEvent, Payment

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def with_balance(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate `paid` (payments) and `credited` (issued credit notes) in the same query."""
    paid = (Payment.objects.filter(invoice=OuterRef("pk")).order_by().values("invoice")
            .annotate(total=Sum("amount")).values("total"))
    credited = (Invoice.objects.filter(corrects=OuterRef("pk"), state=InvoiceState.ISSUED).order_by()
                .values("corrects").annotate(total=Sum("total_gross")).values("total"))
    money = DecimalField(max_digits=14, decimal_places=2)
    return queryset.annotate(paid=Coalesce(Subquery(paid, output_field=money), ZERO),
                             credited=Coalesce(Subquery(credited, output_field=money), ZERO))


def visible_invoices(actor: Actor) -> QuerySet[Invoice]:
    """The invoices the actor may read in its workspace: issued ones, and drafts for staff."""
    actor.require(Perm.INVOICE_VIEW)
    queryset = Invoice.objects.filter(workspace=actor.workspace)
    if not actor.has(Perm.INVOICE_MANAGE):
        queryset = queryset.filter(state=InvoiceState.ISSUED)
    return queryset


def invoice_list(actor: Actor) -> QuerySet[Invoice]:
    return with_balance(visible_invoices(actor).select_related("corrects").prefetch_related("debits")).order_by(
        "state", "-issue_date", "-sequence", "-pk")


def get_invoice(actor: Actor, pk: int) -> Invoice:
    invoice = get_object_or_404(visible_invoices(actor).select_related("workspace", "corrects"), pk=pk)
    return in_actor_workspace(actor, invoice)


def get_invoice_for_update(actor: Actor, pk: int) -> Invoice:
    actor.require(Perm.INVOICE_MANAGE)
    return get_invoice(actor, pk)


def get_invoice_line(actor: Actor, pk: int) -> InvoiceLine:
    actor.require(Perm.INVOICE_MANAGE)
    line = get_object_or_404(InvoiceLine.objects.select_related("invoice"), pk=pk)
    return in_actor_workspace(actor, line)


def get_invoice_by_number(actor: Actor, number: str) -> Invoice:
    """An issued invoice of the actor's workspace by its number; a number of another workspace is 404."""
    invoice = visible_invoices(actor).filter(number=number, state=InvoiceState.ISSUED).first()
    if invoice is None:
        raise Http404
    return in_actor_workspace(actor, invoice)


def invoice_lines(invoice: Invoice) -> QuerySet[InvoiceLine]:
    return invoice.lines.order_by("position", "pk")


def invoice_payments(invoice: Invoice) -> QuerySet[Payment]:
    return invoice.payments.order_by("received_on", "pk")


def invoice_status_events(invoice: Invoice) -> QuerySet[InvoiceStatusEvent]:
    return invoice.status_events.order_by("at", "pk")


def open_filter() -> Q:
    return Q(state=InvoiceState.ISSUED, kind="invoice")
