"""Badges of a gathering for ONE workspace's confirmed participants (name, CAE, the
gathering, its workshops), rendered through backoffice/pdf.py. Built from the workspace's own
rows only: CAE A's badges never name CAE B's people. Downloaded, not stored (a badge is
printed once and holds nothing the participant list does not)."""

from __future__ import annotations

from django.utils import timezone

from backoffice.models import Workspace
from backoffice.pdf import render_pdf
from training.models import Enrolment, Session, WorkshopRegistration


def badges_pdf(*, workspace: Workspace, session: Session) -> bytes:
    """One badge per confirmed participant of `workspace` in the gathering, by name."""
    registrations: dict[int, list] = {}
    for r in (WorkshopRegistration.objects.filter(workspace=workspace, workshop__session=session, waiting=False)
              .select_related("workshop").order_by("workshop__day", "workshop__starts_at", "pk")):
        registrations.setdefault(r.enrolment_id, []).append(r.workshop)
    people = list(Enrolment.objects.filter(workspace=workspace, session=session, waiting=False)
                  .select_related("entrepreneur").order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk"))
    badges = [{"person": e.entrepreneur, "workshops": registrations.get(e.pk, [])} for e in people]
    return render_pdf("training/pdf/badges.html", {"session": session, "workspace": workspace, "badges": badges,
                                                   "today": timezone.localdate()}, language="fr")
