"""The network directory: joining and withdrawing a workspace, profiles, contact requests."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from alumni.models import ContactRequest, DirectoryMembership, DirectoryProfile, DirectorySearch
from alumni.models.directory import ContactPreference
from backoffice.models import Entrepreneur, Workspace
from backoffice.services.audit import audit_record, diff_fields, snapshot

PROFILE_FIELDS = ["display_name", "trade", "skills", "description", "area", "certifications", "languages",
                  "contact_preference", "contact_email", "published"]


@transaction.atomic
def directory_join(*, actor, workspace: Workspace) -> DirectoryMembership:
    membership, created = DirectoryMembership.objects.get_or_create(workspace=workspace,
                                                                    defaults={"joined_by": actor})
    if created:
        audit_record(actor=actor, workspace=workspace, action="directory.join", obj=membership)
    return membership


@transaction.atomic
def directory_withdraw(*, actor, workspace: Workspace) -> None:
    """Leave the directory: from this moment the workspace sees nothing and none of its
    profiles is listed (the profiles are kept, unlisted, in case it joins again)."""
    deleted, _rows = DirectoryMembership.objects.filter(workspace=workspace).delete()
    if deleted:
        audit_record(actor=actor, workspace=workspace, action="directory.withdraw")


def _check_profile(profile: DirectoryProfile) -> None:
    errors = {}
    if not profile.display_name:
        errors["display_name"] = _("Give the name to show.")
    if not profile.trade:
        errors["trade"] = _("Give the trade.")
    if profile.contact_preference not in ContactPreference.values:
        errors["contact_preference"] = _("Choose how to be contacted.")
    if not profile.contact_email:
        errors["contact_email"] = _("Give the e-mail address contact requests are sent to (never shown).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def directory_profile_save(*, actor, workspace: Workspace, profile: DirectoryProfile | None = None,
                           entrepreneur: Entrepreneur | None = None, **fields) -> DirectoryProfile:
    """Create or update a profile of `workspace`: the company's own (no entrepreneur) or one of
    its entrepreneurs (set by them through their manager, or by staff)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"directory_profile_save() cannot change {sorted(unknown)}")
    if entrepreneur is not None and entrepreneur.workspace_id != workspace.pk:
        raise ValidationError({"entrepreneur": _("Choose one of your entrepreneurs.")})
    if profile is None:
        profile = (DirectoryProfile.objects.filter(workspace=workspace, entrepreneur=entrepreneur).first()
                   or DirectoryProfile(workspace=workspace, entrepreneur=entrepreneur))
    before = snapshot(profile, PROFILE_FIELDS) if profile.pk else {}
    for name, value in fields.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    _check_profile(profile)
    profile.save()
    changes = diff_fields(before, snapshot(profile, PROFILE_FIELDS))
    changes.pop("contact_email", None)
    audit_record(actor=actor, workspace=workspace, action="directory.profile.save", obj=profile, changes=changes)
    return profile


@transaction.atomic
def directory_profile_withdraw(*, actor, profile: DirectoryProfile) -> None:
    """Remove a profile from the directory at once (deleted, with its contact requests)."""
    audit_record(actor=actor, workspace=profile.workspace, action="directory.profile.withdraw", obj=profile)
    profile.delete()


def directory_search_count(*, workspace: Workspace) -> None:
    DirectorySearch.objects.create(workspace=workspace)


@transaction.atomic
def contact_request_send(*, actor, sender_workspace: Workspace, profile: DirectoryProfile, message: str) -> ContactRequest:
    """E-mail the person behind `profile` with the sender's message; the reply-to is the
    sender's address, so the recipient's address reaches the sender only when they answer."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write a few words: who you are and what you need.")})
    if len(message) > 2000:
        raise ValidationError({"message": _("Keep the message under 2,000 characters.")})
    request = ContactRequest.objects.create(workspace=profile.workspace, profile=profile, sender=actor,
                                            sender_workspace=sender_workspace, message=message)
    body = _("%(name)s (%(workspace)s) found you in the cooperative network directory and writes:\n\n"
             "%(message)s\n\nAnswer this e-mail to reply: your address is shared only if you do.") % {
        "name": actor.get_full_name() or actor.email, "workspace": sender_workspace.name, "message": message}
    email = EmailMessage(subject=_("Contact request from the cooperative network directory"), body=body,
                         to=[profile.contact_email], reply_to=[actor.email])
    transaction.on_commit(lambda: email.send(fail_silently=False))
    audit_record(actor=actor, workspace=profile.workspace, action="directory.contact_request", obj=request,
                 changes={"from_workspace": sender_workspace.slug})
    return request
