"""Share registers: the issuer's register, its settings, holders, movements, documents, and a
holder's positions across issuers.

Readers: Perm.SHARES_VIEW (the issuer's own users and staff); writers: Perm.SHARES_MANAGE.
Every write goes through alumni/services/shares.py, which refuses with a French message.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alumni.forms_shares import (
    AtDateForm,
    CancelForm,
    CollegeForm,
    HolderForm,
    IssuerForm,
    MovementForm,
    RegisterImportForm,
)
from alumni.selectors.shares import (
    capital_history,
    find_issuer,
    get_issuer,
    get_share_holder,
    get_share_movement,
    holder_position,
    holdings_of_workspace,
    issuers_for_staff,
    register_page,
    require_shares,
)
from alumni.services import shares_documents as share_documents
from alumni.services.shares import college_save, holder_create, issuer_save, movement_cancel, movement_record
from alumni.services.shares_import import register_import
from backoffice.forms.records import add_service_errors
from backoffice.roles import Perm
from backoffice.templatetags.money import format_money
from backoffice.views.entrepreneurs import no_store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)


def register(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_shares(request.actor)
    issuer = find_issuer(actor)
    if issuer is None:
        return render(request, "alumni/shares/register_empty.html", {})
    at = AtDateForm(request.GET or None)
    day = at.day()
    page = register_page(issuer, day)
    return no_store(render(request, "alumni/shares/register.html", {
        "page": page, "at_form": at if at.is_bound else AtDateForm(initial={"at": day}), "day": day,
        "capital_chart": share_documents.capital_chart_svg(capital_history(issuer, day)),
        "category_chart": share_documents.category_chart_svg(page),
    }))


def _settings_form(request: HttpRequest, workspace: str, form, save, success: str, title: str) -> HttpResponse:
    """The shape shared by the register's small forms: validate, call the service `save` with
    the cleaned data, show its refusal on the form or go back to the register."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("shares_register", workspace=workspace)
    return render(request, "alumni/shares/form.html", {"form": form, "title": title})


