"""Reading the members of a workspace (runs inside the request's workspace scope)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from backoffice.models import Invitation, Membership
from backoffice.roles import Perm
from backoffice.tenancy import Actor


def member_list(*, actor: Actor) -> QuerySet[Membership]:
    """The workspace's memberships with their user and the date of their last invitation
    to this workspace."""
    actor.require(Perm.WORKSPACE_VIEW)
    last_invitation = (Invitation.objects.filter(workspace=OuterRef("workspace"), user=OuterRef("user"))
                       .order_by("-sent_at").values("sent_at")[:1])
    return (Membership.objects.filter(workspace=actor.workspace).select_related("user")
            .annotate(last_invited=Subquery(last_invitation))
            .order_by("user__last_name", "user__first_name", "user__email"))


def get_membership(actor: Actor, pk: int) -> Membership:
    """404 for a membership that does not exist or belongs to another workspace."""
    actor.require(Perm.WORKSPACE_VIEW)
    membership = get_object_or_404(Membership.objects.select_related("user", "workspace"), pk=pk)
    if actor.workspace is None or membership.workspace_id != actor.workspace.pk:
        raise Http404
    return membership
