"""Workspace pages of a gathering (/w/<slug>/training/…): register participants in workshops,
withdraw them, the workspace's participant list, its badges, and its attendance. The
gathering's own page is the session page (training/views/workspace.py). A workspace only
ever sees and changes its own people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.roles import Perm
from training.forms import WorkshopRegisterForm
from training.selectors.gatherings import (
    get_gathering_for,
    get_own_enrolment,
    get_own_registration,
    get_workshop_for,
    participants_of,
    present_marks,
    workshops_of,
)
from training.selectors.training import own_enrolments, require_training
from training.services.badges import badges_pdf
from training.services.gatherings import enrolment_withdraw, workshop_register, workshop_unregister
from training.views.attendance_grid import grid_rows, save_grid


@require_POST
def workshop_register_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_training(request.actor, Perm.TRAINING_ENROL)
    workshop = get_workshop_for(actor, pk)
    form = WorkshopRegisterForm(request.POST, participants=own_enrolments(actor, workshop.session))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            made = workshop_register(actor=request.user, workspace=actor.workspace, workshop=workshop,
                                     enrolment_ids=form.cleaned_data["enrolments"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            waiting = sum(1 for r in made if r.waiting)
            messages.success(request, _("%(seated)d registered in “%(workshop)s”, %(waiting)d on its waiting list.") % {
                "seated": len(made) - waiting, "waiting": waiting, "workshop": workshop.title})
    return redirect("training_session", workspace=workspace, pk=workshop.session_id)


@require_POST
def registration_withdraw(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_training(request.actor, Perm.TRAINING_ENROL)
    registration = get_own_registration(actor, pk)
    try:
        workshop_unregister(actor=request.user, workspace=actor.workspace, registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Withdrawn from the workshop."))
    return redirect("training_participants", workspace=workspace, pk=registration.workshop.session_id)


@require_POST
def enrolment_withdraw_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_training(request.actor, Perm.TRAINING_ENROL)
    enrolment = get_own_enrolment(actor, pk)
    try:
        enrolment_withdraw(actor=request.user, workspace=actor.workspace, enrolment=enrolment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is withdrawn from the session.") % {"name": enrolment.entrepreneur})
    if enrolment.session.is_gathering:
        return redirect("training_participants", workspace=workspace, pk=enrolment.session_id)
    return redirect("training_session", workspace=workspace, pk=enrolment.session_id)


def participants(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """The workspace's participants of a gathering, their workshops and waiting places."""
    actor = require_training(request.actor)
    session = get_gathering_for(actor, pk)
    people = participants_of(actor, session)
    return render(request, "training/gathering_participants.html", {
        "session": session, "people": people, "workshops": workshops_of(session),
        "n_confirmed": sum(1 for e in people if not e.waiting), "n_waiting": sum(1 for e in people if e.waiting),
    })


def badges(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_training(request.actor)
    session = get_gathering_for(actor, pk)
    response = HttpResponse(badges_pdf(workspace=actor.workspace, session=session), content_type="application/pdf")
    name = slugify(f"badges-{session.name}-{actor.workspace.slug}")[:80] or "badges"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def gathering_attendance(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """Presence of the workspace's confirmed participants per half-day of the gathering."""
    actor = require_training(request.actor, Perm.TRAINING_ENROL)
    session = get_gathering_for(actor, pk)
    enrolments = list(own_enrolments(actor, session))
    slots = list(session.slots.all())
    error = ""
    if request.method == "POST":
        error = save_grid(request, actor=actor, session=session, enrolments=enrolments)
        if not error:
            messages.success(request, _("Attendance saved."))
            return redirect("training_participants", workspace=workspace, pk=session.pk)
    return render(request, "training/gathering_attendance.html", {
        "session": session, "slots": slots, "error": error,
        "rows": grid_rows(enrolments, slots, present_marks(actor, enrolments)),
    }, status=400 if error else 200)
