"""Members of a workspace and invitations (backoffice/services/invitations.py, services/members.py).

Sources of the rules: the brief of the accounts work (staff roles only in the host workspace,
manager/viewer in partner and alumni workspaces, never remove the last host admin) and
backoffice/roles.py (WORKSPACE_MANAGE invites; WORKSPACE_VIEW reads the list)."""

from __future__ import annotations

import re
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from backoffice.models import AuditEntry, Invitation, Membership, User
from backoffice.services.invitations import invitation_send
from backoffice.services.members import allowed_roles, membership_remove, membership_set_role
from tests.conftest import login
from tests.factories import MembershipFactory, UserFactory

LINK = re.compile(r"https?://\S+/accounts/invitation/\S+/")


def invite_url(ws) -> str:
    return reverse("member_invite", kwargs={"workspace": ws.slug})


def invite(client, ws, **data):
    payload = {"email": "new.person@example.test", "first_name": "Nora", "last_name": "Petit", "role": "manager"}
    payload.update(data)
    return client.post(invite_url(ws), payload)


def membership_of(user, ws) -> Membership:
    with scopes_disabled():
        return Membership.objects.get(user=user, workspace=ws)


# --- the page --------------------------------------------------------------------------------

def test_admin_sees_members_and_the_invite_form(world, clients):
    response = clients["staff"].get(reverse("members", kwargs={"workspace": world.partner_a.slug}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "a@example.test" in body
    assert "b@example.test" not in body  # another workspace's member
    assert invite_url(world.partner_a) in body
    assert 'value="host_admin"' not in body  # staff roles are not offered in a partner CAE


def test_partner_manager_reads_the_member_list_but_cannot_change_it(world, clients):
    """Decision (views/members.py): WORKSPACE_VIEW reads, only WORKSPACE_MANAGE writes."""
    client = clients["partner_a"]
    response = client.get(reverse("members", kwargs={"workspace": world.partner_a.slug}))
    assert response.status_code == 200
    assert "a@example.test" in response.content.decode()
    assert invite_url(world.partner_a) not in response.content.decode()
    assert invite(client, world.partner_a).status_code == 403
    own = membership_of(world.users["partner_a"], world.partner_a)
    assert client.post(reverse("member_remove", kwargs={"workspace": "cae-a", "pk": own.pk})).status_code == 403
    assert client.post(reverse("member_role", kwargs={"workspace": "cae-a", "pk": own.pk}),
                       {f"m{own.pk}-role": "viewer"}).status_code == 403
    assert membership_of(world.users["partner_a"], world.partner_a).role == "manager"
    assert not mail.outbox


def test_payroll_officer_is_staff_but_may_not_invite(world):
    with scopes_disabled():
        officer = MembershipFactory(workspace=world.host, role="payroll_officer").user
    client = login(officer)
    assert client.get(reverse("members", kwargs={"workspace": "cae-a"})).status_code == 200
    assert invite(client, world.partner_a).status_code == 403


def test_foreign_membership_is_not_found_from_another_workspace(world, clients):
    foreign = membership_of(world.users["partner_b"], world.partner_b)
    url = reverse("member_remove", kwargs={"workspace": world.partner_a.slug, "pk": foreign.pk})
    assert clients["staff"].post(url).status_code == 404
    assert membership_of(world.users["partner_b"], world.partner_b)


# --- inviting ----------------------------------------------------------------------------------

def test_invitation_creates_a_locked_account_membership_record_mail_and_audit(world, clients):
    response = invite(clients["staff"], world.partner_a, email="  Nora.Petit@Example.TEST ", role="viewer")
    assert response.status_code == 302
    user = User.objects.get(email="nora.petit@example.test")
    assert user.is_active and not user.has_usable_password()  # active, but no way in without the link
    assert (user.first_name, user.last_name) == ("Nora", "Petit")
    assert membership_of(user, world.partner_a).role == "viewer"
    with scopes_disabled():
        invitation = Invitation.objects.get(user=user)
        assert invitation.workspace == world.partner_a and invitation.accepted_at is None
        assert invitation.invited_by == world.users["staff"]
        entry = AuditEntry.objects.get(action="member.invite")
        assert entry.workspace == world.partner_a and entry.actor == world.users["staff"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nora.petit@example.test"]
    assert "CAE A" in message.subject
    assert LINK.search(message.body), message.body
    assert "two-factor" not in message.body  # only host staff are told to prepare an authenticator


def test_role_must_fit_the_kind_of_workspace(world):
    staff = world.users["staff"]
    with pytest.raises(ValidationError):
        invitation_send(actor=staff, workspace=world.host, email="x@example.test", role="manager",
                        first_name="X", last_name="Y")
    with pytest.raises(ValidationError):
        invitation_send(actor=staff, workspace=world.partner_a, email="x@example.test", role="host_admin",
                        first_name="X", last_name="Y")
    with pytest.raises(ValidationError):
        invitation_send(actor=staff, workspace=world.alumni_c, email="x@example.test", role="payroll_officer",
                        first_name="X", last_name="Y")
    assert not User.objects.filter(email="x@example.test").exists()
    assert [r for r, _ in allowed_roles(world.alumni_c)] == ["manager", "viewer"]
    assert "host_admin" in dict(allowed_roles(world.host)) and "manager" not in dict(allowed_roles(world.host))


def test_the_form_refuses_a_staff_role_in_a_partner_workspace_with_a_message(world, clients):
    response = invite(clients["staff"], world.partner_a, role="host_admin")
    assert response.status_code == 200 and response.context["invite_form"].errors
    assert not User.objects.filter(email="new.person@example.test").exists()


def test_staff_and_client_access_are_never_mixed_on_one_person(world):
    staff = world.users["staff"]
    with pytest.raises(ValidationError, match="host staff"):
        invitation_send(actor=staff, workspace=world.partner_b, email=staff.email, role="manager")
    with pytest.raises(ValidationError, match="separate account"):
        invitation_send(actor=staff, workspace=world.host, email="a@example.test", role="payroll_officer")


def test_a_client_user_may_be_invited_to_a_second_client_workspace_without_a_new_password(world):
    user = world.users["partner_a"]
    invitation = invitation_send(actor=world.users["staff"], workspace=world.alumni_c, email=user.email,
                                 role="viewer")
    assert invitation.accepted_at is not None  # nothing to accept: the account already has a password
    assert membership_of(user, world.alumni_c).role == "viewer"
    body = mail.outbox[0].body
    assert reverse("login") in body and "/accounts/invitation/" not in body
    assert login(user).get(reverse("workspace_home", kwargs={"workspace": "scop-c"})).status_code == 200


def test_an_existing_member_is_not_invited_twice(world):
    with pytest.raises(ValidationError, match="already a member"):
        invitation_send(actor=world.users["staff"], workspace=world.partner_a, email="a@example.test",
                        role="viewer")


def test_resending_a_pending_invitation_sends_a_new_link_and_applies_the_role(world):
    staff = world.users["staff"]
    invitation_send(actor=staff, workspace=world.partner_a, email="p@example.test", role="viewer",
                    first_name="P", last_name="Q")
    invitation_send(actor=staff, workspace=world.partner_a, email="p@example.test", role="manager")
    user = User.objects.get(email="p@example.test")
    assert membership_of(user, world.partner_a).role == "manager"
    with scopes_disabled():
        assert Invitation.objects.filter(user=user).count() == 2
    assert len(mail.outbox) == 2


def test_a_new_person_needs_a_name(world):
    with pytest.raises(ValidationError):
        invitation_send(actor=world.users["staff"], workspace=world.partner_a, email="anon@example.test",
                        role="viewer")


def test_a_switched_off_account_is_not_invited(world):
    UserFactory(email="gone@example.test", is_active=False)
    with pytest.raises(ValidationError, match="switched off"):
        invitation_send(actor=world.users["staff"], workspace=world.partner_a, email="gone@example.test",
                        role="viewer")


def test_when_the_mail_cannot_be_sent_nothing_is_saved(world, clients, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("backoffice.services.invitations.send_mail", refuse)
    response = invite(clients["staff"], world.partner_a)
    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.test").exists()
    with scopes_disabled():
        assert not Invitation.objects.exists()


def test_host_staff_invitation_mentions_the_two_factor_set_up(world):
    invitation_send(actor=world.users["staff"], workspace=world.host, email="paie@example.test",
                    role="payroll_officer", first_name="Paule", last_name="Ie")
    assert "two-factor" in mail.outbox[0].body


# --- roles and removal -------------------------------------------------------------------------

def test_admin_changes_a_role_through_the_page(world, clients):
    m = membership_of(world.users["partner_a"], world.partner_a)
    url = reverse("member_role", kwargs={"workspace": "cae-a", "pk": m.pk})
    assert clients["staff"].post(url, {f"m{m.pk}-role": "viewer"}).status_code == 302
    assert membership_of(world.users["partner_a"], world.partner_a).role == "viewer"
    with scopes_disabled():
        assert AuditEntry.objects.get(action="member.role").changes["role"] == ["manager", "viewer"]
    clients["staff"].post(url, {f"m{m.pk}-role": "host_admin"})  # not a role of a partner CAE
    assert membership_of(world.users["partner_a"], world.partner_a).role == "viewer"


def test_admin_removes_a_member_and_their_pending_invitation(world, clients):
    staff = world.users["staff"]
    invitation_send(actor=staff, workspace=world.partner_a, email="p@example.test", role="viewer",
                    first_name="P", last_name="Q")
    m = membership_of(User.objects.get(email="p@example.test"), world.partner_a)
    response = clients["staff"].post(reverse("member_remove", kwargs={"workspace": "cae-a", "pk": m.pk}))
    assert response.status_code == 302
    with scopes_disabled():
        assert not Membership.objects.filter(pk=m.pk).exists()
        assert not Invitation.objects.filter(email="p@example.test").exists()
        assert AuditEntry.objects.filter(action="member.remove", workspace=world.partner_a).exists()


def test_the_last_host_admin_is_never_removed_nor_demoted(world, clients):
    staff = world.users["staff"]
    own = membership_of(staff, world.host)
    response = clients["staff"].post(reverse("member_remove", kwargs={"workspace": "mutualise", "pk": own.pk}),
                                     follow=True)
    assert "last administrator" in response.content.decode()
    with pytest.raises(ValidationError):
        membership_set_role(actor=staff, membership=own, role="payroll_officer")
    # An invited administrator who has not set a password yet cannot log in: it does not count.
    invitation_send(actor=staff, workspace=world.host, email="admin2@example.test", role="host_admin",
                    first_name="A", last_name="Two")
    with pytest.raises(ValidationError):
        membership_remove(actor=staff, membership=membership_of(staff, world.host))
    # Once a second administrator can log in, the first may step down.
    second = User.objects.get(email="admin2@example.test")
    second.set_password("another long passphrase")
    second.save()
    membership_set_role(actor=staff, membership=membership_of(staff, world.host), role="payroll_officer")
    assert membership_of(staff, world.host).role == "payroll_officer"
