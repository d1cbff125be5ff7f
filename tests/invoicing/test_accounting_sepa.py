"""FEC (LPF art. A47 A-1), sales journal, SEPA direct debit (pain.008 validated against its
XSD by sepaxml), mandates, rejections, lifecycle statuses."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_scopes import scopes_disabled
from lxml import etree
from openpyxl import load_workbook

from invoicing.exports.accounting import FEC_COLUMNS, fec_export, sales_journal_xlsx
from invoicing.models import DebitLine, Invoice, InvoicingSettings, Mandate
from invoicing.services.invoices import credit_note_create, invoice_issue, invoice_status_record
from invoicing.services.payments import payment_record
from invoicing.services.sepa import debit_reject, mandate_create, sepa_batch_create
from tests.invoicing.conftest import make_issued

pytestmark = pytest.mark.django_db
GOOD_IBAN = "FR7630006000011234567890189"


@pytest.fixture
def ledger(world):
    invoice = make_issued(world.partner_a, ("Bulletins", "10", "12.50", "20"), ("Formation", "1", "100", "5.5"))
    with scopes_disabled():
        note = invoice_issue(actor=None, invoice=credit_note_create(actor=None, invoice=invoice, reason="x"))
        payment_record(actor=None, invoice=make_issued(world.partner_b), amount=Decimal("150.00"),
                       received_on=invoice.issue_date, method="transfer", reference="VIR 1")
    return invoice, note


def test_fec_has_18_columns_in_order_and_french_formats(world, ledger):
    invoice, _note = ledger
    with scopes_disabled():
        name, content = fec_export(invoice.issue_date.year)
    assert name == f"{world.host.siren}FEC{invoice.issue_date.year}1231.txt"
    lines = content.decode("utf-8").split("\r\n")[:-1]
    assert lines[0].split("\t") == FEC_COLUMNS and len(FEC_COLUMNS) == 18
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 18 for row in rows)
    first = rows[0]
    assert first[0] == "VE" and first[3] == invoice.issue_date.strftime("%Y%m%d") and first[8] == invoice.number
    assert first[11] == "255,50" and first[12] == "0,00"  # decimal comma, no thousands separator
    # Every entry balances: debit = credit.
    by_entry: dict[str, Decimal] = {}
    for row in rows:
        amount = Decimal(row[11].replace(",", ".")) - Decimal(row[12].replace(",", "."))
        by_entry[row[2]] = by_entry.get(row[2], Decimal("0")) + amount
    assert set(by_entry.values()) == {Decimal("0")}
    assert {row[0] for row in rows} == {"VE", "BQ"}


def test_export_fec_command_and_sales_journal(world, ledger, tmp_path):
    invoice, note = ledger
    call_command("export_fec", "--year", str(invoice.issue_date.year), "--output", str(tmp_path), stdout=io.StringIO())
    assert (tmp_path / f"{world.host.siren}FEC{invoice.issue_date.year}1231.txt").exists()
    with scopes_disabled():
        book = load_workbook(io.BytesIO(sales_journal_xlsx(invoice.issue_date, invoice.issue_date)))
    rows = list(book.active.iter_rows(values_only=True))
    assert (rows[1][1], rows[1][8]) == (invoice.number, 255.5)
    assert (rows[2][1], rows[2][2], rows[2][8]) == (note.number, "Avoir", -255.5)


def test_mandate_refuses_an_iban_with_a_bad_key(world):
    with scopes_disabled():
        with pytest.raises(ValidationError, match="IBAN"):
            mandate_create(actor=None, workspace=world.partner_a, reference="M1", signed_on=datetime.date(2026, 1, 2),
                           iban="FR7630006000011234567890188", debtor_name="CAE A")
        assert not Mandate.objects.exists()
        mandate = mandate_create(actor=None, workspace=world.partner_a, reference="M1",
                                 signed_on=datetime.date(2026, 1, 2), iban=GOOD_IBAN, debtor_name="CAE A")
    assert mandate.masked_iban == "FR76 •••• •••• 0189"


def test_pain008_batch_validates_and_rejection_puts_back_to_unpaid(world, tmp_path):
    with scopes_disabled():
        InvoicingSettings.objects.update_or_create(workspace=world.host, defaults={
            "iban": "FR1420041010050500013M02606", "bic": "PSSTFRPPPAR", "sepa_creditor_id": "FR12ZZZ123456"})
        mandate_create(actor=None, workspace=world.partner_a, reference="MANDAT-A-1",
                       signed_on=datetime.date(2026, 1, 2), iban=GOOD_IBAN, debtor_name="CAE A")
    invoice = make_issued(world.partner_a)
    make_issued(world.partner_b)  # no mandate: not debited
    out = tmp_path / "prlv.xml"
    call_command("sepa_batch", "--due-before", invoice.due_date.isoformat(), "--output", str(out),
                 stdout=io.StringIO())
    tree = etree.parse(str(out))
    assert "pain.008.001.02" in tree.getroot().nsmap[None]
    assert tree.getroot().xpath("count(//*[local-name()='DrctDbtTxInf'])") == 1.0
    assert b"MANDAT-A-1" in out.read_bytes() and b"150.00" in out.read_bytes()
    with scopes_disabled():
        stored = Invoice.objects.get(pk=invoice.pk)
        assert stored.payment_status(invoice.issue_date) == "Debit sent"
        assert sepa_batch_create(actor=None, due_before=invoice.due_date) is None  # not twice
        line = DebitLine.objects.get()
        debit_reject(actor=None, line=line, reason="AM04 provision insuffisante")
        stored = Invoice.objects.get(pk=invoice.pk)
        assert stored.payment_status(invoice.issue_date) == "To pay"
        assert DebitLine.objects.get().reason == "AM04 provision insuffisante"


def test_lifecycle_statuses_are_recorded(world, issued):
    with scopes_disabled():
        invoice_status_record(actor=None, invoice=issued, status="202", source="PA démo")
        invoice_status_record(actor=None, invoice=issued, status="212")
        assert list(issued.status_events.values_list("status", flat=True)) == ["200", "202", "212"]
        with pytest.raises(ValidationError):
            invoice_status_record(actor=None, invoice=issued, status="999")
