"""Shareholding registers: an issuer's settings, colleges, holders and the movements register.

Any workspace may be an issuer (the host, a partner CAE, an alumni company). Every row
belongs to the issuer's workspace (`workspace`), including the holders: a holder is "an
associate in this issuer's register", pointing to a workspace, an entrepreneur or an outside
person. The rules (floor, caps, numbering…) live in alumni/services/shares.py only.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class LegalForm(models.TextChoices):
    SCOP_SA = "scop_sa", _("SCOP SA")
    SCOP_SARL = "scop_sarl", _("SCOP SARL")
    SCOP_SAS = "scop_sas", _("SCOP SAS")
    SCIC_SA = "scic_sa", _("SCIC SA")
    SCIC_SARL = "scic_sarl", _("SCIC SARL")
    SCIC_SAS = "scic_sas", _("SCIC SAS")
    COOP_SA = "coop_sa", _("Other cooperative SA")
    COOP_SAS = "coop_sas", _("Other cooperative SAS or SARL")


class AssociateCategory(models.TextChoices):
    EMPLOYEE = "employee", _("Employee associate")
    BENEFICIARY = "beneficiary", _("Beneficiary")
    COOPERATIVE_OUTSIDE = "coop_outside", _("Outside associate (cooperative)")
    OUTSIDE = "outside", _("Outside associate (not a cooperative)")
    OTHER = "other", _("Other associate (public body, supporter…)")


class ShareIssuer(models.Model):
    """A workspace's settings as the issuer of cooperative shares (one per workspace)."""

    workspace = models.OneToOneField("backoffice.Workspace", on_delete=models.PROTECT, related_name="share_issuer")
    legal_form = models.CharField(_("legal form"), max_length=12, choices=LegalForm.choices)
    created_on = models.DateField(_("date of creation"), help_text=_("No movement may be dated before it."))
    initial_nominal = models.DecimalField(_("nominal value per share at creation"), max_digits=12, decimal_places=2,
                                          help_text=_("A later change of nominal value is a movement of the register."))
    minimum_subscription = models.PositiveIntegerField(
        _("statutory minimum subscription (shares)"), default=1,
        help_text=_("The fewest shares a holder may subscribe at once, as the statutes say."))
    unpaid_deadline_years = models.PositiveSmallIntegerField(
        _("deadline to pay up subscribed capital (years)"), default=5,
        help_text=_("Statutory period to pay up the rest of a subscription; five years at most."))
    future_days_allowed = models.PositiveSmallIntegerField(
        _("days in the future a movement may be dated"), default=0)
    # Gapless register numbering: the last number given, updated under a row lock.
    last_number = models.PositiveIntegerField(default=0, editable=False)
    # Rebuilt from the whole history by the service after every write (for display).
    highest_capital = models.DecimalField(_("highest capital ever reached"), max_digits=14, decimal_places=2,
                                          default=Decimal("0"), editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("share issuer")
        verbose_name_plural = _("share issuers")
        constraints = [
            models.CheckConstraint(condition=models.Q(initial_nominal__gt=0), name="issuer_nominal_positive"),
            models.CheckConstraint(condition=models.Q(unpaid_deadline_years__lte=5), name="issuer_unpaid_deadline_max_5"),
        ]

    def __str__(self) -> str:
        return str(self.workspace)

    @property
    def is_scop(self) -> bool:
        return self.legal_form.startswith("scop_")

    @property
    def is_scic(self) -> bool:
        return self.legal_form.startswith("scic_")


class College(models.Model):
    """A SCIC college of associates with its vote weight in percent (loi 47-1775, art. 19 octies)."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(ShareIssuer, on_delete=models.CASCADE, related_name="colleges")
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("vote weight (%)"), max_digits=5, decimal_places=2)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["name"]
        verbose_name = _("college")
        verbose_name_plural = _("colleges")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "issuer", "name"], name="unique_college_name"),
            models.CheckConstraint(condition=models.Q(weight__gt=0, weight__lte=100), name="college_weight_range"),
        ]

    def __str__(self) -> str:
        return self.name


class ShareHolder(models.Model):
    """An associate in one issuer's register: a workspace, an entrepreneur or an outside person."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(ShareIssuer, on_delete=models.CASCADE, related_name="holders")
    holder_workspace = models.ForeignKey("backoffice.Workspace", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="shareholdings", verbose_name=_("organisation"))
    entrepreneur = models.ForeignKey("backoffice.Entrepreneur", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("entrepreneur"))
    name = models.CharField(_("name"), max_length=200, help_text=_("For an outside person: full name."))
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    category = models.CharField(_("category of associate"), max_length=20, choices=AssociateCategory.choices)
    college = models.ForeignKey(College, null=True, blank=True, on_delete=models.PROTECT, related_name="holders",
                                verbose_name=_("college"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["name"]
        verbose_name = _("shareholder")
        verbose_name_plural = _("shareholders")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "issuer", "holder_workspace"],
                                    condition=models.Q(holder_workspace__isnull=False), name="one_holder_per_workspace"),
            models.UniqueConstraint(fields=["workspace", "issuer", "entrepreneur"],
                                    condition=models.Q(entrepreneur__isnull=False), name="one_holder_per_entrepreneur"),
            models.CheckConstraint(condition=~(models.Q(holder_workspace__isnull=False)
                                               & models.Q(entrepreneur__isnull=False)),
                                   name="holder_is_workspace_or_person"),
        ]
        indexes = [models.Index(fields=["holder_workspace"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.holder_workspace_id is not None


class MovementKind(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription")
    RELEASE = "release", _("Release of unpaid capital")
    TRANSFER = "transfer", _("Transfer")
    REDEMPTION = "redemption", _("Redemption")
    NOMINAL_CHANGE = "nominal", _("Change of nominal value")
    CANCELLATION = "cancellation", _("Cancellation")


class ShareMovement(models.Model):
    """One line of the register, never edited: a mistake is cancelled by a counter-movement.

    `shares` is always a positive count (0 for a release or a change of nominal); the kind
    gives the direction. `amount` is shares × nominal value at the effective date (for a
    release: the capital paid up; for a change of nominal: the change of capital), `paid`
    the part of `amount` paid up by this movement."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(ShareIssuer, on_delete=models.PROTECT, related_name="movements")
    number = models.PositiveIntegerField(_("register number"))
    kind = models.CharField(_("kind"), max_length=12, choices=MovementKind.choices)
    effective_date = models.DateField(_("effective date"))
    holder = models.ForeignKey(ShareHolder, null=True, blank=True, on_delete=models.PROTECT, related_name="movements",
                               verbose_name=_("holder"))
    counterparty = models.ForeignKey(ShareHolder, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("transferee"))
    shares = models.PositiveIntegerField(_("shares"))
    nominal = models.DecimalField(_("nominal value"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid = models.DecimalField(_("paid up"), max_digits=14, decimal_places=2, default=Decimal("0"))
    decision = models.CharField(_("decision reference"), max_length=200, blank=True)
    document = models.ForeignKey("backoffice.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("document"))
    # For a cancellation: the kind of the cancelled movement, whose effects it reverses.
    reverses = models.CharField(max_length=12, choices=MovementKind.choices, blank=True)
    cancels = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="cancelled_by",
                                   verbose_name=_("cancels"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["number"]
        verbose_name = _("share movement")
        verbose_name_plural = _("share movements")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "issuer", "number"], name="gapless_register_number"),
            models.CheckConstraint(condition=models.Q(amount__gte=0, paid__gte=0, nominal__gt=0),
                                   name="movement_amounts_positive"),
            models.CheckConstraint(condition=models.Q(paid__lte=models.F("amount")), name="movement_paid_within_amount"),
        ]
        indexes = [models.Index(fields=["issuer", "effective_date", "number"]),
                   models.Index(fields=["holder", "effective_date"])]

    def __str__(self) -> str:
        return f"n° {self.number} – {self.get_kind_display()}"
