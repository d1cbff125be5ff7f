"""The training catalogue in and out of a spreadsheet: training bodies, courses, OPCO rules,
one kind per sheet, so a CAE's existing catalogue moves in at once.

- Columns are django-import-export resources (French headers, widgets that read French
  numbers, dates and yes/no); the export writes the same columns, so an exported file can be
  edited and imported back.
- The file is read only through backoffice.spreadsheets.load_dataset (the bounded reader; an
  xlsx goes through guarded_load first).
- `catalogue_import(commit=False)` is the preview: every row is checked and written inside a
  transaction that is rolled back, and the report says per row what would change (new,
  updated with the columns that change, unchanged). `commit=True` writes all or nothing: one
  refused row and the transaction is rolled back.
- Rows are written through training/services/reference.py (body_save, course_save,
  opco_save): the same validation (SIRET with python-stdnum…) and audit as the staff forms.
  A row is matched to what exists by its key: a body's SIRET, a course's body SIRET and
  title, an OPCO's code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from openpyxl import Workbook
from stdnum.fr import siret as stdnum_siret

from backoffice.safe_cells import DANGEROUS_PREFIXES, number_cell, text_cell
from backoffice.spreadsheets import french_date, french_decimal
from training.models import Course, DayCount, Modality, Opco, PriceBasis, TrainingBody
from training.services.reference import (
    BODY_FIELDS,
    COURSE_FIELDS,
    OPCO_FIELDS,
    body_save,
    course_save,
    opco_save,
)

MAX_ERRORS = 200
NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"


# --- widgets: what a French spreadsheet writes -----------------------------------------------

class FrenchDecimalWidget(widgets.DecimalWidget):
    """"1 234,50", "1234.5", 1234.5 or empty (None)."""

    def clean(self, value, row=None, **kwargs):
        try:
            return french_decimal(value, unit="€")
        except ValueError:
            raise ValueError(_("a number (e.g. 1 234,50)")) from None


class WholeNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if value in ("", None):
            return None
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if not text.isdigit():
            raise ValueError(_("a whole number of days"))
        return int(text)


class FrenchDateWidget(widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return french_date(value)
        except ValueError:
            raise ValueError(_("a date DD/MM/YYYY")) from None

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


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
        raise ValueError(_("oui or non"))

    def render(self, value, obj=None, **kwargs):
        return "oui" if value else "non"


class ChoiceWidget(widgets.Widget):
    """A choice by its French label (as exported) or its code."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def _labels(self) -> dict[str, str]:
        out = {}
        for language in ("en", "fr"):  # the English msgid too: a file written with another interface language
            with translation.override(language):
                out.update({str(label).strip().lower(): value for value, label in self.choices.choices})
        out.update({value: value for value in self.choices.values})
        return out

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if not text:
            return None
        found = self._labels().get(text)
        if found is None:
            with translation.override("fr"):
                names = ", ".join(f"« {label} »" for label in self.choices.labels)
            raise ValueError(_("one of %(names)s") % {"names": names})
        return found

    def render(self, value, obj=None, **kwargs):
        with translation.override("fr"):
            return str(self.choices(value).label) if value else ""


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a SIRET or a code typed as a number
        text = str(value).strip()
        if text.startswith("'") and text[1:].startswith(DANGEROUS_PREFIXES):
            text = text[1:]  # the apostrophe the export put before a formula-like text (safe_cells)
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


# --- the resources: one per kind of reference data --------------------------------------------

def _f(attribute: str, column: str, widget=None) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget or TextWidget())


class BodyResource(resources.Resource):
    name = _f("name", "nom")
    siret = _f("siret", "siret")
    nda = _f("nda", "numéro de déclaration d'activité")
    address = _f("address", "adresse")
    qualiopi_number = _f("qualiopi_number", "certificat qualiopi")
    qualiopi_expires_on = _f("qualiopi_expires_on", "fin de validité qualiopi", FrenchDateWidget())


