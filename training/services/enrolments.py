"""Enrolling a workspace's entrepreneurs in a session (the same machinery for courses and
gatherings). All or nothing: one bad trainee and nobody is enrolled."""

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
        return Enrolment.objects.filter(session=session).count()


@transaction.atomic
def enrolment_create(*, actor, workspace: Workspace, session: Session, entrepreneur_ids: Iterable[int]) -> list[Enrolment]:
    """Enrol entrepreneurs of `workspace` in `session`. Refused (ValidationError, nothing
    written): a session not open to the workspace, a session already started, a person of
    another workspace, a person already enrolled, more trainees than free seats."""
    session = Session.objects.select_for_update().get(pk=session.pk)  # serialise seat counting
    ids = sorted(set(int(i) for i in entrepreneur_ids))
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
    free = session.seats - seats_taken(session)
    if len(ids) > free:
        raise ValidationError(ngettext(
            "Only %(free)d seat is left in this session; you chose %(n)d people.",
            "Only %(free)d seats are left in this session; you chose %(n)d people.", free) % {"free": max(free, 0), "n": len(ids)})
    enrolments = [Enrolment.objects.create(workspace=workspace, session=session, entrepreneur=p) for p in people]
    audit_record(actor=actor, workspace=workspace, action="training.enrol", obj=session,
                 changes={"entrepreneurs": [str(p) for p in people]})
    return enrolments
