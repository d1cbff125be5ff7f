"""Invoices and credit notes, their lines and the numbering series.

An invoice belongs to the workspace it bills (the customer): that workspace's users read it
in their own space, host staff read and write it from every space. The seller is always the
host cooperative; its identity and the customer's are copied onto the invoice when it is
issued, so a later change of address never rewrites an issued invoice.

Once issued an invoice (and its lines) is immutable at the database level: a django-pgtrigger
trigger on PostgreSQL and an equivalent SQLite trigger (migration 0002) refuse any UPDATE or
DELETE, whether it comes from the ORM, a queryset or raw SQL. Everything that happens to an
invoice afterwards (payments, debits, lifecycle statuses, credit notes) is a row of its own.
"""

from __future__ import annotations

from decimal import Decimal

import pgtrigger
from django.conf import settings as django_settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


# Number prefixes (French usage: FA for "facture", AV for "avoir").
SERIES_PREFIX = {InvoiceKind.INVOICE: "FA", InvoiceKind.CREDIT_NOTE: "AV"}


class InvoiceSeries(models.Model):
    """One numbering sequence per year and kind, owned by the host (the issuer).

    Issuing locks the row (SELECT … FOR UPDATE) and takes `last_number + 1`, so two issues
    never get the same number and a rolled-back issue leaves no gap (the increment rolls back
    with it)."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    prefix = models.CharField(_("prefix"), max_length=10)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("invoice series")
        verbose_name_plural = _("invoice series")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "kind", "year"], name="unique_invoice_series"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}"

    def format(self, number: int) -> str:
        return f"{self.prefix}-{self.year}-{number:05d}"


_ISSUED_IMMUTABLE = "Une facture émise ne peut être ni modifiée ni supprimée (faites un avoir)."


class Invoice(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("customer"))
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    state = models.CharField(_("state"), max_length=10, choices=InvoiceState.choices, default=InvoiceState.DRAFT)
    series = models.ForeignKey(InvoiceSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(_("number"), max_length=30, blank=True)
    # The month a billing run billed (first day), None for a manual invoice.
    period = models.DateField(_("period"), null=True, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="credit_notes", verbose_name=_("corrected invoice"))
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    # Frozen at issue: the seller (the host) and the customer as they were that day.
    seller_name = models.CharField(max_length=200, blank=True)
    seller_legal_form = models.CharField(max_length=60, blank=True)
    seller_siren = models.CharField(max_length=9, blank=True)
    seller_siret = models.CharField(max_length=14, blank=True)
    seller_vat_number = models.CharField(max_length=20, blank=True)
    seller_address = models.TextField(blank=True)
    seller_postal_code = models.CharField(max_length=10, blank=True)
    seller_city = models.CharField(max_length=100, blank=True)
    seller_iban = models.CharField(max_length=34, blank=True)
    seller_bic = models.CharField(max_length=11, blank=True)
    customer_name = models.CharField(max_length=200, blank=True)
    customer_legal_form = models.CharField(max_length=60, blank=True)
    customer_siren = models.CharField(max_length=9, blank=True)
    customer_siret = models.CharField(max_length=14, blank=True)
    customer_vat_number = models.CharField(max_length=20, blank=True)
    customer_address = models.TextField(blank=True)
    customer_postal_code = models.CharField(max_length=10, blank=True)
    customer_city = models.CharField(max_length=100, blank=True)
    customer_email = models.EmailField(blank=True)
    # Mentions frozen at issue (CGI annex II art. 242 nonies A, L441-9/L441-10, D441-5).
    vat_on_debits = models.BooleanField(default=False)
    late_penalty_text = models.TextField(blank=True)
    payment_terms_text = models.TextField(blank=True)

    total_net = models.DecimalField(_("total excl. VAT"), default=ZERO, **MONEY)
    total_vat = models.DecimalField(_("VAT"), default=ZERO, **MONEY)
    total_gross = models.DecimalField(_("total incl. VAT"), default=ZERO, **MONEY)

    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-issue_date", "-number", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "number"], condition=~models.Q(number=""),
                                    name="unique_invoice_number"),
            models.UniqueConstraint(fields=["workspace", "series", "sequence"], name="unique_invoice_sequence"),
            models.CheckConstraint(condition=models.Q(state="draft") | ~models.Q(number=""),
                                   name="issued_invoice_has_number"),
            models.CheckConstraint(condition=models.Q(kind="invoice", corrects__isnull=True)
                                   | models.Q(kind="credit_note", corrects__isnull=False),
                                   name="credit_note_corrects_an_invoice"),
        ]
        indexes = [models.Index(fields=["workspace", "state", "issue_date"]),
                   models.Index(fields=["period", "state"])]
        triggers = [
            # Nothing of an issued invoice changes; nothing of it is deleted.
            pgtrigger.Protect(name="issued_invoice_readonly", operation=pgtrigger.Update | pgtrigger.Delete,
                              condition=pgtrigger.Q(old__state="issued")),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def is_draft(self) -> bool:
        return self.state == InvoiceState.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    def _amount(self, name: str) -> Decimal:
        """`paid` or `credited`: the selector's annotation (invoicing/selectors) or one query."""
        if name not in self.__dict__:
            if name == "paid":
                value = self.payments.aggregate(t=models.Sum("amount"))["t"]
            else:
                value = self.credit_notes.filter(state=InvoiceState.ISSUED).aggregate(t=models.Sum("total_gross"))["t"]
            self.__dict__[name] = value or ZERO
        return self.__dict__[name]

    @property
    def amount_paid(self) -> Decimal:
        return self._amount("paid")

    @property
    def amount_credited(self) -> Decimal:
        return self._amount("credited")

    @property
    def balance(self) -> Decimal:
        """What the customer still owes on an issued invoice (0 for drafts and credit notes)."""
        if self.state != InvoiceState.ISSUED or self.is_credit_note:
            return ZERO
        return self.total_gross - self.amount_credited - self.amount_paid

    def payment_status(self, today) -> str:
        """A translated status for lists: draft, paid, partly paid, overdue, to pay, credited."""
        if self.state == InvoiceState.DRAFT:
            return str(InvoiceState.DRAFT.label)
        if self.is_credit_note:
            return str(_("Credit note issued"))
        balance = self.balance
        if balance <= 0:
            return str(_("Credited")) if self.amount_credited >= self.total_gross else str(_("Paid"))
        if any(d.state == "sent" for d in self.debits.all()):
            return str(_("Debit sent"))
        if self.due_date and self.due_date < today:
            return str(_("Overdue"))
        if self.amount_paid > 0:
            return str(_("Partly paid"))
        return str(_("To pay"))


