"""Deployment safety (issue 6 §3): the client address behind trusted proxies, a request body
cap enforced before the body is read, and the deployment checks shown by `check --deploy`."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str:
    """The address lockouts count by (django-axes' AXES_CLIENT_IP_CALLABLE).

    Without trusted proxies (MUTUALISE_TRUSTED_PROXY_COUNT=0) it is REMOTE_ADDR: a forwarded
    header anyone can send is ignored. Behind N proxies, each appending the address it got the
    request from to X-Forwarded-For, the client is the Nth entry from the right; entries further
    left were written by the client and are not trusted."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < count:
        return remote
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class RequestBodyLimitMiddleware:
    """Answer 413 to a request whose Content-Length is over settings.MAX_REQUEST_BYTES, before
    anything reads its body (Django's own limits apply while reading; this one never starts)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(_("The request's length is not a number."), status=400,
                                content_type="text/plain; charset=utf-8")
        if length > settings.MAX_REQUEST_BYTES:
            from django.template.defaultfilters import filesizeformat

            response = HttpResponse(_("The request is too large (%(size)s; the limit is %(limit)s). Nothing was "
                                      "received.") % {"size": filesizeformat(length),
                                                      "limit": filesizeformat(settings.MAX_REQUEST_BYTES)},
                                    status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"
            return response
        return self.get_response(request)


@register(Tags.security, deploy=True)
def check_demo_mode(app_configs=None, **kwargs):
    """`manage.py check --deploy`: demo mode or the demo key on a server that is not in DEBUG."""
    if settings.DEBUG:
        return []
    problems = []
    if getattr(settings, "DEMO_MODE", False):
        problems.append(Warning(
            "MUTUALISE_DEMO=1 on a production server: the demo administrator's two-factor check is waived "
            "and seed_demo may create accounts whose password is 'demo'.",
            hint="Unset MUTUALISE_DEMO on any real instance.", id="mutualise.W001"))
    if settings.SECRET_KEY.startswith("insecure-demo-key") or "insecure" in settings.SECRET_KEY:
        problems.append(Warning(
            "The secret key is the demo key: sessions, password-reset links and tokens can be forged.",
            hint="Set DJANGO_SECRET_KEY to a long random value (python -c 'import secrets; "
                 "print(secrets.token_urlsafe(50))').", id="mutualise.W002"))
    return problems
