"""The services portal of an alumni company (/w/<company>/alumni/…): home, revenue
declarations with the contribution shown before confirming, contributions, service requests;
and the staff's follow-up of that company (same addresses, staff permissions)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alumni.charts import bar_chart
from alumni.forms import CompanyForm, CorrectionForm, DeclarationForm, ServiceRequestForm, TaskForm
from alumni.selectors.companies import follow_up_tasks, get_declaration, require_company
from alumni.selectors.directory import has_joined
from alumni.selectors.ledger import due_date_of, workspace_ledger
from alumni.services.companies import (
    COMPANY_FIELDS,
    alumni_company_update,
    follow_up_task_add,
    service_request_send,
)
from alumni.services.declarations import (
    contribution_preview,
    declaration_correct,
    declaration_create,
    open_periods,
)
from backoffice.forms.records import add_service_errors
from backoffice.models import Document, Dossier, ServiceAgreement
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.roles import Perm


def portal_home(request: HttpRequest, workspace: str) -> HttpResponse:
    company = require_company(request.actor)
    ws = company.workspace
    today = timezone.localdate()
    ledger = workspace_ledger(ws, today=today)
    agreements = list(ServiceAgreement.objects.filter(workspace=ws).prefetch_related("price_lines")
                      .order_by("service", "-start_date"))
    current = [a for a in agreements if a.is_active_on(today)]
    next_appointment = (Dossier.objects.filter(workspace=ws, status__in=OPEN_STATUSES, due_date__gte=today)
                        .order_by("due_date").first())
    documents = list(Document.objects.filter(workspace=ws, internal=False).order_by("-created_at")[:5])
    return render(request, "alumni/portal_home.html", {
        "company": company, "ledger": ledger, "agreements": current, "next_appointment": next_appointment,
        "documents": documents, "open_periods": open_periods(company, today=today),
        "in_directory": has_joined(ws), "today": today,
        "chart": bar_chart(title=_("Your contributions by year"), labels=[str(y) for y, _d, _c in ledger.by_year],
                           series=[(_("Contribution due"), "#2f6f9f", [c for _y, _d, c in ledger.by_year])])
        if ledger.by_year else None,
    })


def declare(request: HttpRequest, workspace: str) -> HttpResponse:
    """GET: the form. POST without "confirm": the contribution computed, nothing written.
    POST with "confirm": recorded (the same checks run again)."""
    company = require_company(request.actor, Perm.ALUMNI_DECLARE)
    periods = open_periods(company)
    form = DeclarationForm(request.POST or None, periods=periods)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("confirm"):
                declaration_create(actor=request.user, company=company,
                                                 period_key=form.cleaned_data["period"],
                                                 revenue=form.cleaned_data["revenue"])
                messages.success(request, _("Revenue declared. The contribution it makes due is in your contributions."))
                return redirect("alumni_contributions", workspace=workspace)
            preview = contribution_preview(company=company, period_key=form.cleaned_data["period"],
                                           revenue=form.cleaned_data["revenue"])
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "alumni/declare.html", {"company": company, "form": form, "preview": preview,
                                                   "periods": periods})


def contributions(request: HttpRequest, workspace: str) -> HttpResponse:
    company = require_company(request.actor)
    today = timezone.localdate()
    ledger = workspace_ledger(company.workspace, today=today)
    rows = [(d, due_date_of(d)) for d in ledger.declarations]
    return render(request, "alumni/contributions.html", {
        "company": company, "ledger": ledger, "rows": rows, "today": today,
        "days_overdue": ledger.row.days_overdue(today),
        "chart": bar_chart(title=_("Your contributions by year"), labels=[str(y) for y, _d, _c in ledger.by_year],
                           series=[(_("Contribution due"), "#2f6f9f", [c for _y, _d, c in ledger.by_year])])
        if ledger.by_year else None,
    })


def correct_declaration(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    declaration = get_declaration(actor, pk)
    actor.require(Perm.ALUMNI_MANAGE)
    form = CorrectionForm(request.POST or None, initial={"revenue": declaration.revenue})
    if request.method == "POST" and form.is_valid():
        try:
            declaration_correct(actor=request.user, declaration=declaration, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Declaration corrected; the company sees the correction and its reason."))
            return redirect("alumni_contributions", workspace=workspace)
    return render(request, "alumni/correct.html", {"form": form, "declaration": declaration})


def service_request(request: HttpRequest, workspace: str) -> HttpResponse:
    company = require_company(request.actor, Perm.ALUMNI_DECLARE)
    form = ServiceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = service_request_send(actor=request.user, company=company, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Request sent: the cooperative's team will answer in this dossier."))
            return redirect("dossier_detail", workspace=workspace, pk=dossier.pk)
    return render(request, "alumni/service_request.html", {"form": form, "company": company})


def company_follow_up(request: HttpRequest, workspace: str) -> HttpResponse:
    """Staff: the company's follow-up record, founders and tasks."""
    company = require_company(request.actor, Perm.ALUMNI_MANAGE)
    form = CompanyForm(request.POST or None, initial={f: getattr(company, f) for f in COMPANY_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            alumni_company_update(actor=request.user, company=company, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect("alumni_company", workspace=workspace)
    return render(request, "alumni/company.html", {"company": company, "form": form, "task_form": TaskForm(),
                                                   "tasks": follow_up_tasks(company.workspace),
                                                   "founders": list(company.founders.all())})


@require_POST
def task_add(request: HttpRequest, workspace: str) -> HttpResponse:
    company = require_company(request.actor, Perm.ALUMNI_MANAGE)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            follow_up_task_add(actor=request.user, company=company, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Task added to the work queue."))
    else:
        messages.error(request, _("Give the task and, if any, a valid due date."))
    return redirect("alumni_company", workspace=workspace)


