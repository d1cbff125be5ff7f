"""Billable usage: one billable act recorded by any app, read later by invoicing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from backoffice.models.agreements import Service


class Usage(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="usages")
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    kind = models.CharField(_("kind"), max_length=40, help_text=_("e.g. payslip, payroll_month, funding_request"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    occurred_on = models.DateField(_("date"))
    # What was done, unique per workspace and kind so a re-run never bills twice.
    reference = models.CharField(_("reference"), max_length=120)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-occurred_on", "kind"]
        verbose_name = _("billable usage")
        verbose_name_plural = _("billable usage")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "kind", "reference"], name="unique_usage_reference"),
        ]
        indexes = [models.Index(fields=["workspace", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.kind} × {self.quantity} ({self.reference})"
