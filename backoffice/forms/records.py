"""Forms of the workspace, entrepreneur, agreement and usage pages.

They check shape only (required, lengths, types); the services check the rules and raise
ValidationError by field, which `add_service_errors` puts back on the form.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backoffice.models import Service, Workspace, WorkspaceKind
from backoffice.models.agreements import PriceKind, UsageKind
from backoffice.models.entrepreneurs import Nationality
from backoffice.pricing import brackets_of
from backoffice.selectors.entrepreneurs import ACTIVE, EXITED


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it,
    otherwise above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- workspaces (staff) ---------------------------------------------------------------------

class WorkspaceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Name, short name or SIREN"), "type": "search"}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *WorkspaceKind.choices])


class WorkspaceForm(forms.Form):
    """A workspace's legal identity (the edit form; the create form adds kind and slug)."""

    name = forms.CharField(label=_("Legal name"), max_length=200)
    legal_form = forms.CharField(label=_("Legal form"), max_length=60, required=False,
                                 help_text=_("e.g. SCOP SA, SCIC SAS, SARL SCOP"))
    # Wider than the stored value: people type identifiers with spaces; the service compacts them.
    siren = forms.CharField(label=_("SIREN"), max_length=20)
    siret = forms.CharField(label=_("SIRET (head office)"), max_length=30, required=False,
                            help_text=_("Starts with the SIREN."))
    vat_number = forms.CharField(label=_("VAT number"), max_length=30, required=False,
                                 help_text=_("FR, two-character key, then the SIREN."))
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    email = forms.EmailField(label=_("Contact e-mail"), required=False)
    trade = forms.CharField(label=_("Main trade"), max_length=100, required=False,
                            help_text=_("e.g. building trades; decides the OPCO for training."))
    origin = forms.ModelChoiceField(label=_("Origin CAE"), required=False, queryset=Workspace.objects.none(),
                                    help_text=_("For an alumni company: the CAE it came from."))

    def __init__(self, *args, exclude_pk: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Workspace is the scope itself, not a scoped model: listing the CAEs needs no scope.
        origins = Workspace.objects.filter(kind__in=[WorkspaceKind.HOST, WorkspaceKind.PARTNER]).order_by("name")
        if exclude_pk is not None:
            origins = origins.exclude(pk=exclude_pk)
        self.fields["origin"].queryset = origins


class WorkspaceCreateForm(WorkspaceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(WorkspaceKind.PARTNER, WorkspaceKind.PARTNER.label),
                                                      (WorkspaceKind.ALUMNI, WorkspaceKind.ALUMNI.label)])
    slug = forms.SlugField(label=_("Short name"), max_length=50, help_text=_("Used in addresses, e.g. cae-a. "
                                                                             "Cannot be changed later."))
    field_order = ["kind", "name", "slug"]


# --- entrepreneurs --------------------------------------------------------------------------

class EntrepreneurFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Name or employee number"), "type": "search"}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), (ACTIVE, _("Active")), (EXITED, _("Exited"))])


class EntrepreneurForm(forms.Form):
    matricule = forms.CharField(label=_("Employee number"), max_length=30)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    nationality = forms.ChoiceField(label=_("Nationality"), required=False,
                                    choices=[("", "—"), *Nationality.choices],
                                    help_text=_("The monthly declaration (DSN) needs it."))
    # Never pre-filled: the NIR is only shown through the audited reveal.
    nir = forms.CharField(label=_("Social-security number (NIR)"), max_length=21, required=False,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                          help_text=_("15 characters including the key, e.g. 1 85 06 75 123 456 78."))
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    entry_date = forms.DateField(label=_("Entry date"), widget=DateInput())
    exit_date = forms.DateField(label=_("Exit date"), required=False, widget=DateInput())
    trade = forms.CharField(label=_("Trade"), max_length=100, required=False)


