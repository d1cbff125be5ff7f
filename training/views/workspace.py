"""Workspace training pages (/w/<slug>/training/): the sessions open to the workspace, its own
enrolments, its funding requests and their moves. Thin: one selector or service per view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.records import add_service_errors
from backoffice.roles import Perm
from training.forms import EnrolForm, FundingRequestForm, MoveForm, WorkshopRegisterForm
from training.models import RequestState
from training.rules import lifecycle
from training.selectors.gatherings import workshops_of
from training.selectors.training import (
    documents_of,
    enrolable_entrepreneurs,
    funding_attendance,
    funding_request_list,
    get_funding_request,
    get_session_for,
    own_enrolments,
    require_training,
    session_list_for,
)
from training.services.attendance import claim_from_attendance, hours_attended, missing_signatures
from training.services.enrolments import enrolment_create
from training.services.funding import funding_request_move, funding_request_open
from training.services.gatherings import waiting_message
from training.tasks.documents import render_request_documents
from training.views.attendance_grid import grid_rows, save_grid


def sessions(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_training(request.actor)
    page = Paginator(session_list_for(actor), 50).get_page(request.GET.get("page"))
    return render(request, "training/sessions.html", {"page": page, "today": timezone.localdate()})


def _session_page(request, actor, session, *, enrol_form=None, status=200):
    people = enrolable_entrepreneurs(actor, session, session.starts_on or timezone.localdate())
    enrolments = list(own_enrolments(actor, session))
    gathering = {}
    if session.is_gathering:
        gathering = {"workshops": workshops_of(session), "waiting": list(own_enrolments(actor, session, waiting=True)),
                     "register_form": WorkshopRegisterForm(participants=enrolments)}
    return render(request, "training/session_detail.html", {
        "session": session, "slots": list(session.slots.all()), "enrolments": enrolments,
        "requests": [] if session.is_gathering else list(funding_request_list(actor).filter(session=session)),
        "enrol_form": enrol_form or EnrolForm(people=people),
        "can_enrol": actor.has(Perm.TRAINING_ENROL) and session.starts_on and session.starts_on > timezone.localdate(),
        **gathering,
    }, status=status)


def session_detail(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_training(request.actor)
    return _session_page(request, actor, get_session_for(actor, pk))


@require_POST
def session_enrol(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_training(request.actor, Perm.TRAINING_ENROL)
    session = get_session_for(actor, pk)
    people = enrolable_entrepreneurs(actor, session, session.starts_on or timezone.localdate())
    form = EnrolForm(request.POST, people=people)
    if form.is_valid():
        try:
            done = enrolment_create(actor=request.user, workspace=actor.workspace, session=session,
                                    entrepreneur_ids=form.cleaned_data["entrepreneurs"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, waiting_message(done) if session.is_gathering else
                             _("%(n)d trainee(s) enrolled.") % {"n": len(done)})
            return redirect("training_session", workspace=workspace, pk=session.pk)
    return _session_page(request, actor, session, enrol_form=form, status=400)


def request_new(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_training(request.actor, Perm.TRAINING_ENROL)
    session = get_session_for(actor, pk)
    enrolments = list(own_enrolments(actor, session))
    form = FundingRequestForm(request.POST or None, enrolments=enrolments,
                              initial={"enrolments": [e.pk for e in enrolments]})
    if request.method == "POST" and form.is_valid():
        try:
            funding = funding_request_open(actor=request.user, workspace=actor.workspace, session=session,
                                           opco=form.cleaned_data["opco"],
                                           enrolment_ids=form.cleaned_data["enrolments"],
                                           cost_pedagogical=form.cleaned_data["cost_pedagogical"],
                                           cost_salary=form.cleaned_data["cost_salary"],
                                           cost_travel=form.cleaned_data["cost_travel"],
                                           amount_asked=form.cleaned_data["amount_asked"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Funding request opened as a draft."))
            return redirect("training_request", workspace=workspace, pk=funding.pk)
    return render(request, "training/request_new.html", {"form": form, "session": session},
                  status=400 if request.method == "POST" else 200)


def requests(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_training(request.actor)
    state = request.GET.get("state", "")
    state = state if state in RequestState.values else ""
    page = Paginator(funding_request_list(actor, state=state), 50).get_page(request.GET.get("page"))
    return render(request, "training/requests.html", {"page": page, "state": state, "states": RequestState.choices})


# Where the claim's amount matters: from the end of the course to the payment.
CLAIM_STAGES = (lifecycle.DONE, lifecycle.ATTENDANCE_COMPLETE, lifecycle.CLAIM_SENT, lifecycle.PAID)


def _moves_for(actor, funding) -> list[str]:
    moves = lifecycle.next_states(funding.state)
    if actor.has(Perm.TRAINING_MANAGE):
        return moves
    if actor.has(Perm.TRAINING_ENROL):
        return [m for m in moves if m in lifecycle.PARTNER_MOVES]
    return []


def _request_page(request, actor, funding, *, form=None, status=200):
    moves = _moves_for(actor, funding)
    enrolments = list(funding.enrolments.all())
    slots = list(funding.session.slots.all())
    attended = hours_attended(enrolments, slots)
    return render(request, "training/request_detail.html", {
        "funding": funding, "events": list(funding.events.all()),
        "enrolments": [(e, attended[e.pk]) for e in enrolments],
        "missing": missing_signatures(funding) if funding.state in lifecycle.OPEN else [],
        "claim": claim_from_attendance(funding) if funding.state in CLAIM_STAGES else None,
        "documents": list(documents_of(actor, funding)),
        "move_form": form or (MoveForm(states=moves, allow_override=actor.has(Perm.TRAINING_MANAGE)) if moves else None),
        "today": timezone.localdate(),
    }, status=status)


def request_detail(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_training(request.actor)
    return _request_page(request, actor, get_funding_request(actor, pk))


@require_POST
def request_move(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_training(request.actor, Perm.TRAINING_ENROL)
    funding = get_funding_request(actor, pk)
    moves = _moves_for(actor, funding)
    form = MoveForm(request.POST, states=moves, allow_override=actor.has(Perm.TRAINING_MANAGE))
    if form.is_valid():
        data = form.cleaned_data
        try:
            funding_request_move(actor=request.user, request=funding, to_state=data["to_state"], note=data["note"],
                                 opco_file_number=data["opco_file_number"], amount=data["amount"],
                                 late_override_reason=data.get("late_override_reason", ""))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request is now “%(state)s”.") % {
                "state": RequestState(data["to_state"]).label})
            return redirect("training_request", workspace=workspace, pk=funding.pk)
    return _request_page(request, actor, funding, form=form, status=400)


def request_attendance(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """Staff tick presence per trainee and half-day (the signed sheets in hand)."""
    actor = require_training(request.actor, Perm.TRAINING_MANAGE)
    funding = get_funding_request(actor, pk)
    enrolments = list(funding.enrolments.all())
    slots = list(funding.session.slots.all())
    error = ""
    if request.method == "POST":
        error = save_grid(request, actor=actor, session=funding.session, enrolments=enrolments)
        if not error:
            messages.success(request, _("Attendance saved."))
            return redirect("training_request", workspace=workspace, pk=funding.pk)
    return render(request, "training/request_attendance.html", {
        "funding": funding, "slots": slots, "error": error,
        "rows": grid_rows(enrolments, slots, set(funding_attendance(actor, funding))),
    }, status=400 if error else 200)


@require_POST
def request_documents(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """Render the request's documents in the background (eager without a broker)."""
    actor = require_training(request.actor, Perm.TRAINING_MANAGE)
    funding = get_funding_request(actor, pk)
    transaction.on_commit(lambda: render_request_documents.delay(actor.workspace.pk, funding.pk, request.user.pk))
    messages.success(request, _("The documents are being rendered; they appear below when ready."))
    return redirect("training_request", workspace=workspace, pk=funding.pk)
