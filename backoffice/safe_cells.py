"""Spreadsheet cells that cannot turn into formulas (CSV/formula injection, OWASP).

A name typed as `=HYPERLINK("http://…")` must reach the spreadsheet as the text it is: any
text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with an
apostrophe and written with the string type, so no spreadsheet evaluates it. Numbers stay
numbers (only text is touched)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.cell import WriteOnlyCell

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Displayed as "1 234,56" by a French spreadsheet (separators follow the reader's locale).
MONEY_FORMAT = "#,##0.00"


def neutralise(value: str) -> str:
    """`value`, with a leading apostrophe if a spreadsheet could read it as a formula."""
    if value and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def text_cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralise("" if value is None else str(value)))
    cell.data_type = "s"  # never "f" (formula), whatever the text looks like
    return cell


def number_cell(sheet, value: Decimal | int | None, number_format: str = MONEY_FORMAT) -> WriteOnlyCell:
    if isinstance(value, float):
        raise TypeError("money is Decimal, never float")
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def safe_row(sheet, values) -> list[WriteOnlyCell]:
    """A row of cells: Decimals/ints as numbers, anything else as neutralised text."""
    return [number_cell(sheet, v) if isinstance(v, (Decimal, int)) and not isinstance(v, bool)
            else text_cell(sheet, v) for v in values]
