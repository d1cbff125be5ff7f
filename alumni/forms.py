"""Forms of the alumni app: they check shape; the services check the rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from alumni.models import CompanyLegalForm, CompanyStatus, DeclarationFrequency
from alumni.models.directory import ContactPreference
from alumni.services.companies import RequestKind
from backoffice.forms.records import DateInput


class DeclarationForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    revenue = forms.DecimalField(label=_("Revenue excl. VAT (€)"), max_digits=14, decimal_places=2, localize=True,
                                 error_messages={"invalid": _("Give the revenue as an amount in euros, e.g. 84 500,00."),
                                                 "max_decimal_places": _("Give the revenue to the cent at most."),
                                                 "max_digits": _("This amount is too large to be a yearly revenue.")})

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.key, str(p)) for p in periods]
        self.fields["period"].error_messages["invalid_choice"] = _(
            "This period cannot be declared: it is already declared, not over yet, or outside your agreement.")


class CorrectionForm(forms.Form):
    revenue = forms.DecimalField(label=_("Corrected revenue excl. VAT (€)"), max_digits=14, decimal_places=2,
                                 localize=True)
    reason = forms.CharField(label=_("Reason (shown to the company)"), widget=forms.Textarea(attrs={"rows": 3}))


class CompanyForm(forms.Form):
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=CompanyLegalForm.choices)
    creation_date = forms.DateField(label=_("Creation date"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=CompanyStatus.choices)
    declaration_frequency = forms.ChoiceField(label=_("Revenue declared"), choices=DeclarationFrequency.choices)
    contribution_terms = forms.CharField(label=_("Contribution terms"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_notes = forms.CharField(label=_("Follow-up notes"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    next_contact_date = forms.DateField(label=_("Next contact"), required=False, widget=DateInput())


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())


class CompanyCreateForm(forms.Form):
    origin = forms.ChoiceField(label=_("Origin CAE"))
    entrepreneurs = forms.CharField(label=_("Founders' employee numbers"),
                                    help_text=_("The founders' employee numbers in the origin CAE, separated by commas."))
    name = forms.CharField(label=_("Legal name"), max_length=200)
    slug = forms.SlugField(label=_("Short name"), max_length=50, help_text=_("Used in addresses, e.g. scop-bois."))
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=CompanyLegalForm.choices)
    siren = forms.CharField(label=_("SIREN"), max_length=11)
    siret = forms.CharField(label=_("SIRET"), max_length=17, required=False)
    creation_date = forms.DateField(label=_("Creation date"), required=False, widget=DateInput())
    declaration_frequency = forms.ChoiceField(label=_("Revenue declared"), choices=DeclarationFrequency.choices)
    contribution_rate = forms.DecimalField(label=_("Contribution rate (%)"), max_digits=6, decimal_places=3,
                                           min_value=0, max_value=100, required=False, localize=True,
                                           initial=Decimal("1"))
    agreement_start = forms.DateField(label=_("Services from"), widget=DateInput())
    invite = forms.BooleanField(label=_("Invite the founders (managers) by e-mail"), required=False, initial=True)

    def __init__(self, *args, origins=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].choices = [(w.slug, w.name) for w in origins]


class ServiceRequestForm(forms.Form):
    request_kind = forms.ChoiceField(label=_("What you need"), choices=RequestKind.CHOICES)
    message = forms.CharField(label=_("Your request"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    trade = forms.CharField(label=_("Trade"), required=False, max_length=100)
    skill = forms.CharField(label=_("Skill"), required=False, max_length=100)
    area = forms.CharField(label=_("Area"), required=False, max_length=100)
    cae = forms.ChoiceField(label=_("Cooperative"), required=False)

    def __init__(self, *args, caes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cae"].choices = [("", _("All")), *caes]


class DirectoryProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name shown"), max_length=120)
    trade = forms.CharField(label=_("Trade"), max_length=100)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False, help_text=_("Separated by commas."))
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    area = forms.CharField(label=_("Area served"), max_length=200, required=False)
    certifications = forms.CharField(label=_("Certifications"), max_length=200, required=False,
                                     help_text=_("e.g. RGE, Qualibat"))
    languages = forms.CharField(label=_("Languages"), max_length=120, required=False)
    contact_preference = forms.ChoiceField(label=_("How to be contacted"), choices=ContactPreference.choices)
    contact_email = forms.EmailField(label=_("Contact e-mail (never shown)"),
                                     help_text=_("Contact requests are sent here; the sender sees it only if you answer."))
    published = forms.BooleanField(label=_("Published in the directory"), required=False, initial=True)


class ContactForm(forms.Form):
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)


class AlumniImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the sheet holds"), choices=[
        ("companies", _("Alumni companies (one a row, identified by their SIREN)")),
        ("declarations", _("Past revenue declarations (one period of one company a row)"))])
    file = forms.FileField(label=_("Spreadsheet (xlsx or csv)"))
