"""Two-factor enrolment for host staff (django-otp: TOTP plus single-use backup codes).

Enrolment is allowed only while the user has no confirmed TOTP device: once one exists,
the second factor can only be passed, never replaced from a password-only session (an
operator runs `manage.py reset_2fa EMAIL` for a lost device, then the user enrols again).
"""

from __future__ import annotations

from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.services.audit import audit_record
from backoffice.tenancy import user_memberships

BACKUP_CODE_COUNT = 8
SETUP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup codes"


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_setup_start(*, user) -> TOTPDevice:
    """The unconfirmed device being enrolled: created once, then reused so that reloading
    the page keeps showing the same secret the app may already have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=SETUP_DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG (paths only: no script, no style)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg"):]


def secret_for_humans(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app without a camera."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def otp_setup_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm `device` with a first code. Returns fresh backup codes (to show once), or None
    when the code is wrong. Earlier backup codes and abandoned set-ups are discarded."""
    if device.user_id != user.pk or device.confirmed:
        return None
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    for workspace in {m.workspace for m in user_memberships(user) if m.workspace.is_host}:
        audit_record(actor=user, workspace=workspace, action="account.two_factor_enrol", obj=device,
                     changes={"backup_codes": len(codes)})
    return codes


@transaction.atomic
def otp_reset(*, actor, user) -> int:
    """Remove every second-factor device of `user` (lost phone): they enrol again at next
    login. Audited in each workspace the user belongs to. Returns the number of devices."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    for membership in user_memberships(user):
        audit_record(actor=actor, workspace=membership.workspace, action="account.otp_reset", obj=user,
                     changes={"devices_removed": removed})
    return removed
