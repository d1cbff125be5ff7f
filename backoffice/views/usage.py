"""A workspace's billable usage by month (host staff)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from backoffice.roles import Perm
from backoffice.selectors.usage import parse_month, shift_month, usage_month


def usage(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.USAGE_VIEW)
    month = parse_month(request.GET.get("month"), default=timezone.localdate())
    return render(request, "backoffice/usage_month.html", {
        "summary": usage_month(workspace=actor.workspace, month=month),
        "previous_month": shift_month(month, -1), "next_month": shift_month(month, 1),
    })
