"""Gatherings across CAEs (regional days, seminars): a session flagged `is_gathering`, with no
OPCO and no funding request, enrolled through the same machinery as a course
(training/services/enrolments.py), plus a programme of workshops with their own seats.

- Staff plan the workshops (`workshop_save`, audited in the host workspace).
- A workspace's manager (or staff acting for it) registers its confirmed participants in a
  workshop (`workshop_register`); beyond the free seats, they wait.
- Withdrawing a participant from the gathering (`enrolment_withdraw`) or from a workshop
  (`workshop_unregister`) frees a seat; the waiting list is promoted, oldest first, whatever
  its workspace (`waitlist_promote`, `workshop_waitlist_promote`); each promotion is audited
  in the promoted person's workspace. More seats planned by staff promote too.

Seats are counted across every workspace (staff_wide reads); everything a workspace lists or
changes is its own (scoped managers and explicit `workspace=` filters).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backoffice.models import Workspace
from backoffice.selectors.workspaces import host_workspace
from backoffice.services.audit import audit_record, diff_fields, snapshot
from backoffice.tenancy import staff_wide
from training.models import Enrolment, Session, Workshop, WorkshopRegistration

WORKSHOP_FIELDS = ["title", "description", "day", "starts_at", "ends_at", "room", "seats"]


def _check_open(session: Session) -> None:
    if session.starts_on is not None and session.starts_on <= timezone.localdate():
        raise ValidationError(_("This gathering has already started or is in the past: registrations are closed."))


# --- staff: the programme --------------------------------------------------------------------

@transaction.atomic
def workshop_save(*, actor, session: Session, workshop: Workshop | None = None, **data) -> Workshop:
    """Create or edit a workshop of a gathering. Refused: a session that is not a gathering, a
    day that is not one of its days, an end before the start, no seat. More seats promote the
    workshop's waiting list."""
    if not session.is_gathering:
        raise ValidationError(_("Only a gathering has a programme of workshops."))
    instance = workshop or Workshop(session=session)
    before = snapshot(instance, WORKSHOP_FIELDS) if instance.pk else {}
    for name in WORKSHOP_FIELDS:
        if name in data:
            setattr(instance, name, data[name])
    days = set(session.slots.values_list("day", flat=True))
    if instance.day not in days:
        raise ValidationError({"day": [_("This day is not one of the gathering's days.")]})
    if instance.ends_at <= instance.starts_at:
        raise ValidationError({"ends_at": [_("The workshop must end after it starts.")]})
    if not instance.seats:
        raise ValidationError({"seats": [_("A workshop needs at least one seat.")]})
    instance.full_clean()
    created = instance.pk is None
    changes = diff_fields(before, snapshot(instance, WORKSHOP_FIELDS))
    if created or changes:
        instance.save()
        audit_record(actor=actor, workspace=host_workspace(),
                     action="training.workshop_create" if created else "training.workshop_update",
                     obj=session, changes={"workshop": instance.title, **changes})
    workshop_waitlist_promote(actor=actor, workshop=instance)
    return instance


# --- a workspace: its participants in the workshops ----------------------------------------

def _workshop_taken(workshop: Workshop) -> int:
    with staff_wide("a workshop's seats are shared by every workspace of the gathering"):
        return WorkshopRegistration.objects.filter(workshop=workshop, waiting=False).count()


def _overlaps(a: Workshop, b: Workshop) -> bool:
    return a.day == b.day and a.starts_at < b.ends_at and b.starts_at < a.ends_at


