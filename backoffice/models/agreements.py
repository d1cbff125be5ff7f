"""Service agreements: what a workspace delegates to the host, from when, at what price."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Service(models.TextChoices):
    PAYROLL = "payroll", _("Social management / payroll")
    TRAINING = "training", _("Training funding")
    ALUMNI = "alumni", _("Alumni follow-up")
    ACCOUNTING = "accounting", _("Accounting")
    IT = "it", _("IT")


class ServiceAgreement(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="agreements")
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    reference = models.CharField(_("contract reference"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["service", "-start_date"]
        verbose_name = _("service agreement")
        verbose_name_plural = _("service agreements")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "service", "start_date"], name="unique_agreement_start"),
            models.CheckConstraint(condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                                   name="agreement_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} – {self.workspace}"

    def is_active_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class PriceKind(models.TextChoices):
    PER_UNIT = "per_unit", _("Per unit (e.g. per payslip, per funding file)")
    MONTHLY_FLAT = "monthly_flat", _("Monthly flat fee")
    PERCENTAGE = "percentage", _("Percentage of a declared amount")
    BRACKETS = "brackets", _("Progressive brackets of a declared amount")


class UsageKind(models.TextChoices):
    """The billable acts the apps record (backoffice.Usage.kind) and price lines price.
    A new billable act is added here so that screens show its label, never its code."""
    PAYSLIP = "payslip", _("payslip")
    PAYROLL_MONTH = "payroll_month", _("payroll month")
    FUNDING_REQUEST = "funding_request", _("funding file")
    DECLARED_REVENUE = "declared_revenue", _("declared revenue")


def usage_kind_label(kind: str) -> str:
    """The translated label of a usage kind; an unknown kind is shown humanised, never as a code."""
    try:
        return str(UsageKind(kind).label)
    except ValueError:
        return kind.replace("_", " ")


class PriceLine(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(ServiceAgreement, on_delete=models.CASCADE, related_name="price_lines")
    kind = models.CharField(_("pricing"), max_length=20, choices=PriceKind.choices)
    usage_kind = models.CharField(_("billed usage"), max_length=40, blank=True,
                                  help_text=_("Usage kind this line prices, e.g. payslip, funding_request."))
    label = models.CharField(_("label"), max_length=200)
    unit_price = models.DecimalField(_("unit price excl. VAT"), max_digits=12, decimal_places=2,
                                     default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))])
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True,
                               validators=[MinValueValidator(Decimal("0"))])
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("20.00"))
    # Percentage and bracket lines: per declaration (see backoffice/pricing.py).
    minimum = models.DecimalField(_("minimum excl. VAT"), max_digits=12, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(Decimal("0"))])
    cap = models.DecimalField(_("cap excl. VAT"), max_digits=12, decimal_places=2, null=True, blank=True,
                              validators=[MinValueValidator(Decimal("0"))])
    # Bracket lines: [{"up_to": "50000.00" | null, "rate": "2.000"}, …], checked by pricing.brackets_check.
    brackets = models.JSONField(_("brackets"), default=list, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["agreement", "label"]
        verbose_name = _("price line")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "agreement", "kind", "usage_kind"], name="unique_price_line"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def usage_kind_label(self) -> str:
        return usage_kind_label(self.usage_kind) if self.usage_kind else ""
