"""Staff edits of the shared training reference data: bodies, courses, OPCO rules, sessions
and their half-day slots. Each write is validated (model validators: SIRET with
python-stdnum), atomic, and audited in the host workspace (the reference data concerns every
workspace), action "training.<noun>_<verb>"."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.models import Workspace
from backoffice.selectors.workspaces import host_workspace
from backoffice.services.audit import audit_record, diff_fields, snapshot
from training.models import Course, Opco, Session, Slot, TrainingBody
from training.services.gatherings import waitlist_promote

BODY_FIELDS = ["name", "siret", "nda", "address", "qualiopi_number", "qualiopi_expires_on"]
COURSE_FIELDS = ["body", "title", "objectives", "programme", "prerequisites", "duration_hours", "modality",
                 "assessment", "accessibility", "price", "price_basis"]
OPCO_FIELDS = ["code", "name", "scope_note", "request_days_before", "request_day_count", "claim_days_after",
               "claim_day_count", "hourly_ceiling", "subrogation", "source"]
SESSION_FIELDS = ["course", "title", "place", "video_link", "trainer", "seats", "pooled", "is_gathering"]


def _save(*, actor, instance: models.Model, fields: list[str], data: dict[str, Any], action: str) -> models.Model:
    before = snapshot(instance, fields) if instance.pk else {}
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    instance.full_clean()
    created = instance.pk is None
    changes = diff_fields(before, snapshot(instance, fields))
    if created or changes:
        instance.save()
        audit_record(actor=actor, workspace=host_workspace(), action=f"training.{action}_{'create' if created else 'update'}",
                     obj=instance, changes=changes)
    return instance


@transaction.atomic
def body_save(*, actor, body: TrainingBody | None = None, **data) -> TrainingBody:
    return _save(actor=actor, instance=body or TrainingBody(), fields=BODY_FIELDS, data=data, action="body")


@transaction.atomic
def course_save(*, actor, course: Course | None = None, **data) -> Course:
    return _save(actor=actor, instance=course or Course(), fields=COURSE_FIELDS, data=data, action="course")


@transaction.atomic
def opco_save(*, actor, opco: Opco | None = None, **data) -> Opco:
    return _save(actor=actor, instance=opco or Opco(), fields=OPCO_FIELDS, data=data, action="opco")


@transaction.atomic
def session_save(*, actor, session: Session | None = None, workspaces: list[Workspace], **data) -> Session:
    """Create or edit a session and the workspaces allowed to enrol (a private session has one)."""
    instance = session or Session()
    pooled = data.get("pooled", instance.pooled)
    if not workspaces:
        raise ValidationError({"workspaces": [_("Choose at least one workspace allowed to enrol.")]})
    if not pooled and len(workspaces) != 1:
        raise ValidationError({"workspaces": [_("A private session is open to exactly one workspace.")]})
    if any(not ws.has_entrepreneurs for ws in workspaces):
        raise ValidationError({"workspaces": [_("Only CAEs have entrepreneurs to enrol.")]})
    if not data.get("course", instance.course if instance.course_id else None) and not data.get("is_gathering", instance.is_gathering):
        raise ValidationError({"course": [_("A training session needs its course (only a gathering may have none).")]})
    instance = _save(actor=actor, instance=instance, fields=SESSION_FIELDS, data=data, action="session")
    old = set(instance.workspaces.values_list("pk", flat=True))
    new = {ws.pk for ws in workspaces}
    if old != new:
        instance.workspaces.set(workspaces)
        audit_record(actor=actor, workspace=host_workspace(), action="training.session_workspaces", obj=instance,
                     changes={"workspaces": [sorted(old), sorted(new)]})
    if instance.is_gathering:
        waitlist_promote(actor=actor, session=instance)  # more seats: those waiting get them
    return instance


def _refresh_dates(session: Session) -> None:
    bounds = session.slots.aggregate(first=models.Min("day"), last=models.Max("day"))
    session.starts_on, session.ends_on = bounds["first"], bounds["last"]
    session.save(update_fields=["starts_on", "ends_on"])


@transaction.atomic
def slot_add(*, actor, session: Session, day: datetime.date, half: str, starts_at: datetime.time,
             ends_at: datetime.time) -> Slot:
    """Add a half-day to a session. A day in the past or a half-day already planned is refused."""
    if day < timezone.localdate():
        raise ValidationError({"day": [_("This day is in the past: a half-day is planned ahead.")]})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The half-day must end after it starts.")]})
    if session.slots.filter(day=day, half=half).exists():
        raise ValidationError({"half": [_("This half-day is already planned for the session.")]})
    slot = Slot.objects.create(session=session, day=day, half=half, starts_at=starts_at, ends_at=ends_at)
    _refresh_dates(session)
    audit_record(actor=actor, workspace=host_workspace(), action="training.slot_add", obj=session,
                 changes={"slot": str(slot)})
    return slot


@transaction.atomic
def slot_delete(*, actor, slot: Slot) -> None:
    """Remove a half-day that nobody's attendance refers to."""
    if slot.attendances.exists():  # Attendance is scoped: the caller runs this staff-wide
        raise ValidationError(_("Attendance is recorded for this half-day: it cannot be removed."))
    session = slot.session
    label = str(slot)
    slot.delete()
    _refresh_dates(session)
    audit_record(actor=actor, workspace=host_workspace(), action="training.slot_delete", obj=session,
                 changes={"slot": label})
