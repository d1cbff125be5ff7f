"""Storing private documents."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from backoffice.models import Document, Dossier, Workspace
from backoffice.models.documents import DocumentKind
from backoffice.services.audit import audit_record
from backoffice.uploads import check_upload


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def document_upload(*, actor, workspace: Workspace, upload, title: str = "", dossier: Dossier | None = None,
                    internal: bool = False) -> Document:
    """Store an uploaded file after checking its size and type (ValidationError otherwise).

    The stored path is random (see `document_path`): the user's file name is kept only as
    `original_name`, for the download's file name."""
    if dossier is not None and dossier.workspace_id != workspace.pk:
        raise ValueError("a document and its dossier belong to the same workspace")
    content_type = check_upload(upload)
    document = Document(
        workspace=workspace, dossier=dossier, kind=DocumentKind.UPLOAD, title=title or upload.name,
        original_name=upload.name[:255], content_type=content_type, size=upload.size, sha256=_sha256(upload),
        internal=internal, uploaded_by=actor,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    audit_record(actor=actor, workspace=workspace, action="document.upload", obj=document,
                 changes={"size": document.size, "dossier": str(dossier) if dossier else None})
    return document


@transaction.atomic
def document_store_generated(*, workspace: Workspace, filename: str, content: bytes, content_type: str, title: str,
                             dossier: Dossier | None = None, actor=None, internal: bool = False) -> Document:
    """Store a file the system generated (a PDF, an export)."""
    if dossier is not None and dossier.workspace_id != workspace.pk:
        raise ValueError("a document and its dossier belong to the same workspace")
    document = Document(
        workspace=workspace, dossier=dossier, kind=DocumentKind.GENERATED, title=title, original_name=filename,
        content_type=content_type, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        internal=internal, uploaded_by=actor,
    )
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    audit_record(actor=actor, workspace=workspace, action="document.generate", obj=document)
    return document


@transaction.atomic
def document_download(*, actor, document: Document):
    """Open a document's file for a permitted reader and record who read it (the caller has
    already checked the right to read it: see `get_document`). Returns an open binary file."""
    audit_record(actor=actor, workspace=document.workspace, action="document.download", obj=document)
    return document.file.open("rb")
