"""The host's invoicing settings: payment terms, legal mentions, bank details, chart of accounts."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from backoffice.validators import validate_iban


class InvoicingSettings(models.Model):
    """One row, in the host workspace (the issuer of every invoice)."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    payment_days = models.PositiveSmallIntegerField(_("payment term (days)"), default=30)
    # CGI art. 269-2-c: a service provider may opt to pay VAT on debits (on invoicing).
    vat_on_debits = models.BooleanField(_("VAT on debits option"), default=False)
    # L441-10: by default the ECB refinancing rate + 10 points; never below 3 × the legal rate.
    late_penalty_text = models.CharField(
        _("late-payment penalty"), max_length=300,
        default="taux de refinancement de la BCE majoré de 10 points (art. L441-10 du Code de commerce)")
    early_payment_text = models.CharField(_("early-payment discount"), max_length=200,
                                          default="Pas d'escompte pour paiement anticipé.")
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    sepa_creditor_id = models.CharField(_("SEPA creditor identifier"), max_length=35, blank=True)
    # Chart of accounts (FEC export).
    customer_account = models.CharField(_("customer account"), max_length=20, default="411000")
    # Auxiliary account of each customer workspace (its id as a string → account); a customer
    # without one gets C + its id on six digits.
    customer_accounts = models.JSONField(_("customer auxiliary accounts"), default=dict, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=20, default="512000")
    revenue_accounts = models.JSONField(_("revenue account per service"), default=dict, blank=True)
    default_revenue_account = models.CharField(_("default revenue account"), max_length=20, default="706000")
    vat_accounts = models.JSONField(_("VAT account per rate"), default=dict, blank=True)
    default_vat_account = models.CharField(_("default VAT account"), max_length=20, default="445710")

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("invoicing settings")
        constraints = [models.UniqueConstraint(fields=["workspace"], name="one_invoicing_settings")]

    def __str__(self) -> str:
        return str(_("Invoicing settings"))

    def revenue_account(self, service: str) -> str:
        return self.revenue_accounts.get(service) or self.default_revenue_account

    def customer_aux_account(self, workspace) -> str:
        return self.customer_accounts.get(str(workspace.pk)) or f"C{workspace.pk:06d}"

    def vat_account(self, rate: Decimal) -> str:
        return self.vat_accounts.get(f"{Decimal(rate):.2f}") or self.default_vat_account
