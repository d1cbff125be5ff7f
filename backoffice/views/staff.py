"""The staff area's overview pages (staff-wide: each read says why it crosses workspaces)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils import timezone

from backoffice.filters import AuditFilter
from backoffice.interface import panels_for
from backoffice.models import AuditEntry, Dossier, Workspace
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.pagination import keyset_page
from backoffice.roles import Perm
from backoffice.selectors.dossiers import action_label, readable_changes
from backoffice.tenancy import staff_wide
from backoffice.views.dossiers import query_without


def dashboard(request: HttpRequest) -> HttpResponse:
    request.actor.require(Perm.STAFF_AREA)
    today = timezone.localdate()
    with staff_wide("the staff dashboard counts dossiers of every workspace"):
        # Only open dossiers are read (index on status, due date): closed ones pile up for years.
        open_dossiers = Dossier.objects.filter(status__in=OPEN_STATUSES).order_by()
        counts = open_dossiers.aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            mine=Count("pk", filter=Q(assignee=request.user)),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        )
        per_workspace = {row["workspace_id"]: row for row in open_dossiers.values("workspace_id").annotate(
            n_open=Count("pk"), n_overdue=Count("pk", filter=Q(due_date__lt=today)))}
        workspaces = list(Workspace.objects.order_by("kind", "name"))
        for ws in workspaces:
            row = per_workspace.get(ws.pk, {})
            ws.n_open, ws.n_overdue = row.get("n_open", 0), row.get("n_overdue", 0)
    # Each app's panel (registered in its ui.py), e.g. the payroll officer's months.
    panels = [mark_safe(render_to_string(panel.template, context, request=request))  # noqa: S308 (our templates)
              for panel, context in panels_for(request.actor)]
    return render(request, "backoffice/staff/dashboard.html",
                  {"counts": counts, "workspaces": workspaces, "panels": panels})


def audit_trail(request: HttpRequest) -> HttpResponse:
    """Who changed what, when, in every workspace; filterable, newest first."""
    request.actor.require(Perm.AUDIT_VIEW)
    with staff_wide("staff read the audit trail of every workspace"):
        filters = AuditFilter(request.GET, queryset=AuditEntry.objects.select_related("workspace", "actor"))
        # Keyset pages (backoffice/pagination.py): constant time deep in 500,000 entries, no COUNT.
        page = keyset_page(filters.qs, after=request.GET.get("after"), before=request.GET.get("before"))
        for entry in page.object_list:
            entry.label = action_label(entry.action)
            entry.change_lines = readable_changes(entry)
        return render(request, "backoffice/staff/audit.html", {
            "page": page, "filter": filters, "query": query_without(request.GET, "after", "before", "page")})
