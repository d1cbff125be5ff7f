"""Staff area /staff/invoicing/: every customer's invoices, the monthly billing run, issuing
all drafts, manual invoices."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.records import add_service_errors
from backoffice.roles import Perm
from backoffice.selectors.usage import parse_month, shift_month
from backoffice.tenancy import staff_wide
from invoicing.forms import NewInvoiceForm, PeriodForm
from invoicing.models import InvoiceState
from invoicing.selectors.staff import (
    aged_balances,
    customer_workspaces,
    require_staff,
    staff_drafts,
    staff_invoice_list,
)
from invoicing.services.billing import billing_run
from invoicing.services.common import InvoicingError
from invoicing.services.invoices import invoice_create, invoice_issue_many


def _last_month():
    return shift_month(timezone.localdate().replace(day=1), -1)


def invoicing_home(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require_staff(actor)
    period = parse_month(request.GET.get("period"), default=_last_month()) if request.GET.get("period") else None
    state = request.GET.get("state", "")
    return render(request, "invoicing/staff_home.html", {
        "invoices": staff_invoice_list(actor, period=period, state=state),
        "period": period, "state": state, "states": InvoiceState.choices,
        "run_form": PeriodForm(initial={"period": f"{_last_month():%Y-%m}"}),
        "today": timezone.localdate(),
        "can_manage": actor.has(Perm.INVOICE_MANAGE),
    })


@require_POST
def billing_run_view(request: HttpRequest) -> HttpResponse:
    require_staff(request.actor, Perm.INVOICE_MANAGE)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("period", []):
            messages.error(request, message)
        return redirect("staff:invoicing:home")
    period = parse_month(form.cleaned_data["period"], default=_last_month())
    dry_run = bool(request.POST.get("dry_run"))
    report = billing_run(actor=request.user, period=period, dry_run=dry_run)
    return render(request, "invoicing/run_report.html", {"report": report, "period": period})


@require_POST
def issue_all(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require_staff(actor, Perm.INVOICE_MANAGE)
    period = parse_month(request.POST.get("period"), default=_last_month()) if request.POST.get("period") else None
    with staff_wide("staff issue every customer's drafts of the month at once"):
        issued, refused = invoice_issue_many(actor=request.user, invoices=list(staff_drafts(actor, period=period)))
    messages.success(request, _("%(count)d invoices issued.") % {"count": len(issued)})
    for invoice, reason in refused:
        messages.error(request, _("%(customer)s: %(reason)s") % {"customer": invoice.workspace.name, "reason": reason})
    return redirect("staff:invoicing:home")


def invoice_new(request: HttpRequest) -> HttpResponse:
    require_staff(request.actor, Perm.INVOICE_MANAGE)
    with staff_wide("a manual invoice may be for any customer"):
        form = NewInvoiceForm(request.POST or None, workspaces=customer_workspaces())
        if request.method == "POST" and form.is_valid():
            try:
                invoice = invoice_create(actor=request.user, workspace=form.cleaned_data["workspace"],
                                         lines=[form.line_input()])
                messages.success(request, _("Draft invoice created: add lines, then issue it."))
                return redirect("invoice_detail", workspace=invoice.workspace.slug, pk=invoice.pk)
            except InvoicingError as error:
                add_service_errors(form, error)
        return render(request, "invoicing/invoice_new.html", {"form": form}, status=400 if form.errors else 200)


def balances(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows, total = aged_balances(request.actor, today=today)
    return render(request, "invoicing/staff_balances.html", {"rows": rows, "total": total, "today": today})
