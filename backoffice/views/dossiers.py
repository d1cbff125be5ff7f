"""Dossier pages of a workspace (clients and staff) and the staff work queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.filters import DossierFilter
from backoffice.forms.dossiers import (
    CommentForm,
    DocumentUploadForm,
    DossierAssignForm,
    DossierDueDateForm,
    DossierStatusForm,
)
from backoffice.roles import Perm
from backoffice.selectors.dossiers import dossier_comments, dossier_list, work_queue
from backoffice.selectors.lookups import get_dossier
from backoffice.selectors.users import host_staff_users
from backoffice.services.documents import document_upload
from backoffice.services.dossiers import (
    dossier_assign,
    dossier_comment,
    dossier_set_due_date,
    dossier_set_status,
)
from backoffice.tenancy import staff_wide


def dossiers(request: HttpRequest, workspace: str) -> HttpResponse:
    request.actor.require(Perm.DOSSIER_VIEW)
    page = Paginator(dossier_list(actor=request.actor), 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/dossier_list.html", {"page": page})


def dossier_detail(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    dossier = get_dossier(actor, pk)
    documents = dossier.documents.all()
    if not actor.has(Perm.DOCUMENT_VIEW_INTERNAL):
        documents = documents.filter(internal=False)
    context = {
        "dossier": dossier,
        "comments": dossier_comments(actor=actor, dossier=dossier),
        "documents": documents,
        "comment_form": CommentForm() if actor.has(Perm.DOSSIER_COMMENT) else None,
        "upload_form": DocumentUploadForm() if actor.has(Perm.DOCUMENT_UPLOAD) else None,
    }
    if actor.has(Perm.DOSSIER_MANAGE):
        context.update(
            status_form=DossierStatusForm(initial={"status": dossier.status}),
            assign_form=DossierAssignForm(initial={"assignee": dossier.assignee_id}, staff_users=host_staff_users()),
            due_form=DossierDueDateForm(initial={"due_date": dossier.due_date}),
        )
    return render(request, "backoffice/dossier_detail.html", context)


@require_POST
def dossier_comment_add(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    dossier = get_dossier(actor, pk)
    actor.require(Perm.DOSSIER_COMMENT)
    form = CommentForm(request.POST)
    if form.is_valid():
        internal = form.cleaned_data["internal"] and actor.has(Perm.DOSSIER_MANAGE)
        dossier_comment(actor=request.user, dossier=dossier, body=form.cleaned_data["body"], internal=internal)
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("The comment is empty or too long."))
    return redirect("dossier_detail", workspace=workspace, pk=dossier.pk)


@require_POST
def dossier_attach(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    dossier = get_dossier(actor, pk)
    actor.require(Perm.DOCUMENT_UPLOAD)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_upload(actor=request.user, workspace=dossier.workspace, upload=form.cleaned_data["file"],
                            title=form.cleaned_data["title"], dossier=dossier)
            messages.success(request, _("File attached."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect("dossier_detail", workspace=workspace, pk=dossier.pk)


@require_POST
def dossier_update(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """Staff actions on a dossier: status, assignee, due date (one form posted at a time)."""
    actor = request.actor
    dossier = get_dossier(actor, pk)
    actor.require(Perm.DOSSIER_MANAGE)
    action = request.POST.get("action")
    if action == "status":
        form = DossierStatusForm(request.POST)
        if form.is_valid():
            dossier_set_status(actor=request.user, dossier=dossier, status=form.cleaned_data["status"])
    elif action == "assign":
        form = DossierAssignForm(request.POST, staff_users=host_staff_users())
        if form.is_valid():
            dossier_assign(actor=request.user, dossier=dossier, assignee=form.cleaned_data["assignee"])
    elif action == "due_date":
        form = DossierDueDateForm(request.POST)
        if form.is_valid():
            dossier_set_due_date(actor=request.user, dossier=dossier, due_date=form.cleaned_data["due_date"])
    else:
        form = None
    if form is not None and form.is_valid():
        messages.success(request, _("Dossier updated."))
    else:
        messages.error(request, _("Nothing was changed: the value was not valid."))
    return redirect("dossier_detail", workspace=workspace, pk=dossier.pk)


def staff_queue(request: HttpRequest) -> HttpResponse:
    """The staff work queue: every workspace's dossiers, filterable, overdue first."""
    with staff_wide("the staff work queue lists every workspace's dossiers"):
        filters = DossierFilter(request.GET, queryset=work_queue())
        page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
        template = "backoffice/staff/_queue_table.html" if request.htmx else "backoffice/staff/queue.html"
        return render(request, template, {"filter": filters, "page": page})
