"""Members of a workspace: the list, invitations, role changes and removals.

Who sees what: anyone with WORKSPACE_VIEW in the workspace (its managers and viewers, host
staff) reads the member list — a partner's people should know who can see their files.
Only WORKSPACE_MANAGE (host administrators) invites, changes roles and removes members.
"""

from __future__ import annotations

import smtplib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.accounts import InvitationForm, MemberRoleForm
from backoffice.roles import Perm
from backoffice.selectors.members import get_membership, member_list
from backoffice.services.invitations import invitation_send
from backoffice.services.members import allowed_roles, membership_remove, membership_set_role


def _render_members(request: HttpRequest, invite_form: InvitationForm | None = None) -> HttpResponse:
    actor = request.actor
    can_manage = actor.has(Perm.WORKSPACE_MANAGE)
    roles = allowed_roles(actor.workspace)
    rows = [
        {"membership": m,
         "pending": not m.user.has_usable_password(),
         "role_form": MemberRoleForm(roles=roles, initial={"role": m.role}, prefix=f"m{m.pk}") if can_manage else None}
        for m in member_list(actor=actor)
    ]
    if can_manage and invite_form is None:
        invite_form = InvitationForm(roles=roles)
    return render(request, "backoffice/members.html", {
        "rows": rows, "can_manage": can_manage, "invite_form": invite_form if can_manage else None,
    })


def members(request: HttpRequest, workspace: str) -> HttpResponse:
    request.actor.require(Perm.WORKSPACE_VIEW)
    return _render_members(request)


@require_POST
def member_invite(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.WORKSPACE_MANAGE)
    form = InvitationForm(request.POST, roles=allowed_roles(actor.workspace))
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation_send(actor=request.user, workspace=actor.workspace, email=data["email"], role=data["role"],
                            first_name=data["first_name"], last_name=data["last_name"],
                            base_url=request.build_absolute_uri("/"))
        except ValidationError as exc:
            form.add_error(None, exc)
        except (smtplib.SMTPException, OSError):
            form.add_error(None, _("The e-mail could not be sent, so nothing was saved. Try again later."))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
            return redirect("members", workspace=workspace)
    return _render_members(request, invite_form=form)  # the form again, with its errors


@require_POST
def member_role(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    membership = get_membership(actor, pk)
    actor.require(Perm.WORKSPACE_MANAGE)
    form = MemberRoleForm(request.POST, roles=allowed_roles(actor.workspace), prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
        return redirect("members", workspace=workspace)
    try:
        membership_set_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role of %(who)s updated.") % {"who": membership.user})
    return redirect("members", workspace=workspace)


@require_POST
def member_remove(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    membership = get_membership(actor, pk)
    actor.require(Perm.WORKSPACE_MANAGE)
    try:
        membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(who)s no longer has access to this workspace.") % {"who": membership.user})
    return redirect("members", workspace=workspace)
