"""Staff pages of a gathering (/staff/training/…): its programme of workshops, and the
attendance figures per CAE afterwards."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backoffice.forms.records import add_service_errors
from backoffice.roles import Perm
from training.forms import WorkshopForm
from training.selectors.gatherings import gathering_figures, get_gathering_staff, get_workshop_staff
from training.selectors.training import require_training_staff
from training.services.gatherings import workshop_save


def _workshop_page(request, *, session, workshop=None) -> HttpResponse:
    require_training_staff(request.actor, Perm.TRAINING_MANAGE)
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            workshop_save(actor=request.user, session=session, workshop=workshop, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Workshop saved."))
            return redirect("staff:training:session_figures", pk=session.pk)
    return render(request, "training/staff_workshop_form.html", {"form": form, "session": session,
                                                                  "workshop": workshop},
                  status=400 if request.method == "POST" else 200)


def workshop_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _workshop_page(request, session=get_gathering_staff(request.actor, pk))


def workshop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_workshop_staff(request.actor, pk)
    return _workshop_page(request, session=workshop.session, workshop=workshop)


def session_figures(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme and, per invited CAE, who registered, who waited and who came."""
    session = get_gathering_staff(request.actor, pk)
    rows, workshops = gathering_figures(session)
    totals = {name: sum(getattr(r, name) for r in rows) for name in ("registered", "waiting", "present",
                                                                     "half_days_present")}
    return render(request, "training/staff_gathering.html", {
        "session": session, "rows": rows, "workshops": workshops, "totals": totals,
        "rate": round(100 * totals["present"] / totals["registered"]) if totals["registered"] else None})
