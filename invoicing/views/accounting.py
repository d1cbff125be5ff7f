"""Staff pages of the accounting side under /staff/invoicing/: the exports of a period (FEC,
sales journal) and the host's chart of accounts."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.forms.records import add_service_errors
from backoffice.models.agreements import Service
from backoffice.roles import Perm
from backoffice.tenancy import staff_wide
from invoicing.exports.accounting import fec_export_period, sales_journal_xlsx
from invoicing.forms import ChartOfAccountsForm, PeriodRangeForm
from invoicing.selectors.staff import customer_workspaces, require_staff
from invoicing.services.accounts import VAT_RATES, chart_of_accounts_update
from invoicing.services.common import invoicing_settings
from invoicing.views.invoices import _attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year_to_date() -> dict[str, datetime.date]:
    today = timezone.localdate()
    return {"start": today.replace(month=1, day=1), "end": today}


def exports(request: HttpRequest) -> HttpResponse:
    require_staff(request.actor, Perm.INVOICE_MANAGE)
    return render(request, "invoicing/staff_exports.html", {"form": PeriodRangeForm(initial=_year_to_date())})


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date] | PeriodRangeForm:
    form = PeriodRangeForm(request.GET if request.GET else None, initial=_year_to_date())
    if not request.GET:
        return _year_to_date()["start"], _year_to_date()["end"]
    if form.is_valid():
        return form.cleaned_data["start"], form.cleaned_data["end"]
    return form


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    require_staff(request.actor, Perm.INVOICE_MANAGE)
    period = _period(request)
    if isinstance(period, PeriodRangeForm):
        return render(request, "invoicing/staff_exports.html", {"form": period}, status=400)
    first, last = period
    if kind == "fec":
        with staff_wide("the host's FEC covers every customer"):
            name, content = fec_export_period(first, last)
        return _attachment(content, name, "text/plain; charset=utf-8")
    return _attachment(sales_journal_xlsx(first, last), f"journal-des-ventes-{first:%Y%m%d}-{last:%Y%m%d}.xlsx", XLSX)


def export_fec(request: HttpRequest) -> HttpResponse:
    return _export(request, "fec")


def export_sales_journal(request: HttpRequest) -> HttpResponse:
    return _export(request, "journal")


def chart_of_accounts(request: HttpRequest) -> HttpResponse:
    require_staff(request.actor, Perm.INVOICE_MANAGE)
    with staff_wide("the host's chart of accounts names every customer"):
        settings = invoicing_settings()
        customers = list(customer_workspaces())
        form = ChartOfAccountsForm(
            request.POST or None, settings=settings, services=Service.choices,
            rates=[(rate, f"{rate.rstrip('0').rstrip('.').replace('.', ',')} %") for rate in VAT_RATES],
            customers=customers,
            initial={"customer_account": settings.customer_account, "bank_account": settings.bank_account,
                     "default_revenue_account": settings.default_revenue_account,
                     "default_vat_account": settings.default_vat_account})
        if request.method == "POST" and form.is_valid():
            try:
                chart_of_accounts_update(actor=request.user, **form.values())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Chart of accounts saved."))
                return redirect("staff:invoicing:accounts")
    return render(request, "invoicing/staff_accounts.html", {"form": form}, status=400 if form.errors else 200)
