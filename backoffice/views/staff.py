"""The staff area's overview pages (staff-wide: each read says why it crosses workspaces)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from backoffice.models import AuditEntry, Dossier, Workspace
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.roles import Perm
from backoffice.tenancy import staff_wide


def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    with staff_wide("the staff dashboard counts dossiers of every workspace"):
        counts = Dossier.objects.aggregate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
            mine=Count("pk", filter=Q(status__in=OPEN_STATUSES, assignee=request.user)),
            unassigned=Count("pk", filter=Q(status__in=OPEN_STATUSES, assignee__isnull=True)),
        )
        workspaces = list(Workspace.objects.annotate(
            n_open=Count("dossiers", filter=Q(dossiers__status__in=OPEN_STATUSES))).order_by("kind", "name"))
    return render(request, "backoffice/staff/dashboard.html", {"counts": counts, "workspaces": workspaces})


def audit_trail(request: HttpRequest) -> HttpResponse:
    request.actor.require(Perm.AUDIT_VIEW)
    with staff_wide("staff read the audit trail of every workspace"):
        qs = AuditEntry.objects.select_related("workspace", "actor")
        if slug := request.GET.get("workspace"):
            qs = qs.filter(workspace__slug=slug)
        if action := request.GET.get("action"):
            qs = qs.filter(action__startswith=action)
        page = Paginator(qs, 100).get_page(request.GET.get("page"))
        return render(request, "backoffice/staff/audit.html", {"page": page,
                                                                "workspaces": Workspace.objects.order_by("name")})
