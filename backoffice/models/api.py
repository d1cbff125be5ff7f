"""Per-workspace API tokens, for CAEs whose own tools send data (e.g. the monthly submission)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """Only the SHA-256 of the token is stored; the clear token is shown once at creation."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8)  # shown in lists to recognise a token
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Optional last day of validity: a token for a one-off migration need not live for ever.
    expires_on = models.DateField(_("valid until"), null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_live_on(self, day) -> bool:
        return self.revoked_at is None and (self.expires_on is None or day <= self.expires_on)

    @staticmethod
    def generate() -> str:
        return "mut_" + secrets.token_urlsafe(32)
