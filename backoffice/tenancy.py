"""Tenancy: who is acting, in which workspace, with which role.

The one mechanism every tenant query goes through:
- `WorkspaceMiddleware` (backoffice/middleware.py) resolves the workspace from the URL
  (`/w/<workspace>/…`) and the user's membership, answers 404 without one, and runs the
  whole response inside `django_scopes.scope(workspace=…)`;
- every tenant model uses `ScopedManager(workspace="workspace")`, so a query with no active
  scope raises instead of leaking;
- staff-wide screens (`/staff/…`) run with no scope and must call `staff_wide()` explicitly,
  in named selectors, to read across workspaces.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django_scopes import scopes_disabled

from backoffice.models import Membership, Workspace
from backoffice.roles import STAFF_ROLES, Perm, role_allows


@dataclass(frozen=True)
class Actor:
    """The user acting now, the workspace they act in (None in the staff area) and their role there."""

    user: object
    workspace: Workspace | None
    role: str | None
    staff_role: str | None

    @property
    def is_staff(self) -> bool:
        return self.staff_role is not None

    def has(self, perm: Perm) -> bool:
        return role_allows(self.role, perm)

    def require(self, perm: Perm) -> None:
        if not self.has(perm):
            raise PermissionDenied


@contextmanager
def staff_wide(reason: str):
    """Disable workspace scoping for a named staff-wide read or a command/task.

    `reason` documents why the query crosses workspaces; it is required so every such place
    says so in the code."""
    if not reason:
        raise ValueError("staff_wide() needs a reason")
    with scopes_disabled():
        yield


def user_memberships(user) -> list[Membership]:
    """All memberships of a user, across workspaces: authorisation itself crosses them."""
    if not user.is_authenticated:
        return []
    with staff_wide("a user's memberships span workspaces"):
        return list(Membership.objects.filter(user=user).select_related("workspace"))


def staff_role_of(memberships: list[Membership]) -> str | None:
    for m in memberships:
        if m.workspace.is_host and m.role in STAFF_ROLES:
            return m.role
    return None


def resolve_actor(user, workspace_slug: str | None) -> Actor | None:
    """The actor for `user` in workspace `workspace_slug` (or the staff area when None).

    None means "no right here", which the middleware answers with 404 so that a foreign
    workspace cannot even be confirmed to exist."""
    memberships = user_memberships(user)
    staff_role = staff_role_of(memberships)
    if workspace_slug is None:
        return Actor(user, None, staff_role, staff_role) if staff_role else None
    for m in memberships:
        if m.workspace.slug == workspace_slug and m.workspace.is_active:
            # Host staff keep their staff role in the host workspace too.
            return Actor(user, m.workspace, m.role, staff_role)
    if staff_role:
        workspace = Workspace.objects.filter(slug=workspace_slug).first()
        if workspace is not None:
            return Actor(user, workspace, staff_role, staff_role)
    return None