def issuer_settings(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_shares(request.actor, Perm.SHARES_MANAGE)
    issuer = find_issuer(actor)
    initial = ({f: getattr(issuer, f) for f in ("legal_form", "created_on", "initial_nominal", "minimum_subscription",
                                               "unpaid_deadline_years", "future_days_allowed")} if issuer else {})
    return _settings_form(request, workspace, IssuerForm(request.POST or None, initial=initial),
                          partial(issuer_save, actor=request.user, workspace=actor.workspace),
                          _("Register settings saved."), _("Register settings"))


def college_new(request: HttpRequest, workspace: str) -> HttpResponse:
    issuer = get_issuer(require_shares(request.actor, Perm.SHARES_MANAGE))
    return _settings_form(request, workspace, CollegeForm(request.POST or None),
                          partial(college_save, actor=request.user, issuer=issuer),
                          _("College saved."), _("New college"))


def holder_new(request: HttpRequest, workspace: str) -> HttpResponse:
    issuer = get_issuer(require_shares(request.actor, Perm.SHARES_MANAGE))
    return _settings_form(request, workspace, HolderForm(request.POST or None, issuer=issuer),
                          partial(holder_create, actor=request.user, issuer=issuer),
                          _("Associate added to the register."), _("New associate"))


def movement_new(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_shares(request.actor, Perm.SHARES_MANAGE)
    issuer = get_issuer(actor)
    form = MovementForm(request.POST or None, issuer=issuer,
                        initial={"effective_date": timezone.localdate(), "kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            movement = movement_record(actor=request.user, issuer=issuer, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Movement n° %(number)s written in the register.") % {"number": movement.number})
            return redirect("shares_register", workspace=workspace)
    return render(request, "alumni/shares/movement_form.html", {"form": form, "issuer": issuer})


def movement_cancel_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_shares(request.actor, Perm.SHARES_MANAGE)
    issuer = get_issuer(actor)
    movement = get_share_movement(actor, pk)
    form = CancelForm(request.POST or None, initial={"effective_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            counter = movement_cancel(actor=request.user, issuer=issuer, movement=movement, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Movement n° %(number)s cancelled by movement n° %(counter)s.") % {
                "number": movement.number, "counter": counter.number})
            return redirect("shares_register", workspace=workspace)
    return render(request, "alumni/shares/cancel_form.html", {"form": form, "movement": movement})


def holder_certificate(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = require_shares(request.actor)
    holder = get_share_holder(actor, pk)
    day = AtDateForm(request.GET or None).day()
    position = holder_position(holder, day)
    if position.shares <= 0:
        raise Http404("No shares held at that date")
    pdf = share_documents.certificate_pdf(holder, position, day)
    return _download(pdf, f"certificat-parts-{holder.pk}-{day.isoformat()}.pdf", "application/pdf")


def register_xlsx(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_shares(request.actor)
    issuer = get_issuer(actor)
    day = AtDateForm(request.GET or None).day()
    content = share_documents.register_xlsx(register_page(issuer, day))
    return _download(content, f"registre-parts-{issuer.workspace.slug}-{day.isoformat()}.xlsx", XLSX)


def register_pdf(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_shares(request.actor)
    issuer = get_issuer(actor)
    day = AtDateForm(request.GET or None).day()
    content = share_documents.register_pdf(register_page(issuer, day))
    return _download(content, f"registre-parts-{issuer.workspace.slug}-{day.isoformat()}.pdf", "application/pdf")


def holdings(request: HttpRequest, workspace: str) -> HttpResponse:
    """The workspace's own shares in every issuer (and nothing of the other holders)."""
    actor = require_shares(request.actor)
    at = AtDateForm(request.GET or None)
    day = at.day()
    rows = holdings_of_workspace(actor.workspace, day)
    return render(request, "alumni/shares/holdings.html", {
        "rows": rows, "day": day, "at_form": at if at.is_bound else AtDateForm(initial={"at": day})})


def holdings_statement(request: HttpRequest, workspace: str) -> HttpResponse:
    """The yearly statement of the workspace's positions across issuers (PDF, at 31 December)."""
    actor = require_shares(request.actor)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
        day = datetime.date(year, 12, 31)
    except ValueError:
        raise Http404("Bad year") from None
    pdf = share_documents.statement_pdf(actor.workspace, holdings_of_workspace(actor.workspace, day), day)
    return _download(pdf, f"releve-parts-{actor.workspace.slug}-{year}.pdf", "application/pdf")


# --- staff area -------------------------------------------------------------------------------

def staff_issuers(request: HttpRequest) -> HttpResponse:
    request.actor.require(Perm.STAFF_AREA)
    if request.actor.workspace is not None:
        raise Http404
    day = AtDateForm(request.GET or None).day()
    return render(request, "alumni/shares/staff_issuers.html", {"rows": issuers_for_staff(day), "day": day})


def register_import_view(request: HttpRequest, workspace: str) -> HttpResponse:
    """Upload an existing register: "Check" runs every rule over the whole history and writes
    nothing; "Import" writes every movement, or nothing when one row is refused."""
    from backoffice.spreadsheets import FileRejected, load_dataset

    actor = require_shares(request.actor, Perm.SHARES_MANAGE)
    issuer = get_issuer(actor)
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            dataset = load_dataset(upload, name=upload.name)
        except FileRejected as exc:
            form.add_error("file", exc.message)
        else:
            commit = "import" in request.POST
            report = register_import(actor=request.user, issuer=issuer, dataset=dataset, commit=commit)
            if report.written:
                messages.success(request, _("%(n)s movements imported; highest capital ever reached: %(highest)s.") % {
                    "n": report.rows, "highest": format_money(report.highest_capital)})
                return redirect("shares_register", workspace=workspace)
    return render(request, "alumni/shares/import.html", {"form": form, "report": report, "issuer": issuer})
