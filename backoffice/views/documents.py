"""Private documents: listed, uploaded and downloaded only through permission checks.

A document's file is never under a public URL (MEDIA_URL is None and the storage has no
base_url): `document_download` is the only way out, and every download is audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.filters import DocumentFilter
from backoffice.forms.dossiers import DocumentUploadForm
from backoffice.roles import Perm
from backoffice.selectors.dossiers import document_list
from backoffice.selectors.lookups import get_document
from backoffice.services import documents as document_services
from backoffice.views.dossiers import query_without


def documents(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.DOCUMENT_VIEW)
    filters = DocumentFilter(request.GET, queryset=document_list(actor=actor), request=request)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    form = DocumentUploadForm() if actor.has(Perm.DOCUMENT_UPLOAD) else None
    return render(request, "backoffice/document_list.html", {
        "page": page, "form": form, "filter": filters, "query": query_without(request.GET, "page"),
        "can_internal_documents": actor.has(Perm.DOCUMENT_VIEW_INTERNAL),
    })


@require_POST
def document_upload_view(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.DOCUMENT_UPLOAD)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_services.document_upload(
                actor=request.user, workspace=actor.workspace, upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                internal=form.cleaned_data["internal"] and actor.has(Perm.DOCUMENT_VIEW_INTERNAL))
            messages.success(request, _("Document stored."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("documents", workspace=workspace)


def document_download(request: HttpRequest, workspace: str, pk: int) -> FileResponse:
    document = get_document(request.actor, pk)
    handle = document_services.document_download(actor=request.user, document=document)
    response = FileResponse(handle, as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
