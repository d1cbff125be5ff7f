"""Per-workspace payroll settings: each CAE is its own employer."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from backoffice.validators import validate_iban, validate_siret

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class ContributionBase(models.TextChoices):
    REVENUE = "revenue", _("Revenue excl. VAT")
    GROSS_MARGIN = "gross_margin", _("Gross margin")


# A CARSAT risk code (code risque AT/MP): two digits, a digit or letter, two letters.
RISK_CODE = RegexValidator(r"^[0-9]{2}[0-9A-Z][A-Z]{2}$", _("A risk code looks like 741GA or 452BE."))
# A commune's INSEE code (code officiel géographique): five digits, Corsica 2A/2B then three.
INSEE_COMMUNE = RegexValidator(r"^(\d{5}|2[AB]\d{3})$", _("Five characters: the commune's INSEE code (e.g. 69123)."))


class PayrollSettings(models.Model):
    workspace = models.OneToOneField("backoffice.Workspace", on_delete=models.PROTECT, related_name="payroll_settings")
    siret = models.CharField(_("employer SIRET"), max_length=14, validators=[validate_siret])
    naf_code = models.CharField(_("NAF code"), max_length=6, validators=[
        RegexValidator(r"^\d{2}\.?\d{2}[A-Z]$", _("A NAF code looks like 7022Z or 70.22Z."))])
    urssaf_number = models.CharField(_("URSSAF account number"), max_length=20)
    collective_agreement = models.CharField(_("collective agreement"), max_length=200, blank=True)
    idcc = models.CharField(_("IDCC"), max_length=4, blank=True, validators=[
        RegexValidator(r"^\d{4}$", _("The IDCC has four digits."))])
    headcount_override = models.PositiveIntegerField(
        _("headcount (override)"), null=True, blank=True,
        help_text=_("Leave empty to use the headcount computed from the employment data (yearly average, "
                    "thresholds of 11 and 50 crossed for five years, L130-1 CSS)."))
    mobility_rate = models.DecimalField(
        _("versement mobilité rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0"), validators=PERCENT,
        help_text=_("The transport authority's rate where the entrepreneurs work; owed from 11 employees."))
    mobility_commune = models.CharField(
        _("versement mobilité: INSEE code of the commune"), max_length=5, blank=True,
        validators=[INSEE_COMMUNE],
        help_text=_("The commune where the entrepreneurs work (its INSEE code, not its postcode): the DSN pays the "
                    "versement mobilité under it."))
    at_mp_rate = models.DecimalField(_("AT/MP rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    at_mp_risk_code = models.CharField(
        _("AT/MP risk code"), max_length=6, blank=True, validators=[RISK_CODE],
        help_text=_("The risk code the CARSAT notified with that rate (e.g. 741GA); declared on each contract."))
    alsace_moselle = models.BooleanField(_("Alsace-Moselle scheme"), default=False)
    paid_leave_fund = models.BooleanField(_("member of a paid-leave fund (CIBTP)"), default=False)
    # The building-trade paid-leave fund (caisse de congés payés du BTP): it pays the leave and
    # calls its own contributions (paid leave, chômage intempéries; each fund publishes its rates,
    # nothing is assumed here) plus OPPBTP's (rate table). Declared on each contract in the DSN
    # (S21.G00.40.022, the norm's code of the fund).
    leave_fund_name = models.CharField(_("paid-leave fund: name"), max_length=120, blank=True)
    leave_fund_number = models.CharField(_("paid-leave fund: membership number"), max_length=30, blank=True)
    leave_fund_dsn_code = models.CharField(
        _("paid-leave fund: DSN code"), max_length=2, blank=True, validators=[
            RegexValidator(r"^\d{2}$", _("Two digits, from the DSN code list of paid-leave funds."))],
        help_text=_("Declared on each contract of the DSN (S21.G00.40.022)."))
    leave_fund_rate = models.DecimalField(
        _("paid-leave fund: paid-leave rate (%)"), max_digits=6, decimal_places=3, default=Decimal("0"),
        validators=PERCENT, help_text=_("As called by the fund, as a percentage of gross pay (employer share)."))
    bad_weather_rate = models.DecimalField(
        _("paid-leave fund: bad-weather rate (%)"), max_digits=6, decimal_places=3, default=Decimal("0"),
        validators=PERCENT, help_text=_("Chômage intempéries, as called by the fund, as a percentage of gross pay."))
    payment_day = models.PositiveSmallIntegerField(_("payment day of the month"), default=28,
                                                   validators=[MinValueValidator(1), MaxValueValidator(31)])
    pension_funds = models.CharField(_("pension funds"), max_length=200, blank=True,
                                     help_text=_("Shown on the payslip (e.g. AGIRC-ARRCO institution)."))
    # The monthly declaration (DSN): its contact (S10.G00.02) and the payment of the URSSAF
    # contributions (S21.G00.20/.22: the URSSAF's SIRET, SEPA direct debit from this account).
    dsn_contact_name = models.CharField(_("DSN contact: name"), max_length=80, blank=True)
    dsn_contact_email = models.EmailField(_("DSN contact: e-mail"), blank=True)
    dsn_contact_phone = models.CharField(_("DSN contact: phone"), max_length=20, blank=True, validators=[
        RegexValidator(r"^\d{10}$", _("Ten digits, e.g. 0472000000."))])
    urssaf_siret = models.CharField(_("URSSAF SIRET"), max_length=14, blank=True, validators=[validate_siret],
                                    help_text=_("The SIRET of the URSSAF the contributions are paid to."))
    agirc_arrco_siret = models.CharField(
        _("AGIRC-ARRCO institution's SIRET"), max_length=14, blank=True, validators=[validate_siret],
        help_text=_("The complementary-pension institution the DSN pays (S21.G00.20)."))
    debit_iban = models.CharField(_("IBAN debited by the URSSAF"), max_length=34, blank=True,
                                  validators=[validate_iban])
    debit_bic = models.CharField(_("BIC of that account"), max_length=11, blank=True, validators=[
        RegexValidator(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$", _("A BIC has 8 or 11 characters, e.g. PSSTFRPPLYO."))])
    # The entrepreneurs' contribution to their CAE, on revenue or gross margin (see ContributionBracket).
    contribution_base = models.CharField(_("contribution on"), max_length=20, choices=ContributionBase.choices,
                                         default=ContributionBase.REVENUE)
    contribution_waiver_months = models.PositiveSmallIntegerField(
        _("contribution waived for the first months"), default=0)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("payroll settings")
        verbose_name_plural = _("payroll settings")

    def __str__(self) -> str:
        return f"{self.workspace} payroll settings"


class ContributionBracket(models.Model):
    """One bracket of the CAE contribution: `rate` % applies from `threshold` € of year-to-date
    base. A flat rate is a single bracket from 0."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    settings = models.ForeignKey(PayrollSettings, on_delete=models.CASCADE, related_name="brackets")
    threshold = models.DecimalField(_("from (year-to-date, €)"), max_digits=12, decimal_places=2,
                                    validators=[MinValueValidator(Decimal("0"))])
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3, validators=PERCENT)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["threshold"]
        constraints = [models.UniqueConstraint(fields=["workspace", "settings", "threshold"], name="unique_bracket")]

    def __str__(self) -> str:
        return f"{self.rate} % ≥ {self.threshold} €"


