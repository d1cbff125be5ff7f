"""Bank reconciliation from a camt.053 statement (ISO 20022 BankToCustomerStatement,
camt.053.001.02): exact matches become payments, doubtful credits wait for a person, a file
that is not camt.053 is refused with nothing written, a statement imported twice pays nothing
twice. The statements are small files written here."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from invoicing.bank.camt import StatementRejected, parse_statement
from invoicing.bank.matching import invoice_numbers
from invoicing.models import BankLine, BankStatement, InvoicingSettings, Payment
from invoicing.services.bank import statement_import
from invoicing.services.sepa import mandate_create, sepa_batch_create
from tests.invoicing.conftest import make_issued

pytestmark = pytest.mark.django_db
NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
HOST_IBAN = "FR7630006000011234567890189"


def entry(amount, *, ustrd="", e2e="", ref="", indicator="CRDT", status="BOOK", day=None, name="CAE A",
          family="ICDT", ccy="EUR") -> str:
    day = day or datetime.date.today()
    refs = f"<Refs>{f'<AcctSvcrRef>{ref}</AcctSvcrRef>' if ref else ''}<EndToEndId>{e2e or 'NOTPROVIDED'}</EndToEndId></Refs>"
    rmt = f"<RmtInf><Ustrd>{ustrd}</Ustrd></RmtInf>" if ustrd else ""
    return (f"<Ntry><Amt Ccy=\"{ccy}\">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><Sts>{status}</Sts>"
            f"<BookgDt><Dt>{day:%Y-%m-%d}</Dt></BookgDt><ValDt><Dt>{day:%Y-%m-%d}</Dt></ValDt>"
            f"{f'<AcctSvcrRef>{ref}</AcctSvcrRef>' if ref else ''}"
            f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
            f"<NtryDtls><TxDtls>{refs}<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties>{rmt}</TxDtls></NtryDtls>"
            f"</Ntry>")


def camt(*entries, statement_id="REL-2026-001", iban=HOST_IBAN, namespace=NS) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{namespace}"><BkToCstmrStmt>'
            f"<GrpHdr><MsgId>MSG-{statement_id}</MsgId><CreDtTm>2026-02-03T08:00:00</CreDtTm></GrpHdr>"
            f"<Stmt><Id>{statement_id}</Id><CreDtTm>2026-02-03T08:00:00</CreDtTm>"
            f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
            f"{''.join(entries)}</Stmt></BkToCstmrStmt></Document>").encode()


@pytest.fixture
def host_account(world):
    with scopes_disabled():
        InvoicingSettings.objects.update_or_create(workspace=world.host, defaults={
            "iban": HOST_IBAN, "sepa_creditor_id": "FR12ZZZ123456"})


def _import(content, actor=None):
    with scopes_disabled():
        return statement_import(actor=actor, content=content, file_name="releve.xml")


def _state():
    with scopes_disabled():
        return (BankStatement.objects.count(), list(BankLine.objects.order_by("pk").values_list("state", flat=True)),
                list(Payment.objects.order_by("pk").values_list("invoice__number", "amount", "method")))


def test_invoice_numbers_are_found_however_written():
    assert invoice_numbers(["Facture FA-2026-00042 merci", "FA202600043", "fa 2026 00044", "FA-2026-42"]) == [
        "FA-2026-00042", "FA-2026-00043", "FA-2026-00044"]
    assert invoice_numbers(["AV-2026-00001", "REF 2026 00042", "XFA-2026-00042"]) == []


def test_exact_credits_become_payments_and_doubtful_ones_wait(world, host_account):
    paid = make_issued(world.partner_a)            # 150,00 € incl. VAT
    partly = make_issued(world.partner_b)          # 150,00 €
    other = make_issued(world.alumni_c, ("Cotisation", "1", "100", "20"))  # 120,00 €
    report = _import(camt(
        entry("150.00", ustrd=f"Paiement facture {paid.number}", ref="B1"),
        entry("100.00", ustrd=f"Acompte {partly.number}", ref="B2"),             # amount differs
        entry("120.00", ustrd="Virement cotisation", ref="B3", name="SCOP C"),  # no reference
        entry("270.00", ustrd=f"{partly.number} et {other.number}", ref="B4"),  # several invoices
        entry("99.00", indicator="DBIT", ref="B5"),                               # a debit: not a payment
        entry("150.00", ustrd=f"{paid.number}", ref="B6", status="PDNG"),         # not booked
    ))
    assert (report.matched, report.to_review, report.skipped) == (1, 3, 2)
    count, states, payments = _state()
    assert count == 1 and states == ["matched", "review", "review", "review"]
    assert payments == [(paid.number, Decimal("150.00"), "transfer")]
    with scopes_disabled():
        reasons = list(BankLine.objects.filter(state="review").order_by("pk").values_list("reason", flat=True))
    assert "100,00 € received, 150,00 € due" in reasons[0]
    assert reasons[1] == "No invoice number in the transfer's reference."
    assert "Several invoices" in reasons[2]


def test_a_direct_debit_credit_names_the_invoice_by_its_end_to_end_id(world, host_account):
    invoice = make_issued(world.partner_a)
    with scopes_disabled():
        mandate_create(actor=None, workspace=world.partner_a, reference="M-1", signed_on=invoice.issue_date,
                       iban="FR7630004000031234567890143", debtor_name="CAE A")
        sepa_batch_create(actor=None, due_before=invoice.due_date)
    _import(camt(entry("150.00", e2e=invoice.number.replace("-", ""), ref="DD1", family="RDDT")))
    assert _state()[2] == [(invoice.number, Decimal("150.00"), "direct_debit")]


def test_the_same_statement_twice_pays_nothing_twice(world, host_account):
    invoice = make_issued(world.partner_a)
    content = camt(entry("50.00", ustrd=invoice.number, ref="B1"))
    _import(content)
    with pytest.raises(StatementRejected, match="already imported"):
        _import(content)
    # Another statement that repeats the same credit (same bank reference) skips it.
    again = _import(camt(entry("50.00", ustrd=invoice.number, ref="B1"), statement_id="REL-2026-002"))
    assert again.already_known == 1 and again.matched == 0
    assert _state() == (2, ["review"], [])  # 50 € of 150 €: left for a person, once
    with scopes_disabled():
        line = BankLine.objects.get()
    from invoicing.services.bank import bank_line_match
    with scopes_disabled():
        bank_line_match(actor=None, line=line, number=invoice.number)
    _import(camt(entry("50.00", ustrd=invoice.number, ref="B1"), statement_id="REL-2026-003"))
    assert _state() == (3, ["manual"], [(invoice.number, Decimal("50.00"), "transfer")])


@pytest.mark.parametrize("content, words", [
    (b"Date;Montant\n2026-01-02;150,00\n", "not XML"),
    (camt(namespace="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"), "camt.054.001.02"),
    (b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"><CstmrDrctDbtInitn/>'
     b"</Document>", "pain.008.001.02"),
    (camt(entry("abc", ustrd="FA-2026-00001")), "is not a number"),
])
def test_a_file_that_is_not_camt053_is_refused_and_nothing_written(world, host_account, content, words):
    make_issued(world.partner_a)
    with pytest.raises(StatementRejected, match=words):
        _import(content)
    assert _state() == (0, [], [])


def test_a_statement_of_another_account_is_refused(world, host_account):
    invoice = make_issued(world.partner_a)
    with pytest.raises(StatementRejected, match="not the cooperative's account"):
        _import(camt(entry("150.00", ustrd=invoice.number, ref="B1"), iban="FR7630004000031234567890143"))
    assert _state() == (0, [], [])


def test_a_file_declaring_a_dtd_is_refused_before_any_entity_is_read(world):
    """An upload cannot make the parser read a local file (XXE): pycamt's parser accepts a DOCTYPE,
    so ours refuses it, also in UTF-16 where the bytes do not spell "<!DOCTYPE"."""
    xxe = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           + camt(entry("1.00", ustrd="&x;", ref="B1")).decode().split("?>", 1)[1])
    for content in (xxe.replace("UTF-16", "UTF-8").encode(), xxe.encode("utf-16")):
        with pytest.raises(StatementRejected, match="declares a DTD"):
            parse_statement(content)


def test_a_batched_entry_gives_one_credit_per_transaction():
    """A direct-debit collection booked as one entry: each transaction is a credit with its own
    amount, end-to-end id and bank reference, unless their amounts do not add up to the entry's."""
    def batch(total, *amounts):
        txs = "".join(f"<TxDtls><Refs><AcctSvcrRef>T{n}</AcctSvcrRef><EndToEndId>FA202600{n:03d}</EndToEndId>"
                      f"<MndtId>M-{n}</MndtId></Refs><AmtDtls><TxAmt><Amt Ccy=\"EUR\">{amount}</Amt></TxAmt>"
                      f"</AmtDtls><RmtInf><Ustrd>Prélèvement</Ustrd></RmtInf></TxDtls>"
                      for n, amount in enumerate(amounts, start=1))
        return (entry(total, ref="LOT1", family="RDDT").replace("<NtryDtls>", "<NtryDtls><Btch><NbOfTxs>2</NbOfTxs>"
                                                                 "</Btch>", 1)
                .split("<TxDtls>")[0] + txs + "</NtryDtls></Ntry>")
    credits = parse_statement(camt(batch("80.00", "50.00", "30.00")))[0].credits
    assert [(c.amount, c.end_to_end_id, c.bank_reference, c.direct_debit) for c in credits] == [
        (Decimal("50.00"), "FA202600001", "T1", True), (Decimal("30.00"), "FA202600002", "T2", True)]
    assert len({c.key for c in credits}) == 2
    (whole,) = parse_statement(camt(batch("80.00", "50.00", "20.00")))[0].credits
    assert whole.amount == Decimal("80.00") and whole.bank_reference == "T1"


