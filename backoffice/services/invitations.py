"""Inviting people into a workspace by e-mail, and accepting the invitation.

A new person gets an account that is **active with an unusable password**: nobody can log in
to it (there is no password) and Django's password-reset form ignores it, so the invitation
link is the only way in. Keeping `is_active` untouched leaves it meaning one thing only:
"an operator switched this account off", which blocks invitations too.

The one-time link is `uidb64 + token` from a token generator built like Django's password
reset one (its own salt, so a reset token is not an invitation token and the reverse). The
token hashes the password: once the invitee sets one, every link sent so far stops working.
Links expire after `PASSWORD_RESET_TIMEOUT` (three days).

A person who already has a password is not sent a token: the e-mail tells them they can
now open the workspace with their usual login, and the invitation is recorded as accepted.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_scopes import scope

from backoffice.models import Invitation, Membership, User, Workspace
from backoffice.services.audit import audit_record
from backoffice.services.members import check_person_fits, check_role_fits
from backoffice.tenancy import staff_wide


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "backoffice.services.invitations.InvitationTokenGenerator"


invitation_token_generator = InvitationTokenGenerator()


def default_base_url() -> str:
    """Where links point when no request tells us (commands, tasks): the first allowed host."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    host = hosts[0] if hosts else "localhost:8000"
    return f"{'https' if settings.SECURE_SSL_REDIRECT else 'http'}://{host}"


def invitation_link(user: User, *, base_url: str) -> str:
    path = reverse("invitation_accept", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": invitation_token_generator.make_token(user),
    })
    return base_url.rstrip("/") + path


@transaction.atomic
def invitation_send(*, actor, workspace: Workspace, email: str, role: str, first_name: str = "",
                    last_name: str = "", base_url: str | None = None) -> Invitation:
    """Give `email` the `role` in `workspace` and e-mail them how to get in.

    Creates the account if it is new (active, unusable password), the membership and an
    Invitation record; re-inviting someone who has not accepted yet sends a fresh link (and
    applies the new role). Raises ValidationError for a role that does not fit the workspace,
    a deactivated account, a person already member, or a mix of staff and client access."""
    email = User.objects.normalize_email(email.strip()).lower()
    base_url = base_url or default_base_url()
    with scope(workspace=workspace):
        check_role_fits(workspace=workspace, role=role)
        user = User.objects.filter(email=email).first()
        new_user = user is None
        if user is None:
            if not (first_name.strip() and last_name.strip()):
                raise ValidationError(_("Give the first and last name of the person you invite."))
            user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip(), is_active=True)
            user.set_unusable_password()
            user.save()
        else:
            if not user.is_active:
                raise ValidationError(_("The account %(email)s is switched off; a platform operator must "
                                        "switch it on first.") % {"email": email})
            check_person_fits(user=user, workspace=workspace)
            if not user.first_name and not user.last_name:
                user.first_name, user.last_name = first_name.strip(), last_name.strip()
                user.save(update_fields=["first_name", "last_name"])
        pending = not user.has_usable_password()

        membership = Membership.objects.filter(workspace=workspace, user=user).first()
        if membership is not None and not pending:
            raise ValidationError(_("%(email)s is already a member of this workspace.") % {"email": email})
        old_role = membership.role if membership else None
        if membership is None:
            membership = Membership.objects.create(workspace=workspace, user=user, role=role)
        elif membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])

        invitation = Invitation.objects.create(
            workspace=workspace, email=email, role=role, user=user, invited_by=actor,
            accepted_at=None if pending else timezone.now(),
        )
        audit_record(actor=actor, workspace=workspace, action="member.invite", obj=membership, changes={
            "email": email, "role": [old_role, role] if old_role else role, "new_account": new_user,
            "resent": old_role is not None,
        })
        _send_invitation_mail(invitation=invitation, user=user, pending=pending, base_url=base_url)
    return invitation


def _send_invitation_mail(*, invitation: Invitation, user: User, pending: bool, base_url: str) -> None:
    context = {
        "user": user,
        "invitation": invitation,
        "workspace": invitation.workspace,
        "inviter": invitation.invited_by,
        "needs_two_factor": invitation.workspace.is_host,
        "link": invitation_link(user, base_url=base_url) if pending
        else base_url.rstrip("/") + reverse("login"),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    template = "backoffice/email/invitation.txt" if pending else "backoffice/email/invitation_existing.txt"
    # Invitees read French: the e-mail is written in the site's language, not the sender's.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("backoffice/email/invitation_subject.txt", context)
        body = render_to_string(template, context)
    # Sent inside the transaction: if the mail server refuses it, nothing is saved and the
    # administrator is told, rather than leaving an invitation nobody received.
    send_mail(" ".join(subject.split()), body, None, [user.email])


def pending_invitations(user: User) -> list[Invitation]:
    """The invitations of `user` not accepted yet, in every workspace."""
    with staff_wide("an invitation link is opened before any workspace is chosen"):
        return list(Invitation.objects.filter(user=user, accepted_at__isnull=True).select_related("workspace"))


def invitation_link_is_usable(user: User | None, token: str) -> bool:
    """A link works while its token is valid and an invitation is still waiting for it."""
    return (user is not None and user.is_active and not user.has_usable_password()
            and invitation_token_generator.check_token(user, token) and bool(pending_invitations(user)))


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> list[Invitation]:
    """Set the invitee's first password (which spends the link) and mark their pending
    invitations accepted. The caller validated the password with Django's validators."""
    invitations = pending_invitations(user)
    if not invitations:
        raise ValidationError(_("This invitation is no longer valid."))
    user.set_password(password)
    user.save(update_fields=["password"])
    now = timezone.now()
    for invitation in invitations:
        with scope(workspace=invitation.workspace):
            Invitation.objects.filter(pk=invitation.pk).update(accepted_at=now)
            invitation.accepted_at = now
            audit_record(actor=user, workspace=invitation.workspace, action="member.invitation_accept",
                         obj=invitation, changes={"email": user.email, "role": invitation.role})
    return invitations
