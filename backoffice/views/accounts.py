"""Login and the second factor for host staff."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


class OTPForm(forms.Form):
    token = forms.CharField(label=_("Code from your authenticator app"), max_length=8,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return "/"
    return target


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask a TOTP code and mark the session verified (django-otp)."""
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("This code is not valid. Check your device's clock and try again."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _safe_next(request)})