class CourseResource(resources.Resource):
    body = _f("body", "siret de l'organisme")
    title = _f("title", "intitulé")
    objectives = _f("objectives", "objectifs")
    programme = _f("programme", "programme")
    prerequisites = _f("prerequisites", "prérequis")
    duration_hours = _f("duration_hours", "durée (heures)", FrenchDecimalWidget())
    modality = _f("modality", "modalité", ChoiceWidget(Modality))
    assessment = _f("assessment", "évaluation")
    accessibility = _f("accessibility", "accessibilité")
    price = _f("price", "prix (€ HT)", FrenchDecimalWidget())
    price_basis = _f("price_basis", "base du prix", ChoiceWidget(PriceBasis))


class OpcoResource(resources.Resource):
    code = _f("code", "code")
    name = _f("name", "nom")
    scope_note = _f("scope_note", "public couvert")
    request_days_before = _f("request_days_before", "dépôt : jours avant le début", WholeNumberWidget())
    request_day_count = _f("request_day_count", "dépôt : jours comptés", ChoiceWidget(DayCount))
    claim_days_after = _f("claim_days_after", "remboursement : jours après la fin", WholeNumberWidget())
    claim_day_count = _f("claim_day_count", "remboursement : jours comptés", ChoiceWidget(DayCount))
    hourly_ceiling = _f("hourly_ceiling", "plafond horaire (€)", FrenchDecimalWidget())
    subrogation = _f("subrogation", "subrogation", YesNoWidget())
    source = _f("source", "source")


@dataclass(frozen=True)
class Kind:
    code: str
    resource: type[resources.Resource]
    model: type
    model_fields: list[str]
    required: tuple[str, ...]  # columns a file must have
    filename: str


KINDS = {
    "bodies": Kind("bodies", BodyResource, TrainingBody, BODY_FIELDS, ("nom", "siret"), "organismes-de-formation"),
    "courses": Kind("courses", CourseResource, Course, COURSE_FIELDS, ("siret de l'organisme", "intitulé"),
                    "formations"),
    "opcos": Kind("opcos", OpcoResource, Opco, OPCO_FIELDS, ("code", "nom"), "opco"),
}


# --- export ----------------------------------------------------------------------------------

def _export_value(kind: Kind, f: fields.Field, obj) -> Any:
    value = getattr(obj, f.attribute)
    if kind.code == "courses" and f.attribute == "body":
        return obj.body.siret
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return value
    return f.widget.render(value)


def catalogue_export(kind_code: str) -> bytes:
    """One kind of the catalogue as xlsx, with the columns its import reads. Text through
    backoffice/safe_cells.py (no cell can turn into a formula); numbers stay numbers."""
    kind = KINDS[kind_code]
    resource = kind.resource()
    columns = list(resource.fields.values())
    queryset = kind.model.objects.all()
    if kind.code == "courses":
        queryset = queryset.select_related("body").order_by("body__name", "title", "pk")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind.filename[:31])
    sheet.append([text_cell(sheet, f.column_name) for f in columns])
    for obj in queryset:
        row = []
        for f in columns:
            value = _export_value(kind, f, obj)
            if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
                row.append(number_cell(sheet, value, "#,##0.00" if isinstance(value, Decimal) else "0"))
            else:
                row.append(text_cell(sheet, value))
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- import ----------------------------------------------------------------------------------

@dataclass
class RowOutcome:
    row: int
    action: str  # NEW, UPDATE, UNCHANGED
    label: str
    changed: list[str] = field(default_factory=list)  # column names


@dataclass
class CatalogueReport:
    kind: str
    rows: int = 0
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def n_new(self) -> int:
        return self.count(NEW)

    @property
    def n_update(self) -> int:
        return self.count(UPDATE)

    @property
    def n_unchanged(self) -> int:
        return self.count(UNCHANGED)


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def _clean(resource: resources.Resource, row: dict) -> dict[str, Any]:
    out = {}
    for f in resource.fields.values():
        if f.column_name not in row:
            continue
        try:
            out[f.attribute] = f.widget.clean(row[f.column_name], row)
        except ValueError as exc:
            value = row[f.column_name]
            raise RowError(f.column_name, _("expected %(what)s, not “%(value)s”.") % {
                "what": exc.args[0] if exc.args else _("another value"), "value": str(value)[:40]}) from None
    return out


def _compact_siret(value: str) -> str:
    return stdnum_siret.compact(value or "")


