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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret

from alumni.models import CompanyLegalForm, CompanyStatus, DeclarationFrequency
from backoffice.imports import CellError, ChoiceWidget, FrenchDateWidget, FrenchDecimalWidget, TextWidget

# What a French user reads when a date or a choice does not read (the other widgets' words are
# backoffice/imports.py's).
DATE = gettext_lazy("a date as 31/12/2024")


def _date() -> FrenchDateWidget:
    return FrenchDateWidget(DATE)


def _choice(choices, what, aliases) -> ChoiceWidget:
    return ChoiceWidget(choices, what, aliases, blank="")


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
                              widget=_choice(CompanyLegalForm, gettext_lazy("a legal form such as SCOP SARL or SAS"),
                                                  LEGAL_FORM_ALIASES))
    siret = fields.Field(attribute="siret", column_name="siret", widget=SiretWidget())
    origin = fields.Field(attribute="origin", column_name="cae d'origine", widget=TextWidget())
    creation_date = fields.Field(attribute="creation_date", column_name="date de création", widget=_date())
    status = fields.Field(attribute="status", column_name="statut",
                          widget=_choice(CompanyStatus, gettext_lazy("en création, active or cessée"), STATUS_ALIASES))
    trade = fields.Field(attribute="trade", column_name="métier", widget=TextWidget())
    address = fields.Field(attribute="address", column_name="adresse", widget=TextWidget())
    postal_code = fields.Field(attribute="postal_code", column_name="code postal", widget=TextWidget())
    city = fields.Field(attribute="city", column_name="ville", widget=TextWidget())
    declaration_frequency = fields.Field(
        attribute="declaration_frequency", column_name="déclaration",
        widget=_choice(DeclarationFrequency, gettext_lazy("annuelle or trimestrielle"), FREQUENCY_ALIASES))
    contribution_rate = fields.Field(attribute="contribution_rate", column_name="taux de contribution",
                                     widget=FrenchDecimalWidget(gettext_lazy("a rate in %, e.g. 1 or 1,5"), unit="%"))
    agreement_start = fields.Field(attribute="agreement_start", column_name="début de convention",
                                   widget=_date())
    next_contact_date = fields.Field(attribute="next_contact_date", column_name="prochain contact",
                                     widget=_date())
    follow_up_notes = fields.Field(attribute="follow_up_notes", column_name="notes de suivi", widget=TextWidget())
    founders = fields.Field(attribute="founders", column_name="fondateurs", widget=TextWidget())

    REQUIRED = ("siren",)


class DeclarationResource(resources.Resource):
    """One past revenue declaration a row; the company by its SIREN, the period by its dates."""

    siren = fields.Field(attribute="siren", column_name="siren", widget=SirenWidget())
    company = fields.Field(attribute="company", column_name="raison sociale", widget=TextWidget())
    period_start = fields.Field(attribute="period_start", column_name="début de période", widget=_date())
    period_end = fields.Field(attribute="period_end", column_name="fin de période", widget=_date())
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
