"""Checking uploaded files: size limit and a type check on the content, not only the name."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> (content type, check on the first bytes)
_ZIP = b"PK\x03\x04"
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    "odt": ("application/vnd.oasis.opendocument.text", (_ZIP,)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (_ZIP,)),
    "csv": ("text/csv", None),
    "txt": ("text/plain", None),
}
DOCUMENT_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "xlsx", "docx", "odt", "ods", "csv", "txt")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def check_upload(upload, *, allowed: tuple[str, ...] = DOCUMENT_EXTENSIONS, max_bytes: int | None = None) -> str:
    """Validate an uploaded file; return its content type or raise ValidationError with a
    message the user can act on."""
    max_bytes = max_bytes or settings.MAX_UPLOAD_BYTES
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if upload.size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name})
    if upload.size > max_bytes:
        raise ValidationError(_("The file “%(name)s” is %(size)s; the limit is %(limit)s.") % {
            "name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)})
    if ext not in allowed or ext not in ALLOWED_TYPES:
        raise ValidationError(_("Files of type “.%(ext)s” are not accepted. Accepted: %(allowed)s.") % {
            "ext": ext or "?", "allowed": ", ".join(f".{a}" for a in allowed)})
    content_type, signatures = ALLOWED_TYPES[ext]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        ok = _looks_like_text(head)
    else:
        ok = any(head.startswith(sig) for sig in signatures)
        if ok and signatures == (_ZIP,):
            ok = zipfile.is_zipfile(upload)
            upload.seek(0)
    if not ok:
        raise ValidationError(_("The file “%(name)s” is not a real .%(ext)s file (its content does not match).") % {
            "name": name, "ext": ext})
    return content_type
