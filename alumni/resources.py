"""The alumni list and past revenue declarations as spreadsheets: django-import-export
resources, one per sheet, used both ways.

- Import (alumni/services/imports.py): the file is read by backoffice.spreadsheets.load_dataset
  (the bounded reader, guarded_load included), then each row is cleaned field by field by the
  resource's widgets; a value that does not read names its column in French.
- Export (alumni/views/staff_import.py): the same columns, written through
  backoffice/safe_cells.py, so an exported file imports back unchanged.

Column names are French: they are what the host's staff type in their spreadsheet.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret

from alumni.models import CompanyLegalForm, CompanyStatus, DeclarationFrequency
from backoffice.safe_cells import DANGEROUS_PREFIXES


class CellError(ValueError):
    """A value that does not read; `what` says in French what was expected."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        # Our own exports neutralise formula-like text with an apostrophe (backoffice/safe_cells.py):
        # read back, it is the text it was.
        if text.startswith("'") and text[1:].startswith(DANGEROUS_PREFIXES):
            text = text[1:]
        return text


class FrenchDateWidget(widgets.Widget):
    """A date cell, or text as 31/12/2024 (or 2024-12-31)."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise CellError(gettext_lazy("a date as 31/12/2024"))

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class FrenchDecimalWidget(widgets.Widget):
    """An amount or a rate: a number cell, or text as "1 234,50" ("€" and spaces ignored)."""

    def __init__(self, what: str = "", **kwargs):
        super().__init__(**kwargs)
        self.what = what

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            raise CellError(self.what or gettext_lazy("an amount"))
        if isinstance(value, float):
            value = repr(value)
        text = str(value).replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
        text = text.replace("%", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(self.what or gettext_lazy("an amount")) from None
        if not number.is_finite():
            raise CellError(self.what or gettext_lazy("an amount"))
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class ChoiceWidget(widgets.Widget):
    """A choice typed as its French label (case and accents as typed are tolerated) or its code."""

    def __init__(self, choices, what: str, aliases: dict[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.choices, self.what, self.aliases = choices, what, aliases or {}

    def _table(self) -> dict[str, str]:
        table = {fold(code): code for code, _label in self.choices.choices}
        table.update({fold(str(label)): code for code, label in self.choices.choices})
        table.update({fold(k): v for k, v in self.aliases.items()})
        return table

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        code = self._table().get(fold(str(value)))
        if code is None:
            raise CellError(self.what)
        return code

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


def fold(text: str) -> str:
    """Lower case, no accents, hyphens as spaces: how a typed label or header is compared."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("-", " ")


