"""Alumni journeys in a real browser: an alumni company declares its revenue (seeing the
contribution before confirming), then searches the network directory and writes to a member;
staff import their existing alumni list (preview, then confirmation)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook

from alumni.models import AlumniCompany, DirectoryMembership, DirectoryProfile, RevenueDeclaration
from backoffice.models import Workspace
from backoffice.services.agreements import agreement_create, price_line_create
from tests.browser.test_journeys import _assert_clean, _log_in
from tests.factories import make_siren

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alumni_company_declares_revenue_then_searches_the_directory(world, live_server, page):
    with scope(workspace=world.alumni_c):
        AlumniCompany.objects.create(workspace=world.alumni_c, legal_form="scop_sarl", status="active")
        agreement = agreement_create(actor=None, workspace=world.alumni_c, service="alumni",
                                     start_date=datetime.date(2024, 1, 1))
        price_line_create(actor=None, agreement=agreement, kind="percentage", usage_kind="declared_revenue",
                          label="Contribution 1 %", rate=Decimal("1"), minimum=Decimal("150"))
    with scopes_disabled():
        for ws in (world.alumni_c, world.partner_a):
            DirectoryMembership.objects.create(workspace=ws)
        DirectoryProfile.objects.create(workspace=world.partner_a, display_name="Léa Charpente", trade="Menuiserie",
                                        description="Charpente et ossature bois", contact_email="lea@cae-a.test")
    last_year = datetime.date.today().year - 1

    page.set_default_timeout(120_000)   # a loaded CI machine; the journey itself is short
    _log_in(page, live_server, "c@example.test")
    page.goto(f"{live_server.url}/w/scop-c/alumni/")
    _assert_clean(page)
    page.click("a[href='/w/scop-c/alumni/declare/']")
    page.select_option("select[name=period]", f"{last_year}-01-01")
    page.fill("input[name=revenue]", "84 500,00")
    page.click("main form button[type=submit]")
    preview = page.locator("#contribution-preview")
    assert "845,00" in preview.inner_text()
    with scopes_disabled():
        assert not RevenueDeclaration.objects.exists()          # nothing written before confirming
    page.click("button[name=confirm]")
    page.wait_for_url(f"{live_server.url}/w/scop-c/alumni/contributions/")
    text = page.locator("main").inner_text().replace("\u00a0", " ").replace("\u202f", " ")
    assert "84 500,00" in text and "845,00" in text
    _assert_clean(page)

    page.goto(f"{live_server.url}/w/scop-c/alumni/directory/")
    page.fill("input[name=trade]", "menuiserie")
    page.click("form.filters button[type=submit]")
    results = page.locator("#directory-results")
    assert "Léa Charpente" in results.inner_text()
    assert "lea@cae-a.test" not in page.content()
    results.locator("a").first.click()
    page.fill("textarea[name=message]", "Bonjour, un chantier de charpente à Lyon ?")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/w/scop-c/alumni/directory/")
    _assert_clean(page)


def test_staff_import_the_alumni_list_preview_then_confirm(world, live_server, page, tmp_path):
    """Staff upload their existing alumni list: the preview lists what will be added and
    changed and writes nothing; « Importer ces lignes » writes it all."""
    with scope(workspace=world.alumni_c):
        AlumniCompany.objects.create(workspace=world.alumni_c, legal_form="scop_sarl", status="active")
    book = Workbook()
    book.active.append(["siren", "raison sociale", "forme juridique", "cae d'origine", "ville"])
    book.active.append([make_siren(555001), "Menuiserie Coopérative", "SCOP SARL", "cae-a", "Lyon"])
    book.active.append([world.alumni_c.siren, "", "", "", "Villeurbanne"])
    path = tmp_path / "essaimage.xlsx"
    book.save(path)
    device = TOTPDevice.objects.create(user=world.users["staff"], name="phone", confirmed=True)

    page.set_default_timeout(120_000)
    _log_in(page, live_server, "staff@example.test")
    page.wait_for_url("**/accounts/2fa/**")
    page.fill("input[name=token]", f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/")
    page.goto(f"{live_server.url}/staff/alumni/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("button[name=preview]")
    report = page.locator("#import-report").inner_text()
    assert "Menuiserie Coopérative" in report and "Villeurbanne" in report
    with scopes_disabled():
        assert not Workspace.objects.filter(siren=make_siren(555001)).exists()
    _assert_clean(page)
    page.click("button[name=confirm]")
    page.wait_for_url(f"{live_server.url}/staff/alumni/")
    assert "Menuiserie Coopérative" in page.locator("main").inner_text()
    with scopes_disabled():
        assert Workspace.objects.get(pk=world.alumni_c.pk).city == "Villeurbanne"
