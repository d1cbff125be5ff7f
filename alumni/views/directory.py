"""The network directory (/w/<workspace>/alumni/directory/…), for every workspace kind: join
or withdraw, search, manage the workspace's profiles, send a contact request."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alumni.forms import ContactForm, DirectoryProfileForm, DirectorySearchForm
from alumni.selectors.directory import (
    get_own_profile,
    has_joined,
    own_profiles,
    published_profile,
    published_profiles,
)
from alumni.services.directory import (
    PROFILE_FIELDS,
    contact_request_send,
    directory_join,
    directory_profile_save,
    directory_profile_withdraw,
    directory_search_count,
    directory_withdraw,
)
from backoffice.forms.records import add_service_errors
from backoffice.models import Entrepreneur, Workspace, WorkspaceKind
from backoffice.roles import Perm
from backoffice.tenancy import staff_wide
from backoffice.views.dossiers import query_without

OWN_PROFILES_PER_PAGE = 50


def _caes():
    with staff_wide("the directory filter lists the cooperatives by name (no tenant data)"):
        return [(w.slug, w.name) for w in Workspace.objects.filter(kind__in=(WorkspaceKind.PARTNER, WorkspaceKind.HOST),
                                                                    is_active=True).order_by("name")]


def directory(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.DIRECTORY_USE)
    joined = has_joined(actor.workspace)
    if not joined:
        return render(request, "alumni/directory_join.html")
    form = DirectorySearchForm(request.GET or None, caes=_caes())
    results = None
    if form.is_valid() and any(form.cleaned_data.values()):
        results = published_profiles(actor, **form.cleaned_data)
        directory_search_count(workspace=actor.workspace)
    profiles = Paginator(own_profiles(actor.workspace), OWN_PROFILES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "alumni/directory.html", {"form": form, "results": results, "profiles": profiles,
                                                     "query": query_without(request.GET, "page")})


@require_POST
def directory_membership(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.DIRECTORY_MANAGE)
    if request.POST.get("join") == "1":
        directory_join(actor=request.user, workspace=actor.workspace)
        messages.success(request, _("Your workspace joined the directory."))
    else:
        directory_withdraw(actor=request.user, workspace=actor.workspace)
        messages.success(request, _("Your workspace left the directory: its profiles are no longer listed."))
    return redirect("alumni_directory", workspace=workspace)


def profile_edit(request: HttpRequest, workspace: str, pk: int | None = None) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.DIRECTORY_MANAGE)
    profile = get_own_profile(actor, pk) if pk else None
    entrepreneurs = []
    if actor.workspace.has_entrepreneurs and profile is None:
        entrepreneurs = list(Entrepreneur.objects.filter(workspace=actor.workspace, exit_date__isnull=True)
                             .order_by("last_name", "first_name"))
    initial = {f: getattr(profile, f) for f in PROFILE_FIELDS} if profile else {
        "display_name": actor.workspace.name, "trade": actor.workspace.trade, "contact_email": actor.workspace.email}
    form = DirectoryProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        entrepreneur = None
        if profile is None and request.POST.get("entrepreneur"):
            entrepreneur = next((e for e in entrepreneurs if str(e.pk) == request.POST["entrepreneur"]), None)
            if entrepreneur is None:
                raise Http404
        try:
            directory_profile_save(actor=request.user, workspace=actor.workspace, profile=profile,
                                   entrepreneur=entrepreneur if profile is None else profile.entrepreneur,
                                   **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Directory profile saved."))
            return redirect("alumni_directory", workspace=workspace)
    return render(request, "alumni/directory_profile_form.html", {"form": form, "profile": profile,
                                                                  "entrepreneurs": entrepreneurs})


@require_POST
def profile_withdraw(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    profile = get_own_profile(request.actor, pk)
    directory_profile_withdraw(actor=request.user, profile=profile)
    messages.success(request, _("The profile was removed from the directory."))
    return redirect("alumni_directory", workspace=workspace)


def contact(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    profile = published_profile(actor, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_request_send(actor=request.user, sender_workspace=actor.workspace, profile=profile,
                                 message=form.cleaned_data["message"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent by e-mail. The answer will come to your address."))
            return redirect("alumni_directory", workspace=workspace)
    return render(request, "alumni/directory_contact.html", {
        "form": form, "profile": {"display_name": profile.display_name, "trade": profile.trade,
                                  "workspace__name": profile.workspace.name}})
