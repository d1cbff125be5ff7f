"""Income-tax withholding rates (prélèvement à la source) and where they come from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class RateKind(models.TextChoices):
    """Art. 204 H CGI: the rate the administration computed for the household (personalised),
    the grid applied because no rate was received (non-personalised), or the grid applied
    because the employee opted for it (neutral rate, art. 204 H III)."""

    PERSONALISED = "personalised", _("Personalised rate")
    NON_PERSONALISED = "non_personalised", _("Non-personalised rate (no rate received)")
    NEUTRAL = "neutral", _("Neutral rate (the employee's option)")


class RateSource(models.TextChoices):
    MONTHLY_FILE = "monthly_file", _("Monthly file")
    COMPTE_RENDU = "compte_rendu", _("Tax administration's return (compte rendu)")
    GRID = "grid", _("Non-personalised grid")


class TaxRate(models.Model):
    """A rate the tax administration returned for an employee (imported from its compte rendu),
    applied to pay from `valid_from` until a later one replaces it."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    entrepreneur = models.ForeignKey("backoffice.Entrepreneur", on_delete=models.PROTECT, related_name="tax_rates")
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=20, choices=RateKind.choices, default=RateKind.PERSONALISED)
    valid_from = models.DateField(_("applies from"))
    imported_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["entrepreneur", "-valid_from"]
        verbose_name = _("withholding tax rate")
        constraints = [models.UniqueConstraint(fields=["workspace", "entrepreneur", "valid_from"],
                                               name="one_tax_rate_per_day")]

    def __str__(self) -> str:
        return f"{self.entrepreneur} {self.rate} % ({self.valid_from})"
