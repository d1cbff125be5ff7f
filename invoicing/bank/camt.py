"""Reading a camt.053 bank statement (ISO 20022 BankToCustomerStatement).

Why this module: the maintained reader `pycamt` (pinned 1.1.1, MIT) reads the statement;
this module puts the upload guards in front of it and maps what it reads to our `Statement`
and `Credit`, so the rest of invoicing never sees pycamt. Nothing else in the project parses
camt.

Guards: a size limit, and no DTD — pycamt's lxml parser neither resolves entities nor uses the
network, but it accepts a DOCTYPE, so a file declaring one is refused (in the bytes before
pycamt parses, and on the parsed document for an encoding other than UTF-8). Then the root
must be a camt.053 `Document` (`urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN`).

Kept: only booked credits (entry CdtDbtInd = CRDT, status BOOK, not a reversal) — what a
customer paid. pycamt gives one row per transaction of an entry; a batched entry (a
direct-debit collection) gives one credit per transaction when the transactions' amounts add
up to the entry's, otherwise one credit of the entry's amount.

Read from pycamt's parsed tree (`.tree`, no second parse) because pycamt 1.1.1 does not expose
them, or not reliably: the statement's Id, CreDtTm, FrToDt and an account given as Othr/Id
rather than an IBAN; the entry's own Amt, CdtDbtInd and AcctSvcrRef (pycamt's row takes the
first one found anywhere in the entry: a transaction's, even a charges record's) and its
NtryRef (named in messages); a transaction's own Refs/AcctSvcrRef (the bank reference that
makes re-imports idempotent).

Entries are read one at a time with pycamt's per-entry reader `_extract_transaction(entry,
None)` (one row per NtryDtls/TxDtls, one for an entry without), not its public
`get_transactions()`: the latter looks the account IBAN up again from the statement for every
entry, which makes a statement of n entries cost n² (a 1 MB file took seconds, a 20 MB upload
minutes). Without a statement that lookup is skipped; we read the IBAN once per statement
with `get_statement_info()`. `_extract_transaction` is private: pycamt is pinned to 1.1.1
for that reason too.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree
from pycamt.parser import Camt053Parser

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


def _clean(value) -> str:
    return " ".join((value or "").split())


def _text(node, path: str, ns: dict) -> str:
    found = node.find(path, ns)
    return _clean(found.text) if found is not None else ""


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


def _refuse_dtd() -> StatementRejected:
    return StatementRejected(_("This file is not a camt.053 bank statement: it declares a DTD, which a bank "
                               "statement never does. Download the statement from your bank again."))


def _read(content: bytes) -> Camt053Parser:
    """pycamt's reader of `content`, after the upload guards."""
    if len(content) > MAX_BYTES:
        raise StatementRejected(_("This file is too large for a bank statement."))
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise _refuse_dtd()
    try:
        reader = Camt053Parser(content)
    except etree.XMLSyntaxError:
        raise StatementRejected(_("This file is not a camt.053 bank statement: it is not XML. "
                                  "Download the statement from your bank in camt.053 (ISO 20022) format.")) from None
    if reader.tree.getroottree().docinfo.doctype:  # a DTD in another encoding than UTF-8
        raise _refuse_dtd()
    root = etree.QName(reader.tree)
    namespace = root.namespace or ""
    if not NAMESPACE.match(namespace) or root.localname != "Document":
        raise StatementRejected(_("This file is not a camt.053 bank statement (its format is “%(format)s”). "
                                  "Download the statement from your bank in camt.053 (ISO 20022) format.")
                                % {"format": namespace.rsplit(":", 1)[-1] or root.localname})
    reader.namespaces = {None: namespace}  # pycamt's paths are unprefixed: also read a prefixed document
    return reader


