"""Entrepreneurs' employment data: list, detail with the audited IBAN reveal, edit, xlsx import.

Readers: Perm.PAYROLL_VIEW; editors (staff and partner managers): Perm.ENTREPRENEUR_EDIT.
The IBAN is masked everywhere; its clear value only comes through
backoffice.views.entrepreneurs.personal_id_reveal_response (Perm.PERSONAL_ID_REVEAL, one
audit entry per reveal, never cached), the generic reveal also used for the NIR.
"""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.records import add_service_errors
from backoffice.roles import Perm
from backoffice.uploads import check_upload
from backoffice.views.entrepreneurs import no_store, personal_id_reveal_response
from payroll.forms import EmploymentFilterForm, EmploymentForm, EmploymentImportForm
from payroll.selectors.people import (
    employment_allows_payslip,
    employment_list,
    get_entrepreneur_with_employment,
    require_payroll,
    risk_rates_of,
)
from payroll.services.employment import (
    COLUMNS,
    EMPLOYMENT_FIELDS,
    employment_import,
    employment_save,
    read_xlsx,
)
from payroll.services.exits import ExitNotReady, exit_documents_generate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request: HttpRequest, perm: Perm = Perm.PAYROLL_VIEW):
    return require_payroll(request.actor, perm)


def people(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = _require(request)
    filters = EmploymentFilterForm(request.GET or None)
    query, contract = "", ""
    if filters.is_valid():
        query, contract = filters.cleaned_data["q"], filters.cleaned_data["contract"]
    page = Paginator(employment_list(actor=actor, query=query, contract=contract), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "payroll/employment_list.html", {
        "page": page, "filter_form": filters if filters.is_bound else EmploymentFilterForm(),
        "query": params.urlencode(),
    })


def person(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    _require(request)
    entrepreneur, employment = get_entrepreneur_with_employment(request.actor, pk)
    return no_store(render(request, "payroll/employment_detail.html", {
        "entrepreneur": entrepreneur, "employment": employment,
        "gets_payslip": employment_allows_payslip(employment),
    }))


def person_edit(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = _require(request)
    entrepreneur, employment = get_entrepreneur_with_employment(actor, pk)
    actor.require(Perm.ENTREPRENEUR_EDIT)
    if employment is not None:
        initial = {name: getattr(employment, name) for name in EMPLOYMENT_FIELDS if name != "iban"}
        initial["risk_rate"] = employment.risk_rate_id
    else:
        initial = {"start_date": entrepreneur.entry_date, "end_date": entrepreneur.exit_date}
    form = EmploymentForm(request.POST or None, initial=initial,
                          iban_masked=employment.iban_masked if employment is not None else "",
                          risk_rates=risk_rates_of(actor.workspace))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        risk_rate = data.pop("risk_rate", None)
        data["risk_rate_id"] = risk_rate.pk if risk_rate is not None else None
        clear_iban = data.pop("clear_iban", False)
        if not data["iban"]:
            data["iban"] = "" if clear_iban or employment is None else employment.iban  # empty: keep it
        try:
            employment_save(actor=request.user, entrepreneur=entrepreneur, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Employment data of %(name)s saved.") % {"name": entrepreneur})
            return redirect("payroll_person", workspace=workspace, pk=entrepreneur.pk)
    return no_store(render(request, "payroll/employment_form.html", {
        "form": form, "entrepreneur": entrepreneur, "employment": employment}))


@require_POST
def person_iban_reveal(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    _require(request)
    _entrepreneur, employment = get_entrepreneur_with_employment(request.actor, pk)
    if employment is None or not employment.iban:
        raise Http404("No IBAN recorded")
    return personal_id_reveal_response(request, obj=employment, field="iban", action="employment.iban_reveal",
                                       label=_("IBAN"))


def people_import(request: HttpRequest, workspace: str) -> HttpResponse:
    """Upload an xlsx: "Check" validates every row and writes nothing; "Import" writes all
    rows, or nothing when any row has an error (then every error is listed by row and column)."""
    actor = _require(request, Perm.ENTREPRENEUR_EDIT)
    form = EmploymentImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, allowed=("xlsx",))
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            dry_run = "check" in request.POST
            report = employment_import(actor=request.user, workspace=actor.workspace, rows=read_xlsx(upload),
                                       dry_run=dry_run)
            if report.written:
                messages.success(request, _("%(rows)s rows imported: %(created)s created, %(updated)s updated, "
                                            "%(unchanged)s unchanged.") % {
                    "rows": report.rows, "created": report.created, "updated": report.updated,
                    "unchanged": report.unchanged})
                return redirect("payroll_people", workspace=workspace)
    return no_store(render(request, "payroll/employment_import.html", {
        "form": form, "report": report, "columns": COLUMNS}))


def people_import_template(request: HttpRequest, workspace: str) -> HttpResponse:
    """An empty import file with the expected columns and one example row."""
    _require(request, Perm.ENTREPRENEUR_EDIT)
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("employment")
    sheet.append([*COLUMNS, "classification"])
    sheet.append(["A-001", "CESA", "non", "non-cadre", "", "Graphiste", datetime.date(2025, 1, 1), "",
                  "FR7630006000011234567890189", "", "Position 2.1, coefficient 275"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="employment-import.xlsx"'
    return response


@require_POST
def person_exit_documents(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """Certificat de travail and reçu pour solde de tout compte of a contract that ended."""
    actor = _require(request, Perm.PAYROLL_RUN)
    entrepreneur, _employment = get_entrepreneur_with_employment(actor, pk)
    try:
        exit_documents_generate(actor=request.user, entrepreneur=entrepreneur)
    except ExitNotReady as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The certificat de travail and the reçu pour solde de tout compte are in the "
                                    "documents."))
    return redirect("payroll_person", workspace=workspace, pk=entrepreneur.pk)
