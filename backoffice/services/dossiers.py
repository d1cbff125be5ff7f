"""The staff work queue: creating dossiers (for every app) and working them.

Each write is atomic and leaves exactly one audit entry (none when nothing changed), so a
dossier's timeline can be rebuilt from the audit trail."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django_scopes import scope

from backoffice.models import Dossier, DossierComment, DossierStatus, Workspace
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.selectors.users import host_staff_users
from backoffice.services.audit import audit_record


class NotHostStaff(ValueError):
    """A dossier can only be assigned to an active member of the host staff."""


@transaction.atomic
def dossier_open(*, actor, workspace: Workspace, service: str, kind: str, title: str,
                 subject: models.Model | None = None, due_date: datetime.date | None = None,
                 stage: str = "") -> Dossier:
    """Open the dossier that tracks `subject` in the queue, or return the one already open for
    it (idempotent: a business app may call this every time its object changes)."""
    if subject is not None:
        ct = ContentType.objects.get_for_model(subject)
        existing = Dossier.objects.filter(workspace=workspace, content_type=ct, object_id=subject.pk).first()
        if existing is not None:
            return existing
    dossier = Dossier.objects.create(
        workspace=workspace, service=service, kind=kind, title=title, due_date=due_date, stage=stage,
        content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        object_id=subject.pk if subject is not None else None,
    )
    audit_record(actor=actor, workspace=workspace, action="dossier.open", obj=dossier,
                 changes={"service": service, "kind": kind})
    return dossier


@transaction.atomic
def dossier_set_status(*, actor, dossier: Dossier, status: str, stage: str | None = None) -> Dossier:
    """Move a dossier to `status` (and its app's finer `stage`, if given).

    Closing (done, cancelled) stamps `closed_at` once; reopening clears it."""
    if status not in DossierStatus.values:
        raise ValueError(f"unknown status {status!r}")
    old_status, old_stage = dossier.status, dossier.stage
    new_stage = old_stage if stage is None else stage
    if (old_status, old_stage) == (status, new_stage):
        return dossier
    dossier.status, dossier.stage = status, new_stage
    dossier.closed_at = None if status in OPEN_STATUSES else (dossier.closed_at or timezone.now())
    dossier.save(update_fields=["status", "stage", "closed_at", "updated_at"])
    audit_record(actor=actor, workspace=dossier.workspace, action="dossier.status", obj=dossier,
                 changes={"status": [old_status, status], "stage": [old_stage, new_stage]})
    return dossier


@transaction.atomic
def dossier_assign(*, actor, dossier: Dossier, assignee) -> Dossier:
    """Give the dossier to a host staff member (or to nobody with `assignee=None`)."""
    if assignee is not None and not host_staff_users().filter(pk=assignee.pk).exists():
        raise NotHostStaff(f"{assignee} is not an active member of the host staff")
    if dossier.assignee_id == (assignee.pk if assignee is not None else None):
        return dossier
    old = dossier.assignee
    dossier.assignee = assignee
    dossier.save(update_fields=["assignee", "updated_at"])
    audit_record(actor=actor, workspace=dossier.workspace, action="dossier.assign", obj=dossier,
                 changes={"assignee": [str(old) if old else None, str(assignee) if assignee else None]})
    return dossier


@transaction.atomic
def dossier_bulk_assign(*, actor, dossiers: Iterable[Dossier], assignee) -> int:
    """Assign several dossiers (of any workspaces, ticked in the staff queue) at once.

    Each one is written inside its own workspace's scope, exactly as a single assignment
    would be, with its own audit entry. Returns how many changed; all or nothing."""
    if assignee is not None and not host_staff_users().filter(pk=assignee.pk).exists():
        raise NotHostStaff(f"{assignee} is not an active member of the host staff")
    changed = 0
    for dossier in dossiers:
        before = dossier.assignee_id
        with scope(workspace=dossier.workspace):
            dossier_assign(actor=actor, dossier=dossier, assignee=assignee)
        changed += before != dossier.assignee_id
    return changed


@transaction.atomic
def dossier_set_due_date(*, actor, dossier: Dossier, due_date: datetime.date | None) -> Dossier:
    old = dossier.due_date
    if old == due_date:
        return dossier
    dossier.due_date = due_date
    dossier.save(update_fields=["due_date", "updated_at"])
    audit_record(actor=actor, workspace=dossier.workspace, action="dossier.due_date", obj=dossier,
                 changes={"due_date": [old.isoformat() if old else None, due_date.isoformat() if due_date else None]})
    return dossier


@transaction.atomic
def dossier_comment(*, actor, dossier: Dossier, body: str, internal: bool = False) -> DossierComment:
    """Add a comment; `internal` ones are staff-only notes, never shown to the client (the
    caller decides who may write one)."""
    body = body.strip()
    if not body:
        raise ValueError("a comment needs a body")
    comment = DossierComment.objects.create(workspace=dossier.workspace, dossier=dossier, author=actor,
                                            body=body, internal=internal)
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now())
    audit_record(actor=actor, workspace=dossier.workspace, action="dossier.comment", obj=dossier,
                 changes={"internal": internal})
    return comment
