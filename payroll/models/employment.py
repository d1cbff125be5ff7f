"""An entrepreneur's contract and pay data (the identity lives in backoffice.Entrepreneur)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from backoffice.validators import mask_iban, validate_iban


class ContractType(models.TextChoices):
    CAPE = "cape", _("CAPE (support contract, not salaried)")
    CESA = "cesa", _("CESA (salaried entrepreneur)")


class PayStatus(models.TextChoices):
    CADRE = "cadre", _("Cadre")
    NON_CADRE = "non_cadre", _("Non-cadre")


class ExitReason(models.TextChoices):
    """Why a contract ended, as the DSN codes it (S21.G00.62.002, cahier technique de la DSN)."""

    END_OF_FIXED_TERM = "031", _("End of a fixed-term contract")
    CONVENTIONAL = "043", _("Rupture conventionnelle")
    RESIGNATION = "059", _("Resignation")
    DISMISSAL = "026", _("Dismissal for real and serious cause")


class Employment(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    entrepreneur = models.OneToOneField("backoffice.Entrepreneur", on_delete=models.PROTECT, related_name="employment")
    contract_type = models.CharField(_("contract"), max_length=10, choices=ContractType.choices,
                                     default=ContractType.CESA)
    is_associate = models.BooleanField(_("associate"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=PayStatus.choices, default=PayStatus.NON_CADRE)
    contractual_hours = models.DecimalField(
        _("monthly contractual hours"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("151.67 is full time. Empty when pay follows activity, not time."))
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    classification = models.CharField(_("classification"), max_length=120, blank=True)
    # Building trades: non-cadres are ETAM or ouvriers, each with their own collective agreement
    # (CCN ETAM du bâtiment IDCC 2609; ouvriers IDCC 1596/1597; cadres IDCC 2420) and their own
    # PRO BTP provident scheme (Scheme.applies_to "etam" / "ouvrier").
    trade_category = models.CharField(_("building-trade category"), max_length=10, blank=True, choices=[
        ("etam", _("ETAM (employees, technicians, supervisors)")), ("ouvrier", _("Ouvrier (manual worker)"))],
        help_text=_("Building-trade CAEs: the non-cadres' category, which picks their provident scheme."))
    risk_rate = models.ForeignKey(
        "payroll.RiskRate", verbose_name=_("AT/MP rate (establishment and risk code)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Empty: the workspace's default AT/MP rate."))
    fixed_term = models.BooleanField(_("fixed-term contract (CDD)"), default=False)
    start_date = models.DateField(_("contract start"))
    end_date = models.DateField(_("contract end"), null=True, blank=True)
    exit_reason = models.CharField(_("reason the contract ended"), max_length=3, blank=True,
                                   choices=ExitReason.choices)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    contribution_rate = models.DecimalField(
        _("CAE contribution rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Leave empty to apply the workspace's contribution rule."))
    # Paid-leave opening figures (payroll.engine.leave), for a CAE that starts computing its payroll
    # here with counters already running: as of the first day of a month, the days of earlier
    # reference periods still to take (N-1) and the days acquired in the current one (N). The
    # counters start from them; stored payslips of earlier months are then not counted.
    leave_opening_date = models.DateField(
        _("paid-leave counters as of"), null=True, blank=True,
        help_text=_("The first day of the first month computed here. Empty: the counters start from the "
                    "first payslip."))
    leave_opening_previous = models.DecimalField(
        _("paid leave N-1 still to take (working days)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("30"))])
    leave_opening_acquired = models.DecimalField(
        _("paid leave N acquired (working days)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("30"))])

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("employment")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                                   name="employment_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.entrepreneur} ({self.get_contract_type_display()})"

    @property
    def iban_masked(self) -> str:
        return mask_iban(self.iban)
