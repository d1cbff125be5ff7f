"""Security hardening: lockout, session expiry, headers, production settings, typed
environment parsing, upload checks (backoffice/settings.py, backoffice/env.py,
backoffice/uploads.py)."""

from __future__ import annotations

import datetime
import io
import os
import re
import secrets
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from backoffice.env import env_bool, env_int, env_list, env_str
from backoffice.models import Document
from backoffice.uploads import check_upload
from tests.conftest import login

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory


def attempt(client: Client, email: str, password: str, ip: str = "127.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


# --- lockout (django-axes: AXES_FAILURE_LIMIT failures by username + address) -------------------

def test_sixth_attempt_is_refused_even_with_the_right_password(world):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _ in range(4):
        response = attempt(client, "a@example.test", "wrong password")
        assert response.status_code == 200  # the login form again, with an error
    # The fifth failure reaches the limit: axes answers it with the lockout page already.
    assert attempt(client, "a@example.test", "wrong password").status_code == 429
    locked = attempt(client, "a@example.test", PASSWORD)
    assert locked.status_code == 429  # axes' default AXES_HTTP_RESPONSE_CODE, with our template
    assert "Too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # By account and address: the same person from another address, and another account from
    # this address, are not locked out.
    assert attempt(Client(), "a@example.test", PASSWORD, ip="203.0.113.7").status_code == 302
    assert attempt(Client(), "b@example.test", PASSWORD).status_code == 302


def test_a_successful_login_before_the_limit_resets_the_count(world):
    client = Client()
    for _ in range(4):
        attempt(client, "a@example.test", "wrong password")
    assert attempt(client, "a@example.test", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert attempt(client, "a@example.test", "wrong password").status_code == 200
    assert attempt(client, "a@example.test", PASSWORD).status_code == 302


# --- sessions ----------------------------------------------------------------------------------

def test_sessions_expire_after_two_idle_hours_and_at_browser_close(world):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_SAVE_EVERY_REQUEST
    client = Client()
    response = attempt(client, "a@example.test", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"]

    key = cookie.value
    session = Session.objects.get(session_key=key)
    in_two_hours = timezone.now() + datetime.timedelta(hours=2)
    assert abs((session.expire_date - in_two_hours).total_seconds()) < 60

    # Activity pushes the deadline: each request saves the session again.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get("/w/cae-a/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + datetime.timedelta(hours=1)

    # Two idle hours later the session is gone: back to the login page.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/w/cae-a/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- headers -----------------------------------------------------------------------------------

def test_responses_carry_the_security_headers(world, clients):
    for client, url in ((Client(), reverse("login")), (clients["partner_a"], "/w/cae-a/")):
        response = client.get(url)
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                          "object-src 'none'", "base-uri 'none'", "form-action 'self'"):
            assert directive in csp, directive
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_account_pages_obey_the_csp(world):
    """The CSP forbids inline scripts, event handlers and style attributes: the two-factor
    page's QR code is an inline <svg> of paths only."""
    enrolling = login(world.users["staff"], verified=False)
    TOTPDevice.objects.filter(user=world.users["staff"]).delete()
    pages = [
        enrolling.get(reverse("otp_setup")),
        login(world.users["staff"]).get(reverse("members", kwargs={"workspace": "cae-a"})),
        Client().get(reverse("login")),
    ]
    assert "<svg" in pages[0].content.decode()
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert not re.search(r"<script(?![^>]*\bsrc=)", body)
        assert not re.search(r"\s(style|on[a-z]+)=", body)


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "MUTUALISE_", "EMAIL_", "AXES_", "SESSION_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "backoffice.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "mutualise.example",
        "DJANGO_DEBUG": "0",
    })
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_deploy_check_reports_no_issues_in_production_settings():
    result = _run(["manage.py", "check", "--deploy"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_starting_without_a_secret_key_outside_debug_or_demo_fails_clearly():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is required" in result.stderr


def test_a_bad_boolean_in_the_environment_stops_start_up():
    result = _run(["manage.py", "check"], _production_env(DJANGO_DEBUG="perhaps"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_the_two_factor_waiver_exists_only_in_demo_mode():
    code = "import backoffice.settings as s; print(s.DEMO_MODE, s.OTP_WAIVED_EMAILS, s.SESSION_COOKIE_SECURE)"
    production = _run(["-c", code], _production_env())
    assert production.stdout.strip() == "False [] True", production.stderr
    demo = _run(["-c", code], _production_env(MUTUALISE_DEMO="1"))
    assert demo.stdout.strip() == "True ['support@mutualise.test'] False", demo.stderr


# --- typed environment parsing (backoffice/env.py) ---------------------------------------------

@pytest.mark.parametrize("raw, expected", [("1", True), ("TRUE", True), (" yes ", True), ("on", True),
                                           ("0", False), ("false", False), ("No", False), ("", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("MUTUALISE_TEST_FLAG", raw)
    assert env_bool("MUTUALISE_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("raw", ["2", "maybe", "enabled", "y e s"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("MUTUALISE_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="MUTUALISE_TEST_FLAG must be a boolean"):
        env_bool("MUTUALISE_TEST_FLAG")


def test_env_int_parses_refuses_and_enforces_its_minimum(monkeypatch):
    monkeypatch.delenv("MUTUALISE_TEST_INT", raising=False)
    assert env_int("MUTUALISE_TEST_INT", 7) == 7
    monkeypatch.setenv("MUTUALISE_TEST_INT", " 42 ")
    assert env_int("MUTUALISE_TEST_INT", 7) == 42
    for bad in ("4.5", "twenty", "0x10"):
        monkeypatch.setenv("MUTUALISE_TEST_INT", bad)
        with pytest.raises(ImproperlyConfigured, match="must be an integer"):
            env_int("MUTUALISE_TEST_INT", 7)
    monkeypatch.setenv("MUTUALISE_TEST_INT", "0")
    with pytest.raises(ImproperlyConfigured, match=">= 1"):
        env_int("MUTUALISE_TEST_INT", 7, minimum=1)


def test_env_list_and_str(monkeypatch):
    monkeypatch.setenv("MUTUALISE_TEST_LIST", " a.example , ,b.example,")
    assert env_list("MUTUALISE_TEST_LIST") == ["a.example", "b.example"]
    monkeypatch.delenv("MUTUALISE_TEST_LIST")
    assert env_list("MUTUALISE_TEST_LIST", ["x"]) == ["x"]
    monkeypatch.delenv("MUTUALISE_TEST_STR", raising=False)
    assert env_str("MUTUALISE_TEST_STR", "default") == "default"


# --- uploads (backoffice/uploads.py) -----------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def real_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


def test_a_good_pdf_and_a_real_xlsx_are_accepted():
    assert check_upload(upload("bulletin.pdf", PDF)) == "application/pdf"
    assert check_upload(upload("Export.XLSX", real_xlsx())).endswith("spreadsheetml.sheet")
    assert check_upload(upload("liste.csv", "nom;prénom\nDurand;Zoé\n".encode())) == "text/csv"


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    content = PDF + b"0" * 3000
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("big.pdf", content), max_bytes=2048)
    message = exc.value.messages[0]
    assert "big.pdf" in message
    assert filesizeformat(len(content)) in message and filesizeformat(2048) in message


@pytest.mark.parametrize("name, content, words", [
    ("virus.exe", b"MZ\x90\x00", ".exe"),
    ("noextension", PDF, ".?"),
    ("fake.pdf", b"<html>not a pdf</html>", "not a real .pdf"),
    ("fake.xlsx", b"just some text", "not a real .xlsx"),
    ("broken.xlsx", b"PK\x03\x04 but not really a zip archive", "not a real .xlsx"),
    ("empty.pdf", b"", "is empty"),
    ("binary.csv", b"name;value\nx;\x00\x01\x02\n", "not a real .csv"),
])
def test_bad_files_are_refused_with_a_message(name, content, words):
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, content))
    assert words in exc.value.messages[0]


def _stored_files() -> set[str]:
    root = Path(default_storage.location)
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_the_upload_page_shows_the_message_and_stores_nothing(world, clients):
    before = _stored_files()
    url = reverse("document_upload", kwargs={"workspace": "cae-a"})
    response = clients["partner_a"].post(url, {"file": upload("fake.pdf", b"MZ not a pdf"), "title": "Fake"},
                                         follow=True)
    assert response.status_code == 200
    assert "not a real .pdf" in response.content.decode()
    with scopes_disabled():
        assert not Document.objects.filter(workspace=world.partner_a).exists()
    assert _stored_files() == before
    # Control: the same page stores a real PDF.
    clients["partner_a"].post(url, {"file": upload("real.pdf", PDF), "title": "Real"})
    with scopes_disabled():
        assert Document.objects.filter(workspace=world.partner_a, title="Real").count() == 1
