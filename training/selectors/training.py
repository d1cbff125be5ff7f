"""Reads of the training pages.

Workspace pages (`/w/<slug>/training/`): `require_training` first (404 outside a CAE), then
the lookups, each answering 404 for "missing" and "not yours" alike. On a pooled session a
workspace only ever reads its own enrolments and requests (scoped managers) — the one shared
figure is the number of seats taken. Staff pages read the shared reference data, and the
requests of every workspace only through `staff_request_list` (named staff-wide read).
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from backoffice.models import Document, Entrepreneur
from backoffice.roles import Perm
from backoffice.selectors.lookups import in_actor_workspace
from backoffice.tenancy import Actor, staff_wide
from training.models import Attendance, Course, Enrolment, FundingRequest, Opco, Session, TrainingBody
from training.rules import lifecycle


def require_training(actor: Actor, perm: Perm = Perm.TRAINING_VIEW) -> Actor:
    """404 unless the actor acts in a CAE (an alumni company enrols nobody), then `perm` (403)."""
    if actor.workspace is None or not actor.workspace.has_entrepreneurs:
        raise Http404("No training in this workspace")
    actor.require(perm)
    return actor


def require_training_staff(actor: Actor, perm: Perm = Perm.TRAINING_VIEW) -> Actor:
    """The staff area's training pages: host staff with `perm`, no workspace."""
    actor.require(Perm.STAFF_AREA)
    actor.require(perm)
    if actor.workspace is not None:
        raise Http404
    return actor


# --- sessions as a workspace sees them ------------------------------------------------------

def session_list_for(actor: Actor, *, upcoming_only: bool = False) -> QuerySet[Session]:
    """Sessions open to the actor's workspace, with its own number of trainees and the seats
    taken by all (one query for the page)."""
    qs = (Session.objects.filter(workspaces=actor.workspace).select_related("course__body")
          .annotate(n_taken=Count("enrolments", filter=Q(enrolments__waiting=False), distinct=True),
                    n_own=Count("enrolments", filter=Q(enrolments__workspace=actor.workspace), distinct=True)))
    if upcoming_only:
        qs = qs.filter(starts_on__gte=timezone.localdate())
    return qs.order_by("starts_on", "pk")


def get_session_for(actor: Actor, pk: int) -> Session:
    """A session open to the actor's workspace (404 otherwise)."""
    require_training(actor)
    return get_object_or_404(Session.objects.filter(workspaces=actor.workspace).select_related("course__body")
                             .annotate(n_taken=Count("enrolments", filter=Q(enrolments__waiting=False), distinct=True)), pk=pk)


def own_enrolments(actor: Actor, session: Session, *, waiting: bool = False) -> QuerySet[Enrolment]:
    """The workspace's confirmed enrolments in `session` (or, with `waiting`, those waiting)."""
    return (Enrolment.objects.filter(workspace=actor.workspace, session=session, waiting=waiting)
            .select_related("entrepreneur").order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk"))


def enrolable_entrepreneurs(actor: Actor, session: Session, day: datetime.date) -> QuerySet[Entrepreneur]:
    """The workspace's entrepreneurs present on `day` and not yet enrolled in `session`."""
    return (Entrepreneur.objects.filter(workspace=actor.workspace, entry_date__lte=day)
            .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=day))
            .exclude(training_enrolments__session=session).order_by("last_name", "first_name", "pk"))


# --- funding requests of a workspace ------------------------------------------------------------

def funding_request_list(actor: Actor, *, state: str = "") -> QuerySet[FundingRequest]:
    qs = (FundingRequest.objects.filter(workspace=actor.workspace).select_related("opco", "session__course")
          .annotate(n_trainees=Count("enrolments")))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-pk")


def get_funding_request(actor: Actor, pk: int) -> FundingRequest:
    require_training(actor)
    request = get_object_or_404(
        FundingRequest.objects.select_related("opco", "session__course__body", "workspace").prefetch_related(
            Prefetch("enrolments", queryset=Enrolment.objects.select_related("entrepreneur")),
            "events__actor"), pk=pk)
    return in_actor_workspace(actor, request)


def documents_of(actor: Actor, request: FundingRequest):
    """The documents stored on the request's dossier that the actor may read."""
    qs = Document.objects.filter(workspace=actor.workspace, dossier__object_id=request.pk,
                                 dossier__content_type=ContentType.objects.get_for_model(FundingRequest))
    if not actor.has(Perm.DOCUMENT_VIEW_INTERNAL):
        qs = qs.filter(internal=False)
    return qs.order_by("title") if actor.has(Perm.DOCUMENT_VIEW) else qs.none()


def funding_attendance(actor: Actor, request: FundingRequest):
    """(enrolment id, slot id) of the request's trainees recorded present."""
    return Attendance.objects.filter(workspace=actor.workspace, enrolment__in=request.enrolments.all(),
                                     present=True).values_list("enrolment_id", "slot_id")


def opco_choices() -> QuerySet[Opco]:
    return Opco.objects.order_by("name")


# --- staff area ------------------------------------------------------------------------------

def staff_request_list(*, state: str = "", due_within_days: int | None = None,
                       today: datetime.date | None = None) -> QuerySet[FundingRequest]:
    """Every workspace's open requests, the late and soonest due first (the staff deadline view)."""
    today = today or timezone.localdate()
    with staff_wide("host staff follow the funding requests of every workspace"):
        qs = (FundingRequest.objects.select_related("workspace", "opco", "session__course")
              .annotate(n_trainees=Count("enrolments")).filter(state__in=lifecycle.OPEN))
        if state:
            qs = qs.filter(state=state)
        if due_within_days is not None:
            limit = today + datetime.timedelta(days=due_within_days)
            qs = qs.filter(Q(state=lifecycle.DRAFT, submit_before__lte=limit)
                           | Q(state__in=(lifecycle.DONE, lifecycle.ATTENDANCE_COMPLETE), claim_before__lte=limit))
        return qs.order_by("submit_before", "pk")


def body_list() -> QuerySet[TrainingBody]:
    return TrainingBody.objects.annotate(n_courses=Count("courses")).order_by("name")


def course_list() -> QuerySet[Course]:
    return Course.objects.select_related("body").order_by("title")


def opco_list() -> QuerySet[Opco]:
    return Opco.objects.order_by("name")


def staff_session_list() -> QuerySet[Session]:
    return (Session.objects.select_related("course").prefetch_related("workspaces")
            .annotate(n_taken=Count("enrolments", filter=Q(enrolments__waiting=False))).order_by("-starts_on", "pk"))


def get_body(actor: Actor, pk: int) -> TrainingBody:
    require_training_staff(actor)
    return get_object_or_404(TrainingBody, pk=pk)


def get_course(actor: Actor, pk: int) -> Course:
    require_training_staff(actor)
    return get_object_or_404(Course.objects.select_related("body"), pk=pk)


def get_opco(actor: Actor, pk: int) -> Opco:
    require_training_staff(actor)
    return get_object_or_404(Opco, pk=pk)


def get_session_staff(actor: Actor, pk: int) -> Session:
    require_training_staff(actor)
    return get_object_or_404(Session.objects.select_related("course__body").prefetch_related("workspaces", "slots"),
                             pk=pk)
