"""Storing private documents."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile, File
from django.db import transaction

from backoffice.models import Document, Dossier, Workspace
from backoffice.models.documents import DocumentKind
from backoffice.services.audit import audit_record
from backoffice.storage import track_written
from backoffice.uploads import check_upload


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


class _HashingFile(File):
    """An upload whose SHA-256 is computed as the storage reads it: the file is read once."""

    def __init__(self, upload):
        super().__init__(upload, name=upload.name)
        self.upload, self.digest, self.seen = upload, hashlib.sha256(), 0

    @property
    def size(self):
        return self.upload.size

    def chunks(self, chunk_size=None):
        self.upload.seek(0)
        source = self.upload.chunks(chunk_size) if hasattr(self.upload, "chunks") else super().chunks(chunk_size)
        for chunk in source:
            self.digest.update(chunk)
            self.seen += len(chunk)
            yield chunk

    def sha256(self) -> str:
        """The digest, if the storage read the whole file through `chunks`; else one more pass."""
        return self.digest.hexdigest() if self.seen == self.upload.size else _sha256(self.upload)


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
        original_name=upload.name[:255], content_type=content_type, size=upload.size,
        internal=internal, uploaded_by=actor,
    )
    hashing = _HashingFile(upload)
    document.file.save(upload.name, hashing, save=False)
    track_written(document.file.storage, document.file.name)
    document.sha256 = hashing.sha256()
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
    track_written(document.file.storage, document.file.name)
    document.save()
    audit_record(actor=actor, workspace=workspace, action="document.generate", obj=document)
    return document


@dataclass(frozen=True)
class GeneratedFile:
    """One file of a batch given to `documents_store_generated`."""

    filename: str
    content: bytes
    title: str
    content_type: str = "application/pdf"


@transaction.atomic
def documents_store_generated(*, workspace: Workspace, files: list[GeneratedFile], actor=None,
                              internal: bool = False, batch: str = "") -> list[Document]:
    """Store a batch of generated files (a month's payslip PDFs): the files are written to
    storage, their rows inserted in one statement, and one audit entry records the batch (its
    document ids). Returns the documents, in the order of `files`, with their pks."""
    if not files:
        return []
    documents = []
    for generated in files:
        document = Document(
            workspace=workspace, kind=DocumentKind.GENERATED, title=generated.title,
            original_name=generated.filename[:255], content_type=generated.content_type,
            size=len(generated.content), sha256=hashlib.sha256(generated.content).hexdigest(),
            internal=internal, uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        document.file.save(generated.filename, ContentFile(generated.content), save=False)
        track_written(document.file.storage, document.file.name)
        documents.append(document)
    Document.objects.bulk_create(documents)
    audit_record(actor=actor, workspace=workspace, action="document.generate_batch", obj=None,
                 changes={"batch": batch, "count": len(documents), "documents": [d.pk for d in documents]})
    return documents


@transaction.atomic
def document_download(*, actor, document: Document):
    """Open a document's file for a permitted reader and record who read it (the caller has
    already checked the right to read it: see `get_document`). Returns an open binary file."""
    audit_record(actor=actor, workspace=document.workspace, action="document.download", obj=document)
    return document.file.open("rb")
