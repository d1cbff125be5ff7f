"""Browser journey of the share register: a partner manager records a subscription in its
register and prints the associate's certificate (issue 11). The test settings load no
project catalogue, so the interface is in English here."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_scopes import scope

from alumni.services.shares import holder_create, issuer_save
from tests.browser.test_journeys import _assert_clean, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_a_subscription_and_print_its_certificate(world, live_server, page):
    with scope(workspace=world.partner_a):
        issuer = issuer_save(actor=None, workspace=world.partner_a, legal_form="scop_sa",
                             created_on=datetime.date(2020, 1, 1), initial_nominal=Decimal("25"))
        holder = holder_create(actor=None, issuer=issuer, category="employee", name="Camille Martin")
    _log_in(page, live_server, "a@example.test")
    page.wait_for_url(f"{live_server.url}/w/cae-a/")
    assert page.locator("header a[href='/w/cae-a/alumni/shares/']").count() == 1   # the menu entry
    page.goto(f"{live_server.url}/w/cae-a/alumni/shares/")
    _assert_clean(page)
    page.click("main >> text=Record a movement")
    page.select_option("select[name=kind]", "subscription")
    page.fill("input[name=effective_date]", datetime.date.today().isoformat())
    page.select_option("select[name=holder]", str(holder.pk))
    page.fill("input[name=shares]", "40")
    page.fill("input[name=amount]", "900")            # 40 × 25 € = 1 000 €: refused, nothing written
    page.fill("input[name=paid]", "250")
    page.click("main button[type=submit]")
    assert "40 × 25,00" in page.content().replace("\u00a0", " ")
    page.fill("input[name=amount]", "1000")
    page.fill("input[name=decision]", "Bulletin signé")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/w/cae-a/alumni/shares/")
    assert "Movement n° 1 written in the register." in page.content()
    assert "Camille Martin" in page.locator("#positions").inner_text()
    with page.expect_download() as info:
        page.click("#positions >> text=Certificate")
    path = info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    _assert_clean(page)
