"""The workspace's service agreements and price lines: clients read, host staff edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.records import AgreementForm, PriceLineForm, add_service_errors
from backoffice.roles import Perm
from backoffice.selectors.lookups import get_agreement, get_price_line
from backoffice.selectors.usage import agreements_by_service
from backoffice.services.agreements import (
    AGREEMENT_FIELDS,
    PRICE_LINE_FIELDS,
    agreement_create,
    agreement_update,
    price_line_create,
    price_line_delete,
    price_line_update,
)


def agreements(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.AGREEMENT_VIEW)
    groups = agreements_by_service(workspace=actor.workspace, today=timezone.localdate())
    return render(request, "backoffice/agreement_list.html", {"groups": groups})


def agreement_create_view(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.AGREEMENT_MANAGE)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement_create(actor=request.user, workspace=actor.workspace, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Agreement created."))
            return redirect("agreements", workspace=workspace)
    return render(request, "backoffice/agreement_form.html", {"form": form, "agreement": None})


def agreement_edit(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    agreement = get_agreement(actor, pk)
    actor.require(Perm.AGREEMENT_MANAGE)
    form = AgreementForm(request.POST or None, initial={f: getattr(agreement, f) for f in AGREEMENT_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            agreement_update(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Agreement updated."))
            return redirect("agreements", workspace=workspace)
    return render(request, "backoffice/agreement_form.html", {"form": form, "agreement": agreement})


def price_line_create_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    agreement = get_agreement(actor, pk)
    actor.require(Perm.AGREEMENT_MANAGE)
    form = PriceLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            price_line_create(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Price line added."))
            return redirect("agreements", workspace=workspace)
    return render(request, "backoffice/agreement_price_line_form.html",
                  {"form": form, "agreement": agreement, "line": None})


def price_line_edit(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    line = get_price_line(actor, pk)
    actor.require(Perm.AGREEMENT_MANAGE)
    form = PriceLineForm(request.POST or None, initial={f: getattr(line, f) for f in PRICE_LINE_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            price_line_update(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Price line updated."))
            return redirect("agreements", workspace=workspace)
    return render(request, "backoffice/agreement_price_line_form.html",
                  {"form": form, "agreement": line.agreement, "line": line})


@require_POST
def price_line_delete_view(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    line = get_price_line(actor, pk)
    actor.require(Perm.AGREEMENT_MANAGE)
    price_line_delete(actor=request.user, line=line)
    messages.success(request, _("Price line removed."))
    return redirect("agreements", workspace=workspace)
