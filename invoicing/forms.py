"""Invoicing forms: they check shape; the services decide the rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from invoicing.models import PaymentMethod
from invoicing.services.invoices import LineInput

VAT_RATES = [("20.00", "20 %"), ("10.00", "10 %"), ("5.50", "5,5 %"), ("2.10", "2,1 %"), ("0.00", "0 %")]


class LineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3,
                                  min_value=Decimal("0"),
                                  error_messages={"min_value": _("A quantity cannot be negative.")})
    unit_price = forms.DecimalField(label=_("Unit price excl. VAT"), max_digits=14, decimal_places=4,
                                    min_value=Decimal("0"),
                                    error_messages={"min_value": _("A price cannot be negative.")})
    vat_rate = forms.TypedChoiceField(label=_("VAT rate"), choices=VAT_RATES, coerce=Decimal, initial="20.00")

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(description=data["description"], quantity=data["quantity"],
                         unit_price=data["unit_price"], vat_rate=data["vat_rate"])


class NewInvoiceForm(LineForm):
    workspace = forms.ModelChoiceField(label=_("Customer"), queryset=None)

    def __init__(self, *args, workspaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = workspaces
        self.order_fields(["workspace"])


class CreditNoteForm(forms.Form):
    """Empty amount: credit the whole invoice; otherwise one line of this amount."""

    amount = forms.DecimalField(label=_("Amount excl. VAT (empty: the whole invoice)"), required=False,
                                max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    vat_rate = forms.TypedChoiceField(label=_("VAT rate"), choices=VAT_RATES, coerce=Decimal, initial="20.00")
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PeriodForm(forms.Form):
    period = forms.RegexField(label=_("Month (YYYY-MM)"), regex=r"^\d{4}-(0[1-9]|1[0-2])$",
                              error_messages={"invalid": _("Enter a month as YYYY-MM.")})


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=140, required=False)
    overpayment = forms.BooleanField(label=_("Overpayment: the customer paid more than the balance"), required=False)


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Bank statement (camt.053, .xml)"))

    def clean_file(self):
        from django.conf import settings
        from django.template.defaultfilters import filesizeformat

        upload = self.cleaned_data["file"]
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is %(size)s; the limit is %(limit)s.") % {
                "size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)})
        return upload


class BankMatchForm(forms.Form):
    number = forms.CharField(label=_("Invoice number"), max_length=30)
    overpayment = forms.BooleanField(label=_("Overpayment: the customer paid more than the balance"), required=False)


class BankDismissForm(forms.Form):
    note = forms.CharField(label=_("What is this credit?"), max_length=300)


class MandateForm(forms.Form):
    workspace = forms.ModelChoiceField(label=_("Customer"), queryset=None)
    reference = forms.CharField(label=_("Mandate reference (RUM)"), max_length=35)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    debtor_name = forms.CharField(label=_("Account holder"), max_length=70)
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(label=_("BIC (optional)"), max_length=11, required=False)

    def __init__(self, *args, workspaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = workspaces


class DebitBatchForm(forms.Form):
    due_before = forms.DateField(label=_("Invoices due on or before"), widget=forms.DateInput(attrs={"type": "date"}))
    collection_date = forms.DateField(label=_("Collection date (empty: in two days)"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))

    def clean_collection_date(self):
        from django.utils import timezone

        day = self.cleaned_data["collection_date"]
        if day and day <= timezone.localdate():
            raise forms.ValidationError(_("The bank collects on a later day: choose a date after today."))
        return day


class DebitRejectForm(forms.Form):
    reason = forms.CharField(label=_("Rejection reason"), max_length=200)


class PeriodRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class LifecycleStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=())
    at = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Source (platform, person)"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from invoicing.models import LifecycleStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(value, f"{value} — {label}") for value, label in LifecycleStatus.choices]


class ChartOfAccountsForm(forms.Form):
    """The general accounts, then one field per service, VAT rate and customer (built from the data)."""

    customer_account = forms.CharField(label=_("Customers (collective account)"), max_length=20)
    bank_account = forms.CharField(label=_("Bank"), max_length=20)
    default_revenue_account = forms.CharField(label=_("Revenue (default)"), max_length=20)
    default_vat_account = forms.CharField(label=_("VAT collected (default)"), max_length=20)

    def __init__(self, *args, services=(), rates=(), customers=(), settings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.services, self.rates, self.customers = list(services), list(rates), list(customers)
        for value, label in self.services:
            self.fields[f"revenue_{value}"] = forms.CharField(
                label=_("Revenue: %(service)s") % {"service": label}, max_length=20, required=False,
                initial=settings.revenue_accounts.get(value, "") if settings else "")
        for rate, label in self.rates:
            self.fields[f"vat_{rate}"] = forms.CharField(
                label=_("VAT collected at %(rate)s") % {"rate": label}, max_length=20, required=False,
                initial=settings.vat_accounts.get(rate, "") if settings else "")
        for workspace in self.customers:
            self.fields[f"aux_{workspace.pk}"] = forms.CharField(
                label=workspace.name, max_length=20, required=False,
                initial=settings.customer_accounts.get(str(workspace.pk), "") if settings else "",
                widget=forms.TextInput(attrs={"placeholder": f"C{workspace.pk:06d}"}))

    def _fieldset(self, prefix: str):
        return [self[name] for name in self.fields if name.startswith(prefix)]

    def fieldset_revenue(self):
        return self._fieldset("revenue_")

    def fieldset_vat(self):
        return self._fieldset("vat_")

    def fieldset_aux(self):
        return self._fieldset("aux_")

    def general(self):
        return [self[name] for name in ("customer_account", "bank_account", "default_revenue_account",
                                        "default_vat_account")]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "customer_account": data["customer_account"], "bank_account": data["bank_account"],
            "default_revenue_account": data["default_revenue_account"],
            "default_vat_account": data["default_vat_account"],
            "revenue_accounts": {value: data.get(f"revenue_{value}", "") for value, _label in self.services},
            "vat_accounts": {rate: data.get(f"vat_{rate}", "") for rate, _label in self.rates},
            "customer_accounts": {str(w.pk): data.get(f"aux_{w.pk}", "") for w in self.customers},
        }
