"""The network directory: opt-in profiles readable by every workspace that joined it.

The one deliberate crossing of workspaces besides staff: it happens only in
`alumni.selectors.directory.published_profiles` (see its docstring)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class DirectoryMembership(models.Model):
    """A workspace that joined the directory: its members may search it and its profiles are listed."""
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)
    joined_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("directory membership")
        constraints = [models.UniqueConstraint(fields=["workspace"], name="one_directory_membership")]

    def __str__(self) -> str:
        return f"{self.workspace_id}"


class ContactPreference(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    PHONE = "phone", _("By phone, after a first e-mail")


# The weights of the directory's full-text search: name and trade first, then skills and
# certifications, then the rest. French stemming ("menuisiers" finds "menuiserie").
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('french', coalesce(NEW.display_name, '') || ' ' || coalesce(NEW.trade, '')), 'A')"
    " || setweight(to_tsvector('french', coalesce(NEW.skills, '') || ' ' || coalesce(NEW.certifications, '')), 'B')"
    " || setweight(to_tsvector('french', coalesce(NEW.description, '') || ' ' || coalesce(NEW.area, '')"
    " || ' ' || coalesce(NEW.languages, '')), 'C')"
)


class DirectoryProfile(models.Model):
    """An entrepreneur of a CAE (entrepreneur set) or the alumni company itself (entrepreneur
    empty). Only the fields in PUBLISHED_FIELDS ever leave the workspace."""
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    entrepreneur = models.ForeignKey("backoffice.Entrepreneur", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    display_name = models.CharField(_("name shown"), max_length=120)
    trade = models.CharField(_("trade"), max_length=100)
    skills = models.CharField(_("skills"), max_length=300, blank=True, help_text=_("Separated by commas."))
    description = models.TextField(_("description"), blank=True, max_length=2000)
    area = models.CharField(_("area served"), max_length=200, blank=True)
    certifications = models.CharField(_("certifications"), max_length=200, blank=True,
                                      help_text=_("e.g. RGE, Qualibat"))
    languages = models.CharField(_("languages"), max_length=120, blank=True)
    contact_preference = models.CharField(_("how to be contacted"), max_length=10, choices=ContactPreference.choices,
                                          default=ContactPreference.EMAIL)
    # Never published: contact requests are e-mailed here; the sender sees it only once answered.
    contact_email = models.EmailField(_("contact e-mail (never shown)"))
    published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    # PostgreSQL only: the French full-text vector of the published text, kept by the trigger
    # below on every insert and update (ORM, bulk_create or raw SQL alike) and searched through
    # a GIN index (migration 0003). Stays empty on SQLite, where the search falls back to icontains.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("directory profile")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "entrepreneur"], condition=models.Q(entrepreneur__isnull=False),
                                    name="one_profile_per_entrepreneur"),
            models.UniqueConstraint(fields=["workspace"], condition=models.Q(entrepreneur__isnull=True),
                                    name="one_company_profile"),
        ]
        indexes = [models.Index(fields=["published", "trade"])]
        triggers = [
            pgtrigger.Trigger(
                name="directory_profile_search_vector",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=pgtrigger.Func(f"NEW.search_vector := {SEARCH_VECTOR_SQL}; RETURN NEW;"),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


PUBLISHED_FIELDS = ("id", "display_name", "trade", "skills", "description", "area", "certifications", "languages",
                    "contact_preference", "workspace__name", "workspace__slug")


class ContactRequest(models.Model):
    """A request sent through the directory. It belongs to the recipient's workspace."""
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    profile = models.ForeignKey(DirectoryProfile, on_delete=models.CASCADE, related_name="contact_requests")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sender_workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("contact request")

    def __str__(self) -> str:
        return f"{self.sender_workspace_id} → {self.profile_id}"


class DirectorySearch(models.Model):
    """One search, counted for the staff figures per CAE (the query text is not kept)."""
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    def __str__(self) -> str:
        return f"{self.workspace_id} {self.created_at:%Y-%m-%d %H:%M}"
