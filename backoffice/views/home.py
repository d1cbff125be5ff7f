"""Landing pages: where a user arrives after login, and each workspace's home."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from backoffice.models import Document, Dossier
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.roles import Perm
from backoffice.tenancy import staff_role_of, user_memberships


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff land in the staff area; a client with one workspace lands in it; else a chooser."""
    memberships = user_memberships(request.user)
    if staff_role_of(memberships):
        return redirect("staff:dashboard")
    active = [m for m in memberships if m.workspace.is_active]
    if len(active) == 1:
        return redirect("workspace_home", workspace=active[0].workspace.slug)
    return render(request, "backoffice/choose_workspace.html", {"memberships": active})


def workspace_home(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.WORKSPACE_VIEW)
    ws = actor.workspace
    open_dossiers = (Dossier.objects.filter(workspace=ws, status__in=OPEN_STATUSES)
                     .select_related("assignee", "workspace").order_by("due_date")[:10])  # rows link by slug
    documents = Document.objects.filter(workspace=ws)
    if not actor.has(Perm.DOCUMENT_VIEW_INTERNAL):
        documents = documents.filter(internal=False)
    return render(request, "backoffice/workspace_home.html", {
        "open_dossiers": open_dossiers, "recent_documents": documents[:5],
        "agreements": ws.agreements.all() if actor.has(Perm.AGREEMENT_VIEW) else [],
    })

