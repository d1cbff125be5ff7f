"""Staff training pages (/staff/training/): the deadline view of every workspace's requests,
and the shared reference data — training bodies, courses, OPCO rules, sessions and slots.
Reads need Perm.TRAINING_VIEW, edits Perm.TRAINING_MANAGE; every edit is audited by the
services in training/services/reference.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.records import add_service_errors
from backoffice.roles import Perm
from backoffice.tenancy import staff_wide
from training.exports import summary_xlsx
from training.forms import (
    BulkRequestForm,
    CourseForm,
    OpcoForm,
    SessionForm,
    SlotForm,
    StaffRequestFilterForm,
    SummaryForm,
    TrainingBodyForm,
)
from training.models import Slot
from training.selectors.summary import yearly_summary
from training.selectors.training import (
    body_list,
    course_list,
    get_body,
    get_course,
    get_opco,
    get_session_staff,
    opco_list,
    require_training_staff,
    staff_request_list,
    staff_session_list,
)
from training.services.bulk import funding_requests_bulk_open
from training.services.reference import body_save, course_save, opco_save, session_save, slot_add, slot_delete


def home(request: HttpRequest) -> HttpResponse:
    """The staff deadline view: every workspace's open requests, late and due first."""
    require_training_staff(request.actor)
    form = StaffRequestFilterForm(request.GET or None)
    state, due = "", None
    if form.is_valid():
        state, due = form.cleaned_data["state"], form.cleaned_data["due"]
    page = Paginator(staff_request_list(state=state, due_within_days=due), 50).get_page(request.GET.get("page"))
    return render(request, "training/staff_home.html", {"page": page, "form": form, "today": timezone.localdate()})


def _edit(request, *, form_class, instance, save, noun: str, template: str, done_message: str, redirect_to: str):
    """The create/edit page of one kind of reference data (they differ only by form and service)."""
    require_training_staff(request.actor, Perm.TRAINING_MANAGE)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        extra = {"workspaces": list(data.pop("workspaces"))} if "workspaces" in data else {}
        try:
            saved = save(actor=request.user, **{noun: instance}, **extra, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done_message)
            return redirect(redirect_to, pk=saved.pk) if redirect_to == "staff:training:session" else redirect(redirect_to)
    return render(request, template, {"form": form, "instance": instance},
                  status=400 if request.method == "POST" else 200)


def bodies(request: HttpRequest) -> HttpResponse:
    require_training_staff(request.actor)
    return render(request, "training/staff_bodies.html", {"bodies": body_list(), "today": timezone.localdate()})


def body_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, form_class=TrainingBodyForm, instance=get_body(request.actor, pk) if pk else None,
                 save=body_save, noun="body", template="training/staff_form.html",
                 done_message=_("Training body saved."), redirect_to="staff:training:bodies")


def courses(request: HttpRequest) -> HttpResponse:
    require_training_staff(request.actor)
    return render(request, "training/staff_courses.html", {"courses": course_list()})


def course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, form_class=CourseForm, instance=get_course(request.actor, pk) if pk else None,
                 save=course_save, noun="course", template="training/staff_form.html",
                 done_message=_("Course saved."), redirect_to="staff:training:courses")


def opcos(request: HttpRequest) -> HttpResponse:
    require_training_staff(request.actor)
    return render(request, "training/staff_opcos.html", {"opcos": opco_list()})


def opco_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, form_class=OpcoForm, instance=get_opco(request.actor, pk) if pk else None,
                 save=opco_save, noun="opco", template="training/staff_form.html",
                 done_message=_("OPCO rules saved."), redirect_to="staff:training:opcos")


def sessions(request: HttpRequest) -> HttpResponse:
    require_training_staff(request.actor)
    page = Paginator(staff_session_list(), 50).get_page(request.GET.get("page"))
    return render(request, "training/staff_sessions.html", {"page": page})


def session_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, form_class=SessionForm, instance=get_session_staff(request.actor, pk) if pk else None,
                 save=session_save, noun="session", template="training/staff_form.html",
                 done_message=_("Session saved."), redirect_to="staff:training:session")


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_staff(request.actor, pk)
    form = SlotForm(request.POST or None)
    if request.method == "POST":
        require_training_staff(request.actor, Perm.TRAINING_MANAGE)
        if form.is_valid():
            try:
                slot_add(actor=request.user, session=session, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Half-day added."))
                return redirect("staff:training:session", pk=session.pk)
    return render(request, "training/staff_session.html", {
        "session": session, "slots": list(session.slots.all()), "workspaces": list(session.workspaces.all()),
        "form": form, "bulk_form": BulkRequestForm()}, status=400 if request.method == "POST" else 200)


@require_POST
def session_bulk_requests(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the funding request of every enrolled workspace at once (one per workspace)."""
    require_training_staff(request.actor, Perm.TRAINING_MANAGE)
    session = get_session_staff(request.actor, pk)
    form = BulkRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the OPCO."))
    else:
        try:
            opened = funding_requests_bulk_open(actor=request.user, session=session, opco=form.cleaned_data["opco"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)d funding request(s) opened.") % {"n": len(opened)})
    return redirect("staff:training:session", pk=session.pk)


@require_POST
def slot_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_training_staff(request.actor, Perm.TRAINING_MANAGE)
    slot = get_object_or_404(Slot.objects.select_related("session"), pk=pk)
    session_pk = slot.session_id
    try:
        with staff_wide("a half-day is removed only if no workspace recorded attendance for it"):
            slot_delete(actor=request.user, slot=slot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Half-day removed."))
    return redirect("staff:training:session", pk=session_pk)


def _summary_year(request) -> int:
    form = SummaryForm(request.GET or None)
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year


def summary(request: HttpRequest) -> HttpResponse:
    """The yearly summary per workspace and OPCO, with the BPF figures."""
    require_training_staff(request.actor)
    year = _summary_year(request)
    rows = yearly_summary(year)
    return render(request, "training/staff_summary.html", {
        "year": year, "rows": rows, "form": SummaryForm(initial={"year": year}),
        "totals": {name: sum((getattr(r, name) for r in rows), 0) for name in
                   ("requests", "trainees", "hours", "asked", "approved", "claimed", "paid", "gap")}})


def summary_xlsx_view(request: HttpRequest) -> HttpResponse:
    require_training_staff(request.actor)
    year = _summary_year(request)
    response = HttpResponse(summary_xlsx(year, yearly_summary(year)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="formation-{year}.xlsx"'
    return response
