"""Account pages: accepting an invitation, password reset, two-factor for host staff, login
and logout (backoffice/views/accounts.py, backoffice/middleware.py)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from backoffice.models import AuditEntry, Invitation, User
from backoffice.services.invitations import invitation_send, invitation_token_generator
from backoffice.services.members import membership_remove
from tests.conftest import login
from tests.factories import MembershipFactory, UserFactory

NEW_PASSWORD = "a long and unusual passphrase 42"
INVITATION_LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/\S+/)")
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/\S+/)")


def invite(world, *, workspace=None, email="nora@example.test", role="manager") -> str:
    invitation_send(actor=world.users["staff"], workspace=workspace or world.partner_a, email=email, role=role,
                    first_name="Nora", last_name="Petit", base_url="https://mutualise.example")
    return INVITATION_LINK.search(mail.outbox[-1].body).group(1)


def set_password(client: Client, link: str, password: str = NEW_PASSWORD):
    form_url = client.get(link)["Location"]  # the token moves into the session
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


# --- invitations -------------------------------------------------------------------------------

def test_invitation_link_sets_the_password_logs_in_and_is_spent(world):
    link = invite(world)
    assert link.startswith("/accounts/invitation/")
    client = Client()
    first = client.get(link)
    assert first.status_code == 302 and first["Location"].endswith("/set-password/")  # token out of the URL
    page = client.get(first["Location"])
    assert page.status_code == 200
    assert "CAE A" in page.content.decode() and 'name="new_password1"' in page.content.decode()

    weak = client.post(first["Location"], {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 200 and weak.context["form"].errors  # Django's password validators
    user = User.objects.get(email="nora@example.test")
    assert not user.has_usable_password()

    done = client.post(first["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    with scopes_disabled():
        assert Invitation.objects.get(user=user).accepted_at is not None
        assert AuditEntry.objects.filter(action="member.invitation_accept", actor=user,
                                         workspace=world.partner_a).exists()
    assert client.get(reverse("workspace_home", kwargs={"workspace": "cae-a"})).status_code == 200  # logged in

    again = Client().get(link)
    assert again.status_code == 200
    assert "no longer valid" in again.content.decode()
    assert again.context["form"] is None


def test_invited_host_staff_go_on_to_the_two_factor_set_up(world):
    link = invite(world, workspace=world.host, email="paie@example.test", role="payroll_officer")
    client = Client()
    response = set_password(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("otp_setup")
    assert client.get(reverse("otp_setup")).status_code == 200


def test_an_expired_invitation_link_is_refused(world, monkeypatch):
    invite(world)
    user = User.objects.get(email="nora@example.test")
    four_days_ago = datetime.now() - timedelta(days=4)
    assert settings.PASSWORD_RESET_TIMEOUT < 4 * 86400
    monkeypatch.setattr(invitation_token_generator, "_now", lambda: four_days_ago)
    old_token = invitation_token_generator.make_token(user)
    monkeypatch.undo()
    uidb64 = INVITATION_LINK.search(mail.outbox[-1].body).group(1).split("/")[3]
    response = Client().get(reverse("invitation_accept", kwargs={"uidb64": uidb64, "token": old_token}))
    assert response.status_code == 200 and "no longer valid" in response.content.decode()


def test_a_withdrawn_invitation_link_is_refused(world):
    link = invite(world)
    user = User.objects.get(email="nora@example.test")
    with scopes_disabled():
        membership = user.memberships.get()
    membership_remove(actor=world.users["staff"], membership=membership)
    response = Client().get(link)
    assert response.status_code == 200 and "no longer valid" in response.content.decode()


def test_a_password_reset_token_is_not_an_invitation_token(world):
    from django.contrib.auth.tokens import default_token_generator

    invite(world)
    user = User.objects.get(email="nora@example.test")
    uidb64 = INVITATION_LINK.search(mail.outbox[-1].body).group(1).split("/")[3]
    url = reverse("invitation_accept", kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)})
    assert "no longer valid" in Client().get(url).content.decode()


# --- password reset ----------------------------------------------------------------------------

def test_password_reset_mails_a_link_that_works_once(world):
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "a@example.test"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@example.test"] and "password" in message.subject
    assert "\n" not in message.subject
    link = RESET_LINK.search(message.body).group(1)
    form_url = client.get(link)["Location"]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert Client().post(reverse("login"), {"username": "a@example.test", "password": NEW_PASSWORD}).status_code == 302
    reused = Client().get(link)
    assert "no longer valid" in reused.content.decode() and not reused.context["validlink"]


def test_password_reset_reveals_nothing_and_skips_pending_invitees(world):
    invite(world)
    mail.outbox.clear()
    for email in ("nobody@example.test", "nora@example.test"):
        response = Client().post(reverse("password_reset"), {"email": email})
        assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []  # an invitee gets in only through the invitation link


# --- two-factor for host staff -----------------------------------------------------------------

def test_unverified_staff_are_sent_to_the_check_from_staff_and_workspace_pages(world):
    client = login(world.users["staff"], verified=False)
    for url in (reverse("staff:dashboard"), reverse("workspace_home", kwargs={"workspace": "cae-a"}),
                reverse("members", kwargs={"workspace": "cae-a"})):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(settings.OTP_VERIFY_URL), url


def test_staff_without_a_device_enrol_with_a_qr_code_and_first_code(world):
    staff = world.users["staff"]
    client = login(staff, verified=False)
    to_check = client.get(reverse("staff:dashboard"))["Location"]
    to_setup = client.get(to_check)
    assert to_setup.status_code == 302
    assert to_setup["Location"].startswith(reverse("otp_setup")) and "next=%2Fstaff%2F" in to_setup["Location"]

    page = client.get(to_setup["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "<script" not in body.split("<main", 1)[1]
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert client.get(to_setup["Location"]).context["secret"] == page.context["secret"]  # same device on reload
    assert page.context["secret"] in body

    assert client.post(to_setup["Location"], {"token": "000000" if code_for(device) != "000000" else "111111"}) \
        .context["form"].errors
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(to_setup["Location"], {"token": code_for(device)})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    codes = done.context["codes"]
    assert len(codes) == 8 and all(code in done.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="account.two_factor_enrol", workspace=world.host).exists()
    assert client.get(reverse("staff:dashboard")).status_code == 200  # session verified

    # Once confirmed, the set-up page cannot replace the device.
    other = login(staff, verified=False)
    assert other.get(reverse("otp_setup"))["Location"].startswith(reverse("otp_verify"))
    # A backup code passes the check once.
    assert other.post(reverse("otp_verify"), {"token": codes[0], "next": "/staff/"})["Location"] == "/staff/"
    third = login(staff, verified=False)
    assert third.post(reverse("otp_verify"), {"token": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(token=codes[0]).count() == 0


@pytest.fixture
def staff_device(world) -> TOTPDevice:
    return TOTPDevice.objects.create(user=world.users["staff"], name="phone", confirmed=True)


def test_a_valid_totp_code_lets_staff_through(world, staff_device):
    client = login(world.users["staff"], verified=False)
    url = reverse("workspace_home", kwargs={"workspace": "cae-b"})
    check = client.get(url)["Location"]
    response = client.post(check, {"token": code_for(staff_device), "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200
    assert client.get(reverse("staff:dashboard")).status_code == 200


def test_a_wrong_totp_code_is_refused(world, staff_device):
    client = login(world.users["staff"], verified=False)
    wrong = "123456" if code_for(staff_device) != "123456" else "654321"
    response = client.post(reverse("otp_verify"), {"token": wrong, "next": "/staff/"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(reverse("staff:dashboard")).status_code == 302


def test_the_check_never_follows_next_off_site(world, staff_device):
    client = login(world.users["staff"], verified=False)
    response = client.post(reverse("otp_verify"), {"token": code_for(staff_device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_client_users_are_never_asked_for_a_second_factor(world):
    client = login(world.users["partner_a"], verified=False)
    assert client.get(reverse("workspace_home", kwargs={"workspace": "cae-a"})).status_code == 200
    assert client.get(reverse("members", kwargs={"workspace": "cae-a"})).status_code == 200
    assert client.get(reverse("otp_setup"))["Location"] == reverse("home")
    assert not TOTPDevice.objects.filter(user=world.users["partner_a"]).exists()


# The demo waiver (settings.OTP_WAIVED_EMAILS) is tested with real environments in
# test_security.py::test_the_two_factor_waiver_exists_only_in_demo_mode.


# --- login and logout --------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "http:/\\evil.example",
                                    "javascript:alert(1)"])
def test_login_never_redirects_off_site(world, target):
    response = Client().post(reverse("login"), {"username": "a@example.test",
                                                "password": "correct horse battery staple", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_login_follows_a_local_next(world):
    response = Client().post(reverse("login"), {"username": "a@example.test",
                                                "password": "correct horse battery staple", "next": "/w/cae-a/"})
    assert response["Location"] == "/w/cae-a/"


def test_anonymous_visit_keeps_where_they_were_going(world):
    response = Client().get("/w/cae-a/dossiers/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/w/cae-a/dossiers/"


def test_logout_is_post_only(world):
    client = login(world.users["partner_a"])
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("workspace_home", kwargs={"workspace": "cae-a"})).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("workspace_home", kwargs={"workspace": "cae-a"})).status_code == 302


def test_a_user_with_a_membership_created_by_hand_still_logs_in(world):
    """Control: accounts made outside the invitation flow (seed, admin) keep working."""
    with scopes_disabled():
        user = MembershipFactory(workspace=world.partner_b, role="viewer", user=UserFactory()).user
    response = Client().post(reverse("login"), {"username": user.email, "password": "correct horse battery staple"})
    assert response.status_code == 302


def test_reset_2fa_command_removes_devices_and_is_audited(world):
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scopes_disabled

    from backoffice.models import AuditEntry

    staff = world.users["staff"]
    TOTPDevice.objects.create(user=staff, name="lost phone", confirmed=True)
    call_command("reset_2fa", "STAFF@example.test")
    assert not TOTPDevice.objects.filter(user=staff).exists()
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="account.otp_reset")
    assert entry.workspace == world.host and entry.changes == {"devices_removed": 1}
    with pytest.raises(CommandError):
        call_command("reset_2fa", "nobody@example.test")
