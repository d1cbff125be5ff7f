"""What every spreadsheet import of the business apps shares, next to the one bounded reader
(backoffice/spreadsheets.py): the report of a preview or an import, the exception that refuses
one row, and the django-import-export widgets that read cells as French users type them.

- An import reads its file with backoffice.spreadsheets.load_dataset, cleans each row through
  its resource's widgets (a cell that does not read raises CellError, saying in French what was
  expected), writes every row inside one transaction, and rolls it back when a row was refused
  or when it was only a preview. The report says per row what was (or would be) done: NEW,
  UPDATE with the columns that change and their values before and after, or UNCHANGED; and the
  errors by row and column.
- The widgets are built on spreadsheets.french_decimal and spreadsheets.french_date; each app
  gives the French words (`what`) its users read when a cell does not read.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from backoffice.safe_cells import DANGEROUS_PREFIXES
from backoffice.spreadsheets import french_date, french_decimal

MAX_ERRORS = 200
A_DATE, AN_AMOUNT = gettext_lazy("a date DD/MM/YYYY"), gettext_lazy("an amount")
NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"


# --- the report ------------------------------------------------------------------------------

@dataclass
class RowOutcome:
    number: int                      # the row number the user sees in the spreadsheet
    label: str                       # what the row is about (a company, a course…)
    action: str = UNCHANGED          # NEW, UPDATE or UNCHANGED
    changes: list[tuple[str, str, str]] = field(default_factory=list)   # (column, before, after)

    @property
    def columns(self) -> list[str]:
        """The columns that change."""
        return [column for column, _before, _after in self.changes]


@dataclass
class ImportReport:
    kind: str
    rows: list[RowOutcome] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)     # (row, column, message)
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def new(self) -> int:
        return self.count(NEW)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    def refuse(self, number: int, refusal: RowRefused) -> None:
        self.errors.append((number, refusal.column, refusal.message))

    @property
    def full(self) -> bool:
        """Enough errors to show: the import stops reading."""
        return len(self.errors) >= MAX_ERRORS

    def conclude(self, *, commit: bool) -> None:
        """At the end of the import's transaction: all or nothing. Rolled back when a row was
        refused or when it was only a preview; otherwise kept, and the report says so."""
        if self.errors or not commit:
            transaction.set_rollback(True)
        else:
            self.written = True


class RowRefused(Exception):
    """One row refused: the column (or "") and the French message shown against it."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def shown(value) -> str:
    """A value as the report shows it before or after a change."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def fold(text: str) -> str:
    """Lower case, no accents, hyphens as spaces: how a typed label or header is compared."""
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("-", " ")


# --- widgets: what a French spreadsheet writes -----------------------------------------------

class CellError(ValueError):
    """A value that does not read; `what` says in French what was expected."""

    def __init__(self, what):
        super().__init__(what)
        self.what = what


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a SIRET or a code typed as a number
        text = str(value).strip()
        if text.startswith("'") and text[1:].startswith(DANGEROUS_PREFIXES):
            text = text[1:]  # the apostrophe our exports put before a formula-like text (safe_cells)
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class FrenchDateWidget(widgets.Widget):
    """A date cell, or text as 31/12/2024 (spreadsheets.french_date); None when empty."""

    def __init__(self, what=A_DATE, **kwargs):
        super().__init__(**kwargs)
        self.what = what

    def clean(self, value, row=None, **kwargs):
        try:
            return french_date(value)
        except ValueError:
            raise CellError(self.what) from None

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class FrenchDecimalWidget(widgets.Widget):
    """A number cell, or text as "1 234,50" with `unit` ("€", "%") after it; None when empty."""

    def __init__(self, what=AN_AMOUNT, unit: str = "€", **kwargs):
        super().__init__(**kwargs)
        self.what, self.unit = what, unit

    def clean(self, value, row=None, **kwargs):
        try:
            return french_decimal(value, unit=self.unit)
        except ValueError:
            raise CellError(self.what) from None

    def render(self, value, obj=None, **kwargs):
        return value


class WholeNumberWidget(widgets.Widget):
    """A whole number, not negative; None when empty."""

    def __init__(self, what, **kwargs):
        super().__init__(**kwargs)
        self.what = what

    def clean(self, value, row=None, **kwargs):
        if value in ("", None):
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).strip()
        if not text.isdigit():
            raise CellError(self.what)
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class YesNoWidget(widgets.Widget):
    YES, NO = {"oui", "o", "yes", "vrai", "true", "1", "x"}, {"non", "n", "no", "faux", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise CellError(gettext_lazy("oui or non"))

    def render(self, value, obj=None, **kwargs):
        return "oui" if value else "non"


class ChoiceWidget(widgets.Widget):
    """A choice typed as its label, French or English (case, accents and hyphens as typed are
    tolerated), as one of `aliases`, or as its code. `what` names what was expected; without
    it, the message lists the French labels. An empty cell gives `blank`."""

    def __init__(self, choices, what=None, aliases: dict[str, str] | None = None, blank=None, **kwargs):
        super().__init__(**kwargs)
        self.choices, self.what, self.aliases, self.blank = choices, what, aliases or {}, blank

    def _table(self) -> dict[str, str]:
        table = {fold(str(code)): code for code in self.choices.values}
        for language in ("en", "fr"):  # the English msgid too: a file written with another interface language
            with translation.override(language):
                table.update({fold(str(label)): code for code, label in self.choices.choices})
        table.update({fold(k): v for k, v in self.aliases.items()})
        return table

    def clean(self, value, row=None, **kwargs):
        text = fold(str(value if value is not None else ""))
        if not text:
            return self.blank
        code = self._table().get(text)
        if code is None:
            if self.what:
                raise CellError(self.what)
            with translation.override("fr"):
                names = ", ".join(f"« {label} »" for label in self.choices.labels)
            raise CellError(_("one of %(names)s") % {"names": names})
        return code

    def render(self, value, obj=None, **kwargs):
        with translation.override("fr"):
            return str(self.choices(value).label) if value else ""


__all__ = ["MAX_ERRORS", "NEW", "UNCHANGED", "UPDATE", "CellError", "ChoiceWidget", "FrenchDateWidget",
           "FrenchDecimalWidget", "ImportReport", "RowOutcome", "RowRefused", "TextWidget", "WholeNumberWidget",
           "YesNoWidget", "fold", "shown"]