class EntrepreneurEditForm(EntrepreneurForm):
    clear_nir = forms.BooleanField(label=_("Remove the recorded NIR"), required=False)
    field_order = ["matricule", "last_name", "first_name", "birth_date", "nationality", "nir", "clear_nir"]

    def __init__(self, *args, has_nir: bool = False, nir_masked: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if has_nir:
            self.fields["nir"].help_text = _("Recorded: %(masked)s. Leave empty to keep it.") % {"masked": nir_masked}
        else:
            del self.fields["clear_nir"]

    def clean(self):
        data = super().clean()
        if data.get("nir") and data.get("clear_nir"):
            raise ValidationError(_("Either type a new NIR or remove the recorded one, not both."))
        return data


# --- agreements -----------------------------------------------------------------------------

class AgreementForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    start_date = forms.DateField(label=_("From"), widget=DateInput())
    end_date = forms.DateField(label=_("Until"), required=False, widget=DateInput(),
                               help_text=_("Empty while the agreement runs."))
    reference = forms.CharField(label=_("Contract reference"), max_length=60, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _parse_amount(text: str) -> Decimal:
    """A French-typed amount: "50 000,50" or "50000.50"."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "").replace("%", "")
    return Decimal(cleaned.replace(",", "."))


class BracketsField(forms.CharField):
    """Progressive brackets typed one per line, "up to amount ; rate", the last line "; rate"
    (no ceiling). Cleans to the stored JSON list; the service checks the scale itself."""

    widget = forms.Textarea(attrs={"rows": 4, "placeholder": "50 000 ; 2\n200 000 ; 1,5\n ; 1"})

    def prepare_value(self, value):
        if isinstance(value, list):
            lines = []
            for bracket in brackets_of(value):
                rate = str(bracket.rate).replace(".", ",")
                lines.append(f"; {rate}" if bracket.up_to is None else f"{str(bracket.up_to).replace('.', ',')} ; {rate}")
            return "\n".join(lines)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        brackets = []
        for number, row in enumerate((r for r in text.splitlines() if r.strip()), start=1):
            ceiling, sep, rate = row.partition(";")
            try:
                if not sep:
                    raise ArithmeticError
                brackets.append({"up_to": str(_parse_amount(ceiling)) if ceiling.strip() else None,
                                 "rate": str(_parse_amount(rate))})
            except (ArithmeticError, ValueError):
                raise ValidationError(_("Line %(number)s is not “up to amount ; rate”, e.g. “50 000 ; 2”, "
                                        "or “; 1” for the last bracket.") % {"number": number}) from None
        return brackets


class PriceLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Pricing"), choices=PriceKind.choices)
    label = forms.CharField(label=_("Label"), max_length=200, help_text=_("As it will read on the invoice."))
    usage_kind = forms.ChoiceField(label=_("Billed usage"), required=False,
                                   choices=[("", _("— none (monthly flat fee) —")), *UsageKind.choices],
                                   help_text=_("What this line prices. None for a monthly flat fee."))
    unit_price = forms.DecimalField(label=_("Unit price or monthly fee excl. VAT (€)"), max_digits=12,
                                    decimal_places=2, min_value=0, required=False, localize=True)
    rate = forms.DecimalField(label=_("Rate (%)"), max_digits=6, decimal_places=3, min_value=0, required=False, localize=True,
                              help_text=_("Percentage lines only."))
    brackets = BracketsField(label=_("Progressive brackets"), required=False,
                             help_text=_("Bracket lines only. One bracket per line, “up to amount ; rate %”, the "
                                         "last one “; rate %” with no ceiling. Each slice of the declared amount "
                                         "is charged at its own bracket's rate, like the income-tax scale."))
    minimum = forms.DecimalField(label=_("Minimum per declaration excl. VAT (€)"), max_digits=12, decimal_places=2,
                                 min_value=0, required=False, localize=True,
                                 help_text=_("Percentage and bracket lines only; charged even on a zero declaration."))
    cap = forms.DecimalField(label=_("Cap per declaration excl. VAT (€)"), max_digits=12, decimal_places=2,
                             min_value=0, required=False, localize=True,
                             help_text=_("Percentage and bracket lines only; the most one declaration can cost."))
    vat_rate = forms.DecimalField(label=_("VAT rate (%)"), max_digits=5, decimal_places=2, min_value=0, localize=True,
                                  initial="20.00")

    def clean_unit_price(self):
        value = self.cleaned_data.get("unit_price")
        return Decimal("0.00") if value is None else value

