"""Reading a CAE's entrepreneurs."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from backoffice.models import Entrepreneur
from backoffice.tenancy import Actor

ACTIVE, EXITED = "active", "exited"


def require_entrepreneur_workspace(actor: Actor) -> None:
    """404 outside a CAE: an alumni company has no entrepreneurs, so no such pages either."""
    if actor.workspace is None or not actor.workspace.has_entrepreneurs:
        raise Http404("No entrepreneurs in this workspace")


def entrepreneur_list(*, actor: Actor, query: str = "", status: str = "") -> QuerySet[Entrepreneur]:
    """The current workspace's entrepreneurs, by name; `query` matches names and employee
    number, `status` is "active" (no exit date, or a future one) or "exited". One query per
    page: the list shows only the entrepreneur's own fields."""
    qs = Entrepreneur.objects.filter(workspace=actor.workspace)
    for term in query.split():
        qs = qs.filter(Q(last_name__icontains=term) | Q(first_name__icontains=term) | Q(matricule__icontains=term))
    today = timezone.localdate()
    if status == ACTIVE:
        qs = qs.filter(Q(exit_date__isnull=True) | Q(exit_date__gte=today))
    elif status == EXITED:
        qs = qs.filter(exit_date__lt=today)
    return qs.order_by("last_name", "first_name", "pk")
