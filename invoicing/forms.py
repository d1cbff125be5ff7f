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
