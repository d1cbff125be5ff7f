"""Bank reconciliation: importing a camt.053 statement, matching its credits to open invoices
(invoicing/bank/matching.py), and the hand matching of what was left for review.

- The file is read whole before anything is written (invoicing/bank/camt.py); a file that is
  not camt.053 is refused with the reason, nothing written.
- The same statement (account + statement id) is imported once: a second import is refused,
  so it cannot pay an invoice twice; a credit already imported with another statement is
  skipped (BankLine.key is unique).
- An exact match becomes a payment through `payment_record`, the one way payments are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.services.audit import audit_record
from backoffice.tenancy import staff_wide
from invoicing.bank.camt import Credit, Statement, StatementRejected, parse_statement
from invoicing.bank.matching import decide, invoice_numbers
from invoicing.models import (
    BankLine,
    BankLineState,
    BankStatement,
    DebitState,
    Invoice,
    InvoiceKind,
    InvoiceState,
    PaymentMethod,
)
from invoicing.selectors.invoices import with_balance
from invoicing.services.common import host_workspace, invoicing_settings
from invoicing.services.payments import payment_record


@dataclass
class ImportReport:
    statements: list[BankStatement] = field(default_factory=list)
    matched: int = 0
    to_review: int = 0
    already_known: int = 0
    skipped: int = 0  # debits, reversals, entries not booked


def _open_invoices(numbers: list[str]) -> dict[str, Invoice]:
    invoices = with_balance(Invoice.objects.filter(number__in=numbers, kind=InvoiceKind.INVOICE,
                                                   state=InvoiceState.ISSUED).select_related("workspace"))
    return {invoice.number: invoice for invoice in invoices}


def _payment_method(credit: Credit, invoice: Invoice) -> str:
    if credit.direct_debit or invoice.debits.filter(state=DebitState.SENT).exists():
        return PaymentMethod.DIRECT_DEBIT
    return PaymentMethod.TRANSFER


def _reference(credit: Credit) -> str:
    return " ".join(part for part in (credit.bank_reference, credit.end_to_end_id, credit.remittance) if part)[:140]


def _reconcile(line: BankLine, credit: Credit, actor) -> bool:
    numbers = invoice_numbers(credit.texts)
    invoices = _open_invoices(numbers) if numbers else {}
    decision = decide(amount=credit.amount, currency=credit.currency, numbers=numbers,
                      balances={number: invoice.balance for number, invoice in invoices.items()})
    if decision.matched:
        invoice = invoices[decision.number]
        try:
            line.payment = payment_record(actor=actor, invoice=invoice, amount=credit.amount,
                                          received_on=credit.booking_date, method=_payment_method(credit, invoice),
                                          reference=_reference(credit))
        except ValidationError as error:
            line.state, line.reason = BankLineState.TO_REVIEW, " ".join(error.messages)[:300]
            return False
        line.state = BankLineState.MATCHED
        return True
    line.state, line.reason = BankLineState.TO_REVIEW, decision.reason[:300]
    return False


def _aware(moment):
    return timezone.make_aware(moment) if moment is not None and timezone.is_naive(moment) else moment


def _check_account(statement: Statement, host_iban: str) -> None:
    if host_iban and statement.account_iban and statement.account_iban != host_iban:
        raise StatementRejected(_("This statement is for account %(account)s, not the cooperative's account "
                                  "(%(ours)s): nothing was imported.")
                                % {"account": f"…{statement.account_iban[-4:]}", "ours": f"…{host_iban[-4:]}"})


def statement_import(*, actor, content: bytes, file_name: str = "") -> ImportReport:
    """Import a camt.053 file; StatementRejected (French message) when it cannot be, nothing written."""
    parsed = parse_statement(content)
    report = ImportReport()
    with staff_wide("a bank statement pays invoices of every customer"), transaction.atomic():
        host = host_workspace()
        host_iban = invoicing_settings(host).iban
        for statement in parsed:
            _check_account(statement, host_iban)
            known = (BankStatement.objects.filter(workspace=host, account_iban=statement.account_iban,
                                                  reference=statement.reference).first())
            if known is not None:
                raise StatementRejected(_("Statement %(reference)s was already imported on %(day)s: "
                                          "nothing was imported again.")
                                        % {"reference": statement.reference,
                                           "day": known.imported_at.strftime("%d/%m/%Y")})
            try:
                with transaction.atomic():
                    row = BankStatement.objects.create(
                        workspace=host, reference=statement.reference, account_iban=statement.account_iban,
                        created_on=_aware(statement.created_on), period_from=statement.period_from,
                        period_to=statement.period_to, file_name=file_name[:200], digest=statement.digest,
                        imported_by=actor if getattr(actor, "is_authenticated", False) else None)
            except IntegrityError:  # the same statement, imported at the same moment by someone else
                raise StatementRejected(_("Statement %(reference)s is already being imported: nothing was "
                                          "imported again.") % {"reference": statement.reference}) from None
            report.statements.append(row)
            matched, to_review = report.matched, report.to_review
            report.skipped += statement.debits_skipped + statement.not_booked_skipped
            seen = set(BankLine.objects.filter(workspace=host, key__in=[c.key for c in statement.credits])
                       .values_list("key", flat=True))
            for credit in statement.credits:
                if credit.key in seen:
                    report.already_known += 1
                    continue
                seen.add(credit.key)
                line = BankLine(workspace=host, statement=row, key=credit.key, booking_date=credit.booking_date,
                                amount=credit.amount, currency=credit.currency, debtor_name=credit.debtor_name,
                                end_to_end_id=credit.end_to_end_id, bank_reference=credit.bank_reference,
                                remittance=credit.remittance, direct_debit=credit.direct_debit)
                if _reconcile(line, credit, actor):
                    report.matched += 1
                else:
                    report.to_review += 1
                line.save()
            audit_record(actor=actor, workspace=host, action="bank.statement_import", obj=row,
                         changes={"lines": len(statement.credits), "matched": report.matched - matched,
                                  "to_review": report.to_review - to_review})
    return report


def _locked_line(line: BankLine) -> BankLine:
    line = BankLine.objects.select_for_update().get(pk=line.pk)
    if line.state != BankLineState.TO_REVIEW:
        raise ValidationError(_("This bank line was already handled."))
    return line


@transaction.atomic
def bank_line_match(*, actor, line: BankLine, number: str, overpayment: bool = False) -> BankLine:
    """A person matches a doubtful credit to an issued invoice: it becomes a payment of it."""
    with staff_wide("staff match a credit of the host's account to any customer's invoice"):
        line = _locked_line(line)
        invoice = (Invoice.objects.filter(number=(number or "").strip().upper(), kind=InvoiceKind.INVOICE,
                                          state=InvoiceState.ISSUED).select_related("workspace").first())
        if invoice is None:
            raise ValidationError({"number": [_("No issued invoice has this number.")]})
        if line.currency != "EUR":
            raise ValidationError(_("Only a credit in euros pays an invoice."))
        line.payment = payment_record(
            actor=actor, invoice=invoice, amount=Decimal(line.amount), received_on=line.booking_date,
            method=PaymentMethod.DIRECT_DEBIT if line.direct_debit else PaymentMethod.TRANSFER,
            reference=" ".join(p for p in (line.bank_reference, line.end_to_end_id, line.remittance) if p)[:140],
            overpayment=overpayment)
        line.state = BankLineState.MATCHED_BY_HAND
        line.handled_by = actor if getattr(actor, "is_authenticated", False) else None
        line.save(update_fields=["payment", "state", "handled_by"])
        audit_record(actor=actor, workspace=line.workspace, action="bank.line_match", obj=line,
                     changes={"invoice": invoice.number, "amount": line.amount})
    return line


@transaction.atomic
def bank_line_dismiss(*, actor, line: BankLine, note: str) -> BankLine:
    """A person says a credit pays no invoice (a grant, a refund…), with a word why."""
    with staff_wide("the host's bank lines"):
        line = _locked_line(line)
        if not (note or "").strip():
            raise ValidationError({"note": [_("Say what this credit is.")]})
        line.state, line.note = BankLineState.DISMISSED, note.strip()[:300]
        line.handled_by = actor if getattr(actor, "is_authenticated", False) else None
        line.save(update_fields=["state", "note", "handled_by"])
        audit_record(actor=actor, workspace=line.workspace, action="bank.line_dismiss", obj=line,
                     changes={"note": line.note})
    return line
