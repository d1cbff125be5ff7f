"""Reading dossiers and their documents: a workspace's lists, the staff-wide work queue, a
dossier's timeline, and the audit trail made readable."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backoffice.interface import audit_action_label, audit_field_label, audit_value_label
from backoffice.models import AuditEntry, Document, Dossier, DossierComment, DossierStatus
from backoffice.models.agreements import Service
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.pdf import fr_number
from backoffice.roles import Perm
from backoffice.tenancy import Actor

# "Overdue first, then by due date (no date last), newest first": the queue's natural order.
DEFAULT_ORDERING = ("-overdue", F("due_date").asc(nulls_last=True), "-created_at", "-pk")


def _overdue_q(today: datetime.date | None = None) -> Q:
    return Q(status__in=OPEN_STATUSES, due_date__lt=today or timezone.localdate())


def _with_overdue(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        overdue=Case(When(_overdue_q(), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def _count_of(model, **match) -> Coalesce:
    """A correlated COUNT(*) subquery: computed in the page query itself, so the number of
    queries does not grow with the number of rows, and the paginator's COUNT stays a plain
    count (no GROUP BY over the whole queue)."""
    sub = (model.objects.filter(dossier=OuterRef("pk"), **match).order_by().values("dossier")
           .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def dossier_list(*, actor: Actor) -> QuerySet[Dossier]:
    """The current workspace's dossiers, overdue first (runs inside the request scope)."""
    qs = Dossier.objects.filter(workspace=actor.workspace).select_related("workspace", "assignee")
    return _with_overdue(qs).order_by(*DEFAULT_ORDERING)


def work_queue() -> QuerySet[Dossier]:
    """Every workspace's dossiers for host staff, overdue first, with their comment and file
    counts.

    Crosses workspaces on purpose: the staff work queue is the one place where host staff
    see all delegated files together. Evaluate it inside `staff_wide()` (or inside one
    workspace's scope, for a single row: see `queue_row`)."""
    qs = Dossier.objects.select_related("workspace", "assignee").annotate(
        n_comments=_count_of(DossierComment), n_documents=_count_of(Document))
    return _with_overdue(qs).order_by(*DEFAULT_ORDERING)


def work_queue_counts(qs: QuerySet[Dossier], *, user) -> dict[str, int]:
    """Totals of a (filtered) queue in one query: all, overdue, unassigned, assigned to `user`."""
    return qs.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=_overdue_q()),
        unassigned=Count("pk", filter=Q(status__in=OPEN_STATUSES, assignee__isnull=True)),
        mine=Count("pk", filter=Q(status__in=OPEN_STATUSES, assignee=user)),
    )


def queue_row(*, actor: Actor, pk: int) -> Dossier:
    """One queue row, annotated like the queue, for re-rendering it after a quick action.
    Runs inside the dossier's workspace scope (the quick actions are workspace URLs)."""
    return work_queue().filter(workspace=actor.workspace).get(pk=pk)


def queue_dossiers(ids: Iterable[int]) -> list[Dossier]:
    """The dossiers staff ticked in the queue for a bulk action, across workspaces.
    Evaluate inside `staff_wide()`: the queue mixes workspaces by design."""
    return list(Dossier.objects.filter(pk__in=list(ids)).select_related("workspace", "assignee").order_by("pk"))


def dossier_comments(*, actor: Actor, dossier: Dossier) -> QuerySet[DossierComment]:
    """A dossier's comments, oldest first; internal (staff-only) notes only for those who
    manage dossiers."""
    qs = dossier.comments.select_related("author").order_by("created_at", "pk")
    if not actor.has(Perm.DOSSIER_MANAGE):
        qs = qs.filter(internal=False)
    return qs


def dossier_documents(*, actor: Actor, dossier: Dossier) -> QuerySet[Document]:
    qs = dossier.documents.select_related("uploaded_by").order_by("-created_at", "-pk")
    if not actor.has(Perm.DOCUMENT_VIEW_INTERNAL):
        qs = qs.filter(internal=False)
    return qs


def document_list(*, actor: Actor) -> QuerySet[Document]:
    """The current workspace's documents, newest first; staff-only ones hidden from clients."""
    qs = Document.objects.filter(workspace=actor.workspace).select_related("dossier", "uploaded_by")
    if not actor.has(Perm.DOCUMENT_VIEW_INTERNAL):
        qs = qs.filter(internal=False)
    return qs.order_by("-created_at", "-pk")


# --- The timeline and readable audit entries -------------------------------------------

# Audit actions on a dossier that its timeline shows (comments are shown themselves).
TIMELINE_ACTIONS = ("dossier.open", "dossier.status", "dossier.assign", "dossier.due_date")


def action_label(action: str) -> str:
    """The action in words: labels come from each app's ui.py (backoffice/interface.py)."""
    return audit_action_label(action)


_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _value_text(name: str, value, object_type: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    label = audit_value_label(name, value, object_type) if isinstance(value, (str, int)) else None
    if label is not None:
        return label
    if name == "status" and value in DossierStatus.values:
        return str(DossierStatus(value).label)
    if name == "service" and value in Service.values:
        return str(Service(value).label)
    if isinstance(value, str) and _DECIMAL.match(value):
        return fr_number(Decimal(value), places=len(value.split(".")[1]))  # "2600.00" -> "2 600,00"
    if (name.endswith("date") or name.endswith("_from")) and isinstance(value, str):
        try:
            return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(_value_text(name, v, object_type) for v in value)
    return str(value)


@dataclass(frozen=True)
class ChangeLine:
    field: str
    old: str | None  # None: a value, not a change
    new: str


def readable_changes(entry: AuditEntry) -> list[ChangeLine]:
    """An entry's `changes` as lines a person reads: "Status: New → In progress".
    Unchanged pairs (e.g. the stage when only the status moved) are left out."""
    lines = []
    for name, value in (entry.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            if value[0] == value[1]:
                continue
            lines.append(ChangeLine(audit_field_label(name, entry.object_type),
                                    _value_text(name, value[0], entry.object_type),
                                    _value_text(name, value[1], entry.object_type)))
        else:
            lines.append(ChangeLine(audit_field_label(name, entry.object_type), None,
                                    _value_text(name, value, entry.object_type)))
    return lines


@dataclass
class TimelineItem:
    when: datetime.datetime
    author: object
    comment: DossierComment | None = None
    action: str = ""
    label: str = ""
    changes: list[ChangeLine] = field(default_factory=list)


def dossier_timeline(*, actor: Actor, dossier: Dossier) -> list[TimelineItem]:
    """What happened to a dossier, oldest first: its comments (internal notes only for staff)
    and its opening, status, assignee and due-date changes from the audit trail. Two queries."""
    items = [TimelineItem(when=c.created_at, author=c.author, comment=c)
             for c in dossier_comments(actor=actor, dossier=dossier)]
    entries = (AuditEntry.objects.filter(workspace=dossier.workspace, object_type=Dossier._meta.label_lower,
                                         object_id=str(dossier.pk), action__in=TIMELINE_ACTIONS)
               .select_related("actor").order_by("created_at", "pk"))
    items += [TimelineItem(when=e.created_at, author=e.actor, action=e.action, label=action_label(e.action),
                           changes=readable_changes(e)) for e in entries]
    # Stable sort: at the same instant an event (opened, status…) comes before a comment.
    items.sort(key=lambda item: (item.when, item.comment is not None))
    return items