@transaction.atomic
def workshop_register(*, actor, workspace: Workspace, workshop: Workshop,
                      enrolment_ids: Iterable[int]) -> list[WorkshopRegistration]:
    """Register participants of `workspace` (its confirmed enrolments in the gathering) in
    `workshop`; those beyond the free seats go on its waiting list, in the order chosen.
    Refused, nothing written: a gathering already started, someone who is not a confirmed
    participant of the workspace, someone already registered, a workshop at the same time as
    another one of theirs."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)  # serialise seat counting
    session = workshop.session
    _check_open(session)
    chosen = [int(i) for i in enrolment_ids]
    ids = set(chosen)
    if not ids:
        raise ValidationError(_("Choose at least one participant."))
    enrolments = {e.pk: e for e in Enrolment.objects.filter(workspace=workspace, session=session, waiting=False,
                                                            pk__in=ids).select_related("entrepreneur")}
    if len(enrolments) != len(ids):
        raise ValidationError(_("Some of the people chosen are not confirmed participants of your workspace "
                                "in this gathering."))
    theirs = list(WorkshopRegistration.objects.filter(workspace=workspace, enrolment_id__in=ids)
                  .select_related("workshop"))
    already = sorted({str(enrolments[r.enrolment_id].entrepreneur) for r in theirs if r.workshop_id == workshop.pk})
    if already:
        raise ValidationError(_("Already registered in this workshop: %(names)s.") % {"names": ", ".join(already)})
    clash = sorted({str(enrolments[r.enrolment_id].entrepreneur) for r in theirs if _overlaps(r.workshop, workshop)})
    if clash:
        raise ValidationError(_("Registered in another workshop at the same time: %(names)s.") % {
            "names": ", ".join(clash)})
    free = max(workshop.seats - _workshop_taken(workshop), 0)
    ordered = [enrolments[pk] for pk in dict.fromkeys(chosen)]
    made = [WorkshopRegistration.objects.create(workspace=workspace, workshop=workshop, enrolment=e,
                                                waiting=i >= free) for i, e in enumerate(ordered)]
    changes = {"workshop": workshop.title,
               "registered": [str(r.enrolment.entrepreneur) for r in made if not r.waiting]}
    if any(r.waiting for r in made):
        changes["waiting"] = [str(r.enrolment.entrepreneur) for r in made if r.waiting]
    audit_record(actor=actor, workspace=workspace, action="training.workshop_register", obj=session,
                 changes=changes)
    return made


@transaction.atomic
def workshop_unregister(*, actor, workspace: Workspace, registration: WorkshopRegistration) -> None:
    """Take a participant of `workspace` out of a workshop (or off its waiting list); the seat
    goes to the first one waiting."""
    if registration.workspace_id != workspace.pk:
        raise ValidationError(_("This registration is not your workspace's."))
    workshop = Workshop.objects.select_for_update().get(pk=registration.workshop_id)
    _check_open(workshop.session)
    who = str(registration.enrolment.entrepreneur)
    registration.delete()
    audit_record(actor=actor, workspace=workspace, action="training.workshop_unregister", obj=workshop.session,
                 changes={"workshop": workshop.title, "participant": who})
    workshop_waitlist_promote(actor=actor, workshop=workshop)


@transaction.atomic
def enrolment_withdraw(*, actor, workspace: Workspace, enrolment: Enrolment) -> None:
    """Withdraw a person of `workspace` from a session before it starts (or from its waiting
    list), with their workshop registrations; freed seats go to those waiting. Refused: a
    session already started, an enrolment named in a funding request."""
    if enrolment.workspace_id != workspace.pk:
        raise ValidationError(_("This enrolment is not your workspace's."))
    session = Session.objects.select_for_update().get(pk=enrolment.session_id)
    if session.starts_on is not None and session.starts_on <= timezone.localdate():
        raise ValidationError(_("This session has already started or is in the past: nobody can withdraw now."))
    if enrolment.funding_requests.exists():
        raise ValidationError(_("This trainee is named in a funding request: cancel or change the request first."))
    ids = set(WorkshopRegistration.objects.filter(enrolment=enrolment).values_list("workshop_id", flat=True))
    workshops = list(Workshop.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    who = str(enrolment.entrepreneur)
    was_waiting = enrolment.waiting
    enrolment.delete()  # its workshop registrations go with it (CASCADE)
    audit_record(actor=actor, workspace=workspace, action="training.enrolment_withdraw", obj=session,
                 changes={"participant": who, "waiting": was_waiting})
    waitlist_promote(actor=actor, session=session)
    for workshop in workshops:
        workshop_waitlist_promote(actor=actor, workshop=workshop)


# --- promotion from the waiting lists --------------------------------------------------------

def _promote(*, actor, model, seats: int, session: Session, reason: str, changes, **rows) -> list:
    """Give the free seats among `rows` (the enrolments of a session or the registrations of a
    workshop) to their waiting list, oldest first, whatever their workspace; each promotion is
    audited in the promoted person's workspace with `changes(row)`."""
    with staff_wide(reason):
        taken = model.objects.filter(**rows)
        free = seats - taken.filter(waiting=False).count()
        if free <= 0:
            return []
        promoted = list(taken.select_for_update().filter(waiting=True).order_by("created_at", "pk")[:free])
        for row in promoted:
            row.waiting = False
            row.save(update_fields=["waiting"])
            audit_record(actor=actor, workspace=row.workspace, action="training.waitlist_promote", obj=session,
                         changes=changes(row))
    return promoted


def waitlist_promote(*, actor, session: Session) -> list[Enrolment]:
    """Give the free seats of `session` to its waiting list, oldest first (every workspace);
    call inside the transaction that freed the seat."""
    return _promote(actor=actor, model=Enrolment, seats=session.seats, session=session, session_id=session.pk,
                    reason="a freed seat goes to the first one waiting, whatever their workspace",
                    changes=lambda enrolment: {"participant": str(enrolment.entrepreneur)})


def workshop_waitlist_promote(*, actor, workshop: Workshop) -> list[WorkshopRegistration]:
    """Give the free seats of `workshop` to its waiting list, oldest first (every workspace)."""
    return _promote(actor=actor, model=WorkshopRegistration, seats=workshop.seats, session=workshop.session,
                    workshop_id=workshop.pk,
                    reason="a freed workshop seat goes to the first one waiting, whatever their workspace",
                    changes=lambda registration: {"workshop": workshop.title,
                                                  "participant": str(registration.enrolment.entrepreneur)})


def waiting_message(enrolments: list[Enrolment]) -> str:
    """What the page says after an enrolment: how many got a seat, how many wait."""
    waiting = sum(1 for e in enrolments if e.waiting)
    seated = len(enrolments) - waiting
    text = ngettext("%(n)d person enrolled.", "%(n)d people enrolled.", seated) % {"n": seated}
    if waiting:
        text += " " + ngettext("%(n)d person is on the waiting list.", "%(n)d people are on the waiting list.",
                               waiting) % {"n": waiting}
    return text
