"""Deployment safety (issue 6 §3): seed_demo only in demo mode, `check --deploy` flags demo
mode and the demo key, lockouts count the client behind trusted proxies, and a body over the
limit is refused before it is read."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django_scopes import scopes_disabled

from backoffice.models import User
from backoffice.security import RequestBodyLimitMiddleware, check_demo_mode, client_ip


def test_seed_demo_is_refused_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="MUTUALISE_DEMO=1"):
        call_command("seed_demo")
    with scopes_disabled():
        assert not User.objects.filter(email="support@mutualise.test").exists()


def test_check_deploy_flags_demo_mode_and_the_demo_key(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = True
    settings.SECRET_KEY = "insecure-demo-key-never-use-in-production-" + "x" * 20
    assert {w.id for w in check_demo_mode()} == {"mutualise.W001", "mutualise.W002"}
    settings.DEMO_MODE = False
    settings.SECRET_KEY = "a-real-key-" + "k" * 50
    assert check_demo_mode() == []
    settings.DEBUG = True
    settings.DEMO_MODE = True
    assert check_demo_mode() == []  # a developer's machine


def test_check_deploy_command_shows_it(settings, monkeypatch):
    # The browser tests' conftest sets this for Playwright; in the same process it would add
    # Django's own async.E001 error and stop the command before our warning is read.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    settings.DEBUG = False
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("check", "--deploy", "--fail-level", "CRITICAL", stdout=out, stderr=out)
    assert "mutualise.W001" in out.getvalue()


@pytest.mark.parametrize("count, forwarded, expected", [
    (0, "203.0.113.9", "10.0.0.2"),                    # no trusted proxy: the header is ignored
    (1, "203.0.113.9", "203.0.113.9"),                 # one proxy: what it appended
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),        # the client's own entry is not trusted
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
    (2, "203.0.113.9", "10.0.0.2"),                    # fewer entries than proxies: REMOTE_ADDR
    (1, "not-an-address", "10.0.0.2"),
])
def test_lockouts_count_the_client_behind_trusted_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_lockout_by_one_client_behind_the_proxy_does_not_lock_another(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_LOCKOUT_PARAMETERS = ["ip_address"]
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(3):
        attacker.post("/accounts/login/", {"username": "nobody@example.test", "password": "wrong-password"})
    assert attacker.post("/accounts/login/", {"username": "x@example.test", "password": "y"}).status_code == 429
    someone = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert someone.get("/accounts/login/").status_code == 200
    assert someone.post("/accounts/login/", {"username": "x@example.test", "password": "y"}).status_code != 429


def test_a_body_over_the_limit_is_refused_before_it_is_read(settings):
    settings.MAX_REQUEST_BYTES = 1000

    def view(request):
        raise AssertionError("the view must not run")

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body must not be read")

    request = RequestFactory().post("/", data=b"x", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(50 * 1024 * 1024)
    request._stream = Unreadable()
    response = RequestBodyLimitMiddleware(view)(request)
    assert response.status_code == 413 and "limit" in response.content.decode()


def test_the_cap_is_in_the_middleware_stack(client, settings):
    settings.MAX_REQUEST_BYTES = 100
    response = client.post("/accounts/login/", {"username": "a" * 500, "password": "b"})
    assert response.status_code == 413
