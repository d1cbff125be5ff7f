"""Dossier pages of a workspace (clients and staff) and the staff work queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backoffice.filters import QUEUE_SORTS, DossierFilter
from backoffice.forms.dossiers import (
    CommentForm,
    DocumentUploadForm,
    DossierAssignForm,
    DossierDueDateForm,
    DossierStatusForm,
    QueueBulkAssignForm,
    QuickActionForm,
)
from backoffice.models import DossierStatus
from backoffice.roles import Perm
from backoffice.selectors.dossiers import (
    dossier_documents,
    dossier_list,
    dossier_timeline,
    queue_dossiers,
    queue_row,
    work_queue,
    work_queue_counts,
)
from backoffice.selectors.lookups import get_dossier
from backoffice.selectors.users import host_staff_users
from backoffice.services.documents import document_upload
from backoffice.services.dossiers import (
    dossier_assign,
    dossier_bulk_assign,
    dossier_comment,
    dossier_set_due_date,
    dossier_set_status,
)
from backoffice.tenancy import staff_wide

QUEUE_PAGE_SIZE = 50


def query_without(params: QueryDict, *names: str) -> str:
    """The current query string minus `names` (e.g. "page"), for links that keep the filters."""
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def dossiers(request: HttpRequest, workspace: str) -> HttpResponse:
    request.actor.require(Perm.DOSSIER_VIEW)
    page = Paginator(dossier_list(actor=request.actor), 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/dossier_list.html", {"page": page, "query": query_without(request.GET, "page")})


def dossier_detail(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    actor = request.actor
    dossier = get_dossier(actor, pk)
    context = {
        "dossier": dossier,
        "timeline": dossier_timeline(actor=actor, dossier=dossier),
        "documents": dossier_documents(actor=actor, dossier=dossier),
        "comment_form": CommentForm() if actor.has(Perm.DOSSIER_COMMENT) else None,
        "upload_form": DocumentUploadForm() if actor.has(Perm.DOCUMENT_UPLOAD) else None,
        "can_manage": actor.has(Perm.DOSSIER_MANAGE),
        "can_internal_documents": actor.has(Perm.DOCUMENT_VIEW_INTERNAL),
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
    if form.is_valid() and form.cleaned_data["body"].strip():
        # Only those who manage dossiers (host staff) may write a staff-only note.
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
                            title=form.cleaned_data["title"], dossier=dossier,
                            internal=form.cleaned_data["internal"] and actor.has(Perm.DOCUMENT_VIEW_INTERNAL))
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


@require_POST
def dossier_quick_action(request: HttpRequest, workspace: str, pk: int) -> HttpResponse:
    """One click from a row of the staff queue (htmx): take the dossier, or change its status.
    Answers the re-rendered row. It is a workspace address, so the write runs inside the
    dossier's own workspace scope like any other."""
    actor = request.actor
    dossier = get_dossier(actor, pk)
    actor.require(Perm.DOSSIER_MANAGE)
    form = QuickActionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Nothing was changed: the value was not valid."))
    if form.cleaned_data["action"] == QuickActionForm.ASSIGN_ME:
        if not actor.is_staff:
            raise PermissionDenied
        dossier_assign(actor=request.user, dossier=dossier, assignee=request.user)
    else:
        dossier_set_status(actor=request.user, dossier=dossier, status=form.cleaned_data["status"])
    if not request.htmx:
        messages.success(request, _("Dossier updated."))
        return redirect("staff:queue")
    return render(request, "backoffice/staff/_queue_row.html", {
        "d": queue_row(actor=actor, pk=dossier.pk), "statuses": DossierStatus.choices})


def _sort_columns(params: QueryDict, current: str) -> list[dict]:
    """Header links of the sortable queue columns: a click sorts by it, a second click reverses."""
    base = query_without(params, "page", "sort")
    columns = [("workspace", _("Workspace")), ("title", _("Dossier")), ("status", _("Status")),
               ("due", _("Due date")), ("updated", _("Last change"))]
    out = []
    for key, label in columns:
        active = "asc" if current == key else "desc" if current == f"-{key}" else ""
        target = f"-{key}" if active == "asc" else key
        out.append({"key": key, "label": label, "active": active,
                    "href": "?" + (f"{base}&" if base else "") + f"sort={target}"})
    return out


def staff_queue(request: HttpRequest) -> HttpResponse:
    """The staff work queue: every workspace's dossiers, filterable, overdue first."""
    request.actor.require(Perm.DOSSIER_MANAGE)
    sort = request.GET.get("sort", "")
    with staff_wide("the staff work queue lists every workspace's dossiers"):
        filters = DossierFilter(request.GET, queryset=work_queue(), request=request)
        qs = filters.qs
        counts = work_queue_counts(qs, user=request.user)
        paginator = Paginator(qs, QUEUE_PAGE_SIZE)
        paginator.count = counts["total"]  # already counted above: no second COUNT query
        page = paginator.get_page(request.GET.get("page"))
        context = {
            "filter": filters, "page": page, "counts": counts, "statuses": DossierStatus.choices,
            "query": query_without(request.GET, "page"),
            "sort_columns": _sort_columns(request.GET, sort if sort in QUEUE_SORTS else ""),
            "bulk_form": QueueBulkAssignForm(staff_users=host_staff_users()),
        }
        template = ("backoffice/staff/_queue_table.html" if request.htmx and request.htmx.target == "queue"
                    else "backoffice/staff/queue.html")
        return render(request, template, context)


@require_POST
def staff_queue_bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign the ticked rows of the queue at once, then come back to the same filters."""
    request.actor.require(Perm.DOSSIER_MANAGE)
    form = QueueBulkAssignForm(request.POST, staff_users=host_staff_users())
    back = reverse("staff:queue")
    query = QueryDict(request.POST.get("query", "")).urlencode()
    if query:
        back += f"?{query}"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    choice = form.cleaned_data["assignee"]
    assignee = request.user if choice == "me" else None if choice == "none" else form.staff_users[choice]
    with staff_wide("bulk assignment from the staff queue, which lists every workspace's dossiers"):
        chosen = queue_dossiers(form.cleaned_data["ids"])
    changed = dossier_bulk_assign(actor=request.user, dossiers=chosen, assignee=assignee)
    messages.success(request, ngettext("%(n)d dossier assigned.", "%(n)d dossiers assigned.", changed) % {"n": changed})
    return redirect(back)
