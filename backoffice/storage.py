"""Private file storage: documents are never reachable by a URL of their own.

Every file is served by a permission-checked view (backoffice/views/documents.py), so the
storage refuses to build a URL at all, whatever MEDIA_URL says."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def url(self, name):
        raise NotImplementedError("private files have no URL: serve them through a permission-checked view")
