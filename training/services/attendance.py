"""Attendance per trainee and half-day (or a signed scan attached to the request's dossier),
the hours attended that feed the certificate and the claim (claim_from_attendance, the rule
in training/rules/claim.py), and the signatures still missing before a claim. A workspace records only its own trainees' attendance."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.models import Workspace
from backoffice.services.audit import audit_record
from training.models import Attendance, Enrolment, FundingRequest, Session, Slot
from training.rules.claim import Claim, claimable


@transaction.atomic
def attendance_record(*, actor, workspace: Workspace, session: Session, slot_id: int,
                      marks: dict[int, bool], signed: bool = True) -> int:
    """Record presence (True) or absence (False) of `workspace`'s trainees, by enrolment id, at
    one half-day of `session`. Refused, nothing written: a half-day that is not the session's,
    a trainee not enrolled by the workspace in this session. Returns the number of rows written."""
    slot = Slot.objects.filter(session=session, pk=slot_id).first()
    if slot is None:
        raise ValidationError(_("This half-day does not exist in the session."))
    enrolments = {e.pk: e for e in Enrolment.objects.filter(workspace=workspace, session=session, pk__in=list(marks))}
    if len(enrolments) != len(marks) or not marks:
        raise ValidationError(_("Some trainees are not enrolled by your workspace in this session."))
    for enrolment_id, present in marks.items():
        Attendance.objects.update_or_create(workspace=workspace, enrolment_id=enrolment_id, slot=slot,
                                            defaults={"present": bool(present), "signed": bool(present) and signed})
    audit_record(actor=actor, workspace=workspace, action="training.attendance", obj=session,
                 changes={"slot": str(slot), "present": sum(1 for v in marks.values() if v), "absent":
                          sum(1 for v in marks.values() if not v)})
    return len(marks)


@transaction.atomic
def attendance_record_grid(*, actor, workspace: Workspace, session: Session,
                           marks: dict[int, dict[int, bool]]) -> int:
    """The attendance page's grid, {slot id: {enrolment id: present}}: all half-days or none."""
    return sum(attendance_record(actor=actor, workspace=workspace, session=session, slot_id=slot_id, marks=row)
               for slot_id, row in marks.items())


def hours_attended(enrolments: list[Enrolment], slots: list[Slot]) -> dict[int, Decimal]:
    """Hours attended per enrolment id (present half-days only), from one query."""
    hours = {slot.pk: slot.hours for slot in slots}
    out = {e.pk: Decimal("0") for e in enrolments}
    for enrolment_id, slot_id in Attendance.objects.filter(enrolment__in=enrolments, present=True).values_list(
            "enrolment_id", "slot_id"):
        out[enrolment_id] += hours.get(slot_id, Decimal("0"))
    return out


def missing_signatures(request: FundingRequest) -> list[tuple[Enrolment, Slot]]:
    """(trainee, half-day) pairs of the request with no attendance recorded yet: listed before a claim."""
    slots = list(request.session.slots.all())
    enrolments = list(request.enrolments.select_related("entrepreneur"))
    recorded = set(Attendance.objects.filter(enrolment__in=enrolments).values_list("enrolment_id", "slot_id"))
    return [(e, s) for e in enrolments for s in slots if (e.pk, s.pk) not in recorded]


def claim_from_attendance(request: FundingRequest) -> Claim | None:
    """What the request may claim given its trainees' recorded attendance
    (training/rules/claim.py), or None when no attendance is recorded at all (the signed
    sheets were attached as a scan instead: nothing to prorate from)."""
    slots = list(request.session.slots.all())
    enrolments = list(request.enrolments.all())
    if not Attendance.objects.filter(enrolment__in=enrolments, slot__in=slots).exists():
        return None
    attended = hours_attended(enrolments, slots)
    return claimable(pedagogical=request.cost_pedagogical, salary=request.cost_salary, travel=request.cost_travel,
                     hours_planned=sum((s.hours for s in slots), Decimal("0")),
                     attended=[attended[e.pk] for e in enrolments], approved=request.amount_approved)
