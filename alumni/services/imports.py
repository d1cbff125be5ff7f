"""Import of the host's alumni spreadsheet: the companies it already follows, then their past
revenue declarations (alumni/resources.py for the columns).

The same function previews and imports: every row is written through the services that the
screens use (workspace_create with its stdnum checks, the company record, its agreement,
alumni_company_update, …) inside one transaction, and that transaction is rolled back when
a row was refused or when it was only a preview (commit=False). So the preview says exactly
what the import will do — a new company, a change of such field from … to …, nothing to
change — and the import writes every row or none.

Past declarations are history: they record no billable usage (invoicing must not bill again
what was settled before Mutualise), the contribution is the one the spreadsheet gives, and
"payé avant Mutualise" counts as paid in the ledger. A period already declared is refused
when its figures differ (a correction goes through the correction page, with a reason).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scope

from alumni.models import AlumniCompany, RevenueDeclaration
from alumni.resources import CompanyResource, DeclarationResource, clean_row, column_names
from alumni.services.companies import alumni_company_import_create, alumni_company_update
from backoffice.imports import (
    NEW,
    UNCHANGED,
    UPDATE,
    ImportReport,
    RowOutcome,
    RowRefused,
    fold,
    shown,
)
from backoffice.models import Entrepreneur, Workspace, WorkspaceKind
from backoffice.services.audit import audit_record
from backoffice.services.workspaces import workspace_update
from backoffice.tenancy import staff_wide

COMPANIES, DECLARATIONS = "companies", "declarations"


def _shown(obj, name: str) -> str:
    label = getattr(obj, f"get_{name}_display", None)
    return shown(label() if label else getattr(obj, name))


def _find_origin(text: str, origins: list[Workspace]) -> Workspace | None:
    key = text.strip().lower()
    return next((w for w in origins if key in (w.slug.lower(), w.name.strip().lower())), None)


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:40] or "entreprise"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _refusal(exc: ValidationError, columns: dict[str, str]) -> RowRefused:
    """A service's ValidationError as (column, French message) for the row."""
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.error_dict.items()))
        return RowRefused(columns.get(name, ""), " ".join(m for e in errors for m in e.messages))
    return RowRefused("", " ".join(exc.messages))


COMPANY_COLUMNS = {"siren": "siren", "name": "raison sociale", "slug": "identifiant", "legal_form": "forme juridique",
                   "siret": "siret", "origin": "cae d'origine", "creation_date": "date de création",
                   "status": "statut", "trade": "métier", "address": "adresse", "postal_code": "code postal",
                   "city": "ville", "declaration_frequency": "déclaration", "next_contact_date": "prochain contact",
                   "follow_up_notes": "notes de suivi", "entrepreneurs": "fondateurs"}
WORKSPACE_FIELDS = ("name", "siret", "trade", "address", "postal_code", "city")
COMPANY_FIELDS = ("legal_form", "creation_date", "status", "declaration_frequency", "next_contact_date",
                  "follow_up_notes")