class SchemeKind(models.TextChoices):
    HEALTH = "health", _("Complementary health (mutuelle)")
    PROVIDENT = "provident", _("Provident (prévoyance)")


SCHEME_BASE_CHOICES = [
    ("total", _("Whole gross pay")),
    ("tranche_a", _("Tranche A (up to the ceiling)")),
    ("tranche_2", _("Tranche 2 (from 1 to 8 ceilings)")),
    ("pmss", _("Full monthly ceiling (PMSS)")),
]


class Scheme(models.Model):
    """A complementary health or provident scheme of the workspace (engine: payroll.engine.payslip.Scheme)."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    settings = models.ForeignKey(PayrollSettings, on_delete=models.CASCADE, related_name="schemes")
    kind = models.CharField(_("kind"), max_length=20, choices=SchemeKind.choices)
    label = models.CharField(_("label"), max_length=200)
    applies_to = models.CharField(_("applies to"), max_length=20, default="all",
                                  choices=[("all", _("everyone")), ("cadre", _("cadres")), ("non_cadre", _("non-cadres")),
                                           ("etam", _("building-trade ETAM")), ("ouvrier", _("building-trade ouvriers"))])
    base = models.CharField(_("base"), max_length=20, default="total", choices=SCHEME_BASE_CHOICES,
                            # xgettext:no-python-format  (a literal %, not a placeholder)
                            help_text=_("total, tranche_a, tranche_2 or pmss (a % of the full PMSS)."))
    employee_rate = models.DecimalField(_("employee rate (%)"), max_digits=7, decimal_places=4, default=Decimal("0"))
    employer_rate = models.DecimalField(_("employer rate (%)"), max_digits=7, decimal_places=4, default=Decimal("0"))
    employee_fixed = models.DecimalField(_("employee fixed amount"), max_digits=10, decimal_places=2, default=Decimal("0"))
    employer_fixed = models.DecimalField(_("employer fixed amount"), max_digits=10, decimal_places=2, default=Decimal("0"))
    # The contract as the DSN declares it (S21.G00.15 and each person's S21.G00.70), given by
    # the insurer: its organisation code and the contract's reference; option and population
    # codes when the insurer asks for them.
    organisation_code = models.CharField(_("insurer's DSN code"), max_length=9, blank=True, validators=[
        RegexValidator(r"^[A-Z0-9]{4,9}$", _("The insurer's code in the DSN, e.g. P0942: letters and digits."))])
    contract_reference = models.CharField(_("contract reference"), max_length=30, blank=True)
    option_code = models.CharField(_("option code"), max_length=30, blank=True)
    population_code = models.CharField(_("population code"), max_length=30, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["kind", "label"]

    def __str__(self) -> str:
        return self.label


class RiskRate(models.Model):
    """An AT/MP rate notified for one establishment and risk code (L242-5 CSS, D242-6-1 CSS:
    the CARSAT notifies a rate per establishment and per risk of a distinct activity). A CAE
    with several trades has several; an employee's rate follows their job (Employment.risk_rate),
    else the workspace's default rate (PayrollSettings.at_mp_rate)."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    settings = models.ForeignKey(PayrollSettings, on_delete=models.CASCADE, related_name="risk_rates")
    siret = models.CharField(_("establishment SIRET"), max_length=14, validators=[validate_siret])
    risk_code = models.CharField(_("risk code"), max_length=6, validators=[RISK_CODE])
    label = models.CharField(_("activity"), max_length=120)
    rate = models.DecimalField(_("AT/MP rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["siret", "risk_code"]
        verbose_name = _("AT/MP rate")
        constraints = [models.UniqueConstraint(fields=["workspace", "siret", "risk_code"], name="unique_risk_rate")]

    def __str__(self) -> str:
        return f"{self.siret} · {self.risk_code} {self.label} ({self.rate} %)"
