"""Memberships of a workspace: which roles fit it, changing a role, removing a member.

Rules enforced here (not in views or forms):
- host staff roles exist only in the host workspace; client roles (manager, viewer) only in
  partner CAEs and alumni companies;
- a person is either host staff or a client user, never both: a staff member's membership of
  a client workspace would replace their staff role there by a client role;
- the host workspace never loses its last administrator who can log in.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from backoffice.models import ApiToken, Invitation, Membership, Role, Workspace
from backoffice.roles import CLIENT_ROLES, STAFF_ROLES
from backoffice.services.audit import audit_record
from backoffice.tenancy import staff_role_of, user_memberships


def allowed_roles(workspace: Workspace) -> list[tuple[str, str]]:
    """(value, label) of the roles a member of `workspace` may hold, in Role order."""
    fitting = STAFF_ROLES if workspace.is_host else CLIENT_ROLES
    return [(value, label) for value, label in Role.choices if value in fitting]


def check_role_fits(*, workspace: Workspace, role: str) -> None:
    if role not in dict(allowed_roles(workspace)):
        if workspace.is_host:
            raise ValidationError(_("In the host cooperative, choose a staff role."))
        raise ValidationError(_("In a partner CAE or an alumni company, a member is a manager or a viewer."))


def check_person_fits(*, user, workspace: Workspace) -> None:
    """Refuse to mix host staff and client memberships on one person."""
    if user.pk is None:
        return
    memberships = [m for m in user_memberships(user) if m.workspace_id != workspace.pk]
    if not memberships:
        return
    is_staff = staff_role_of(memberships) is not None
    if workspace.is_host and not is_staff:
        raise ValidationError(_("%(email)s uses a client workspace; host staff need a separate account.")
                              % {"email": user.email})
    if not workspace.is_host and is_staff:
        raise ValidationError(_("%(email)s is host staff and already reaches every workspace from the staff area.")
                              % {"email": user.email})


def _check_not_last_admin(membership: Membership) -> None:
    """The host keeps at least one administrator who can log in (active, password set)."""
    if not (membership.workspace.is_host and membership.role == Role.HOST_ADMIN):
        return
    admins = list(Membership.objects.select_for_update().select_related("user")
                  .filter(workspace=membership.workspace, role=Role.HOST_ADMIN))
    others = [m for m in admins if m.pk != membership.pk and m.user.is_active and m.user.has_usable_password()]
    if not others:
        raise ValidationError(_("This is the last administrator of the host cooperative: "
                                "make someone else administrator first."))


@transaction.atomic
def membership_set_role(*, actor, membership: Membership, role: str) -> Membership:
    workspace = membership.workspace
    with scope(workspace=workspace):
        check_role_fits(workspace=workspace, role=role)
        old = membership.role
        if old == role:
            return membership
        if role != Role.HOST_ADMIN:
            _check_not_last_admin(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(actor=actor, workspace=workspace, action="member.role", obj=membership,
                     changes={"user": membership.user.email, "role": [old, role]})
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Remove a member's access to the workspace. Their account stays (they may belong to
    other workspaces); an invitation they have not accepted yet is withdrawn with it."""
    workspace = membership.workspace
    with scope(workspace=workspace):
        _check_not_last_admin(membership)
        user = membership.user
        withdrawn = Invitation.objects.filter(workspace=workspace, user=user, accepted_at__isnull=True).delete()[0]
        # A token outlives nobody's access: the API tokens this member created stop working with it.
        revoked = ApiToken.objects.filter(workspace=workspace, created_by=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        audit_record(actor=actor, workspace=workspace, action="member.remove", obj=membership,
                     changes={"user": user.email, "role": membership.role, "invitations_withdrawn": withdrawn,
                              "api_tokens_revoked": revoked})
        membership.delete()
