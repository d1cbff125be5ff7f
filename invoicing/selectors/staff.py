"""Staff-wide invoicing reads (each says why it crosses workspaces)."""

from __future__ import annotations

import datetime

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
        queryset = Invoice.objects.select_related("workspace", "corrects")
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
