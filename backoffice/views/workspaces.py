"""Staff area: the list of workspaces, creating and editing them, (de)activating them.

A workspace's own detail page is its home (/w/<slug>/), where staff see extra panels.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.records import (
    WorkspaceCreateForm,
    WorkspaceFilterForm,
    WorkspaceForm,
    add_service_errors,
)
from backoffice.models import Workspace
from backoffice.roles import Perm
from backoffice.selectors.lookups import get_workspace_for_staff
from backoffice.services.workspaces import (
    IDENTITY_FIELDS,
    workspace_create,
    workspace_set_active,
    workspace_update,
)
from backoffice.tenancy import staff_wide


def workspaces(request: HttpRequest) -> HttpResponse:
    """Every workspace, searchable by name, short name or SIREN and filterable by kind."""
    request.actor.require(Perm.STAFF_AREA)
    filters = WorkspaceFilterForm(request.GET or None)
    qs = Workspace.objects.select_related("origin").order_by("kind", "name")
    if filters.is_valid():
        if q := filters.cleaned_data["q"].strip():
            qs = qs.filter(Q(name__icontains=q) | Q(slug__icontains=q) | Q(siren__startswith=q.replace(" ", "")))
        if kind := filters.cleaned_data["kind"]:
            qs = qs.filter(kind=kind)
    query = request.GET.copy()
    query.pop("page", None)
    with staff_wide("the staff list of workspaces shows every client"):
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        return render(request, "backoffice/workspace_list.html", {
            "filter_form": filters if filters.is_bound else WorkspaceFilterForm(), "page": page,
            "query": query.urlencode(),
        })


def workspace_create_view(request: HttpRequest) -> HttpResponse:
    request.actor.require(Perm.WORKSPACE_MANAGE)
    form = WorkspaceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workspace = workspace_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Workspace %(name)s created.") % {"name": workspace.name})
            return redirect("workspace_home", workspace=workspace.slug)
    return render(request, "backoffice/workspace_form.html", {"form": form, "workspace": None})


def workspace_edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.WORKSPACE_MANAGE)
    workspace = get_workspace_for_staff(actor, slug)
    initial = {name: getattr(workspace, name) for name in IDENTITY_FIELDS}
    form = WorkspaceForm(request.POST or None, initial=initial, exclude_pk=workspace.pk)
    if request.method == "POST" and form.is_valid():
        try:
            workspace_update(actor=request.user, workspace=workspace, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Workspace updated."))
            return redirect("workspace_home", workspace=workspace.slug)
    return render(request, "backoffice/workspace_form.html", {"form": form, "workspace": workspace})


@require_POST
def workspace_set_active_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.WORKSPACE_MANAGE)
    workspace = get_workspace_for_staff(actor, slug)
    active = request.POST.get("active") == "1"
    try:
        workspace_set_active(actor=request.user, workspace=workspace, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Workspace reactivated.") if active else
                         _("Workspace deactivated: its users can no longer open it."))
    return redirect("workspace_home", workspace=workspace.slug)
