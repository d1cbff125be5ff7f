"""Private documents of a workspace: uploads and generated PDFs, served through a permission check."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager


def document_path(instance: Document, filename: str) -> str:
    """Never trust the uploaded name for the path: a random name inside the workspace folder,
    keeping only a short alphanumeric extension (uploads are type-checked before this)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not (suffix.isascii() and suffix.isalnum() and len(suffix) <= 8):
        suffix = "bin"
    return f"ws-{instance.workspace_id}/{uuid.uuid4().hex}.{suffix}"


class DocumentKind(models.TextChoices):
    # A noun here ("an upload"), a verb on the upload button: French needs two words.
    UPLOAD = "upload", pgettext_lazy("document kind", "Upload")
    GENERATED = "generated", _("Generated")


class Document(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="documents")
    dossier = models.ForeignKey("backoffice.Dossier", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.UPLOAD)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=document_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Staff-only documents (e.g. internal working files) are hidden from client users.
    internal = models.BooleanField(_("staff only"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title