class InvoiceLine(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3,
                                   validators=[MinValueValidator(Decimal("0"))])
    unit_price = models.DecimalField(_("unit price excl. VAT"), max_digits=14, decimal_places=4,
                                     validators=[MinValueValidator(Decimal("0"))])
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("20.00"))
    # EN 16931 BT-131: the line net, rounded to the cent (half up) where the document rounds.
    net_amount = models.DecimalField(_("amount excl. VAT"), **MONEY)
    service = models.CharField(_("service"), max_length=20, blank=True)
    price_line = models.ForeignKey("backoffice.PriceLine", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # A monthly flat fee is billed once per price line and month (see the constraint).
    flat_period = models.DateField(null=True, blank=True)
    service_date = models.DateField(_("service date"), null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("invoice line")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="invoice_line_quantity_not_negative"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="invoice_line_price_not_negative"),
            models.UniqueConstraint(fields=["workspace", "price_line", "flat_period"],
                                    condition=models.Q(flat_period__isnull=False), name="flat_fee_billed_once"),
        ]
        triggers = [
            # A line of an issued invoice is neither added, changed nor deleted (subquery: a
            # function trigger, as PostgreSQL forbids subqueries in a trigger's WHEN).
            pgtrigger.Trigger(
                name="issued_invoice_lines_readonly",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func=pgtrigger.Func(
                    "IF EXISTS (SELECT 1 FROM invoicing_invoice WHERE state = 'issued' AND id IN ("
                    "CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.invoice_id END, "
                    "CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.invoice_id END)) THEN "
                    f"RAISE EXCEPTION '{_ISSUED_IMMUTABLE}' USING ERRCODE = 'integrity_constraint_violation'; "
                    "END IF; "
                    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.description


class InvoiceLineUsage(models.Model):
    """The link usage → invoice line: a usage is billed once, whatever reruns happen."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(InvoiceLine, on_delete=models.CASCADE, related_name="usage_links")
    usage = models.ForeignKey("backoffice.Usage", on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("billed usage")
        constraints = [models.UniqueConstraint(fields=["workspace", "usage"], name="usage_billed_once")]
        triggers = [
            pgtrigger.Trigger(
                name="issued_invoice_usage_readonly",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func=pgtrigger.Func(
                    "IF EXISTS (SELECT 1 FROM invoicing_invoiceline l JOIN invoicing_invoice i ON i.id = l.invoice_id "
                    "WHERE i.state = 'issued' AND l.id IN ("
                    "CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.line_id END, "
                    "CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.line_id END)) THEN "
                    f"RAISE EXCEPTION '{_ISSUED_IMMUTABLE}' USING ERRCODE = 'integrity_constraint_violation'; "
                    "END IF; "
                    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.usage_id} → {self.line_id}"
