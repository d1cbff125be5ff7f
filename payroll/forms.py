"""Forms of the payroll pages: employment data, its import, settings, simulation, rate tables.

Shape only (required, lengths, types, choices); the services check the rules. Numbers are
Decimal through `FrenchDecimalField`: localized input, so French users type "1 234,56"
(comma decimal, spaces, no-break spaces or narrow no-break spaces between thousands).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payroll.models.employment import ContractType, ExitReason, PayStatus
from payroll.models.settings import (
    INSEE_COMMUNE,
    RISK_CODE,
    SCHEME_BASE_CHOICES,
    ContributionBase,
    RiskRate,
    SchemeKind,
)
from payroll.selectors.rates import rate_table_list
from payroll.services.simulation import MODES
from payroll.ui import param_label

SPACES = ("\u00a0", "\u202f", " ")


class FrenchDecimalField(forms.DecimalField):
    """A DecimalField with localized input (localize=True: "1 234,56" in French) that also
    accepts the no-break spaces a copy-paste from a spreadsheet brings. Never a float."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        if isinstance(value, str):
            for space in SPACES:
                value = value.replace(space, "")
        return super().to_python(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month (the first day of it): "2026-03" from <input type="month">, or 03/2026."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%m/%Y", "%Y-%m-%d", "%d/%m/%Y"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def first_of_this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


# --- employment -----------------------------------------------------------------------------

class EmploymentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Name or employee number"), "type": "search"}))
    contract = forms.ChoiceField(label=_("Contract"), required=False, choices=[
        ("", _("All")), *ContractType.choices, ("none", _("No employment data yet"))])


class EmploymentForm(forms.Form):
    contract_type = forms.ChoiceField(label=_("Contract"), choices=ContractType.choices,
                                      help_text=_("A CAPE holder is not salaried and gets no payslip."))
    is_associate = forms.BooleanField(label=_("Associate (member of the cooperative)"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=PayStatus.choices)
    contractual_hours = FrenchDecimalField(
        label=_("Monthly contractual hours"), max_digits=6, decimal_places=2, required=False,
        help_text=_("151,67 is full time. Leave empty when pay follows activity, not time."))
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    classification = forms.CharField(
        label=_("Classification"), max_length=120, required=False,
        help_text=_("Position in the collective agreement's classification, e.g. Position 2.1, coefficient 275. "
                    "Required for a salaried contract: the payslip shows it."))
    risk_rate = forms.ModelChoiceField(
        label=_("AT/MP rate (establishment and risk code)"), queryset=RiskRate.objects.none(), required=False,
        empty_label=_("The workspace's default rate"),
        help_text=_("The rate of the establishment and risk code of this person's job (payroll settings)."))
    trade_category = forms.ChoiceField(
        label=_("Building-trade category"), required=False,
        choices=[("", "—"), ("etam", _("ETAM (employees, technicians, supervisors)")),
                 ("ouvrier", _("Ouvrier (manual worker)"))],
        help_text=_("Building-trade CAEs: the non-cadres' category, which picks their provident scheme."))
    fixed_term = forms.BooleanField(label=_("Fixed-term contract (CDD)"), required=False,
                                    # xgettext:no-python-format  (a literal %, not a placeholder)
                                    help_text=_("The CAE then owes the CPF-CDD contribution (1 % of pay)."))
    start_date = forms.DateField(label=_("Contract start"), widget=DateInput())
    end_date = forms.DateField(label=_("Contract end"), required=False, widget=DateInput())
    exit_reason = forms.ChoiceField(label=_("Reason the contract ended"), required=False,
                                    choices=[("", "—"), *ExitReason.choices],
                                    help_text=_("Declared in the DSN of the month the contract ends."))
    # Never pre-filled: the IBAN is only shown through the audited reveal.
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                           help_text=_("Where the net pay is transferred, e.g. FR76 3000 6000 0112 3456 7890 189."))
    contribution_rate = FrenchDecimalField(
        label=_("CAE contribution rate (%)"), max_digits=6, decimal_places=3, required=False,
        help_text=_("Leave empty to apply the workspace's contribution rule."))
    clear_iban = forms.BooleanField(label=_("Remove the recorded IBAN"), required=False)
    # Paid-leave opening figures (payroll.models.employment), together to ease merges.
    leave_opening_date = forms.DateField(
        label=_("Paid-leave counters as of"), required=False, widget=DateInput(),
        help_text=_("For a payroll taken over during the year: the first day of the first month computed "
                    "here. Leave empty otherwise."))
    leave_opening_previous = FrenchDecimalField(
        label=_("Paid leave N-1 still to take (working days)"), max_digits=5, decimal_places=2, required=False,
        help_text=_("Days of the previous reference periods not taken yet on that date."))
    leave_opening_acquired = FrenchDecimalField(
        label=_("Paid leave N acquired (working days)"), max_digits=5, decimal_places=2, required=False,
        help_text=_("Days acquired in the current reference period (from 1 June, or 1 April with a "
                    "building-trade paid-leave fund) up to that date."))

    def __init__(self, *args, iban_masked: str = "", risk_rates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if risk_rates is not None:
            self.fields["risk_rate"].queryset = risk_rates
        if iban_masked:
            self.fields["iban"].help_text = _("Recorded: %(masked)s. Leave empty to keep it.") % {"masked": iban_masked}
        else:
            del self.fields["clear_iban"]

    def clean(self):
        data = super().clean()
        if data.get("iban") and data.get("clear_iban"):
            raise forms.ValidationError(_("Either type a new IBAN or remove the recorded one, not both."))
        return data


class TaxRateImportForm(forms.Form):
    file = forms.FileField(label=_("Compte rendu (.csv or .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))


class EmploymentImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


# --- payroll settings -----------------------------------------------------------------------

class PayrollSettingsForm(forms.Form):
    siret = forms.CharField(label=_("Employer SIRET"), max_length=20,
                            help_text=_("The establishment that employs the entrepreneurs; starts with the "
                                        "workspace's SIREN."))
    naf_code = forms.CharField(label=_("NAF code"), max_length=7, help_text=_("e.g. 7022Z"))
    urssaf_number = forms.CharField(label=_("URSSAF account number"), max_length=25)
    collective_agreement = forms.CharField(label=_("Collective agreement"), max_length=200, required=False)
    idcc = forms.CharField(label=_("IDCC"), max_length=4, required=False,
                           help_text=_("Four digits, e.g. 1486 (Syntec)."))
    headcount_override = forms.IntegerField(
        label=_("Headcount (override)"), required=False, min_value=0, max_value=1_000_000,
        help_text=_("Leave empty to compute it from the employment data (yearly average; a threshold of 11 or 50 "
                    "counts once reached five years in a row, L130-1 CSS). Give it when the CAE employs people "
                    "who are not in Mutualise. It drives FNAL, the réduction générale, formation professionnelle, "
                    "versement mobilité, forfait social and PEEC."))
    mobility_rate = FrenchDecimalField(
        label=_("Versement mobilité rate (%)"), max_digits=5, decimal_places=2, required=False,
        help_text=_("The transport authority's rate where the entrepreneurs work; owed from 11 employees."))
    mobility_commune = forms.CharField(
        label=_("Versement mobilité: INSEE code of the commune"), max_length=5, required=False,
        validators=[INSEE_COMMUNE],
        help_text=_("The commune where the entrepreneurs work (its INSEE code, not its postcode): the DSN pays the "
                    "versement mobilité under it."))
    at_mp_rate = FrenchDecimalField(label=_("AT/MP rate (%)"), max_digits=5, decimal_places=2,
                                    help_text=_("The accidents-at-work rate notified by the CARSAT."))
    at_mp_risk_code = forms.CharField(
        label=_("AT/MP risk code"), max_length=6, required=False, validators=[RISK_CODE],
        help_text=_("The risk code the CARSAT notified with that rate (e.g. 741GA); declared on each contract."))
    alsace_moselle = forms.BooleanField(label=_("Alsace-Moselle scheme"), required=False)
    paid_leave_fund = forms.BooleanField(label=_("Member of a paid-leave fund (CIBTP)"), required=False,
                                         help_text=_("Compulsory in the building trades."))
    leave_fund_name = forms.CharField(label=_("Paid-leave fund: name"), max_length=120, required=False)
    leave_fund_number = forms.CharField(label=_("Paid-leave fund: membership number"), max_length=30, required=False)
    leave_fund_dsn_code = forms.CharField(label=_("Paid-leave fund: DSN code"), max_length=2, required=False,
                                          help_text=_("Declared on each contract of the DSN (S21.G00.40.022)."))
    leave_fund_rate = FrenchDecimalField(
        label=_("Paid-leave fund: paid-leave rate (%)"), max_digits=6, decimal_places=3, required=False,
        help_text=_("As called by the fund, as a percentage of gross pay (employer share)."))
    bad_weather_rate = FrenchDecimalField(
        label=_("Paid-leave fund: bad-weather rate (%)"), max_digits=6, decimal_places=3, required=False,
        help_text=_("Chômage intempéries, as called by the fund, as a percentage of gross pay."))
    payment_day = forms.IntegerField(label=_("Payment day of the month"), min_value=1, max_value=31, initial=28)
    pension_funds = forms.CharField(label=_("Pension funds"), max_length=200, required=False,
                                    help_text=_("Shown on the payslip (e.g. the AGIRC-ARRCO institution)."))
    dsn_contact_name = forms.CharField(label=_("DSN contact: name"), max_length=80, required=False,
                                       help_text=_("Whom the social bodies call about a declaration."))
    dsn_contact_email = forms.EmailField(label=_("DSN contact: e-mail"), required=False)
    dsn_contact_phone = forms.CharField(label=_("DSN contact: phone"), max_length=20, required=False)
    urssaf_siret = forms.CharField(label=_("URSSAF SIRET"), max_length=20, required=False,
                                   help_text=_("The SIRET of the URSSAF the contributions are paid to."))
    agirc_arrco_siret = forms.CharField(
        label=_("AGIRC-ARRCO institution's SIRET"), max_length=20, required=False,
        help_text=_("The complementary-pension institution the DSN pays (S21.G00.20)."))
    debit_iban = forms.CharField(label=_("IBAN debited by the URSSAF"), max_length=42, required=False,
                                 help_text=_("Also debited for the withholding tax and AGIRC-ARRCO."))
    debit_bic = forms.CharField(label=_("BIC of that account"), max_length=11, required=False)
    contribution_base = forms.ChoiceField(label=_("CAE contribution on"), choices=ContributionBase.choices)
    contribution_waiver_months = forms.IntegerField(
        label=_("Contribution waived for the first months"), min_value=0, max_value=120, initial=0,
        help_text=_("0: owed from the month of entry."))

    def cleaned_settings(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("mobility_rate", "leave_fund_rate", "bad_weather_rate"):
            if data.get(name) is None:
                data[name] = Decimal("0")
        for name in ("mobility_commune", "at_mp_risk_code", "leave_fund_name", "leave_fund_number", "leave_fund_dsn_code", "collective_agreement", "idcc", "pension_funds", "dsn_contact_name", "dsn_contact_email",
                     "dsn_contact_phone", "urssaf_siret", "agirc_arrco_siret", "debit_iban", "debit_bic"):
            data[name] = data.get(name) or ""
        return data


class BracketForm(forms.Form):
    threshold = FrenchDecimalField(label=_("From (year-to-date, €)"), max_digits=12, decimal_places=2)
    rate = FrenchDecimalField(label=_("Rate (%)"), max_digits=6, decimal_places=3)




class SchemeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SchemeKind.choices)
    label = forms.CharField(label=_("Label"), max_length=200)
    applies_to = forms.ChoiceField(label=_("Applies to"), choices=[
        ("all", _("everyone")), ("cadre", _("cadres")), ("non_cadre", _("non-cadres")),
        ("etam", _("building-trade ETAM")), ("ouvrier", _("building-trade ouvriers"))])
    base = forms.ChoiceField(label=_("Base"), choices=SCHEME_BASE_CHOICES)
    employee_rate = FrenchDecimalField(label=_("Employee rate (%)"), max_digits=7, decimal_places=4, required=False)
    employer_rate = FrenchDecimalField(label=_("Employer rate (%)"), max_digits=7, decimal_places=4, required=False)
    employee_fixed = FrenchDecimalField(label=_("Employee fixed amount (€)"), max_digits=10, decimal_places=2,
                                        required=False)
    employer_fixed = FrenchDecimalField(label=_("Employer fixed amount (€)"), max_digits=10, decimal_places=2,
                                        required=False)
    organisation_code = forms.CharField(label=_("Insurer's DSN code"), max_length=9, required=False,
                                        help_text=_("e.g. P0942, given by the insurer; the DSN needs it."))
    contract_reference = forms.CharField(label=_("Contract reference"), max_length=30, required=False)
    option_code = forms.CharField(label=_("Option code"), max_length=30, required=False,
                                  help_text=_("Only if the insurer asks for one."))
    population_code = forms.CharField(label=_("Population code"), max_length=30, required=False,
                                      help_text=_("Only if the insurer asks for one."))


BracketFormSet = forms.formset_factory(BracketForm, extra=2, can_delete=True, max_num=20, validate_max=True)
class RiskRateForm(forms.Form):
    siret = forms.CharField(label=_("Establishment SIRET"), max_length=20, required=False,
                            help_text=_("Empty: the employer SIRET above."))
    risk_code = forms.CharField(label=_("Risk code"), max_length=8, help_text=_("e.g. 741GA"))
    label = forms.CharField(label=_("Activity"), max_length=120)
    rate = FrenchDecimalField(label=_("AT/MP rate (%)"), max_digits=5, decimal_places=2)


RiskRateFormSet = forms.formset_factory(RiskRateForm, extra=1, can_delete=True, max_num=50, validate_max=True)
SchemeFormSet = forms.formset_factory(SchemeForm, extra=1, can_delete=True, max_num=20, validate_max=True)


def formset_rows(formset) -> list[dict]:
    """The rows a valid formset keeps: filled in and not marked for deletion."""
    return [{k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


class ContributionExampleForm(forms.Form):
    amount = FrenchDecimalField(label=_("Year-to-date amount (€)"), max_digits=12, decimal_places=2)


# --- simulation -----------------------------------------------------------------------------

WHO_ENTREPRENEUR, WHO_TEMPLATE = "entrepreneur", "template"
MODE_LABELS = {"gross": _("a gross salary"), "employer_cost": _("an employer cost"),
               "net": _("a net salary (before income tax)")}


class SimulationForm(forms.Form):
    who = forms.ChoiceField(label=_("For"), widget=forms.RadioSelect, initial=WHO_TEMPLATE, choices=[
        (WHO_TEMPLATE, _("a template employee")), (WHO_ENTREPRENEUR, _("an entrepreneur"))])
    entrepreneur = forms.TypedChoiceField(label=_("Entrepreneur"), required=False, coerce=int, empty_value=None,
                                          help_text=_("Status and hours come from their employment data."))
    status = forms.ChoiceField(label=_("Status (template)"), choices=PayStatus.choices, initial=PayStatus.NON_CADRE)
    hours = FrenchDecimalField(label=_("Monthly hours (template)"), max_digits=6, decimal_places=2, required=False,
                               help_text=_("Empty: pay follows activity, not time."))
    mode = forms.ChoiceField(label=_("I enter"), choices=[(m, MODE_LABELS[m]) for m in MODES], initial="gross")
    amount = FrenchDecimalField(label=_("Amount (€)"), max_digits=12, decimal_places=2)
    period = MonthField(label=_("Month"), initial=first_of_this_month,
                        help_text=_("The rate table in force that month applies."))
    pas_rate = FrenchDecimalField(label=_("Withholding tax rate (%)"), max_digits=5, decimal_places=2,
                                  required=False, initial=0)

    def __init__(self, *args, entrepreneur_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entrepreneur"].choices = [("", "—"), *entrepreneur_choices]

    def clean(self):
        data = super().clean()
        if data.get("who") == WHO_ENTREPRENEUR and not data.get("entrepreneur"):
            self.add_error("entrepreneur", _("Choose the entrepreneur, or simulate with a template employee."))
        return data


# --- rate tables (staff) --------------------------------------------------------------------

class RateLineForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200)
    employee_rate = FrenchDecimalField(label=_("Employee rate (%)"), max_digits=7, decimal_places=4)
    employer_rate = FrenchDecimalField(label=_("Employer rate (%)"), max_digits=7, decimal_places=4, required=False,
                                       help_text=_("Empty only for AT/MP: each workspace's own rate."))
    # Not required here: the service says why a source is needed.
    source = forms.CharField(label=_("Legal source"), max_length=300, required=False)


class RateTableForm(forms.Form):
    """The table's title and one value + source pair per parameter (PMSS, SMIC…)."""

    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, params: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.param_names = list(params or {})
        for name in self.param_names:
            self.fields[f"value_{name}"] = FrenchDecimalField(label=param_label(name), max_digits=14, decimal_places=6)
            self.fields[f"source_{name}"] = forms.CharField(label=_("Source"), max_length=300, required=False)

    def param_rows(self):
        return [(name, self.fields[f"value_{name}"].label, self[f"value_{name}"], self[f"source_{name}"])
                for name in self.param_names]

    def cleaned_params(self) -> dict:
        return {name: {"value": self.cleaned_data[f"value_{name}"], "source": self.cleaned_data[f"source_{name}"]}
                for name in self.param_names}


class RateTableCopyForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy the table"), queryset=None, empty_label=None)
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput(),
                                     help_text=_("The first day of a month, e.g. 1 January of next year."))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = rate_table_list()
