"""Reading dossiers: a workspace's list and the staff-wide work queue."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from backoffice.models import Dossier, DossierComment
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.tenancy import Actor


def _with_overdue(qs: QuerySet) -> QuerySet:
    today = timezone.localdate()
    return qs.annotate(
        overdue=Case(When(Q(status__in=OPEN_STATUSES, due_date__lt=today), then=Value(True)),
                     default=Value(False), output_field=BooleanField()),
    )


def dossier_list(*, actor: Actor) -> QuerySet[Dossier]:
    """The current workspace's dossiers, overdue first (runs inside the request scope)."""
    qs = Dossier.objects.filter(workspace=actor.workspace).select_related("assignee")
    return _with_overdue(qs).order_by("-overdue", "due_date", "-created_at")


def work_queue() -> QuerySet[Dossier]:
    """Every workspace's dossiers for host staff, overdue first.

    Crosses workspaces on purpose: the staff work queue is the one place where host staff
    see all delegated files together. Evaluate it inside `staff_wide()`."""
    qs = Dossier.objects.select_related("workspace", "assignee").annotate(n_comments=Count("comments"))
    return _with_overdue(qs).order_by("-overdue", "due_date", "-created_at")


def dossier_comments(*, actor: Actor, dossier: Dossier) -> QuerySet[DossierComment]:
    qs = dossier.comments.select_related("author")
    if not actor.is_staff:
        qs = qs.filter(internal=False)
    return qs
