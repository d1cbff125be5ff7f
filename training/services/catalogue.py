"""The training catalogue in and out of a spreadsheet: training bodies, courses, OPCO rules,
one kind per sheet, so a CAE's existing catalogue moves in at once.

- Columns are django-import-export resources (French headers, backoffice/imports.py widgets that read French
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
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from openpyxl import Workbook
from stdnum.fr import siret as stdnum_siret

from backoffice.imports import (
    NEW,
    UNCHANGED,
    UPDATE,
    ChoiceWidget,
    FrenchDateWidget,
    FrenchDecimalWidget,
    ImportReport,
    RowOutcome,
    RowRefused,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
    shown,
)
from backoffice.safe_cells import number_cell, text_cell
from training.models import Course, DayCount, Modality, Opco, PriceBasis, TrainingBody
from training.services.reference import (
    BODY_FIELDS,
    COURSE_FIELDS,
    OPCO_FIELDS,
    body_save,
    course_save,
    opco_save,
)

NUMBER = gettext_lazy("a number (e.g. 1 234,50)")


def _number() -> FrenchDecimalWidget:
    return FrenchDecimalWidget(NUMBER)


def _days() -> WholeNumberWidget:
    return WholeNumberWidget(gettext_lazy("a whole number of days"))


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
    duration_hours = _f("duration_hours", "durée (heures)", _number())
    modality = _f("modality", "modalité", ChoiceWidget(Modality))
    assessment = _f("assessment", "évaluation")
    accessibility = _f("accessibility", "accessibilité")
    price = _f("price", "prix (€ HT)", _number())
    price_basis = _f("price_basis", "base du prix", ChoiceWidget(PriceBasis))


class OpcoResource(resources.Resource):
    code = _f("code", "code")
    name = _f("name", "nom")
    scope_note = _f("scope_note", "public couvert")
    request_days_before = _f("request_days_before", "dépôt : jours avant le début", _days())
    request_day_count = _f("request_day_count", "dépôt : jours comptés", ChoiceWidget(DayCount))
    claim_days_after = _f("claim_days_after", "remboursement : jours après la fin", _days())
    claim_day_count = _f("claim_day_count", "remboursement : jours comptés", ChoiceWidget(DayCount))
    hourly_ceiling = _f("hourly_ceiling", "plafond horaire (€)", _number())
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

def _clean(resource: resources.Resource, row: dict) -> dict[str, Any]:
    out = {}
    for f in resource.fields.values():
        if f.column_name not in row:
            continue
        try:
            out[f.attribute] = f.widget.clean(row[f.column_name], row)
        except ValueError as exc:
            value = row[f.column_name]
            raise RowRefused(f.column_name, _("expected %(what)s, not “%(value)s”.") % {
                "what": exc.args[0] if exc.args else _("another value"), "value": str(value)[:40]}) from None
    return out


def _shown(f: fields.Field | None, value) -> str:
    if f is not None and isinstance(f.widget, (ChoiceWidget, YesNoWidget)):
        return f.widget.render(value)  # the French label, as exported
    return shown(value)


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
        raise RowRefused("siret de l'organisme", _("no training body with SIRET “%(siret)s”: import the bodies first.")
                       % {"siret": data.get("body", "")})
    data["body"] = body
    return Course.objects.filter(body=body, title=data.get("title", "")).first()


def _save(kind: Kind, *, actor, instance, data: dict):
    if kind.code == "bodies":
        return body_save(actor=actor, body=instance, **data)
    if kind.code == "courses":
        return course_save(actor=actor, course=instance, **data)
    return opco_save(actor=actor, opco=instance, **data)


def _changes(kind: Kind, resource, instance, data: dict) -> list[tuple[str, str, str]]:
    """(column, before, after) for each value of the row that differs from the entry's."""
    columns = {f.attribute: f for f in resource.fields.values()}
    changed = []
    for name, value in data.items():
        current = getattr(instance, name)
        if isinstance(current, Decimal) and value is not None:
            same = current == Decimal(value)
        else:
            same = current == value or (current in ("", None) and value in ("", None))
        if not same:
            f = columns.get(name)
            column = f.column_name if f else name
            changed.append((column, _shown(f, current), _shown(f, value)))
    return changed


def catalogue_import(*, actor, kind_code: str, dataset, commit: bool) -> ImportReport:
    """Check (commit=False: the preview, nothing kept) or import (commit=True: all or nothing)
    one kind of the catalogue from a dataset read by backoffice.spreadsheets.load_dataset."""
    kind = KINDS[kind_code]
    report = ImportReport(kind=kind_code)
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
            row = {h: v for h, v in zip(headers, values, strict=False) if h}
            try:
                with transaction.atomic():
                    data = _clean(resource, row)
                    instance = _existing(kind, data, bodies)
                    key = (data.get("siret") if kind.code == "bodies" else data.get("code") if kind.code == "opcos"
                           else (data["body"].pk, data.get("title")))
                    if key in seen:
                        raise RowRefused(kind.required[0], _("the same entry as row %(row)d.") % {"row": seen[key]})
                    seen[key] = number
                    data = {k: v for k, v in data.items() if k in kind.model_fields}
                    for name in ("duration_hours", "price", "modality", "price_basis", "request_days_before",
                                 "request_day_count", "claim_day_count", "subrogation"):
                        if name in data and data[name] is None and instance is None:
                            data.pop(name)  # an empty cell keeps the model's default on a new entry
                    changes = _changes(kind, resource, instance, data) if instance else []
                    saved = _save(kind, actor=actor, instance=instance, data=data)
                    if kind.code == "bodies":
                        bodies[saved.siret] = saved
                    action = NEW if instance is None else (UPDATE if changes else UNCHANGED)
                    report.rows.append(RowOutcome(number, str(saved), action, changes))
            except RowRefused as exc:
                report.refuse(number, exc)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, messages in exc.message_dict.items():
                        report.errors.append((number, column_of.get(name, ""), " ".join(messages)))
                else:
                    report.errors.append((number, "", " ".join(exc.messages)))
            if report.full:
                break
        report.conclude(commit=commit)
    return report