class SirenWidget(TextWidget):
    """A SIREN checked with python-stdnum (its Luhn key), spaces allowed."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if not text:
            return ""
        try:
            return std_siren.validate(text)
        except StdnumError:
            raise CellError(gettext_lazy("a SIREN of 9 digits whose key is right")) from None


class SiretWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if not text:
            return ""
        try:
            return std_siret.validate(text)
        except StdnumError:
            raise CellError(gettext_lazy("a SIRET of 14 digits whose key is right")) from None


FREQUENCY_ALIASES = {"annuelle": DeclarationFrequency.YEARLY, "annuel": DeclarationFrequency.YEARLY,
                     "trimestrielle": DeclarationFrequency.QUARTERLY, "trimestriel": DeclarationFrequency.QUARTERLY}
STATUS_ALIASES = {"en creation": CompanyStatus.IN_CREATION, "active": CompanyStatus.ACTIVE,
                  "cessee": CompanyStatus.CEASED, "cesse": CompanyStatus.CEASED}
LEGAL_FORM_ALIASES = {"ei": CompanyLegalForm.EI, "entreprise individuelle": CompanyLegalForm.EI,
                      "autre": CompanyLegalForm.OTHER}


class CompanyResource(resources.Resource):
    """One alumni company a row; the SIREN identifies it (a new SIREN: a new company)."""

    siren = fields.Field(attribute="siren", column_name="siren", widget=SirenWidget())
    name = fields.Field(attribute="name", column_name="raison sociale", widget=TextWidget())
    slug = fields.Field(attribute="slug", column_name="identifiant", widget=TextWidget())
    legal_form = fields.Field(attribute="legal_form", column_name="forme juridique",
                              widget=ChoiceWidget(CompanyLegalForm, gettext_lazy("a legal form such as SCOP SARL or SAS"),
                                                  LEGAL_FORM_ALIASES))
    siret = fields.Field(attribute="siret", column_name="siret", widget=SiretWidget())
    origin = fields.Field(attribute="origin", column_name="cae d'origine", widget=TextWidget())
    creation_date = fields.Field(attribute="creation_date", column_name="date de création", widget=FrenchDateWidget())
    status = fields.Field(attribute="status", column_name="statut",
                          widget=ChoiceWidget(CompanyStatus, gettext_lazy("en création, active or cessée"), STATUS_ALIASES))
    trade = fields.Field(attribute="trade", column_name="métier", widget=TextWidget())
    address = fields.Field(attribute="address", column_name="adresse", widget=TextWidget())
    postal_code = fields.Field(attribute="postal_code", column_name="code postal", widget=TextWidget())
    city = fields.Field(attribute="city", column_name="ville", widget=TextWidget())
    declaration_frequency = fields.Field(
        attribute="declaration_frequency", column_name="déclaration",
        widget=ChoiceWidget(DeclarationFrequency, gettext_lazy("annuelle or trimestrielle"), FREQUENCY_ALIASES))
    contribution_rate = fields.Field(attribute="contribution_rate", column_name="taux de contribution",
                                     widget=FrenchDecimalWidget(gettext_lazy("a rate in %, e.g. 1 or 1,5")))
    agreement_start = fields.Field(attribute="agreement_start", column_name="début de convention",
                                   widget=FrenchDateWidget())
    next_contact_date = fields.Field(attribute="next_contact_date", column_name="prochain contact",
                                     widget=FrenchDateWidget())
    follow_up_notes = fields.Field(attribute="follow_up_notes", column_name="notes de suivi", widget=TextWidget())
    founders = fields.Field(attribute="founders", column_name="fondateurs", widget=TextWidget())

    REQUIRED = ("siren",)


class DeclarationResource(resources.Resource):
    """One past revenue declaration a row; the company by its SIREN, the period by its dates."""

    siren = fields.Field(attribute="siren", column_name="siren", widget=SirenWidget())
    company = fields.Field(attribute="company", column_name="raison sociale", widget=TextWidget())
    period_start = fields.Field(attribute="period_start", column_name="début de période", widget=FrenchDateWidget())
    period_end = fields.Field(attribute="period_end", column_name="fin de période", widget=FrenchDateWidget())
    revenue = fields.Field(attribute="revenue", column_name="chiffre d'affaires", widget=FrenchDecimalWidget())
    contribution = fields.Field(attribute="contribution", column_name="contribution", widget=FrenchDecimalWidget())
    settled_outside = fields.Field(attribute="settled_outside", column_name="payé avant mutualise",
                                   widget=FrenchDecimalWidget())

    REQUIRED = ("siren", "début de période", "fin de période", "chiffre d'affaires", "contribution")


def column_names(resource: resources.Resource) -> list[str]:
    return [f.column_name for f in resource.fields.values()]


def clean_row(resource: resources.Resource, row: dict) -> tuple[dict, list[tuple[str, str]]]:
    """(values by attribute, [(column, French message)]) for one row given as {column: raw value}."""
    values, errors = {}, []
    for f in resource.fields.values():
        raw = row.get(f.column_name, "")
        try:
            values[f.attribute] = f.widget.clean(raw, row=row)
        except CellError as exc:
            errors.append((f.column_name, _("expected %(what)s, not “%(value)s”") % {
                "what": exc.what, "value": str(raw)[:40]}))
    return values, errors


def export_rows(resource: resources.Resource, objects) -> list[list]:
    """Each object (a dict keyed by attribute) as the row of cells the resource's widgets render."""
    return [[f.widget.render(f.get_value(obj)) for f in resource.fields.values()] for obj in objects]
