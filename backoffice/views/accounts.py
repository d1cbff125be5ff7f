"""Account pages: login, the second factor for host staff, accepting an invitation.

None of them shows tenant data, so they run outside any workspace scope (the middleware
leaves `/accounts/…` alone)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token

from backoffice.forms.accounts import OTPForm, OTPSetupForm
from backoffice.services.invitations import (
    invitation_accept,
    invitation_link_is_usable,
    invitation_token_generator,
    pending_invitations,
)
from backoffice.services.two_factor import (
    has_confirmed_totp,
    otp_setup_confirm,
    otp_setup_start,
    qr_code_svg,
    secret_for_humans,
)
from backoffice.tenancy import staff_role_of, user_memberships

# Django's auth views log in through this backend after the password was checked elsewhere
# (the invitation form); axes' backend only guards the login form.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginView(auth_views.LoginView):
    """Django's login view: `next` is followed only to this site (url_has_allowed_host_and_scheme)."""

    redirect_authenticated_user = True


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return default
    return target


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url and next_url != "/" else url


def _is_host_staff(user) -> bool:
    return staff_role_of(user_memberships(user)) is not None


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask a TOTP (or backup) code and mark the session verified (django-otp). A user with no
    confirmed authenticator is sent to enrol one first."""
    next_url = _safe_next(request)
    if not has_confirmed_totp(request.user):
        return redirect(_with_next("otp_setup", next_url))
    if request.user.is_verified():
        return redirect(next_url)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("token", _("This code is not valid. Check your device's clock and try again."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Host staff enrol an authenticator app: scan the QR code (or type the secret), confirm
    with a first code; the session is then verified and backup codes are shown once."""
    next_url = _safe_next(request)
    if not _is_host_staff(request.user):
        return redirect("home")  # only host staff are asked for a second factor
    if has_confirmed_totp(request.user):
        # Never replace a confirmed device from a session that has not passed it.
        return redirect(_with_next("otp_verify", next_url))
    device = otp_setup_start(user=request.user)
    form = OTPSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp_setup_confirm(user=request.user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            otp_login(request, device)
            # Shown only in this response (never_cache: no-store); the page cannot show them again.
            return render(request, "registration/otp_backup_codes.html", {"codes": codes, "next": next_url})
        form.add_error("token", _("This code is not valid. Check your device's clock and try again."))
    return render(request, "registration/otp_setup.html", {
        "form": form, "next": next_url, "qr_svg": qr_code_svg(device), "secret": secret_for_humans(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    })


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The one-time invitation link: choose a first password (Django's validators), then be
    logged in; host staff go on to enrol their second factor.

    Like password reset, the token moves from the address into the session before the form
    is shown, so it never leaks through a Referer header."""

    template_name = "registration/invitation_accept.html"
    token_generator = invitation_token_generator

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # The token alone is not enough: an invitation must still be waiting for this account.
        if user is None or not invitation_link_is_usable(user, self._token_for_check()):
            return None
        return user

    def _token_for_check(self) -> str:
        token = self.kwargs.get("token", "")
        if token == self.reset_url_token:
            return self.request.session.get(INTERNAL_RESET_SESSION_TOKEN, "")
        return token

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Welcome to Mutualise") if self.validlink else _("This link no longer works")
        context["invitations"] = pending_invitations(self.user) if self.validlink else []
        return context

    def form_valid(self, form):
        user = self.user
        invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        auth_login(self.request, user, MODEL_BACKEND)
        messages.success(self.request, _("Your password is saved. Welcome to Mutualise."))
        if _is_host_staff(user):
            return redirect("otp_setup")
        return redirect(settings.LOGIN_REDIRECT_URL)
