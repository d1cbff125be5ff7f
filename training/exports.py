"""The yearly summary as an xlsx workbook (page download and manage.py training_summary).

Text cells that a spreadsheet could read as a formula are neutralised (OWASP CSV injection),
through backoffice/safe_cells.py, as the payroll journal; amounts stay numbers."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from backoffice.safe_cells import text_cell
from training.selectors.summary import SummaryRow

HEADERS = ["Espace", "OPCO", "Demandes", "Stagiaires", "Heures-stagiaires", "Demandé (€)", "Accordé (€)",
           "Réclamé (€)", "Versé (€)", "Écart (€)"]
MONEY_FORMAT = "#,##0.00"


def _number(sheet, value: Decimal | int) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, Decimal):
        cell.number_format = MONEY_FORMAT
    return cell


def summary_xlsx(year: int, rows: list[SummaryRow]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"Formation {year}")
    sheet.append(HEADERS)
    for r in rows:
        sheet.append([text_cell(sheet, r.workspace), text_cell(sheet, r.opco), _number(sheet, r.requests),
                      _number(sheet, r.trainees), _number(sheet, r.hours), _number(sheet, r.asked),
                      _number(sheet, r.approved), _number(sheet, r.claimed), _number(sheet, r.paid),
                      _number(sheet, r.gap)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
