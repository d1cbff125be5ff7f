"""Invoicing in a real browser: host staff run the month's billing, open the draft it made,
issue it, and download its PDF — a real PDF that carries the invoice number, on its page and
in its embedded Factur-X XML."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from invoicing.models import Invoice
from tests.browser.test_journeys import _assert_clean, _log_in
from tests.factories import PriceLineFactory, ServiceAgreementFactory, UsageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_run_the_billing_issue_a_draft_and_download_its_pdf(world, issued_invoices_cleanup, live_server, page):
    facturx = pytest.importorskip("facturx")
    pypdf = pytest.importorskip("pypdf")
    last_month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    with scopes_disabled():
        agreement = ServiceAgreementFactory(workspace=world.partner_a, service="payroll",
                                            start_date=datetime.date(2024, 1, 1))
        PriceLineFactory(agreement=agreement, kind="per_unit", usage_kind="payslip", label="Bulletin de paie",
                         unit_price=Decimal("14.00"))
        for n in range(3):
            UsageFactory(workspace=world.partner_a, service="payroll", kind="payslip", quantity=Decimal("1"),
                         occurred_on=last_month.replace(day=10 + n), reference=f"payslip:{n}")
    staff = world.users["staff"]
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)

    page.set_default_timeout(120_000)   # a loaded CI machine; the journey itself is short
    _log_in(page, live_server, "staff@example.test")
    page.wait_for_url("**/accounts/2fa/**")
    page.fill("input[name=token]", f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/")

    # 1. The billing run for last month (the form's default month).
    page.goto(f"{live_server.url}/staff/invoicing/")
    assert page.input_value("input[name=period]") == f"{last_month:%Y-%m}"
    page.click("form[action='/staff/invoicing/run/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/invoicing/run/")
    _assert_clean(page)
    report = page.locator("main").inner_text()
    assert "Bulletin de paie" in report and world.partner_a.name in report
    with scopes_disabled():
        draft = Invoice.objects.get(workspace=world.partner_a)
    assert draft.state == "draft" and draft.total_net == Decimal("42.00")

    # 2. The draft, then issuing it.
    page.click(f"main a[href='/w/{world.partner_a.slug}/invoicing/{draft.pk}/']")
    page.wait_for_url(f"{live_server.url}/w/{world.partner_a.slug}/invoicing/{draft.pk}/")
    page.click(f"form[action='/w/{world.partner_a.slug}/invoicing/{draft.pk}/issue/'] button[type=submit]")
    page.wait_for_selector("main h1:has-text('FA-')")
    with scopes_disabled():
        draft.refresh_from_db()
    number = draft.number
    assert draft.state == "issued" and number.startswith(f"FA-{datetime.date.today().year}-")
    assert number in page.locator("main h1").inner_text()
    _assert_clean(page)

    # 3. The PDF: a real PDF, with the number on its page and in its embedded CII XML.
    with page.expect_download() as download_info:
        page.click(f"main a[href='/w/{world.partner_a.slug}/invoicing/{draft.pk}/pdf/']")
    download = download_info.value
    assert download.suggested_filename == f"{number}.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert number in text
    _filename, xml = facturx.get_facturx_xml_from_pdf(io.BytesIO(content), check_xsd=False)
    assert number.encode() in xml
