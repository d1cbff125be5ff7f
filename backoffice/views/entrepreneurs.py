"""Entrepreneurs of a CAE: list, detail, create, edit, and the audited NIR reveal.

`personal_id_reveal_response` is the one way a personal identifier (NIR, IBAN) is shown in
clear: payroll calls it for the IBAN with its own object and action name.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.records import (
    EntrepreneurEditForm,
    EntrepreneurFilterForm,
    EntrepreneurForm,
    add_service_errors,
)
from backoffice.interface import entrepreneur_facts
from backoffice.roles import Perm
from backoffice.selectors.entrepreneurs import entrepreneur_list, require_entrepreneur_workspace
from backoffice.selectors.lookups import get_entrepreneur
from backoffice.services.entrepreneurs import (
    ENTREPRENEUR_FIELDS,
    entrepreneur_create,
    entrepreneur_update,
    personal_id_reveal,
)

PERSONAL_ID_TEMPLATE = "backoffice/entrepreneur_personal_id.html"


def no_store(response: HttpResponse) -> HttpResponse:
    """Neither the browser nor a proxy keeps a copy (pages that show or may show personal ids)."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def personal_id_reveal_response(request: HttpRequest, *, obj: models.Model, field: str, action: str,
                                label: str) -> HttpResponse:
    """Answer a reveal POST: the clear value in place of the masked span (htmx outerHTML swap),
    after the permission check and audit entry of `personal_id_reveal`; never cached."""
    value = personal_id_reveal(actor=request.actor, obj=obj, field=field, action=action)
    response = render(request, PERSONAL_ID_TEMPLATE, {"value": value, "revealed": True, "label": label})
    return no_store(response)


def entrepreneurs(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.ENTREPRENEUR_VIEW)
    require_entrepreneur_workspace(actor)
    filters = EntrepreneurFilterForm(request.GET or None)
    query, status = "", ""
    if filters.is_valid():
        query, status = filters.cleaned_data["q"], filters.cleaned_data["status"]
    page = Paginator(entrepreneur_list(actor=actor, query=query, status=status), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "backoffice/entrepreneur_list.html", {
        "page": page, "filter_form": filters if filters.is_bound else EntrepreneurFilterForm(),
        "query": params.urlencode(),
    })


def entrepreneur_detail(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    require_entrepreneur_workspace(actor)
    entrepreneur = get_entrepreneur(actor, pk)
    return no_store(render(request, "backoffice/entrepreneur_detail.html", {
        "entrepreneur": entrepreneur, "facts": entrepreneur_facts(entrepreneur)}))


def entrepreneur_create_view(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.ENTREPRENEUR_EDIT)
    require_entrepreneur_workspace(actor)
    form = EntrepreneurForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entrepreneur = entrepreneur_create(actor=request.user, workspace=actor.workspace, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Entrepreneur %(name)s added.") % {"name": entrepreneur})
            return redirect("entrepreneur_detail", workspace=workspace, pk=entrepreneur.pk)
    return no_store(render(request, "backoffice/entrepreneur_form.html", {"form": form, "entrepreneur": None}))


def entrepreneur_edit(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    require_entrepreneur_workspace(actor)
    entrepreneur = get_entrepreneur(actor, pk)
    actor.require(Perm.ENTREPRENEUR_EDIT)
    initial = {name: getattr(entrepreneur, name) for name in ENTREPRENEUR_FIELDS if name != "nir"}
    form = EntrepreneurEditForm(request.POST or None, initial=initial, has_nir=bool(entrepreneur.nir),
                                nir_masked=entrepreneur.nir_masked)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        clear_nir = data.pop("clear_nir", False)
        if not data["nir"]:
            data["nir"] = "" if clear_nir else entrepreneur.nir  # empty field: keep the recorded NIR
        try:
            entrepreneur_update(actor=request.user, entrepreneur=entrepreneur, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Entrepreneur updated."))
            return redirect("entrepreneur_detail", workspace=workspace, pk=entrepreneur.pk)
    return no_store(render(request, "backoffice/entrepreneur_form.html", {"form": form, "entrepreneur": entrepreneur}))


@require_POST
def entrepreneur_nir_reveal(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    require_entrepreneur_workspace(request.actor)
    entrepreneur = get_entrepreneur(request.actor, pk)
    if not entrepreneur.nir:
        raise Http404("No NIR recorded")
    return personal_id_reveal_response(request, obj=entrepreneur, field="nir", action="entrepreneur.nir_reveal",
                                       label=_("NIR"))
