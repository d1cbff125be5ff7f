"""The UN/CEFACT CII XML of an issued invoice, Factur-X profile EN 16931.

Built from the frozen fields of the invoice (never from the live workspaces), so the XML of
an invoice is the same whenever it is produced. Checked by `facturx.xml_check_xsd` in the
tests and against the official EN 16931 Schematron (tests/invoicing/test_facturx.py).
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from invoicing.models import Invoice
from invoicing.totals import compute_totals

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
GUIDELINE = "urn:cen.eu:en16931:2017"
TYPE_INVOICE, TYPE_CREDIT_NOTE = "380", "381"          # UNTDID 1001
UNIT_PIECE = "C62"                                       # UN/ECE rec. 20: "one"
SIREN_SCHEME = "0002"                                   # ISO 6523 ICD: SIRENE


def _el(parent, tag: str, text=None, **attrs):
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", **attrs)
    if text is not None:
        element.text = str(text)
    return element


def _amount(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def _date(parent, tag: str, day) -> None:
    _el(_el(parent, tag), "udt:DateTimeString", day.strftime("%Y%m%d"), format="102")


def _vat_category(rate: Decimal) -> str:
    return "S" if rate > 0 else "E"   # standard rate, or exempt (BT-118)


def _party(parent, tag: str, *, name, siren, vat_number, address, postal_code, city, seller: bool) -> None:
    party = _el(parent, tag)
    _el(party, "ram:Name", name)
    if siren:
        legal = _el(party, "ram:SpecifiedLegalOrganization")
        _el(legal, "ram:ID", siren, schemeID=SIREN_SCHEME)
    postal = _el(party, "ram:PostalTradeAddress")
    if postal_code:
        _el(postal, "ram:PostcodeCode", postal_code)
    if address:
        _el(postal, "ram:LineOne", address.replace("\n", ", ")[:200])
    if city:
        _el(postal, "ram:CityName", city)
    _el(postal, "ram:CountryID", "FR")
    if vat_number:
        _el(_el(party, "ram:SpecifiedTaxRegistration"), "ram:ID", vat_number, schemeID="VA")


def invoice_cii_xml(invoice: Invoice, lines) -> bytes:
    """The CII XML (bytes, UTF-8) of issued `invoice` with its `lines`."""
    lines = list(lines)
    root = etree.Element(f"{{{NS['rsm']}}}CrossIndustryInvoice", nsmap=NS)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE)

    document = _el(root, "rsm:ExchangedDocument")
    _el(document, "ram:ID", invoice.number)
    _el(document, "ram:TypeCode", TYPE_CREDIT_NOTE if invoice.is_credit_note else TYPE_INVOICE)
    _date(document, "ram:IssueDateTime", invoice.issue_date)
    for subject, text in _notes(invoice):
        note = _el(document, "ram:IncludedNote")
        _el(note, "ram:Content", text)
        _el(note, "ram:SubjectCode", subject)

    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for index, line in enumerate(lines, start=1):
        item = _el(transaction, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", index)
        _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.description)
        agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
        _el(_el(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", f"{line.unit_price:f}")
        _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", f"{line.quantity:f}",
            unitCode=UNIT_PIECE)
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", _vat_category(line.vat_rate))
        _el(tax, "ram:RateApplicablePercent", f"{line.vat_rate:f}")
        _el(_el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount",
            _amount(line.net_amount))

    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    _el(agreement, "ram:BuyerReference", invoice.customer_siren or invoice.customer_name)
    _party(agreement, "ram:SellerTradeParty", name=invoice.seller_name, siren=invoice.seller_siren,
           vat_number=invoice.seller_vat_number, address=invoice.seller_address,
           postal_code=invoice.seller_postal_code, city=invoice.seller_city, seller=True)
    _party(agreement, "ram:BuyerTradeParty", name=invoice.customer_name, siren=invoice.customer_siren,
           vat_number=invoice.customer_vat_number, address=invoice.customer_address,
           postal_code=invoice.customer_postal_code, city=invoice.customer_city, seller=False)

    delivery = _el(transaction, "ram:ApplicableHeaderTradeDelivery")
    service_date = max((line.service_date for line in lines if line.service_date), default=None)
    if service_date:
        _date(_el(delivery, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime", service_date)

    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:PaymentReference", invoice.number)
    _el(settlement, "ram:InvoiceCurrencyCode", "EUR")
    if invoice.seller_iban and not invoice.is_credit_note:
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", "58")  # SEPA credit transfer
        _el(_el(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", invoice.seller_iban)
    totals = compute_totals((line.net_amount, line.vat_rate) for line in lines)
    for vat in totals.breakdown:
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", _amount(vat.vat))
        _el(tax, "ram:TypeCode", "VAT")
        if vat.rate == 0:
            _el(tax, "ram:ExemptionReason", "Exonération de TVA")
        _el(tax, "ram:BasisAmount", _amount(vat.taxable))
        _el(tax, "ram:CategoryCode", _vat_category(vat.rate))
        if invoice.vat_on_debits and vat.rate > 0:
            _el(tax, "ram:DueDateTypeCode", "5")  # UNTDID 2005: VAT due at invoice issue (debits)
        _el(tax, "ram:RateApplicablePercent", f"{vat.rate:f}")
    if invoice.period:
        period = _el(settlement, "ram:BillingSpecifiedPeriod")
        from backoffice.selectors.usage import month_bounds
        first, last = month_bounds(invoice.period)
        _date(period, "ram:StartDateTime", first)
        _date(period, "ram:EndDateTime", last)
    terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
    _el(terms, "ram:Description", _payment_terms(invoice))
    if invoice.due_date:
        _date(terms, "ram:DueDateDateTime", invoice.due_date)
    summation = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(summation, "ram:LineTotalAmount", _amount(totals.net))
    _el(summation, "ram:TaxBasisTotalAmount", _amount(totals.net))
    _el(summation, "ram:TaxTotalAmount", _amount(totals.vat), currencyID="EUR")
    _el(summation, "ram:GrandTotalAmount", _amount(totals.gross))
    _el(summation, "ram:DuePayableAmount", _amount(totals.gross))
    if invoice.corrects_id:
        original = invoice.corrects
        reference = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(reference, "ram:IssuerAssignedID", original.number)
        _el(_el(reference, "ram:FormattedIssueDateTime"), "qdt:DateTimeString",
            original.issue_date.strftime("%Y%m%d"), format="102")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _payment_terms(invoice: Invoice) -> str:
    return (f"Paiement à réception, au plus tard le {invoice.due_date:%d/%m/%Y}. {invoice.payment_terms_text} "
            f"Pénalités de retard : {invoice.late_penalty_text}. Indemnité forfaitaire pour frais de "
            f"recouvrement : 40 € (art. D441-5 du Code de commerce).")


def _notes(invoice: Invoice) -> list[tuple[str, str]]:
    """Notes with their UNTDID 4451 subject codes (French CIUS usage: PMT, PMD, AAB)."""
    notes = [("PMT", "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €."),
             ("PMD", f"Pénalités de retard : {invoice.late_penalty_text}."),
             ("AAB", invoice.payment_terms_text or "Pas d'escompte pour paiement anticipé.")]
    if invoice.vat_on_debits:
        notes.append(("TXD", "Option pour le paiement de la taxe d'après les débits."))
    if invoice.note:
        notes.append(("AAI", invoice.note))
    return notes