def test_a_prefixed_statement_and_a_newer_version_are_read():
    """camt.053.001.08 writes the status as Sts/Cd; the root may carry a namespace prefix."""
    content = camt(entry("12.50", ustrd="FA-2026-00007", ref="B1"), entry("9.00", ref="B2", status="PDNG"),
                   namespace=NS.replace(".02", ".08")).decode()
    content = content.replace("<Sts>BOOK</Sts>", "<Sts><Cd>BOOK</Cd></Sts>").replace("<Sts>PDNG</Sts>",
                                                                                     "<Sts><Cd>PDNG</Cd></Sts>")
    content = content.replace(' xmlns="', ' xmlns:c="').replace("</", "</c:").replace("<", "<c:").replace(
        "<c:/c:", "</c:").replace("<c:?xml", "<?xml")
    (statement,) = parse_statement(content.encode())
    assert (statement.reference, statement.account_iban, statement.not_booked_skipped) == (
        "REL-2026-001", HOST_IBAN, 1)
    assert [(c.amount, c.remittance, c.debtor_name) for c in statement.credits] == [
        (Decimal("12.50"), "FA-2026-00007", "CAE A")]


def test_staff_import_page_then_match_and_dismiss_by_hand(world, host_account, clients):
    invoice = make_issued(world.partner_a)
    staff = clients["staff"]
    bad = SimpleUploadedFile("releve.csv", b"Date;Montant\n", content_type="text/csv")
    with override_settings(LOCALE_PATHS=[settings.BASE_DIR / "locale"]):
        response = staff.post(reverse("staff:invoicing:bank"), {"file": bad}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "Ce fichier n’est pas un relevé camt.053 : ce n’est pas du XML." in response.content.decode()
    assert _state() == (0, [], [])
    upload = SimpleUploadedFile("releve.xml", camt(entry("150.00", ustrd="Virement", ref="B1"),
                                                   entry("30.00", ustrd="Subvention", ref="B2")))
    response = staff.post(reverse("staff:invoicing:bank"), {"file": upload})
    assert response.status_code == 302
    page = staff.get(reverse("staff:invoicing:bank_review"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert invoice.number in page  # suggested: an open invoice of this amount
    with scopes_disabled():
        first, second = BankLine.objects.order_by("pk")
    assert clients["partner_a"].post(reverse("staff:invoicing:bank_line_match", args=[first.pk]),
                                     {"number": invoice.number}).status_code in (403, 404)
    staff.post(reverse("staff:invoicing:bank_line_match", args=[first.pk]), {"number": invoice.number})
    staff.post(reverse("staff:invoicing:bank_line_dismiss", args=[second.pk]), {"note": "Subvention régionale"})
    count, states, payments = _state()
    assert states == ["manual", "dismissed"] and payments == [(invoice.number, Decimal("150.00"), "transfer")]
    # Matching again is refused: the line is handled.
    response = staff.post(reverse("staff:invoicing:bank_line_match", args=[first.pk]), {"number": invoice.number},
                          follow=True)
    assert "already handled" in response.content.decode() and len(_state()[2]) == 1
