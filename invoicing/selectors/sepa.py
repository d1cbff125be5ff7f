"""Reads of the direct-debit pages (staff only: the host collects from every customer)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404

from backoffice.roles import Perm
from backoffice.tenancy import Actor, staff_wide
from invoicing.models import DebitBatch, DebitLine, DebitState, Mandate
from invoicing.selectors.staff import require_staff


def mandate_list(actor: Actor) -> list[Mandate]:
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("staff see every customer's direct-debit mandate"):
        return list(Mandate.objects.select_related("workspace").order_by("-is_active", "workspace__name", "-signed_on"))


def batch_list(actor: Actor, *, limit: int = 100) -> list[DebitBatch]:
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("a batch collects from several customers"):
        return list(DebitBatch.objects.annotate(
            line_count=Count("lines"), total=Sum("lines__amount"),
            rejected=Count("lines", filter=Q(lines__state=DebitState.REJECTED)))
            .order_by("-created_at", "-pk")[:limit])


def get_batch(actor: Actor, pk: int) -> DebitBatch:
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("a batch collects from several customers"):
        return get_object_or_404(DebitBatch, pk=pk)


def batch_lines(actor: Actor, batch: DebitBatch) -> list[DebitLine]:
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("a batch collects from several customers"):
        return list(batch.lines.select_related("invoice", "workspace", "mandate").order_by("pk"))


def get_debit_line(actor: Actor, pk: int) -> DebitLine:
    require_staff(actor, Perm.INVOICE_MANAGE)
    with staff_wide("a batch collects from several customers"):
        return get_object_or_404(DebitLine.objects.select_related("invoice", "workspace"), pk=pk)
