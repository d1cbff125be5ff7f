"""Revenue declarations of alumni companies and the contribution each one makes due."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class RevenueDeclaration(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    revenue = models.DecimalField(_("revenue excl. VAT"), max_digits=14, decimal_places=2,
                                  validators=[MinValueValidator(Decimal("0"))])
    contribution = models.DecimalField(_("contribution excl. VAT"), max_digits=12, decimal_places=2)
    # How the contribution was computed when confirmed (price line label, rate, minimum/cap applied).
    computation = models.JSONField(_("computation"), default=dict)
    usage_reference = models.CharField(max_length=120)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    corrected_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(_("correction reason"), blank=True)
    revenue_before_correction = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # A past declaration imported from the host's spreadsheet: part of its contribution may
    # have been paid before Mutualise (no invoice here bills it). The ledger counts it as paid.
    imported = models.BooleanField(_("imported"), default=False)
    settled_outside = models.DecimalField(_("paid before Mutualise"), max_digits=12, decimal_places=2,
                                          default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))])

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("revenue declaration")
        verbose_name_plural = _("revenue declarations")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "period_start"], name="one_declaration_per_period"),
            models.CheckConstraint(condition=models.Q(revenue__gte=0), name="declared_revenue_not_negative"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="declaration_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.workspace} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class DeclarationReminder(models.Model):
    """The last reminder sent for an undeclared period (so a daily beat reminds every
    REMINDER_INTERVAL days, not every day)."""
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    last_sent_at = models.DateTimeField()
    count = models.PositiveSmallIntegerField(default=1)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "period_start"], name="one_reminder_per_period")]

    def __str__(self) -> str:
        return f"{self.workspace_id} {self.period_start:%Y-%m-%d} ×{self.count}"
