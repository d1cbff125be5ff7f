"""Main journeys in a real browser: a partner manager and host staff log in and open the
main pages; the pages load their vendored assets with no CSP violation."""

from __future__ import annotations

import datetime

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from tests.factories import DossierFactory, EntrepreneurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def _assert_clean(page):
    assert not [e for e in page.console_errors if "Content Security Policy" in e or "Failed to load" in e], \
        page.console_errors
    assert page.evaluate("typeof window.htmx") == "object", "vendored htmx did not load"


def test_partner_manager_sees_own_workspace_only(world, live_server, page):
    with scopes_disabled():
        DossierFactory(workspace=world.partner_a, title="Paie de novembre",
                       due_date=datetime.date.today() - datetime.timedelta(days=1))
        DossierFactory(workspace=world.partner_b, title="Dossier de B")
        EntrepreneurFactory(workspace=world.partner_a, last_name="Lefebvre")
    _log_in(page, live_server, "a@example.test")
    page.wait_for_url(f"{live_server.url}/w/cae-a/")
    assert page.locator("h1").first.inner_text() == "CAE A"
    assert "Paie de novembre" in page.content()
    assert "Dossier de B" not in page.content()
    _assert_clean(page)

    page.click(".wsbar summary >> text=Dossiers")  # the workspace bar's "Dossiers" menu
    page.click(".wsbar details[open] a >> text=Dossiers")
    page.wait_for_url(f"{live_server.url}/w/cae-a/dossiers/")
    assert page.locator("tr.overdue").count() == 1
    page.click("text=Paie de novembre")
    assert page.locator("h1").inner_text() == "Paie de novembre"

    page.goto(f"{live_server.url}/w/cae-b/")
    assert page.locator("body").inner_text().strip() != ""
    assert "Dossier de B" not in page.content()
    response = page.goto(f"{live_server.url}/staff/")
    assert response.status == 404


def test_staff_passes_two_factor_and_works_the_queue(world, live_server, page):
    staff = world.users["staff"]
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    with scopes_disabled():
        DossierFactory(workspace=world.partner_a, title="Paie A")
        DossierFactory(workspace=world.partner_b, title="Paie B")
    _log_in(page, live_server, "staff@example.test")
    page.wait_for_url("**/accounts/2fa/**")
    page.fill("input[name=token]", f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/")
    _assert_clean(page)

    page.goto(f"{live_server.url}/staff/queue/")
    assert "Paie A" in page.content() and "Paie B" in page.content()
    page.select_option("select[name=workspace]", "cae-b")
    page.wait_for_function("() => !document.body.innerText.includes('Paie A')")
    assert "Paie B" in page.content()
    _assert_clean(page)
