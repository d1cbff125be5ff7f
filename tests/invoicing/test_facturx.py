"""PDF and Factur-X: every mention, the number on every page, the XML embedded and valid
against the Factur-X XSD (EN 16931 profile) and, when the official XSLT is available, the
EN 16931 CII Schematron (ConnectingEurope/eInvoicing-EN16931; see invoicing/documents/schematron.py)."""

from __future__ import annotations

import io
from decimal import Decimal

import facturx
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled
from lxml import etree
from pypdf import PdfReader

from invoicing.documents.cii import invoice_cii_xml
from invoicing.documents.pdf import invoice_pdf, invoice_xml
from invoicing.documents.schematron import schematron_failures, schematron_xslt
from invoicing.models import InvoicingSettings
from invoicing.services.invoices import credit_note_create, invoice_issue
from tests.invoicing.conftest import make_issued

pytestmark = pytest.mark.django_db

MANY_LINES = tuple((f"Prestation {i}", "3", "0.333", "20" if i % 3 else "5.5") for i in range(60))


@pytest.fixture
def documents(world):
    with scopes_disabled():
        world.host.vat_number, world.host.address, world.host.postal_code = "FR44732829320", "1 rue de la Paix", "69001"
        world.host.save()
        InvoicingSettings.objects.update_or_create(workspace=world.host, defaults={
            "vat_on_debits": True, "iban": "FR7630006000011234567890189", "bic": "AGRIFRPP"})
    invoice = make_issued(world.partner_a, *MANY_LINES)
    with scopes_disabled():
        note = invoice_issue(actor=None, invoice=credit_note_create(actor=None, invoice=invoice, reason="Erreur"))
        exempt = make_issued(world.alumni_c, ("Conseil", "1", "100", "0"))
    return invoice, note, exempt


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_pdf_carries_every_mention_and_the_number_on_every_page(documents):
    invoice, note, _exempt = documents
    with scopes_disabled():
        pages = _text(invoice_pdf(invoice))
        note_text = " ".join(_text(invoice_pdf(note)))
    assert len(pages) >= 2
    assert all(invoice.number in page for page in pages)
    text = " ".join(" ".join(pages).split())
    for mention in ("SIREN", invoice.customer_siren, invoice.seller_siren, "FR44732829320",
                    "Nature des opérations : prestations de services",
                    "Option pour le paiement de la taxe d'après les débits",
                    "indemnité forfaitaire pour frais de recouvrement de 40 €", "pénalités de retard",
                    "Échéance", "Total HT", "Total TTC", "TVA 20,00 %", "TVA 5,50 %", "Date d'émission"):
        assert mention in text, mention
    assert f"Avoir sur la facture n° {invoice.number}" in " ".join(note_text.split())


def test_every_invoice_and_credit_note_embeds_xsd_valid_factur_x(documents):
    for document in documents:
        with scopes_disabled():
            pdf = invoice_pdf(document)
        _name, xml = facturx.get_facturx_xml_from_pdf(io.BytesIO(pdf), check_xsd=True)
        assert facturx.get_level(etree.fromstring(xml)) == "en16931"
        assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
        assert document.number.encode() in xml


def test_cii_totals_follow_the_document(documents):
    invoice, note, _exempt = documents
    with scopes_disabled():
        xml = invoice_xml(invoice).decode()
        note_xml = invoice_xml(note).decode()
    assert f"<ram:GrandTotalAmount>{invoice.total_gross}</ram:GrandTotalAmount>" in xml
    assert "<ram:TypeCode>380</ram:TypeCode>" in xml and "<ram:TypeCode>381</ram:TypeCode>" in note_xml
    assert f"<ram:IssuerAssignedID>{invoice.number}</ram:IssuerAssignedID>" in note_xml  # BT-25


def test_official_en16931_schematron(documents):
    xslt = schematron_xslt()
    if xslt is None:
        # Not a server CI starts: the official XSLT (ConnectingEurope/eInvoicing-EN16931) may
        # not be copied into the project, and CI has no network to fetch it. A developer who has
        # it points MUTUALISE_EN16931_CII_XSLT at it; the XSD check above runs everywhere.
        pytest.skip("the official EN 16931 CII XSLT (MUTUALISE_EN16931_CII_XSLT) is not on this machine")
    with scopes_disabled():
        xmls = [invoice_cii_xml(d, d.lines.order_by("position")) for d in documents]
    failures = schematron_failures(xmls, xslt)
    assert failures == [[], [], []]


def test_pdf_and_xml_downloads_and_command(world, documents, clients, tmp_path):
    invoice = documents[0]
    response = clients["partner_a"].get(reverse("invoice_pdf", args=["cae-a", invoice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    response = clients["partner_a"].get(reverse("invoice_xml", args=["cae-a", invoice.pk]))
    assert response.status_code == 200 and b"CrossIndustryInvoice" in response.content
    output = tmp_path / "f.pdf"
    call_command("export_invoice", "--number", invoice.number, "--output", str(output), stdout=io.StringIO())
    assert output.read_bytes().startswith(b"%PDF")
    assert Decimal(invoice.total_gross) > 0
