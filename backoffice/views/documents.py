"""Private documents: listed, uploaded and downloaded only through permission checks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms.dossiers import DocumentUploadForm
from backoffice.models import Document
from backoffice.roles import Perm
from backoffice.selectors.lookups import get_document
from backoffice.services.audit import audit_record
from backoffice.services.documents import document_upload


def documents(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.DOCUMENT_VIEW)
    qs = Document.objects.filter(workspace=actor.workspace).select_related("dossier", "uploaded_by")
    if not actor.has(Perm.DOCUMENT_VIEW_INTERNAL):
        qs = qs.filter(internal=False)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    form = DocumentUploadForm() if actor.has(Perm.DOCUMENT_UPLOAD) else None
    return render(request, "backoffice/document_list.html", {"page": page, "form": form})


@require_POST
def document_upload_view(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.DOCUMENT_UPLOAD)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_upload(actor=request.user, workspace=actor.workspace, upload=form.cleaned_data["file"],
                            title=form.cleaned_data["title"])
            messages.success(request, _("Document stored."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("documents", workspace=workspace)


def document_download(request: HttpRequest, workspace: str, pk: int) -> FileResponse:
    document = get_document(request.actor, pk)
    audit_record(actor=request.user, workspace=document.workspace, action="document.download", obj=document)
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
