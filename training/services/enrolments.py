"""Enrolling a workspace's entrepreneurs in a session (the same machinery for courses and
gatherings). All or nothing: one bad trainee and nobody is enrolled.

A course refuses more trainees than free seats (each trainee has a funding file behind
them). A gathering instead puts the people beyond its free seats on its waiting list, in the
order chosen; training/services/gatherings.py promotes them when a seat frees."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backoffice.models import Entrepreneur, Workspace
from backoffice.services.audit import audit_record
from backoffice.tenancy import staff_wide
from training.models import Enrolment, Session


def seats_taken(session: Session) -> int:
    """Enrolments of every workspace: the seats of a pooled session are shared."""
    with staff_wide("the seats of a pooled session are shared by every workspace"):
        return Enrolment.objects.filter(session=session, waiting=False).count()


@transaction.atomic
def enrolment_create(*, actor, workspace: Workspace, session: Session, entrepreneur_ids: Iterable[int]) -> list[Enrolment]:
    """Enrol entrepreneurs of `workspace` in `session`. Refused (ValidationError, nothing
    written): a session not open to the workspace, a session already started, a person of
    another workspace, a person already enrolled, more trainees than free seats (a course; a
    gathering puts the people beyond its free seats on its waiting list)."""
    session = Session.objects.select_for_update().get(pk=session.pk)  # serialise seat counting
    chosen = [int(i) for i in entrepreneur_ids]
    ids = sorted(set(chosen))
    if not ids:
        raise ValidationError(_("Choose at least one entrepreneur to enrol."))
    if not session.workspaces.filter(pk=workspace.pk).exists():
        raise ValidationError(_("This session is not open to your workspace."))
    if session.starts_on is None:
        raise ValidationError(_("This session has no half-day planned yet: enrolment opens once it is scheduled."))
    if session.starts_on <= timezone.localdate():
        raise ValidationError(_("This session has already started or is in the past: enrolment is closed."))
    people = list(Entrepreneur.objects.filter(workspace=workspace, pk__in=ids))
    if len(people) != len(ids):
        raise ValidationError(_("Some of the people chosen are not entrepreneurs of your workspace."))
    already = set(Enrolment.objects.filter(workspace=workspace, session=session, entrepreneur_id__in=ids)
                  .values_list("entrepreneur_id", flat=True))
    if already:
        names = ", ".join(str(p) for p in people if p.pk in already)
        raise ValidationError(_("Already enrolled in this session: %(names)s.") % {"names": names})
    free = max(session.seats - seats_taken(session), 0)
    if len(ids) > free and not session.is_gathering:
        raise ValidationError(ngettext(
            "Only %(free)d seat is left in this session; you chose %(n)d people.",
            "Only %(free)d seats are left in this session; you chose %(n)d people.", free) % {"free": max(free, 0), "n": len(ids)})
    order = {pk: i for i, pk in reversed(list(enumerate(chosen)))}
    people.sort(key=lambda p: order.get(p.pk, 0))  # the waiting list follows the order chosen
    enrolments = [Enrolment.objects.create(workspace=workspace, session=session, entrepreneur=p, waiting=i >= free)
                  for i, p in enumerate(people)]
    changes = {"entrepreneurs": [str(e.entrepreneur) for e in enrolments if not e.waiting]}
    if any(e.waiting for e in enrolments):
        changes["waiting"] = [str(e.entrepreneur) for e in enrolments if e.waiting]
    audit_record(actor=actor, workspace=workspace, action="training.enrol", obj=session, changes=changes)
    return enrolments
