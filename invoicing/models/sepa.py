"""SEPA direct debit: a customer's mandate, the pain.008 batches and their lines."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from backoffice.validators import mask_iban, validate_iban


class Mandate(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("mandate reference"), max_length=35)
    signed_on = models.DateField(_("signed on"))
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    debtor_name = models.CharField(_("account holder"), max_length=70)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-signed_on", "pk"]
        verbose_name = _("SEPA mandate")
        constraints = [models.UniqueConstraint(fields=["workspace", "reference"], name="unique_mandate_reference")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.masked_iban})"

    @property
    def masked_iban(self) -> str:
        return mask_iban(self.iban)


class DebitBatch(models.Model):
    """One pain.008 file, owned by the host (the creditor)."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    collection_date = models.DateField(_("collection date"))
    xml = models.TextField()

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("direct-debit batch")

    def __str__(self) -> str:
        return f"pain.008 {self.collection_date}"


class DebitState(models.TextChoices):
    SENT = "sent", _("Debit sent")
    REJECTED = "rejected", _("Debit rejected")


class DebitLine(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(DebitBatch, on_delete=models.PROTECT, related_name="lines")
    invoice = models.ForeignKey("invoicing.Invoice", on_delete=models.PROTECT, related_name="debits")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    state = models.CharField(_("state"), max_length=10, choices=DebitState.choices, default=DebitState.SENT)
    reason = models.CharField(_("rejection reason"), max_length=200, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("direct debit")
        constraints = [models.UniqueConstraint(fields=["workspace", "invoice"], condition=models.Q(state="sent"),
                                               name="one_pending_debit_per_invoice")]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.get_state_display()}"
