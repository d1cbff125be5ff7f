"""Navigation context: the current workspace and what the actor may open."""

from __future__ import annotations

from backoffice.roles import Perm


def navigation(request):
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "current_workspace": getattr(request, "workspace", None),
        "Perm": Perm,
        "can": {p.name: actor.has(p) for p in Perm} if actor else {},
    }
