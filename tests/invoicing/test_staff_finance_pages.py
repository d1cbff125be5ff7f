"""Staff pages of what used to be commands only: SEPA mandates (IBAN checked, masked),
pain.008 batches (generate, download, rejection → unpaid), accounting exports of a period
(FEC, sales journal), lifecycle statuses per invoice, and the chart of accounts (audited;
classes of the Plan comptable général, règlement ANC n° 2014-03)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from backoffice.models import AuditEntry
from invoicing.models import DebitBatch, DebitLine, InvoiceStatusEvent, InvoicingSettings, Mandate
from tests.invoicing.conftest import make_issued

pytestmark = pytest.mark.django_db
GOOD_IBAN = "FR7630006000011234567890189"
DEBTOR_IBAN = "FR7630004000031234567890143"


@pytest.fixture
def creditor(world):
    with scopes_disabled():
        InvoicingSettings.objects.update_or_create(workspace=world.host, defaults={
            "iban": GOOD_IBAN, "sepa_creditor_id": "FR12ZZZ123456"})


def _mandate(client, world, **overrides):
    data = {"workspace": world.partner_a.pk, "reference": "RUM-A-1", "signed_on": "2026-01-02",
            "debtor_name": "CAE A", "iban": DEBTOR_IBAN, "bic": ""} | overrides
    return client.post(reverse("staff:invoicing:mandates"), data)


def test_mandate_page_checks_the_iban_and_shows_it_masked(world, clients):
    staff = clients["staff"]
    response = _mandate(staff, world, iban="FR7630004000031234567890144")
    assert response.status_code == 400 and "IBAN is not valid" in response.content.decode()
    with scopes_disabled():
        assert not Mandate.objects.exists()
    assert _mandate(staff, world).status_code == 302
    page = staff.get(reverse("staff:invoicing:mandates")).content.decode()
    assert "FR76 •••• •••• 0143" in page and DEBTOR_IBAN not in page
    assert _mandate(clients["partner_a"], world).status_code in (403, 404)


def test_batch_generate_download_and_reject_by_page(world, clients, creditor):
    staff = clients["staff"]
    invoice = make_issued(world.partner_a)
    _mandate(staff, world, signed_on=invoice.issue_date.isoformat())
    past = {"due_before": invoice.due_date.isoformat(), "collection_date": invoice.issue_date.isoformat()}
    assert staff.post(reverse("staff:invoicing:debits"), past).status_code == 400  # a collection in the past
    response = staff.post(reverse("staff:invoicing:debits"), {"due_before": invoice.due_date.isoformat()})
    with scopes_disabled():
        batch = DebitBatch.objects.get()
        line = DebitLine.objects.get()
    assert response["Location"] == reverse("staff:invoicing:debit_batch", args=[batch.pk])
    xml = staff.get(reverse("staff:invoicing:debit_batch_xml", args=[batch.pk]))
    assert xml["Content-Disposition"].startswith("attachment;")
    assert b"pain.008.001.02" in xml.content and invoice.number.encode() in xml.content
    assert "Debit sent" in staff.get(reverse("invoice_detail", args=["cae-a", invoice.pk])).content.decode()
    # Nothing left to collect: a second batch is not made.
    staff.post(reverse("staff:invoicing:debits"), {"due_before": invoice.due_date.isoformat()})
    with scopes_disabled():
        assert DebitBatch.objects.count() == 1
    staff.post(reverse("staff:invoicing:debit_reject", args=[line.pk]), {"reason": "AM04 provision insuffisante"})
    with scopes_disabled():
        line.refresh_from_db()
    assert (line.state, line.reason) == ("rejected", "AM04 provision insuffisante")
    page = staff.get(reverse("invoice_detail", args=["cae-a", invoice.pk])).content.decode()
    assert "Debit sent" not in page and "To pay" in page


def test_exports_of_a_period(world, clients):
    staff = clients["staff"]
    invoice = make_issued(world.partner_a)
    day = invoice.issue_date
    response = staff.get(reverse("staff:invoicing:export_fec"), {"start": day.isoformat(), "end": day.isoformat()})
    assert response["Content-Disposition"] == f'attachment; filename="{world.host.siren}FEC{day:%Y%m%d}.txt"'
    rows = response.content.decode("utf-8").split("\r\n")
    assert rows[0].startswith("JournalCode\tJournalLib") and invoice.number in rows[1]
    before = day - datetime.timedelta(days=1)
    empty = staff.get(reverse("staff:invoicing:export_fec"), {"start": "2020-01-01", "end": before.isoformat()})
    assert empty.content.decode().count("\r\n") == 1  # the header only: the invoice is outside the period
    journal = staff.get(reverse("staff:invoicing:export_sales_journal"),
                        {"start": day.isoformat(), "end": day.isoformat()})
    sheet = load_workbook(io.BytesIO(journal.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [invoice.number]
    bad = staff.get(reverse("staff:invoicing:export_fec"), {"start": day.isoformat(), "end": before.isoformat()})
    assert bad.status_code == 400 and "ends before it starts" in bad.content.decode()
    assert clients["partner_a"].get(reverse("staff:invoicing:export_fec")).status_code in (403, 404)


def test_lifecycle_status_recorded_by_staff_and_seen_by_the_customer(world, clients):
    invoice = make_issued(world.partner_a)
    url = reverse("invoice_status", args=["cae-a", invoice.pk])
    data = {"status": "202", "at": invoice.issue_date.isoformat(), "source": "Plateforme X", "note": ""}
    assert clients["partner_a"].post(url, data).status_code == 403
    clients["staff"].post(url, data)
    future = (invoice.issue_date + datetime.timedelta(days=10)).isoformat()
    clients["staff"].post(url, data | {"at": future, "status": "212"})
    with scopes_disabled():
        recorded = InvoiceStatusEvent.objects.filter(source="Plateforme X").values_list("status", "source")
        assert list(recorded) == [("202", "Plateforme X")]  # the one dated in the future was refused
    page = clients["partner_a"].get(reverse("invoice_detail", args=["cae-a", invoice.pk])).content.decode()
    assert "Received by the platform" in page and "Plateforme X" in page
    assert 'action="' + url not in page  # the customer reads, only staff record


def _chart(**overrides):
    return {"customer_account": "411000", "bank_account": "512100", "default_revenue_account": "706000",
            "default_vat_account": "445710", "revenue_payroll": "706100", "vat_20.00": "445720"} | overrides


def test_chart_of_accounts_is_edited_audited_and_used_by_the_fec(world, clients):
    """Classes of the Plan comptable général (règlement ANC n° 2014-03): 41 customers, 51 banks,
    7 revenue, 445 VAT."""
    staff = clients["staff"]
    url = reverse("staff:invoicing:accounts")
    response = staff.post(url, _chart(customer_account="601000", **{f"aux_{world.partner_a.pk}": "CAEA"}))
    assert response.status_code == 400 and "class 41" in response.content.decode()
    duplicate = _chart(**{f"aux_{world.partner_a.pk}": "CAEA", f"aux_{world.partner_b.pk}": "CAEA"})
    assert staff.post(url, duplicate).status_code == 400
    assert staff.post(url, _chart(**{f"aux_{world.partner_a.pk}": "caea"})).status_code == 302
    with scopes_disabled():
        settings = InvoicingSettings.objects.get(workspace=world.host)
        assert settings.customer_accounts == {str(world.partner_a.pk): "CAEA"}
        assert settings.revenue_accounts == {"payroll": "706100"} and settings.vat_accounts == {"20.00": "445720"}
        assert AuditEntry.objects.filter(action="invoicing.accounts").count() == 1
    invoice = make_issued(world.partner_a, ("Bulletins", "10", "12.50", "20"))
    day = invoice.issue_date.isoformat()
    rows = [row.split("\t") for row in staff.get(reverse("staff:invoicing:export_fec"), {"start": day, "end": day})
            .content.decode().split("\r\n")[1:-1]]
    # A manual line has no service: the default revenue account applies; VAT 20 % has its own account.
    assert [(row[4], row[6], row[11], row[12]) for row in rows] == [
        ("411000", "CAEA", "150,00", "0,00"), ("706000", "", "0,00", "125,00"), ("445720", "", "0,00", "25,00")]
    assert clients["partner_a"].post(url, _chart()).status_code in (403, 404)
