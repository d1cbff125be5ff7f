"""E-invoicing lifecycle statuses (reform of décret 2022-1299): what the platforms answer
about an invoice (deposited, received, refused, approved, paid…), one row per event, so a
platform's answers can be entered or imported later. Never a change of the invoice itself."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class LifecycleStatus(models.TextChoices):
    # The statuses the French reform makes mandatory or recommended (codes of the AFNOR XP Z12-012 list).
    DEPOSITED = "200", _("Deposited")
    ISSUED = "201", _("Issued by the platform")
    RECEIVED = "202", _("Received by the platform")
    MADE_AVAILABLE = "203", _("Made available")
    TAKEN_OVER = "204", _("Taken over")
    APPROVED = "205", _("Approved")
    PARTLY_APPROVED = "206", _("Partly approved")
    DISPUTED = "207", _("Disputed")
    SUSPENDED = "208", _("Suspended")
    COMPLETED = "209", _("Completed")
    REFUSED = "210", _("Refused")
    PAYMENT_SENT = "211", _("Payment sent")
    PAID = "212", _("Paid")
    REJECTED = "213", _("Rejected")


class InvoiceStatusEvent(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    # CASCADE so that deleting an invoice reaches the immutability trigger (which refuses it).
    invoice = models.ForeignKey("invoicing.Invoice", on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField(_("status"), max_length=3, choices=LifecycleStatus.choices)
    at = models.DateTimeField(_("date"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("lifecycle status")
        verbose_name_plural = _("lifecycle statuses")

    def __str__(self) -> str:
        return self.get_status_display()
