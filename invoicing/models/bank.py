"""Bank reconciliation: the host's bank statements (camt.053) and their credit lines, each
matched to a payment of an open invoice or left for a person to match.

Both belong to the host workspace (its bank account); the payment a line becomes belongs to
the invoice's customer workspace, as every payment does."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from backoffice.validators import mask_iban


class BankStatement(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    # The statement's identity in the file (Stmt/Id) and the account it covers (Acct/Id/IBAN).
    reference = models.CharField(_("statement reference"), max_length=35)
    account_iban = models.CharField(_("account"), max_length=34, blank=True)
    created_on = models.DateTimeField(_("created on"), null=True, blank=True)
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    digest = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("bank statement")
        constraints = [
            # The same statement imported twice is refused (and so cannot pay an invoice twice).
            models.UniqueConstraint(fields=["workspace", "account_iban", "reference"], name="bank_statement_once"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def masked_account(self) -> str:
        return mask_iban(self.account_iban)


class BankLineState(models.TextChoices):
    MATCHED = "matched", _("Matched automatically")
    TO_REVIEW = "review", _("To match by hand")
    MATCHED_BY_HAND = "manual", _("Matched by hand")
    DISMISSED = "dismissed", _("Not an invoice payment")


class BankLine(models.Model):
    """One credit of a statement (one entry, or one transaction of a batched entry)."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    # Identifies the credit across statements (bank reference, or the entry's facts): a credit
    # that comes again in another statement is not imported twice.
    key = models.CharField(max_length=64)
    booking_date = models.DateField(_("booking date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    debtor_name = models.CharField(_("payer"), max_length=140, blank=True)
    end_to_end_id = models.CharField(_("end-to-end reference"), max_length=35, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=35, blank=True)
    remittance = models.CharField(_("remittance information"), max_length=500, blank=True)
    direct_debit = models.BooleanField(default=False)
    state = models.CharField(_("state"), max_length=10, choices=BankLineState.choices)
    reason = models.CharField(_("why it is left to review"), max_length=300, blank=True)
    payment = models.OneToOneField("invoicing.Payment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="bank_line")
    note = models.CharField(_("note"), max_length=300, blank=True)
    handled_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["booking_date", "pk"]
        verbose_name = _("bank statement line")
        constraints = [models.UniqueConstraint(fields=["workspace", "key"], name="bank_line_once")]
        indexes = [models.Index(fields=["workspace", "state"])]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.amount} {self.debtor_name}".strip()
