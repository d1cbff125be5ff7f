"""Staff import and export of the alumni list and past declarations (/staff/alumni/import/,
/staff/alumni/export/…): preview first, then an all-or-nothing import of the same file.

The uploaded file is kept between the preview and the confirmation in a private temporary
folder under a random name; the confirmation form carries that name signed (it cannot point at
another file) and valid for an hour. The file is read again, checked again, then removed."""

from __future__ import annotations

import contextlib
import secrets
import tempfile
import time
from pathlib import Path

from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alumni.forms import AlumniImportForm
from alumni.models import AlumniCompany, RevenueDeclaration
from alumni.resources import CompanyResource, DeclarationResource, column_names, export_rows
from alumni.services.imports import COMPANIES, DECLARATIONS, alumni_import
from alumni.views.staff import _require_staff, xlsx_response
from backoffice.safe_cells import safe_row
from backoffice.spreadsheets import FileRejected, extension_of, load_dataset
from backoffice.tenancy import staff_wide

SALT = "alumni-import"
MAX_AGE = 3600


def _folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "mutualise-alumni-import"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    """Previews never confirmed: their files go once their token has expired."""
    limit = time.time() - MAX_AGE
    for old in folder.iterdir():
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < limit:
                old.unlink()


def _keep(upload) -> tuple[Path, str]:
    """Save the upload for the confirmation; (path, stored name)."""
    _sweep(_folder())
    ext = extension_of(upload.name)
    name = f"{secrets.token_hex(16)}.{ext if ext in ('xlsx', 'csv') else 'bin'}"
    path = _folder() / name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path, name


def _kept(token: str) -> tuple[Path, dict] | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    path = _folder() / Path(data.get("stored", "")).name
    return (path, data) if path.is_file() else None


def import_view(request: HttpRequest) -> HttpResponse:
    actor = _require_staff(request)
    form = AlumniImportForm(request.POST or None, request.FILES or None)
    report, token = None, ""
    if request.method == "POST" and "confirm" in request.POST:
        kept = _kept(request.POST.get("token", ""))
        if kept is None:
            messages.error(request, _("This preview has expired: send the file again."))
            return redirect("staff:alumni:import")
        path, data = kept
        try:
            dataset = load_dataset(path, name=data["name"])
        except FileRejected as exc:
            messages.error(request, exc.message)
            return redirect("staff:alumni:import")
        report = alumni_import(actor=request.user, kind=data["kind"], dataset=dataset, commit=True)
        if report.written:
            path.unlink(missing_ok=True)
            messages.success(request, _("Import done: %(new)d added, %(updated)d changed, %(unchanged)d unchanged.")
                             % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged})
            return redirect("staff:alumni:companies")
        form = AlumniImportForm(initial={"kind": data["kind"]})
    elif request.method == "POST" and form.is_valid():
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        try:
            dataset = load_dataset(upload, name=upload.name)
        except FileRejected as exc:
            form.add_error("file", exc.message)
        else:
            report = alumni_import(actor=request.user, kind=kind, dataset=dataset, commit=False)
            if not report.errors:
                upload.seek(0)
                _path, stored = _keep(upload)
                token = signing.dumps({"stored": stored, "name": upload.name, "kind": kind}, salt=SALT)
    del actor
    return render(request, "alumni/staff_import.html", {
        "form": form, "report": report, "token": token,
        "columns": {COMPANIES: column_names(CompanyResource()), DECLARATIONS: column_names(DeclarationResource())}})


def _xlsx(resource, objects, *, title: str, filename: str) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(safe_row(sheet, column_names(resource)))
    for row in export_rows(resource, objects):
        sheet.append(safe_row(sheet, row))
    return xlsx_response(book, filename)


def export_companies(request: HttpRequest) -> HttpResponse:
    """Every alumni company in the import's columns (it imports back unchanged)."""
    _require_staff(request)
    with staff_wide("staff export every alumni company"):
        companies = list(AlumniCompany.objects.select_related("workspace", "workspace__origin")
                         .prefetch_related("founders__entrepreneur").order_by("workspace__name"))
        objects = [{
            "siren": c.workspace.siren, "name": c.workspace.name, "slug": c.workspace.slug,
            "legal_form": c.legal_form, "siret": c.workspace.siret,
            "origin": c.workspace.origin.slug if c.workspace.origin_id else "", "creation_date": c.creation_date,
            "status": c.status, "trade": c.workspace.trade, "address": c.workspace.address,
            "postal_code": c.workspace.postal_code, "city": c.workspace.city,
            "declaration_frequency": c.declaration_frequency, "contribution_rate": None, "agreement_start": None,
            "next_contact_date": c.next_contact_date, "follow_up_notes": c.follow_up_notes,
            "founders": ", ".join(f.entrepreneur.matricule for f in c.founders.all())} for c in companies]
    return _xlsx(CompanyResource(), objects, title=_("Alumni companies"),
                 filename=f"entreprises-essaimees-{timezone.localdate():%Y-%m-%d}.xlsx")


def export_declarations(request: HttpRequest) -> HttpResponse:
    """Every revenue declaration in the import's columns."""
    _require_staff(request)
    with staff_wide("staff export the declarations of every alumni company"):
        declarations = list(RevenueDeclaration.objects.select_related("workspace")
                            .order_by("workspace__name", "period_start"))
    objects = [{"siren": d.workspace.siren, "company": d.workspace.name, "period_start": d.period_start,
                "period_end": d.period_end, "revenue": d.revenue, "contribution": d.contribution,
                "settled_outside": d.settled_outside} for d in declarations]
    return _xlsx(DeclarationResource(), objects, title=_("Declarations"),
                 filename=f"declarations-{timezone.localdate():%Y-%m-%d}.xlsx")
