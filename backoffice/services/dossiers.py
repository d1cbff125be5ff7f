"""The staff work queue: creating dossiers (for every app) and working them."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from backoffice.models import Dossier, DossierComment, DossierStatus, Workspace
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.services.audit import audit_record


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
    if status not in DossierStatus.values:
        raise ValueError(f"unknown status {status!r}")
    old = (dossier.status, dossier.stage)
    dossier.status = status
    if stage is not None:
        dossier.stage = stage
    dossier.closed_at = None if status in OPEN_STATUSES else (dossier.closed_at or timezone.now())
    dossier.save(update_fields=["status", "stage", "closed_at", "updated_at"])
    audit_record(actor=actor, workspace=dossier.workspace, action="dossier.status", obj=dossier,
                 changes={"status": [old[0], status], "stage": [old[1], dossier.stage]})
    return dossier


@transaction.atomic
def dossier_assign(*, actor, dossier: Dossier, assignee) -> Dossier:
    old = dossier.assignee
    dossier.assignee = assignee
    dossier.save(update_fields=["assignee", "updated_at"])
    audit_record(actor=actor, workspace=dossier.workspace, action="dossier.assign", obj=dossier,
                 changes={"assignee": [str(old) if old else None, str(assignee) if assignee else None]})
    return dossier


@transaction.atomic
def dossier_set_due_date(*, actor, dossier: Dossier, due_date: datetime.date | None) -> Dossier:
    old = dossier.due_date
    dossier.due_date = due_date
    dossier.save(update_fields=["due_date", "updated_at"])
    audit_record(actor=actor, workspace=dossier.workspace, action="dossier.due_date", obj=dossier,
                 changes={"due_date": [str(old) if old else None, str(due_date) if due_date else None]})
    return dossier


@transaction.atomic
def dossier_comment(*, actor, dossier: Dossier, body: str, internal: bool = False) -> DossierComment:
    comment = DossierComment.objects.create(workspace=dossier.workspace, dossier=dossier, author=actor,
                                            body=body.strip(), internal=internal)
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now())
    audit_record(actor=actor, workspace=dossier.workspace, action="dossier.comment", obj=dossier,
                 changes={"internal": internal})
    return comment
