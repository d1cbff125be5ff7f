"""Accounting exports of the host's sales: the FEC (Fichier des écritures comptables, LPF
art. A47 A-1) and the sales journal (xlsx).

FEC: 18 columns in the legal order, first line the field names, tab-separated, UTF-8, decimal
comma without thousands separator, dates AAAAMMJJ, file named <SIREN>FEC<AAAAMMJJ> (closing
date). Entries: one per issued invoice or credit note in the sales journal (customer
auxiliary account per workspace at debit, revenue per service and VAT per rate at credit;
reversed for a credit note), one per payment in the bank journal."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from decimal import Decimal

from openpyxl import Workbook

from backoffice.safe_cells import text_cell
from backoffice.selectors.workspaces import host_workspace
from backoffice.tenancy import staff_wide
from invoicing.models import Invoice, InvoiceState, Payment
from invoicing.services.common import invoicing_settings, no_issuer
from invoicing.totals import compute_totals

FEC_COLUMNS = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
               "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
               "ValidDate", "Montantdevise", "Idevise"]
ZERO = Decimal("0.00")


def fec_amount(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}".replace(".", ",")


def fec_date(day: datetime.date | None) -> str:
    return day.strftime("%Y%m%d") if day else ""


def _clean(text: str) -> str:
    return " ".join(str(text).replace("\t", " ").split())


def customer_aux_account(workspace, settings=None) -> str:
    """The customer's auxiliary account in the host's chart of accounts (set by staff)."""
    return (settings or invoicing_settings()).customer_aux_account(workspace)


def fec_filename(siren: str, last: datetime.date) -> str:
    """<SIREN>FEC<AAAAMMJJ>, the date being the closing date of the period."""
    return f"{siren}FEC{last:%Y%m%d}.txt"


def fec_rows(first: datetime.date, last: datetime.date) -> list[list[str]]:
    with staff_wide("the host's accounts cover every customer"):
        settings = invoicing_settings()
        invoices = list(Invoice.objects.filter(state=InvoiceState.ISSUED, issue_date__range=(first, last))
                        .select_related("workspace").prefetch_related("lines").order_by("issue_date", "issued_at", "pk"))
        payments = list(Payment.objects.filter(received_on__range=(first, last)).select_related("invoice", "workspace")
                        .order_by("received_on", "pk"))
    rows = []
    number = 0
    for invoice in invoices:
        number += 1
        sign = -1 if invoice.is_credit_note else 1
        aux, aux_label = settings.customer_aux_account(invoice.workspace), _clean(invoice.customer_name)
        label = _clean(f"{'Avoir' if invoice.is_credit_note else 'Facture'} {invoice.number} {invoice.customer_name}")
        base = ["VE", "Ventes", f"VE{number:06d}", fec_date(invoice.issue_date)]
        tail = [invoice.number, fec_date(invoice.issue_date), label]

        def row(account, account_label, amount, aux_num="", aux_lib="", base=base, tail=tail, day=invoice.issue_date):
            debit, credit = (amount, ZERO) if amount >= 0 else (ZERO, -amount)
            rows.append(base + [account, account_label, aux_num, aux_lib] + tail
                        + [fec_amount(debit), fec_amount(credit), "", "", fec_date(day), "", ""])

        row(settings.customer_account, "Clients", sign * invoice.total_gross, aux, aux_label)
        revenue = defaultdict(lambda: ZERO)
        vat = defaultdict(lambda: ZERO)
        for line in invoice.lines.all():
            revenue[settings.revenue_account(line.service)] += line.net_amount
        for b in compute_totals((line.net_amount, line.vat_rate) for line in invoice.lines.all()).breakdown:
            if b.vat:
                vat[settings.vat_account(b.rate)] += b.vat
        for account, amount in sorted(revenue.items()):
            row(account, "Prestations de services", -sign * amount)
        for account, amount in sorted(vat.items()):
            row(account, "TVA collectée", -sign * amount)
    for payment in payments:
        number += 1
        invoice = payment.invoice
        base = ["BQ", "Banque", f"BQ{number:06d}", fec_date(payment.received_on)]
        label = _clean(f"Règlement {invoice.number} {invoice.customer_name}")
        tail = [payment.reference and _clean(payment.reference) or invoice.number, fec_date(payment.received_on), label]
        for account, account_label, debit, credit, aux, aux_label in (
                (settings.bank_account, "Banque", payment.amount, ZERO, "", ""),
                (settings.customer_account, "Clients", ZERO, payment.amount, settings.customer_aux_account(payment.workspace),
                 _clean(invoice.customer_name))):
            rows.append(base + [account, account_label, aux, aux_label] + tail
                        + [fec_amount(debit), fec_amount(credit), "", "", fec_date(payment.received_on), "", ""])
    return rows


def fec_text(first: datetime.date, last: datetime.date) -> str:
    lines = ["\t".join(FEC_COLUMNS)] + ["\t".join(row) for row in fec_rows(first, last)]
    return "\r\n".join(lines) + "\r\n"


def fec_export_period(first: datetime.date, last: datetime.date) -> tuple[str, bytes]:
    """(file name, UTF-8 content) of the FEC of the entries dated from `first` to `last`."""
    return fec_filename(host_workspace(missing=no_issuer).siren, last), fec_text(first, last).encode("utf-8")


def fec_export(year: int) -> tuple[str, bytes]:
    """(file name, UTF-8 content) of the FEC for the calendar year `year`."""
    return fec_export_period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def sales_journal_xlsx(first: datetime.date, last: datetime.date) -> bytes:
    """The sales journal of issued invoices and credit notes dated between first and last."""
    with staff_wide("the host's sales journal covers every customer"):
        invoices = list(Invoice.objects.filter(state=InvoiceState.ISSUED, issue_date__range=(first, last))
                        .select_related("workspace").order_by("issue_date", "issued_at", "pk"))
        settings = invoicing_settings()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Journal des ventes")
    sheet.append(["Date", "Numéro", "Type", "Client", "SIREN", "Compte auxiliaire", "Total HT", "TVA", "Total TTC"])
    for invoice in invoices:
        sign = -1 if invoice.is_credit_note else 1
        sheet.append([invoice.issue_date, text_cell(sheet, invoice.number),
                      text_cell(sheet, "Avoir" if invoice.is_credit_note else "Facture"),
                      text_cell(sheet, invoice.customer_name), text_cell(sheet, invoice.customer_siren),
                      text_cell(sheet, settings.customer_aux_account(invoice.workspace)),
                      sign * invoice.total_net, sign * invoice.total_vat, sign * invoice.total_gross])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
