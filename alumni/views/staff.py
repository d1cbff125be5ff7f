"""Staff pages of the alumni app (/staff/alumni/…): companies, creation from founders, the
contributions ledger of every company (filters, xlsx export, due vs paid chart), directory figures."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alumni.charts import bar_chart
from alumni.forms import CompanyCreateForm
from alumni.models import CompanyStatus
from alumni.selectors.companies import staff_company_list
from alumni.selectors.directory import directory_figures
from alumni.selectors.ledger import WHO_CHOICES, due_and_paid_by_service, monthly_due, staff_ledger
from alumni.services.companies import alumni_company_create
from backoffice.forms.records import add_service_errors
from backoffice.models import Entrepreneur, Workspace, WorkspaceKind
from backoffice.roles import Perm
from backoffice.safe_cells import number_cell, safe_row, text_cell
from backoffice.tenancy import staff_wide


def _require_staff(request, perm: Perm = Perm.ALUMNI_MANAGE):
    actor = request.actor
    actor.require(Perm.STAFF_AREA)
    actor.require(perm)
    return actor


def _origins() -> list[Workspace]:
    with staff_wide("staff choose the origin CAE among every CAE"):
        return list(Workspace.objects.filter(kind__in=(WorkspaceKind.PARTNER, WorkspaceKind.HOST)).order_by("name"))


def companies(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    status, origin, q = request.GET.get("status", ""), request.GET.get("origin", ""), request.GET.get("q", "").strip()
    return render(request, "alumni/staff_companies.html", {
        "companies": staff_company_list(status=status, origin=origin, q=q), "statuses": CompanyStatus.choices,
        "origins": _origins(), "status": status, "origin": origin, "q": q})


def company_create(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    origins = _origins()
    form = CompanyCreateForm(request.POST or None, origins=origins,
                             initial={"agreement_start": timezone.localdate().replace(day=1)})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        origin = next(w for w in origins if w.slug == data.pop("origin"))
        matricules = [m.strip() for m in data.pop("entrepreneurs").split(",") if m.strip()]
        with staff_wide("staff pick the founders among the origin CAE's entrepreneurs"):
            ids = list(Entrepreneur.objects.filter(workspace=origin, matricule__in=matricules).values_list("pk", flat=True))
        try:
            if len(ids) != len(set(matricules)):
                raise ValidationError({"entrepreneurs": _("Some employee numbers are not entrepreneurs of %(cae)s.")
                                       % {"cae": origin.name}})
            company = alumni_company_create(actor=request.user, origin=origin, entrepreneur_ids=ids, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Alumni company created."))
            return redirect("alumni_company", workspace=company.workspace.slug)
    return render(request, "alumni/staff_company_create.html", {"form": form})


def _year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


LEDGER_PAGE_SIZE = 50


def ledger(request: HttpRequest) -> HttpResponse:
    _require_staff(request, Perm.STAFF_AREA)
    today = timezone.localdate()
    year = _year(request)
    origin, status = request.GET.get("origin", ""), request.GET.get("status", "")
    who = request.GET.get("who", "")
    who = who if who in dict(WHO_CHOICES) else ""
    overdue_only = request.GET.get("overdue") == "1"
    rows = staff_ledger(origin=origin, status=status, year=year, overdue_only=overdue_only, who=who, today=today)
    if request.GET.get("format") == "xlsx":
        return _ledger_xlsx(rows, today=today, year=year)
    # Every row feeds the totals and the export; the page renders LEDGER_PAGE_SIZE of them
    # (the 1,000-row page spent its time rendering rows, not querying: bench/alumni.py).
    page = Paginator(rows, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    months = monthly_due(year=year)
    chart = bar_chart(title=_("Contributions due and paid per month"),
                      labels=[date_format(m, "M") for m, _d, _p in months],
                      series=[(_("Due"), "#2f6f9f", [d for _m, d, _p in months]),
                              (_("Paid"), "#4c9a2a", [p for _m, _d, p in months])])
    return render(request, "alumni/staff_ledger.html", {
        "rows": [(r, r.days_overdue(today)) for r in page.object_list], "page": page, "query": params.urlencode(),
        "year": year, "origin": origin, "status": status,
        "overdue_only": overdue_only, "origins": _origins(), "statuses": CompanyStatus.choices, "chart": chart,
        "who": who, "who_choices": WHO_CHOICES,
        "totals": {name: sum((getattr(r, name) for r in rows), Decimal("0.00"))
                   for name in ("due", "invoiced", "paid", "balance")}})


def _ledger_xlsx(rows, *, today: datetime.date, year: int) -> HttpResponse:
    """Every row of the filtered ledger (not only the page shown), names neutralised
    (backoffice/safe_cells.py), amounts as numbers."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Contributions")[:31])
    sheet.append(safe_row(sheet, [_("Workspace"), _("Origin CAE"), _("Status"), _("Declared revenue"),
                                  _("Due"), _("Invoiced"), _("Paid"), _("Balance"), _("Days overdue")]))
    for r in rows:
        sheet.append([text_cell(sheet, r.workspace.name),
                      text_cell(sheet, r.workspace.origin.name if r.workspace.origin_id else ""),
                      text_cell(sheet, r.status), number_cell(sheet, r.declared), number_cell(sheet, r.due),
                      number_cell(sheet, r.invoiced), number_cell(sheet, r.paid), number_cell(sheet, r.balance),
                      number_cell(sheet, r.days_overdue(today), "0")])
    return xlsx_response(book, f"contributions-{year}.xlsx")


def xlsx_response(book, filename: str) -> HttpResponse:
    """An openpyxl workbook as a download."""
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def dashboard_charts() -> dict:
    """The staff dashboard panel: this year's due vs paid per month, one chart per service."""
    year = timezone.localdate().year
    services = due_and_paid_by_service(year=year)
    return {"year": year, "charts": [
        (s, bar_chart(title=_("%(service)s: due and paid per month") % {"service": s.label},
                      labels=[date_format(m, "M") for m, _d, _p in s.months],
                      series=[(_("Due"), "#2f6f9f", [d for _m, d, _p in s.months]),
                              (_("Paid"), "#4c9a2a", [p for _m, _d, p in s.months])]))
        for s in services]}


def directory_stats(request: HttpRequest) -> HttpResponse:
    _require_staff(request, Perm.STAFF_AREA)
    return render(request, "alumni/staff_directory.html", {"figures": directory_figures()})
