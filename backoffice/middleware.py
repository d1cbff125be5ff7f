"""Resolve the workspace from the URL and run the response inside its scope."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import urlencode
from django_scopes import scope

from backoffice.tenancy import resolve_actor


def otp_satisfied(user) -> bool:
    """Host staff must have passed a TOTP check in this session (django-otp)."""
    if user.email in settings.OTP_WAIVED_EMAILS:
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


class WorkspaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        request.workspace = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("workspace")
        is_staff_area = "staff" in match.namespaces
        if slug is None and not is_staff_area:
            return self.get_response(request)  # public or account pages: no tenant data, no scope

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        actor = resolve_actor(request.user, None if is_staff_area else slug)
        if actor is None:
            raise Http404("No such workspace")
        if actor.is_staff and not otp_satisfied(request.user):
            # The check page sends a user with no confirmed authenticator on to enrol one.
            return redirect(f"{settings.OTP_VERIFY_URL}?{urlencode({'next': request.get_full_path()})}")
        request.actor = actor
        request.workspace = actor.workspace
        if actor.workspace is None:
            # Staff area: no scope at all, so any tenant query that does not say
            # `staff_wide(reason)` raises instead of reading one arbitrary workspace.
            return self.get_response(request)
        with scope(workspace=actor.workspace):
            return self.get_response(request)
