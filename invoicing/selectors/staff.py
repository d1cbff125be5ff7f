"""Staff-wide invoicing reads (each says why it crosses workspaces)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from backoffice.models import Workspace, WorkspaceKind
from backoffice.roles import Perm
from backoffice.tenancy import Actor, staff_wide
from invoicing.models import Invoice, InvoiceState
from invoicing.selectors.invoices import with_balance


def require_staff(actor: Actor, perm: Perm = Perm.INVOICE_VIEW) -> None:
    if not actor.is_staff:
        raise PermissionDenied
    actor.require(perm)


def staff_invoice_list(actor: Actor, *, period: datetime.date | None = None, state: str = "",
                       limit: int = 500) -> list[Invoice]:
    require_staff(actor)
    with staff_wide("staff review every customer's invoices"):
        queryset = Invoice.objects.select_related("workspace", "corrects").prefetch_related("debits")
        if period:
            queryset = queryset.filter(period=period)
        if state in InvoiceState.values:
            queryset = queryset.filter(state=state)
        return list(with_balance(queryset).order_by("state", "-issue_date", "-sequence", "-pk")[:limit])


def staff_drafts(actor: Actor, *, period: datetime.date | None = None) -> QuerySet[Invoice]:
    require_staff(actor, Perm.INVOICE_MANAGE)
    queryset = Invoice.objects.filter(state=InvoiceState.DRAFT).select_related("workspace").order_by("pk")
    return queryset.filter(period=period) if period else queryset


def customer_workspaces() -> QuerySet[Workspace]:
    return Workspace.objects.filter(is_active=True, kind__in=[WorkspaceKind.PARTNER, WorkspaceKind.ALUMNI]).order_by("name")


BUCKETS = ("not_due", "d30", "d60", "d90", "older")


@dataclass
class AgedBalance:
    workspace_id: int
    name: str
    slug: str
    not_due: Decimal = Decimal("0.00")
    d30: Decimal = Decimal("0.00")
    d60: Decimal = Decimal("0.00")
    d90: Decimal = Decimal("0.00")
    older: Decimal = Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return self.not_due + self.d30 + self.d60 + self.d90 + self.older


def _bucket(days_late: int) -> str:
    if days_late <= 0:
        return "not_due"
    if days_late <= 30:
        return "d30"
    if days_late <= 60:
        return "d60"
    if days_late <= 90:
        return "d90"
    return "older"


def aged_balances(actor: Actor, *, today: datetime.date) -> tuple[list[AgedBalance], AgedBalance]:
    """What each customer owes, by lateness (not due, 1–30, 31–60, 61–90, over 90 days), and
    the total row. One query whatever the number of invoices."""
    require_staff(actor)
    rows: dict[int, AgedBalance] = {}
    with staff_wide("staff follow what every customer owes"):
        invoices = with_balance(Invoice.objects.filter(state=InvoiceState.ISSUED, kind="invoice")
                                .select_related("workspace")).only(
            "total_gross", "due_date", "workspace__name", "workspace__slug")
        for invoice in invoices:
            balance = invoice.total_gross - invoice.credited - invoice.paid
            if balance <= 0:
                continue
            row = rows.get(invoice.workspace_id) or rows.setdefault(
                invoice.workspace_id, AgedBalance(invoice.workspace_id, invoice.workspace.name, invoice.workspace.slug))
            bucket = _bucket((today - invoice.due_date).days if invoice.due_date else 0)
            setattr(row, bucket, getattr(row, bucket) + balance)
    total = AgedBalance(0, "", "")
    for row in rows.values():
        for bucket in BUCKETS:
            setattr(total, bucket, getattr(total, bucket) + getattr(row, bucket))
    return sorted(rows.values(), key=lambda r: (-r.older, -r.d90, -r.d60, -r.d30, r.name)), total
