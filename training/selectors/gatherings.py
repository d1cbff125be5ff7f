"""Reads of the gathering pages: the programme with its seats (shared figures), a workspace's
own participants with their workshops (never another workspace's people), the badges, and
the staff figures per CAE after the event (named staff-wide read)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from backoffice.tenancy import Actor, staff_wide
from training.models import Attendance, Enrolment, Session, Workshop, WorkshopRegistration
from training.selectors.training import (
    get_session_for,
    get_session_staff,
    require_training,
    require_training_staff,
)


def _with_seats(qs: QuerySet[Workshop]) -> QuerySet[Workshop]:
    return qs.annotate(n_taken=Count("registrations", filter=Q(registrations__waiting=False), distinct=True),
                       n_waiting=Count("registrations", filter=Q(registrations__waiting=True), distinct=True))


def workshops_of(session: Session) -> list[Workshop]:
    """The programme with the seats taken by every workspace (one query)."""
    return list(_with_seats(Workshop.objects.filter(session=session)).order_by("day", "starts_at", "title", "pk"))


def get_gathering_for(actor: Actor, pk: int) -> Session:
    """A gathering open to the actor's workspace (404 otherwise, a course included)."""
    session = get_session_for(actor, pk)
    if not session.is_gathering:
        raise Http404("Not a gathering")
    return session


def get_workshop_for(actor: Actor, pk: int) -> Workshop:
    """A workshop of a gathering open to the actor's workspace (404 otherwise)."""
    require_training(actor)
    return get_object_or_404(Workshop.objects.filter(session__workspaces=actor.workspace).select_related("session"),
                             pk=pk)


def get_own_enrolment(actor: Actor, pk: int) -> Enrolment:
    require_training(actor)
    return get_object_or_404(Enrolment.objects.filter(workspace=actor.workspace)
                             .select_related("session", "entrepreneur"), pk=pk)


def get_own_registration(actor: Actor, pk: int) -> WorkshopRegistration:
    require_training(actor)
    return get_object_or_404(WorkshopRegistration.objects.filter(workspace=actor.workspace)
                             .select_related("workshop__session", "enrolment__entrepreneur"), pk=pk)


def participants_of(actor: Actor, session: Session) -> list[Enrolment]:
    """The workspace's people in the gathering (confirmed first, then waiting, by name), each
    with `registrations` (its workshops, waiting ones included). Two queries."""
    own = WorkshopRegistration.objects.filter(workspace=actor.workspace).select_related("workshop").order_by(
        "workshop__day", "workshop__starts_at", "pk")
    return list(Enrolment.objects.filter(workspace=actor.workspace, session=session)
                .select_related("entrepreneur")
                .prefetch_related(Prefetch("workshop_registrations", queryset=own, to_attr="registrations"))
                .order_by("waiting", "entrepreneur__last_name", "entrepreneur__first_name", "pk"))


def present_marks(actor: Actor, enrolments: list[Enrolment]) -> set[tuple[int, int]]:
    """(enrolment id, slot id) of the workspace's people recorded present."""
    return set(Attendance.objects.filter(workspace=actor.workspace, enrolment__in=enrolments, present=True)
               .values_list("enrolment_id", "slot_id"))


def get_gathering_staff(actor: Actor, pk: int) -> Session:
    session = get_session_staff(actor, pk)
    if not session.is_gathering:
        raise Http404("Not a gathering")
    return session


def get_workshop_staff(actor: Actor, pk: int) -> Workshop:
    require_training_staff(actor)
    return get_object_or_404(Workshop.objects.select_related("session"), pk=pk)


@dataclass
class WorkspaceFigures:
    name: str
    registered: int = 0
    waiting: int = 0
    present: int = 0
    half_days_present: int = 0
    workshops: dict[int, int] = field(default_factory=dict)  # workshop id -> people registered (seated)
    cells: list[int] = field(default_factory=list)  # the same, in the programme's order

    @property
    def rate(self) -> int | None:
        """Share of the registered who came to at least one half-day, in percent."""
        return round(100 * self.present / self.registered) if self.registered else None


def gathering_figures(session: Session) -> tuple[list[WorkspaceFigures], list[Workshop]]:
    """Per invited workspace: registered, waiting, present (at least one half-day), half-days
    of presence, and seats taken in each workshop. Five queries, whatever the size."""
    with staff_wide("staff compare the attendance of every CAE at a gathering"):
        rows = {ws.pk: WorkspaceFigures(ws.name) for ws in session.workspaces.order_by("name")}
        for ws_id, waiting, n in (Enrolment.objects.filter(session=session).values_list("workspace_id", "waiting")
                                  .annotate(n=Count("pk")).order_by()):
            row = rows.setdefault(ws_id, WorkspaceFigures(str(ws_id)))
            if waiting:
                row.waiting = n
            else:
                row.registered = n
        for ws_id, people, half_days in (Attendance.objects.filter(enrolment__session=session, present=True)
                                         .values_list("workspace_id").annotate(p=Count("enrolment", distinct=True),
                                                                              h=Count("pk")).order_by()):
            rows.setdefault(ws_id, WorkspaceFigures(str(ws_id)))
            rows[ws_id].present, rows[ws_id].half_days_present = people, half_days
        for ws_id, workshop_id, n in (WorkshopRegistration.objects.filter(workshop__session=session, waiting=False)
                                      .values_list("workspace_id", "workshop_id").annotate(n=Count("pk")).order_by()):
            rows.setdefault(ws_id, WorkspaceFigures(str(ws_id))).workshops[workshop_id] = n
    workshops = workshops_of(session)
    for row in rows.values():
        row.cells = [row.workshops.get(w.pk, 0) for w in workshops]
    return list(rows.values()), workshops
