"""General meetings of an issuer (convene, attendance, tallies, results, convocations, minutes'
figures) and, for a convened workspace, the meetings it is convened to.

Readers: Perm.SHARES_VIEW; writers: Perm.SHARES_MANAGE."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alumni.forms_shares import MeetingForm, TallyForm
from alumni.models import Attendance, College
from alumni.selectors.shares import (
    convocations_of_workspace,
    get_convocation,
    get_issuer,
    get_meeting,
    issuer_meetings,
    require_shares,
)
from alumni.services.meetings import (
    convocation_pdf,
    meeting_attendance_save,
    meeting_convene,
    meeting_minutes_xlsx,
    meeting_results,
    meeting_send_convocations,
    resolution_tally_save,
)
from alumni.views.shares import XLSX, _download
from backoffice.forms.records import add_service_errors
from backoffice.roles import Perm


def meetings(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_shares(request.actor)
    from alumni.selectors.shares import find_issuer

    issuer = find_issuer(actor)
    return render(request, "alumni/shares/meeting_list.html", {
        "issuer": issuer, "meetings": list(issuer_meetings(issuer)) if issuer else [],
        "convocations": convocations_of_workspace(actor.workspace)})


def meeting_new(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_shares(request.actor, Perm.SHARES_MANAGE)
    issuer = get_issuer(actor)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["resolutions"] = data["resolutions"].splitlines()
        data["majority"] = data["majority"] or None
        try:
            meeting = meeting_convene(actor=request.user, issuer=issuer, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("General meeting convened: %(n)s associates.") % {
                "n": meeting.convened.count()})
            return redirect("shares_meeting", workspace=workspace, pk=meeting.pk)
    return render(request, "alumni/shares/form.html", {"form": form, "title": _("Convene a general meeting")})


def meeting_detail(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_shares(request.actor)
    meeting = get_meeting(actor, pk)
    convened = list(meeting.convened.select_related("holder", "college", "proxy__holder"))
    colleges = list(College.objects.filter(issuer_id=meeting.issuer_id))
    return render(request, "alumni/shares/meeting_detail.html", {
        "meeting": meeting, "convened": convened, "result": meeting_results(meeting), "colleges": colleges,
        "attendance_choices": Attendance.choices})


@require_POST
def meeting_attendance(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_shares(request.actor, Perm.SHARES_MANAGE)
    meeting = get_meeting(actor, pk)
    attendance = {}
    try:
        for c in meeting.convened.all():
            status = request.POST.get(f"attendance-{c.pk}", c.attendance)
            proxy = request.POST.get(f"proxy-{c.pk}") or None
            attendance[c.pk] = (status, int(proxy) if proxy else None)
        meeting_attendance_save(actor=request.user, meeting=meeting, attendance=attendance)
    except ValueError:
        messages.error(request, _("Unknown associate or attendance."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Attendance saved."))
    return redirect("shares_meeting", workspace=workspace, pk=meeting.pk)


@require_POST
def meeting_tally(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_shares(request.actor, Perm.SHARES_MANAGE)
    meeting = get_meeting(actor, pk)
    form = TallyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter whole numbers of votes, zero or more."))
        return redirect("shares_meeting", workspace=workspace, pk=meeting.pk)
    data = form.cleaned_data
    resolution = meeting.resolutions.filter(pk=data["resolution"]).first()
    college = College.objects.filter(issuer_id=meeting.issuer_id, pk=data["college"]).first() if data["college"] else None
    if resolution is None or (data["college"] and college is None):
        raise Http404
    try:
        resolution_tally_save(actor=request.user, resolution=resolution, college=college,
                              votes_for=data["votes_for"], votes_against=data["votes_against"],
                              abstentions=data["abstentions"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Votes on resolution n° %(n)s saved.") % {"n": resolution.number})
    return redirect("shares_meeting", workspace=workspace, pk=meeting.pk)


def meeting_convocations(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_shares(request.actor)
    meeting = get_meeting(actor, pk)
    pdf = convocation_pdf(meeting, list(meeting.convened.select_related("holder", "college")))
    return _download(pdf, f"convocations-{meeting.pk}.pdf", "application/pdf")


@require_POST
def meeting_send(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_shares(request.actor, Perm.SHARES_MANAGE)
    meeting = get_meeting(actor, pk)
    sent = meeting_send_convocations(actor=request.user, meeting=meeting)
    messages.success(request, _("%(n)s convocations sent by e-mail.") % {"n": sent})
    return redirect("shares_meeting", workspace=workspace, pk=meeting.pk)


def meeting_minutes(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_shares(request.actor)
    meeting = get_meeting(actor, pk)
    return _download(meeting_minutes_xlsx(meeting), f"assemblee-{meeting.pk}-chiffres.xlsx", XLSX)


def convocation(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """A meeting this workspace is convened to (in another issuer), with its own convocation."""
    actor = require_shares(request.actor)
    line, resolutions = get_convocation(actor, pk)
    if request.GET.get("format") == "pdf":
        return _download(convocation_pdf(line.meeting, [line], resolutions), f"convocation-{line.meeting_id}.pdf",
                         "application/pdf")
    return render(request, "alumni/shares/convocation.html", {"line": line, "meeting": line.meeting,
                                                                 "resolutions": resolutions})
