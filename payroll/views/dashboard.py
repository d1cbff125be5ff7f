"""The payroll officer's overview of every CAE's months (staff area)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backoffice.roles import Perm
from payroll.selectors.dashboard import payroll_overview_context


def payroll_dashboard(request: HttpRequest) -> HttpResponse:
    request.actor.require(Perm.PAYROLL_VIEW)
    return render(request, "payroll/dashboard.html", payroll_overview_context(months=6))
