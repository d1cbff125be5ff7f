"""What invoicing tells backoffice/billing_status.py: invoiced and paid amounts for usage.

Registered in InvoicingConfig.ready(); the alumni contributions ledger and the staff
dashboard read these figures through backoffice, never by importing invoicing.

- Invoiced: the lines of issued invoices that bill the usage asked about (InvoiceLineUsage),
  excl. VAT, less the part of their invoice that issued credit notes cancelled.
- Paid: the same lines times the share of their invoice's total (incl. VAT) the payments
  cover (capped at 1): an invoice paid half is half paid on each of its lines.
- Overdue: the oldest due date of such an invoice whose balance is still positive after it.
- Unbilled: the oldest usage asked about that no issued invoice bills yet.
Constant queries whatever the number of workspaces (three for the figures, two for the months).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from backoffice.billing_status import BillingFigures
from backoffice.models import Usage
from backoffice.tenancy import staff_wide
from invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceLineUsage, InvoiceState, Payment

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _usage(ids, services, occurred_from, occurred_to):
    usage = Usage.objects.filter(workspace_id__in=ids)
    if services is not None:
        usage = usage.filter(service__in=services)
    if occurred_from is not None:
        usage = usage.filter(occurred_on__gte=occurred_from)
    if occurred_to is not None:
        usage = usage.filter(occurred_on__lte=occurred_to)
    return usage


def _settled(invoice_ids) -> dict[int, tuple[Decimal, Decimal, Decimal, datetime.date | None]]:
    """{invoice id: (total incl. VAT, paid, credited, due date)}; one query."""
    paid = (Payment.objects.filter(invoice=OuterRef("pk")).order_by().values("invoice")
            .annotate(t=Sum("amount")).values("t"))
    credited = (Invoice.objects.filter(corrects=OuterRef("pk"), kind=InvoiceKind.CREDIT_NOTE,
                                       state=InvoiceState.ISSUED).order_by().values("corrects")
                .annotate(t=Sum("total_gross")).values("t"))
    rows = (Invoice.objects.filter(pk__in=invoice_ids)
            .annotate(paid_total=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY),
                      credited_total=Coalesce(Subquery(credited, output_field=MONEY), Value(ZERO),
                                              output_field=MONEY))
            .values_list("pk", "total_gross", "paid_total", "credited_total", "due_date"))
    return {pk: (gross, paid, credited, due) for pk, gross, paid, credited, due in rows}


def _shares(gross: Decimal, paid: Decimal, credited: Decimal) -> tuple[Decimal, Decimal]:
    """(share still invoiced after credit notes, share paid) of an invoice, each in [0, 1]."""
    if gross <= 0:
        return Decimal("0"), Decimal("0")
    return max(Decimal("0"), 1 - min(credited / gross, Decimal("1"))), min(paid / gross, Decimal("1"))


def ledger_figures(ids, *, services=None, occurred_from=None, occurred_to=None,
                   today: datetime.date) -> dict[int, BillingFigures]:
    with staff_wide("the contributions ledger reads what invoicing billed and was paid for the workspaces asked"):
        usage = _usage(ids, services, occurred_from, occurred_to)
        billed = InvoiceLineUsage.objects.filter(usage__in=usage, line__invoice__state=InvoiceState.ISSUED,
                                                 line__invoice__kind=InvoiceKind.INVOICE)
        lines = list(InvoiceLine.objects.filter(pk__in=billed.values("line_id")).order_by()
                     .values("workspace_id", "invoice_id").annotate(net=Sum("net_amount")))
        settled = _settled({line["invoice_id"] for line in lines})
        unbilled = dict(usage.exclude(pk__in=billed.values("usage_id")).order_by().values("workspace_id")
                        .annotate(first=Min("occurred_on")).values_list("workspace_id", "first"))
    invoiced: dict[int, Decimal] = defaultdict(lambda: ZERO)
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    overdue: dict[int, datetime.date] = {}
    for line in lines:
        ws, net = line["workspace_id"], line["net"] or ZERO
        gross, paid_total, credited, due = settled[line["invoice_id"]]
        kept, paid_share = _shares(gross, paid_total, credited)
        invoiced[ws] += _cents(net * kept)
        paid[ws] += _cents(net * paid_share)
        if gross - credited - paid_total > 0 and due is not None and due < today:
            overdue[ws] = min(due, overdue.get(ws, due))
    return {ws: BillingFigures(invoiced=invoiced.get(ws, ZERO), paid=paid.get(ws, ZERO),
                               oldest_overdue_on=overdue.get(ws), oldest_unbilled_on=unbilled.get(ws))
            for ws in {*invoiced, *unbilled}}


def monthly_payments(*, year: int, services=None) -> dict[tuple[str, datetime.date], Decimal]:
    """Payments received in `year` spread over the services of their invoice's lines (excl. VAT)."""
    with staff_wide("the staff dashboard sums payments received from every workspace"):
        payments = list(Payment.objects.filter(received_on__year=year, invoice__state=InvoiceState.ISSUED,
                                               invoice__kind=InvoiceKind.INVOICE)
                        .annotate(month=TruncMonth("received_on")).order_by()
                        .values("invoice_id", "month").annotate(amount=Sum("amount")))
        invoice_ids = {p["invoice_id"] for p in payments}
        lines = InvoiceLine.objects.filter(invoice_id__in=invoice_ids).order_by()
        if services is not None:
            lines = lines.filter(service__in=services)
        by_invoice: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
        for invoice_id, service, net in lines.values("invoice_id", "service").annotate(
                net=Sum("net_amount")).values_list("invoice_id", "service", "net"):
            by_invoice[invoice_id].append((service, net or ZERO))
        gross = dict(Invoice.objects.filter(pk__in=by_invoice).values_list("pk", "total_gross"))
    out: dict[tuple[str, datetime.date], Decimal] = defaultdict(lambda: ZERO)
    for p in payments:
        total = gross.get(p["invoice_id"]) or ZERO
        if total <= 0:
            continue
        month = p["month"].date() if isinstance(p["month"], datetime.datetime) else p["month"]
        share = min(p["amount"] / total, Decimal("1"))
        for service, net in by_invoice.get(p["invoice_id"], []):
            out[(service, month)] += _cents(net * share)
    return dict(out)