def _company_row(actor, values: dict, context: dict) -> RowOutcome:
    siren = values["siren"]
    if not siren:
        raise RowRefused("siren", _("the SIREN identifies the company: it is required"))
    if siren in context["seen"]:
        raise RowRefused("siren", _("this SIREN is already on row %(row)d") % {"row": context["seen"][siren]})
    context["seen"][siren] = context["number"]
    outcome = RowOutcome(context["number"], values["name"] or siren)
    workspace = context["by_siren"].get(siren)
    if workspace is not None and workspace.kind != WorkspaceKind.ALUMNI:
        raise RowRefused("siren", _("this SIREN is the one of %(name)s, which is not an alumni company") % {
            "name": workspace.name})
    if workspace is None:
        for name in ("name", "legal_form", "origin"):
            if not values[name]:
                raise RowRefused(COMPANY_COLUMNS[name], _("required for a new company"))
        origin = _find_origin(values["origin"], context["origins"])
        if origin is None:
            raise RowRefused("cae d'origine", _("no CAE is called “%(value)s” (give its name or identifier)") % {
                "value": values["origin"]})
        matricules = [m.strip() for m in (values["founders"] or "").split(",") if m.strip()]
        with scope(workspace=origin):
            founders = list(Entrepreneur.objects.filter(workspace=origin, matricule__in=matricules))
        missing = sorted(set(matricules) - {f.matricule for f in founders})
        if missing:
            raise RowRefused("fondateurs", _("not entrepreneurs of %(cae)s: %(numbers)s") % {
                "cae": origin.name, "numbers": ", ".join(missing)})
        slug = values["slug"] or _unique_slug(values["name"], context["slugs"])
        context["slugs"].add(slug)
        start = values["agreement_start"] or values["creation_date"] or context["today"].replace(day=1)
        try:
            company = alumni_company_import_create(
                actor=actor, origin=origin, founders=founders, slug=slug, name=values["name"], siren=siren,
                siret=values["siret"], legal_form=values["legal_form"], creation_date=values["creation_date"],
                status=values["status"], address=values["address"], postal_code=values["postal_code"],
                city=values["city"], trade=values["trade"],
                declaration_frequency=values["declaration_frequency"] or "yearly",
                contribution_rate=values["contribution_rate"], agreement_start=start)
            if values["next_contact_date"] or values["follow_up_notes"]:
                with scope(workspace=company.workspace):
                    alumni_company_update(actor=actor, company=company, next_contact_date=values["next_contact_date"],
                                          follow_up_notes=values["follow_up_notes"])
        except ValidationError as exc:
            raise _refusal(exc, COMPANY_COLUMNS) from None
        context["by_siren"][siren] = company.workspace
        outcome.action = NEW
        return outcome
    # An existing company: the cells given change it; an empty cell leaves its field as it is.
    with scope(workspace=workspace):
        company = AlumniCompany.objects.filter(workspace=workspace).first()
        if company is None:
            raise RowRefused("siren", _("%(name)s has no alumni company record") % {"name": workspace.name})
        identity = {n: values[n] for n in WORKSPACE_FIELDS if values[n] and values[n] != getattr(workspace, n)}
        record = {n: values[n] for n in COMPANY_FIELDS if values[n] not in ("", None)
                  and values[n] != getattr(company, n)}
        before = {n: _shown(workspace, n) for n in identity} | {n: _shown(company, n) for n in record}
        try:
            if identity:
                workspace_update(actor=actor, workspace=workspace, **identity)
            if record:
                alumni_company_update(actor=actor, company=company, **record)
        except ValidationError as exc:
            raise _refusal(exc, COMPANY_COLUMNS) from None
        outcome.changes = [(COMPANY_COLUMNS[n], before[n], _shown(workspace if n in identity else company, n))
                           for n in [*identity, *record]]
    outcome.action = UPDATE if outcome.changes else UNCHANGED
    return outcome


