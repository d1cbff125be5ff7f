"""The xlsx template a partner fills in for a month (openpyxl).

Sheet 1 "Paie" (the only sheet read back): the headers, one row per entrepreneur active in the
month pre-filled with matricule, nom, prenom, nir (only for a reader allowed to see NIRs) and
statut (and the contractual hours and classification when recorded), number formats (text for matricule and nir,
so that leading zeros and 2A/2B survive), and data validation: statut from the list, amounts
≥ 0, hours 0–744, taux_pas 0–100, date_entree a date. Sheet 2 explains each column.

Every text cell is written as a string (never a formula, whatever it starts with: "=", "+",
"-", "@"), so a name in the database cannot inject a formula into the user's spreadsheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from backoffice.spreadsheets import MAX_ROWS
from payroll.imports import columns as C

SHEET_TITLE = "Paie"
_INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class TemplateRow:
    matricule: str
    last_name: str
    first_name: str
    nir: str
    status: str
    hours: Decimal | None
    classification: str = ""


def _text(cell, value: str) -> None:
    cell.value = value
    cell.data_type = "s"  # never a formula
    if value.startswith(_INJECTION_PREFIXES):
        cell.quotePrefix = True  # shown as text even if the user edits the cell
    cell.number_format = "@"


def build_template(rows: Iterable[TemplateRow], *, period_label: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    keys = [c.key for c in C.COLUMNS]
    ws.append(keys)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for index, column in enumerate(C.COLUMNS, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(column.key) + 4)
    ws.freeze_panes = "B2"

    position = {key: i for i, key in enumerate(keys, start=1)}
    count = 0
    for count, row in enumerate(rows, start=1):
        r = count + 1
        _text(ws.cell(row=r, column=position["matricule"]), row.matricule)
        _text(ws.cell(row=r, column=position["nom"]), row.last_name)
        _text(ws.cell(row=r, column=position["prenom"]), row.first_name)
        _text(ws.cell(row=r, column=position["nir"]), row.nir)
        if row.status:
            _text(ws.cell(row=r, column=position["statut"]), row.status)
        if row.hours is not None:
            ws.cell(row=r, column=position["heures"], value=row.hours)
        if row.classification:
            _text(ws.cell(row=r, column=position["classification"]), row.classification)

    last = MAX_ROWS + 1
    for key in ("matricule", "nir", "nom", "prenom", "statut", "classification"):
        letter = get_column_letter(position[key])
        for r in range(count + 2, min(count + 502, last)):
            ws[f"{letter}{r}"].number_format = "@"
    for column in C.COLUMNS:
        letter = get_column_letter(position[column.key])
        rng = f"{letter}2:{letter}{last}"
        validation = None
        if column.kind == C.STATUS:
            validation = DataValidation(type="list", formula1='"cadre,non cadre"', allow_blank=True)
            validation.error = _("Choose cadre or non cadre.")
        elif column.kind == C.MONEY:
            validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            validation.error = _("An amount in euros, 0 or more, at most two decimals.")
        elif column.kind == C.HOURS:
            validation = DataValidation(type="decimal", operator="between", formula1="0", formula2="744",
                                        allow_blank=True)
            validation.error = _("Hours between 0 and 744.")
        elif column.kind == C.RATE:
            validation = DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                                        allow_blank=True)
            validation.error = _("A rate in percent, between 0 and 100 (e.g. 7.5).")
        elif column.kind == C.DATE:
            validation = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
            validation.error = _("A date, e.g. 31/01/2026.")
        if validation is not None:
            validation.errorTitle = column.key
            validation.showErrorMessage = True
            ws.add_data_validation(validation)
            validation.add(rng)
        if column.kind in (C.MONEY, C.HOURS, C.RATE):
            for r in range(2, count + 502):
                ws[f"{letter}{r}"].number_format = "0.00"
        elif column.kind == C.DATE:
            for r in range(2, count + 502):
                ws[f"{letter}{r}"].number_format = "DD/MM/YYYY"

    help_sheet = wb.create_sheet(_("Instructions"))
    help_sheet.append([_("Payroll data for %(period)s") % {"period": period_label}])
    help_sheet["A1"].font = Font(bold=True)
    help_sheet.append([_("Only the first sheet is read. One row per entrepreneur paid this month; delete the rows "
                         "of those not paid. Type values, no formulas, no merged cells.")])
    help_sheet.append([])
    help_sheet.append([_("Column"), _("What to write")])
    for cell in help_sheet[4]:
        cell.font = Font(bold=True)
    for column in C.COLUMNS:
        help_sheet.append([column.key, str(column.help)])
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 110

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
