"""Rate tables: shared reference data (not scoped), versioned by effective date, editable by
staff. Seeded from payroll/data/rates/*.json; the engine reads them as a RateSet dict
(see payroll/engine/rates.py for the shape and the meaning of bases and conditions)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateTable(models.Model):
    effective_from = models.DateField(_("effective from"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    # {"PMSS": {"value": "4005", "source": "…"}, …} — values as strings, read as Decimal.
    params = models.JSONField(_("parameters"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("rate table")

    def __str__(self) -> str:
        return self.title

    def as_dict(self) -> dict:
        """The engine's RateSet dict (payroll.engine.rates.load_rate_set)."""
        return {
            "effective_from": self.effective_from.isoformat(),
            "title": self.title,
            "params": self.params,
            "lines": [line.as_dict() for line in self.lines.all()],
        }


class RateLine(models.Model):
    table = models.ForeignKey(RateTable, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    block = models.CharField(_("payslip block"), max_length=80)
    base = models.CharField(_("base"), max_length=30)
    employee_rate = models.DecimalField(_("employee rate (%)"), max_digits=7, decimal_places=4)
    employer_rate = models.DecimalField(_("employer rate (%)"), max_digits=7, decimal_places=4, null=True, blank=True,
                                        help_text=_("Empty only for AT/MP: each workspace's own rate."))
    condition = models.CharField(_("condition"), max_length=60, blank=True)
    source = models.CharField(_("legal source"), max_length=300)

    class Meta:
        ordering = ["table", "order"]
        verbose_name = _("rate line")
        constraints = [models.UniqueConstraint(fields=["table", "code"], name="unique_rate_line_code")]

    def __str__(self) -> str:
        return f"{self.label} ({self.table.effective_from})"  # read by staff (audit trail): not the code

    def as_dict(self) -> dict:
        return {
            "code": self.code, "label": self.label, "block": self.block, "base": self.base,
            "employee_rate": str(self.employee_rate),
            "employer_rate": None if self.employer_rate is None else str(self.employer_rate),
            "condition": self.condition or None, "source": self.source,
        }
