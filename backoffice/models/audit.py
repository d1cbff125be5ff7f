"""The audit trail: who changed what, when. Written by services, read by staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class AuditEntry(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text=_("Empty for an automatic action."))
    action = models.CharField(_("action"), max_length=60)  # e.g. "dossier.assign", "entrepreneur.nir_reveal"
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [
            models.Index(fields=["workspace", "-created_at"]),
            # The dossier timeline reads one object's entries.
            models.Index(fields=["workspace", "object_type", "object_id"]),
            # Keyset pages of the staff audit trail (backoffice/pagination.py): newest first, ties by id.
            models.Index(fields=["-created_at", "-id"], name="audit_newest_first_idx"),
        ]
        # The audit trail's object search (object_repr icontains) has a trigram index on
        # PostgreSQL only: migration backoffice 0004 (not declared here, SQLite has none).

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"
