"""Reads of the bank-reconciliation pages (staff only: the host's bank account)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404

from backoffice.roles import Perm
from backoffice.tenancy import Actor, staff_wide
from invoicing.models import BankLine, BankLineState, BankStatement, Invoice, InvoiceKind, InvoiceState
from invoicing.selectors.invoices import with_balance
from invoicing.selectors.staff import require_staff


def statement_list(actor: Actor, *, limit: int = 100) -> list[BankStatement]:
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("the host's bank statements"):
        return list(BankStatement.objects.annotate(
            line_count=Count("lines"),
            review_count=Count("lines", filter=Q(lines__state=BankLineState.TO_REVIEW)))
            .select_related("imported_by").order_by("-imported_at", "-pk")[:limit])


def get_statement(actor: Actor, pk: int) -> BankStatement:
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("the host's bank statements"):
        return get_object_or_404(BankStatement, pk=pk)


def statement_lines(actor: Actor, statement: BankStatement) -> list[BankLine]:
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("a statement's credits paid invoices of several customers"):
        return list(statement.lines.select_related("payment__invoice__workspace").order_by("booking_date", "pk"))


def get_bank_line(actor: Actor, pk: int) -> BankLine:
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("the host's bank lines"):
        return get_object_or_404(BankLine.objects.select_related("statement"), pk=pk)


def review_lines(actor: Actor) -> list[BankLine]:
    """Credits left for a person, each with `suggestions`: open invoices whose balance is its
    amount (one query for all of them)."""
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("staff match the host's credits to any customer's invoice"):
        lines = list(BankLine.objects.filter(state=BankLineState.TO_REVIEW).select_related("statement")
                     .order_by("booking_date", "pk"))
        amounts = {line.amount for line in lines}
        by_amount: dict[Decimal, list[Invoice]] = defaultdict(list)
        if amounts:
            invoices = (with_balance(Invoice.objects.filter(state=InvoiceState.ISSUED, kind=InvoiceKind.INVOICE))
                        .annotate(due=F("total_gross") - F("credited") - F("paid")).filter(due__in=amounts)
                        .select_related("workspace").order_by("due_date", "pk")[:200])
            for invoice in invoices:
                by_amount[invoice.due].append(invoice)
    for line in lines:
        line.suggestions = by_amount.get(line.amount, [])[:5]
    return lines
