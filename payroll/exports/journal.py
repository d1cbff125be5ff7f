"""The payroll journal: one row per entrepreneur of the month, with totals (xlsx).

Written with openpyxl's write-only mode (streams rows, constant memory); amounts are numbers
with a money format; every text cell goes through backoffice/safe_cells.py (no formula injection). The
last columns show each entrepreneur's revenue and contribution to the CAE for the month."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from backoffice.safe_cells import number_cell, safe_row, text_cell
from payroll.models import PayrollPeriod, Payslip

# (column header, Payslip attribute): headers are the machine-readable names partners use.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("matricule", "entrepreneur.matricule"),
    ("nom", "entrepreneur.last_name"),
    ("prenom", "entrepreneur.first_name"),
    ("statut", "status"),
    ("brut", "gross"),
    ("cotisations_salariales", "total_employee_contributions"),
    ("cotisations_patronales", "total_employer_contributions"),
    ("reduction_generale", "reduction_generale"),
    ("net_social", "net_social"),
    ("net_avant_impot", "net_before_tax"),
    ("net_imposable", "taxable_net"),
    ("taux_pas", "pas_rate"),
    ("pas", "pas_amount"),
    ("frais_rembourses", "reimbursed_expenses"),
    ("net_a_payer", "net_paid"),
    ("cout_employeur", "employer_cost"),
    ("chiffre_affaires_ht", "revenue"),
    ("contribution_cae", "cae_contribution"),
)
HEADERS = [header for header, _ in COLUMNS]
# Columns summed on the totals row (everything that is an amount; not the PAS rate).
TOTALLED = [header for header, attr in COLUMNS if "." not in attr and attr not in ("status", "pas_rate")]


def _value(payslip: Payslip, attr: str):
    value = payslip
    for part in attr.split("."):
        value = getattr(value, part)
    return value


def journal_payslips(payroll_period: PayrollPeriod):
    return (Payslip.objects.filter(workspace=payroll_period.workspace, period=payroll_period.period)
            .select_related("entrepreneur").order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk"))


def journal_totals(payslips) -> dict[str, Decimal]:
    totals = {header: Decimal("0.00") for header in TOTALLED}
    attrs = dict(COLUMNS)
    for payslip in payslips:
        for header in TOTALLED:
            totals[header] += _value(payslip, attrs[header])
    return totals


def journal_xlsx(payroll_period: PayrollPeriod) -> bytes:
    """The month's journal as xlsx bytes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"Paie {payroll_period.period:%Y-%m}")
    bold = Font(bold=True)
    header_cells = []
    for header in HEADERS:
        cell = text_cell(sheet, header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    attrs = dict(COLUMNS)
    totals = {header: Decimal("0.00") for header in TOTALLED}
    count = 0
    for payslip in journal_payslips(payroll_period).iterator(chunk_size=2000):
        values = [_value(payslip, attr) for _header, attr in COLUMNS]
        sheet.append(safe_row(sheet, values))
        for header in TOTALLED:
            totals[header] += _value(payslip, attrs[header])
        count += 1
    total_row: list[WriteOnlyCell] = []
    for header in HEADERS:
        if header == "matricule":
            cell = text_cell(sheet, "TOTAL")
        elif header == "nom":
            cell = text_cell(sheet, f"{count} salarié(s)")
        elif header in totals:
            cell = number_cell(sheet, totals[header])
        else:
            cell = text_cell(sheet, "")
        cell.font = bold
        total_row.append(cell)
    sheet.append(total_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