def _existing(kind: Kind, data: dict, bodies: dict[str, TrainingBody]):
    if kind.code == "bodies":
        siret = _compact_siret(data.get("siret", ""))
        data["siret"] = siret
        return bodies.get(siret)
    if kind.code == "opcos":
        return Opco.objects.filter(code=data.get("code", "")).first()
    siret = _compact_siret(data.get("body", ""))
    body = bodies.get(siret)
    if body is None:
        raise RowError("siret de l'organisme", _("no training body with SIRET “%(siret)s”: import the bodies first.")
                       % {"siret": data.get("body", "")})
    data["body"] = body
    return Course.objects.filter(body=body, title=data.get("title", "")).first()


def _save(kind: Kind, *, actor, instance, data: dict):
    if kind.code == "bodies":
        return body_save(actor=actor, body=instance, **data)
    if kind.code == "courses":
        return course_save(actor=actor, course=instance, **data)
    return opco_save(actor=actor, opco=instance, **data)


def _changed_columns(kind: Kind, resource, instance, data: dict) -> list[str]:
    columns = {f.attribute: f.column_name for f in resource.fields.values()}
    changed = []
    for name, value in data.items():
        current = getattr(instance, name)
        if isinstance(current, Decimal) and value is not None:
            same = current == Decimal(value)
        else:
            same = current == value or (current in ("", None) and value in ("", None))
        if not same:
            changed.append(columns.get(name, name))
    return changed


def catalogue_import(*, actor, kind_code: str, dataset, commit: bool) -> CatalogueReport:
    """Check (commit=False: the preview, nothing kept) or import (commit=True: all or nothing)
    one kind of the catalogue from a dataset read by backoffice.spreadsheets.load_dataset."""
    kind = KINDS[kind_code]
    report = CatalogueReport(kind=kind_code)
    resource = kind.resource()
    canonical = {f.column_name.lower(): f.column_name for f in resource.fields.values()}
    headers = [canonical.get(str(h or "").strip().lower(), str(h or "").strip()) for h in dataset.headers or []]
    known = set(canonical.values())
    missing = [c for c in kind.required if c not in headers]
    if missing:
        report.errors.append((1, ", ".join(missing), _("Missing columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(missing), "expected": ", ".join(f.column_name for f in resource.fields.values())}))
        return report
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        report.errors.append((1, ", ".join(unknown), _("Unknown columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(unknown), "expected": ", ".join(f.column_name for f in resource.fields.values())}))
        return report
    numbers = getattr(dataset, "row_numbers", None) or list(range(2, len(dataset) + 2))
    column_of = {f.attribute: f.column_name for f in resource.fields.values()}
    seen: dict[Any, int] = {}
    with transaction.atomic():
        bodies = {b.siret: b for b in TrainingBody.objects.all()}
        for number, values in zip(numbers, dataset, strict=False):
            report.rows += 1
            row = {h: v for h, v in zip(headers, values, strict=False) if h}
            try:
                with transaction.atomic():
                    data = _clean(resource, row)
                    instance = _existing(kind, data, bodies)
                    key = (data.get("siret") if kind.code == "bodies" else data.get("code") if kind.code == "opcos"
                           else (data["body"].pk, data.get("title")))
                    if key in seen:
                        raise RowError(kind.required[0], _("the same entry as row %(row)d.") % {"row": seen[key]})
                    seen[key] = number
                    data = {k: v for k, v in data.items() if k in kind.model_fields}
                    for name in ("duration_hours", "price", "modality", "price_basis", "request_days_before",
                                 "request_day_count", "claim_day_count", "subrogation"):
                        if name in data and data[name] is None and instance is None:
                            data.pop(name)  # an empty cell keeps the model's default on a new entry
                    changed = _changed_columns(kind, resource, instance, data) if instance else []
                    saved = _save(kind, actor=actor, instance=instance, data=data)
                    if kind.code == "bodies":
                        bodies[saved.siret] = saved
                    action = NEW if instance is None else (UPDATE if changed else UNCHANGED)
                    report.outcomes.append(RowOutcome(number, action, str(saved), changed))
            except RowError as exc:
                report.errors.append((number, exc.column, exc.message))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, messages in exc.message_dict.items():
                        report.errors.append((number, column_of.get(name, ""), " ".join(messages)))
                else:
                    report.errors.append((number, "", " ".join(exc.messages)))
            if len(report.errors) >= MAX_ERRORS:
                break
        if report.errors or not commit:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report
