"""Import of an issuer's existing register from a spreadsheet (years of movements kept in xlsx).

The file is read only through backoffice.spreadsheets.load_dataset (the bounded reader); each
row is then cleaned by a django-import-export resource with the project's French widgets
(backoffice.imports: dates, whole numbers, amounts) and
written through alumni.services.shares.movement_record, so every rule of the register — the
floor, the quarter paid up, the statutory minimum, the chronology, holdings at each date — is
checked over the whole history. All or nothing: one refused row and nothing is written. The
highest capital ever reached is rebuilt by the same writes, row after row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from alumni.models import AssociateCategory, College, MovementKind, ShareHolder, ShareIssuer
from alumni.services.shares import holder_create, issuer_movements, movement_record, register_fold
from backoffice.imports import CellError, FrenchDateWidget, FrenchDecimalWidget, WholeNumberWidget

KINDS = {
    "souscription": MovementKind.SUBSCRIPTION, "libération": MovementKind.RELEASE,
    "liberation": MovementKind.RELEASE, "cession": MovementKind.TRANSFER, "remboursement": MovementKind.REDEMPTION,
    "changement de nominal": MovementKind.NOMINAL_CHANGE,
}
CATEGORIES = {
    "salarié": AssociateCategory.EMPLOYEE, "salarie": AssociateCategory.EMPLOYEE,
    "bénéficiaire": AssociateCategory.BENEFICIARY, "beneficiaire": AssociateCategory.BENEFICIARY,
    "extérieur coopératif": AssociateCategory.COOPERATIVE_OUTSIDE,
    "exterieur cooperatif": AssociateCategory.COOPERATIVE_OUTSIDE,
    "extérieur": AssociateCategory.OUTSIDE, "exterieur": AssociateCategory.OUTSIDE,
    "autre": AssociateCategory.OTHER,
}
COLUMNS = ["date", "nature", "associé", "catégorie", "collège", "cessionnaire", "parts", "montant", "libéré",
           "nominal", "décision"]
MAX_ERRORS = 200


class RegisterRowResource(resources.Resource):
    """One row of an existing register: the columns and how each is read (django-import-export widgets)."""

    date = fields.Field(attribute="effective_date", column_name="date", widget=FrenchDateWidget())
    nature = fields.Field(attribute="nature", column_name="nature")
    holder = fields.Field(attribute="holder", column_name="associé")
    category = fields.Field(attribute="category", column_name="catégorie")
    college = fields.Field(attribute="college", column_name="collège")
    counterparty = fields.Field(attribute="counterparty", column_name="cessionnaire")
    shares = fields.Field(attribute="shares", column_name="parts",
                          widget=WholeNumberWidget(what=gettext_lazy("a whole number of shares")))
    amount = fields.Field(attribute="amount", column_name="montant", widget=FrenchDecimalWidget())
    paid = fields.Field(attribute="paid", column_name="libéré", widget=FrenchDecimalWidget())
    nominal = fields.Field(attribute="nominal", column_name="nominal", widget=FrenchDecimalWidget())
    decision = fields.Field(attribute="decision", column_name="décision")


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    written: bool = False
    capital: object = None
    highest_capital: object = None
    holders_created: int = 0


def _clean_row(resource: RegisterRowResource, headers: list[str], values: list) -> dict:
    row = {h: v for h, v in zip(headers, values, strict=False)}
    out = {}
    for f in resource.fields.values():
        raw = row.get(f.column_name, "")
        try:
            out[f.attribute] = f.clean(row) if raw not in ("", None) else None
        except CellError as exc:
            raise ValidationError(_("Column %(column)s: expected %(what)s, not “%(value)s”.") % {
                "column": f.column_name, "what": exc.what, "value": str(raw)[:40]}) from None
    return out


def register_import(*, actor, issuer: ShareIssuer, dataset, commit: bool, today=None) -> ImportReport:
    """Check (commit=False: preview, nothing kept) or import (commit=True: all or nothing) a register."""
    report = ImportReport()
    headers = [str(h or "").strip().lower() for h in dataset.headers or []]
    missing = [c for c in ("date", "nature", "associé", "parts", "montant") if c not in headers]
    if missing:
        report.errors.append((1, _("Missing columns: %(columns)s. Expected: %(expected)s.") % {
            "columns": ", ".join(missing), "expected": ", ".join(COLUMNS)}))
        return report
    if issuer.last_number:
        report.errors.append((0, _("This register already has movements: an import starts from an empty register.")))
        return report
    resource = RegisterRowResource()
    numbers = getattr(dataset, "row_numbers", None) or list(range(2, len(dataset) + 2))
    with transaction.atomic():
        holders = {h.name.strip().lower(): h for h in ShareHolder.objects.filter(issuer=issuer)}
        colleges = {c.name.strip().lower(): c for c in College.objects.filter(issuer=issuer)}

        def holder_named(name: str, category: str | None, college: str | None) -> ShareHolder:
            key = name.strip().lower()
            if key not in holders:
                if category is None:
                    raise ValidationError(_("%(name)s is not in the register yet: give its category.") % {
                        "name": name})
                found = colleges.get((college or "").strip().lower()) if college else None
                if college and found is None:
                    raise ValidationError(_("Unknown college “%(college)s”.") % {"college": college})
                holders[key] = holder_create(actor=actor, issuer=issuer, category=category, name=name.strip(),
                                             college=found)
                report.holders_created += 1
            return holders[key]

        for number, values in zip(numbers, dataset, strict=False):
            report.rows += 1
            try:
                with transaction.atomic():
                    row = _clean_row(resource, headers, list(values))
                    if row.get("effective_date") is None:
                        raise ValidationError(_("Column date: the date of the movement is required."))
                    kind = KINDS.get(str(row.get("nature") or "").strip().lower())
                    if kind is None:
                        raise ValidationError(_("Unknown nature “%(value)s”: souscription, libération, cession, "
                                                "remboursement or changement de nominal.") % {
                            "value": row.get("nature") or ""})
                    category_text = str(row.get("category") or "").strip().lower()
                    category = CATEGORIES.get(category_text) if category_text else None
                    if category_text and category is None:
                        raise ValidationError(_("Unknown category “%(value)s”.") % {"value": row.get("category")})
                    holder = None
                    if kind != MovementKind.NOMINAL_CHANGE:
                        holder = holder_named(str(row.get("holder") or ""), category, row.get("college"))
                    counterparty = None
                    if row.get("counterparty"):
                        counterparty = holder_named(str(row["counterparty"]), category, row.get("college"))
                    movement_record(
                        actor=actor, issuer=issuer, kind=kind, effective_date=row["effective_date"], holder=holder,
                        counterparty=counterparty, shares=row.get("shares") or 0, amount=row.get("amount"),
                        paid=row.get("paid") if row.get("paid") is not None else row.get("amount"),
                        nominal=row.get("nominal"), decision=str(row.get("decision") or ""), today=today)
            except ValidationError as exc:
                report.errors.append((number, " ".join(exc.messages)))
                if len(report.errors) >= MAX_ERRORS:
                    break
        issuer.refresh_from_db()
        state = register_fold(issuer, issuer_movements(issuer))
        report.capital, report.highest_capital = state.capital, issuer.highest_capital
        if report.errors or not commit:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report
