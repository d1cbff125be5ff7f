"""Reading a camt.053 bank statement (ISO 20022 BankToCustomerStatement).

Why a hand-written reader here: no maintained camt.053 parser is installed in the project's
environment (sepaxml only writes pain messages). The maintained candidate on PyPI is
`pycamt` (1.1.1); until the lead pins it, this ONE module reads the few elements
reconciliation needs with lxml, hardened for uploads (no DTD, no entities, no network, no
huge trees), and nothing else in the project parses camt. Swapping in a library means
rewriting `parse_statement` only; the rest of invoicing sees `Statement` and `Credit`.

Read: the namespace must be camt.053 (`urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN`,
written against .001.02; the later versions keep the same paths, except `Sts/Cd` and
`Dbtr/Pty/Nm`, both read). Only booked credits (CdtDbtInd = CRDT, status BOOK, not a
reversal) are kept: they are what a customer paid. An entry that batches several
transactions (a direct-debit collection) gives one credit per transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree

NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d\d)$")
MAX_BYTES = 20 * 1024 * 1024


class StatementRejected(Exception):
    """The file is not a camt.053 statement we can read; `message` says why, in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Credit:
    key: str
    booking_date: datetime.date
    amount: Decimal
    currency: str
    debtor_name: str = ""
    end_to_end_id: str = ""
    bank_reference: str = ""
    remittance: str = ""
    direct_debit: bool = False

    @property
    def texts(self) -> list[str]:
        """Where an invoice number may be written."""
        return [self.remittance, self.end_to_end_id]


@dataclass
class Statement:
    reference: str
    account_iban: str
    created_on: datetime.datetime | None
    period_from: datetime.date | None
    period_to: datetime.date | None
    digest: str
    credits: list[Credit] = field(default_factory=list)
    debits_skipped: int = 0
    not_booked_skipped: int = 0


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


class _Reader:
    def __init__(self, ns: str):
        self.ns = {"c": ns}

    def all(self, node, path: str) -> list:
        return node.xpath(path, namespaces=self.ns)

    def text(self, node, *paths: str) -> str:
        for path in paths:
            found = node.xpath(path, namespaces=self.ns)
            if found:
                value = found[0] if isinstance(found[0], str) else (found[0].text or "")
                if value.strip():
                    return " ".join(value.split())
        return ""


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _datetime(value: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _amount(value: str, where: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError):
        raise StatementRejected(_("Entry %(where)s: the amount “%(value)s” is not a number.")
                                % {"where": where, "value": value}) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise StatementRejected(_("Entry %(where)s: the amount “%(value)s” is not an amount in cents.")
                                % {"where": where, "value": value})
    return amount


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def parse_statement(content: bytes) -> list[Statement]:
    """The statements of a camt.053 file (usually one), or StatementRejected with the reason."""
    if len(content) > MAX_BYTES:
        raise StatementRejected(_("This file is too large for a bank statement."))
    try:
        root = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError:
        raise StatementRejected(_("This file is not a camt.053 bank statement: it is not XML. "
                                  "Download the statement from your bank in camt.053 (ISO 20022) format.")) from None
    namespace = etree.QName(root).namespace or ""
    if not NAMESPACE.match(namespace) or etree.QName(root).localname != "Document":
        raise StatementRejected(_("This file is not a camt.053 bank statement (its format is “%(format)s”). "
                                  "Download the statement from your bank in camt.053 (ISO 20022) format.")
                                % {"format": namespace.rsplit(":", 1)[-1] or etree.QName(root).localname})
    r = _Reader(namespace)
    statements = r.all(root, "c:BkToCstmrStmt/c:Stmt")
    if not statements:
        raise StatementRejected(_("This camt.053 file holds no statement."))
    digest = hashlib.sha256(content).hexdigest()
    return [_statement(r, node, digest) for node in statements]


def _statement(r: _Reader, node, digest: str) -> Statement:
    reference = r.text(node, "c:Id")
    if not reference:
        raise StatementRejected(_("The statement has no identifier (Stmt/Id)."))
    account = r.text(node, "c:Acct/c:Id/c:IBAN", "c:Acct/c:Id/c:Othr/c:Id").replace(" ", "").upper()
    statement = Statement(
        reference=reference[:35], account_iban=account[:34], created_on=_datetime(r.text(node, "c:CreDtTm")),
        period_from=_date(r.text(node, "c:FrToDt/c:FrDtTm")), period_to=_date(r.text(node, "c:FrToDt/c:ToDtTm")),
        digest=digest)
    for index, entry in enumerate(r.all(node, "c:Ntry"), start=1):
        where = r.text(entry, "c:NtryRef") or str(index)
        if r.text(entry, "c:CdtDbtInd") != "CRDT" or r.text(entry, "c:RvslInd").lower() == "true":
            statement.debits_skipped += 1
            continue
        if r.text(entry, "c:Sts/c:Cd", "c:Sts") not in ("BOOK", ""):
            statement.not_booked_skipped += 1
            continue
        booked = _date(r.text(entry, "c:BookgDt/c:Dt", "c:BookgDt/c:DtTm", "c:ValDt/c:Dt", "c:ValDt/c:DtTm"))
        if booked is None:
            raise StatementRejected(_("Entry %(where)s has no booking date.") % {"where": where})
        entry_amount = _amount(r.text(entry, "c:Amt"), where)
        currency = r.all(entry, "c:Amt/@Ccy")
        family = r.text(entry, "c:BkTxCd/c:Domn/c:Fmly/c:Cd")
        entry_ref = r.text(entry, "c:AcctSvcrRef")
        transactions = r.all(entry, "c:NtryDtls/c:TxDtls")
        # A batched entry: one credit per transaction when each states its own amount.
        split = len(transactions) > 1 and all(r.text(tx, "c:AmtDtls/c:TxAmt/c:Amt", "c:Amt")
                                               for tx in transactions)
        for tx_index, tx in enumerate(transactions if split else [transactions[0] if transactions else entry]):
            amount = _amount(r.text(tx, "c:AmtDtls/c:TxAmt/c:Amt", "c:Amt"), where) if split else entry_amount
            remittance = " ".join(part for part in (
                " ".join(r.text(u, ".") for u in r.all(tx, "c:RmtInf/c:Ustrd")),
                r.text(tx, "c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref"),
                r.text(entry, "c:AddtlNtryInf"),
            ) if part)
            e2e = r.text(tx, "c:Refs/c:EndToEndId")
            if e2e == "NOTPROVIDED":
                e2e = ""
            bank_ref = r.text(tx, "c:Refs/c:AcctSvcrRef") or entry_ref
            key = _key(statement.account_iban, bank_ref, str(tx_index)) if bank_ref else _key(
                statement.account_iban, statement.reference, str(index), str(tx_index), str(booked), str(amount), e2e,
                remittance)
            statement.credits.append(Credit(
                key=key, booking_date=booked, amount=amount, currency=(currency[0] if currency else "EUR")[:3],
                debtor_name=r.text(tx, "c:RltdPties/c:Dbtr/c:Nm", "c:RltdPties/c:Dbtr/c:Pty/c:Nm")[:140],
                end_to_end_id=e2e[:35], bank_reference=bank_ref[:35], remittance=remittance[:500],
                direct_debit=family in ("RDDT", "IDDT") or bool(r.text(tx, "c:Refs/c:MndtId"))))
    return statement
