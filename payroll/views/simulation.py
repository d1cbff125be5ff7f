"""Payslip simulation (Perm.PAYROLL_SIMULATE: partner managers and host payroll staff).

The form posts to the same address; with htmx only the panel (form + result) is re-rendered
and swapped in place, without htmx the whole page comes back. Nothing is written.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backoffice.roles import Perm
from payroll.forms import MODE_LABELS, WHO_ENTREPRENEUR, SimulationForm
from payroll.selectors.people import (
    get_entrepreneur_with_employment,
    payroll_settings_of,
    require_payroll,
    simulation_choices,
)
from payroll.services.simulation import SimulationError, payslip_simulate


def simulation(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_payroll(request.actor, Perm.PAYROLL_SIMULATE)
    has_settings = payroll_settings_of(actor.workspace) is not None
    form = SimulationForm(request.POST if request.method == "POST" else None,
                          entrepreneur_choices=simulation_choices(actor=actor) if has_settings else ())
    result = None
    if request.method == "POST" and has_settings and form.is_valid():
        data = form.cleaned_data
        entrepreneur = None
        if data["who"] == WHO_ENTREPRENEUR:
            entrepreneur, _employment = get_entrepreneur_with_employment(actor, data["entrepreneur"])
        try:
            result = payslip_simulate(
                workspace=actor.workspace, period=data["period"], mode=data["mode"], amount=data["amount"],
                pas_rate=data["pas_rate"] if data["pas_rate"] is not None else Decimal("0"),
                entrepreneur=entrepreneur, status=data["status"], hours=data["hours"])
        except SimulationError as exc:
            form.add_error(None, str(exc))
    context = {"form": form, "result": result, "has_settings": has_settings,
               "mode_label": MODE_LABELS.get(result.mode) if result else None}
    template = "payroll/simulation_panel.html" if request.htmx else "payroll/simulation.html"
    return render(request, template, context)
