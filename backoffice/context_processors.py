"""Navigation context: the current workspace, what the actor may open, and the menus."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from backoffice.interface import menus_for
from backoffice.roles import Perm

SWITCHER_SIZE = 12  # staff see this many workspaces in the switcher, then "All workspaces"


def _switcher(request, actor) -> dict:
    """The workspaces the user may switch to (one query, only when the header shows it)."""
    from backoffice.models import Workspace
    from backoffice.tenancy import staff_wide, user_memberships

    current = getattr(request, "workspace", None)
    if actor is not None and actor.is_staff:
        with staff_wide("host staff switch between every workspace"):
            rows = list(Workspace.objects.filter(is_active=True).exclude(pk=getattr(current, "pk", None))
                        .order_by("kind", "name")[:SWITCHER_SIZE + 1])
        return {"workspaces": rows[:SWITCHER_SIZE], "more": len(rows) > SWITCHER_SIZE}
    rows = [m.workspace for m in user_memberships(request.user)
            if m.workspace.is_active and m.workspace != current]
    return {"workspaces": sorted(rows, key=lambda w: w.name), "more": False}


def navigation(request):
    actor = getattr(request, "actor", None)
    workspace = getattr(request, "workspace", None)
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    user = getattr(request, "user", None)
    return {
        "actor": actor,
        "current_workspace": workspace,
        "Perm": Perm,
        "can": {p.name: actor.has(p) for p in Perm} if actor else {},
        # Lazy: computed only when the header is rendered (not for htmx fragments).
        "staff_menus": SimpleLazyObject(
            lambda: menus_for(actor, area="staff", view_name=view_name) if actor and actor.is_staff else []),
        "workspace_menus": SimpleLazyObject(
            lambda: menus_for(actor, area="workspace", workspace=workspace, view_name=view_name)
            if actor and workspace else []),
        "switcher": SimpleLazyObject(
            lambda: _switcher(request, actor) if user is not None and user.is_authenticated else {}),
    }
