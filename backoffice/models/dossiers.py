"""Dossiers: delegated files in the staff work queue, whatever app created them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from backoffice.models.agreements import Service


class DossierStatus(models.TextChoices):
    """Queue-level status, the same for every service. Each business app keeps its own finer
    `stage` (e.g. a monthly submission: received → checked → computed → approved → delivered)."""

    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CLIENT = "waiting_client", _("Waiting for the client")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (DossierStatus.NEW, DossierStatus.IN_PROGRESS, DossierStatus.WAITING_CLIENT)


class Dossier(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="dossiers")
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    kind = models.CharField(_("kind"), max_length=40, help_text=_("e.g. monthly_submission, funding_request"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.NEW)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="assigned_dossiers")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # The business object this dossier tracks (a submission, a funding request…), if any.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["due_date", "-created_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "content_type", "object_id"],
                                    condition=models.Q(object_id__isnull=False), name="one_dossier_per_subject"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["workspace", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class DossierComment(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    internal = models.BooleanField(_("staff only"), default=False,
                                   help_text=_("An internal note is never shown to the client."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"