def _declaration_row(actor, values: dict, context: dict) -> RowOutcome:
    for attr, column in (("siren", "siren"), ("period_start", "début de période"), ("period_end", "fin de période"),
                         ("revenue", "chiffre d'affaires"), ("contribution", "contribution")):
        if values[attr] in ("", None):
            raise RowRefused(column, _("required"))
    workspace = context["by_siren"].get(values["siren"])
    if workspace is None or workspace.kind != WorkspaceKind.ALUMNI:
        raise RowRefused("siren", _("no alumni company has this SIREN (import the companies first)"))
    start, end = values["period_start"], values["period_end"]
    if end < start:
        raise RowRefused("fin de période", _("the period ends before it starts"))
    if end >= context["today"]:
        raise RowRefused("fin de période", _("only periods already over are imported"))
    for attr, column in (("revenue", "chiffre d'affaires"), ("contribution", "contribution"),
                         ("settled_outside", "payé avant mutualise")):
        value = values[attr]
        if value is not None and (value < 0 or value != value.quantize(Decimal("0.01"))):
            raise RowRefused(column, _("an amount in euros, not negative, to the cent"))
    settled = values["settled_outside"] or Decimal("0.00")
    if settled > values["contribution"]:
        raise RowRefused("payé avant mutualise", _("more than the contribution"))
    label = f"{workspace.name} {date_format(start, 'SHORT_DATE_FORMAT')} – {date_format(end, 'SHORT_DATE_FORMAT')}"
    outcome = RowOutcome(context["number"], label)
    key = (workspace.pk, start)
    if key in context["seen"]:
        raise RowRefused("début de période", _("this period is already on row %(row)d") % {"row": context["seen"][key]})
    context["seen"][key] = context["number"]
    with scope(workspace=workspace):
        existing = RevenueDeclaration.objects.filter(workspace=workspace).filter(
            Q(period_start=start) | Q(period_start__lte=end, period_end__gte=start)).first()
        if existing is not None:
            same = (existing.period_start, existing.period_end, existing.revenue, existing.contribution) == (
                start, end, values["revenue"], values["contribution"])
            if not same:
                raise RowRefused("début de période", _(
                    "%(period)s is already declared (%(revenue)s of revenue): correct it from the company's "
                    "contributions page, with a reason") % {
                    "period": f"{date_format(existing.period_start, 'SHORT_DATE_FORMAT')} – "
                              f"{date_format(existing.period_end, 'SHORT_DATE_FORMAT')}",
                    "revenue": existing.revenue})
            return outcome
        declaration = RevenueDeclaration.objects.create(
            workspace=workspace, period_start=start, period_end=end, revenue=values["revenue"],
            contribution=values["contribution"], computation={"imported": True}, imported=True,
            settled_outside=settled, usage_reference=f"import:{start.isoformat()}:{end.isoformat()}",
            declared_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit_record(actor=actor, workspace=workspace, action="alumni.declaration.import", obj=declaration,
                     changes={"revenue": values["revenue"], "contribution": values["contribution"],
                              "settled_outside": settled})
    outcome.action = NEW
    return outcome


def alumni_import(*, actor, kind: str, dataset, commit: bool, today: datetime.date | None = None) -> ImportReport:
    """Preview (commit=False) or import (commit=True, all or nothing) a sheet of alumni companies
    or of past declarations, already read by backoffice.spreadsheets.load_dataset."""
    resource = CompanyResource() if kind == COMPANIES else DeclarationResource()
    report = ImportReport(kind=kind)
    expected = column_names(resource)
    by_fold = {fold(c): c for c in expected}
    headers = [by_fold.get(fold(str(h or "")), str(h or "").strip().lower()) for h in dataset.headers or []]
    missing = [c for c in resource.REQUIRED if c not in headers]
    unknown = [h for h in headers if h and h not in expected]
    if missing or unknown:
        if missing:
            report.errors.append((1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
        if unknown:
            report.errors.append((1, "", _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}))
        report.errors.append((1, "", _("Expected columns: %(columns)s.") % {"columns": ", ".join(expected)}))
        return report
    numbers = getattr(dataset, "row_numbers", None) or list(range(2, len(dataset) + 2))
    with staff_wide("staff import alumni companies and their declarations, whatever their workspace"):
        context = {"today": today or timezone.localdate(), "seen": {},
                   "by_siren": {w.siren: w for w in Workspace.objects.exclude(siren="")},
                   "slugs": set(Workspace.objects.values_list("slug", flat=True)),
                   "origins": list(Workspace.objects.filter(kind__in=(WorkspaceKind.PARTNER, WorkspaceKind.HOST)))}
        with transaction.atomic():
            for number, cells in zip(numbers, dataset, strict=False):
                row = dict(zip(headers, cells, strict=False))
                values, errors = clean_row(resource, row)
                if errors:
                    report.errors += [(number, column, message) for column, message in errors]
                else:
                    context["number"] = number
                    try:
                        with transaction.atomic():
                            handler = _company_row if kind == COMPANIES else _declaration_row
                            report.rows.append(handler(actor, values, context))
                    except RowRefused as exc:
                        report.refuse(number, exc)
                if report.full:
                    break
            report.conclude(commit=commit)
    return report