def parse_statement(content: bytes) -> list[Statement]:
    """The statements of a camt.053 file (usually one), or StatementRejected with the reason."""
    reader = _read(content)
    ns = reader.namespaces
    nodes = reader.tree.findall(".//Stmt", ns)
    if not nodes:
        raise StatementRejected(_("This camt.053 file holds no statement."))
    digest, statements = hashlib.sha256(content).hexdigest(), []
    for node, info in zip(nodes, reader.get_statement_info(), strict=True):
        reference = _text(node, "Id", ns)
        if not reference:
            raise StatementRejected(_("The statement has no identifier (Stmt/Id)."))
        account = _clean(info["IBAN"]) or _text(node, "Acct/Id/Othr/Id", ns)
        statement = Statement(
            reference=reference[:35], account_iban=account.replace(" ", "").upper()[:34],
            created_on=_datetime(_text(node, "CreDtTm", ns)), period_from=_date(_text(node, "FrToDt/FrDtTm", ns)),
            period_to=_date(_text(node, "FrToDt/ToDtTm", ns)), digest=digest)
        for index, entry in enumerate(node.findall(".//Ntry", ns), start=1):
            transactions = [tx for details in entry.findall(".//NtryDtls", ns)
                            for tx in details.findall(".//TxDtls", ns)] or [None]
            rows = reader._extract_transaction(entry, None)  # no statement: see the docstring
            _entry(statement, entry, index, list(zip(rows, transactions, strict=True)), ns)
        statements.append(statement)
    return statements


def _entry(statement: Statement, entry, index: int, rows: list, ns: dict) -> None:
    """Add the booked credits of one entry; `rows` are pycamt's rows, each with its TxDtls element."""
    first = rows[0][0]  # the entry's own data (status, reversal, dates, family) is the same in every row
    if _text(entry, "CdtDbtInd", ns) != "CRDT" or _clean(first.get("ReversalIndicator")).lower() == "true":
        statement.debits_skipped += 1
        return
    if _clean(first.get("Status")) not in ("BOOK", ""):
        statement.not_booked_skipped += 1
        return
    where = _text(entry, "NtryRef", ns) or str(index)
    day = _date(_clean(first.get("BookingDate"))) or _date(_clean(first.get("ValueDate")))
    if day is None:
        raise StatementRejected(_("Entry %(where)s has no booking date.") % {"where": where})
    entry_amount = _amount(_text(entry, "Amt", ns), where)
    # A batched entry: one credit per transaction when their amounts add up to the entry's.
    amounts = [_amount(_clean(row.get("Amount")), where) for row, _tx in rows] if len(rows) > 1 else []
    credits = list(zip(rows, amounts, strict=True)) if amounts and sum(amounts) == entry_amount else [(rows[0], entry_amount)]
    entry_ref = _text(entry, "AcctSvcrRef", ns)
    for tx_index, ((row, tx), amount) in enumerate(credits):
        structured = _clean(row.get("RemittanceInformation"))  # Strd's reference, or the first Ustrd
        unstructured = _clean(row.get("RemittanceInformationFull"))
        remittance = " ".join(part for part in (
            unstructured, structured if structured not in unstructured else "",
            _clean(row.get("AdditionalEntryInformation"))) if part)
        e2e = _clean(row.get("EndToEndId"))
        if e2e == "NOTPROVIDED":
            e2e = ""
        bank_ref = (_text(tx, "Refs/AcctSvcrRef", ns) if tx is not None else "") or entry_ref
        key = _key(statement.account_iban, bank_ref, str(tx_index)) if bank_ref else _key(
            statement.account_iban, statement.reference, str(index), str(tx_index), str(day), str(amount), e2e,
            remittance)
        statement.credits.append(Credit(
            key=key, booking_date=day, amount=amount, currency=_clean(row.get("Currency") or "EUR")[:3],
            debtor_name=_clean(row.get("DebtorName"))[:140], end_to_end_id=e2e[:35], bank_reference=bank_ref[:35],
            remittance=remittance[:500],
            direct_debit=row.get("TransactionFamilyCode") in ("RDDT", "IDDT") or bool(row.get("MandateId"))))
