"""Forms of the share registers: they validate shape; alumni/services/shares.py decides the rules."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from alumni.models import (
    AssociateCategory,
    College,
    LegalForm,
    Majority,
    MeetingKind,
    MovementKind,
    ShareHolder,
    ShareIssuer,
)
from backoffice.models import Document, Entrepreneur, Workspace

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AtDateForm(forms.Form):
    at = forms.DateField(label=_("At"), required=False, widget=DATE)

    def day(self) -> datetime.date:
        from django.utils import timezone
        if self.is_valid() and self.cleaned_data.get("at"):
            return self.cleaned_data["at"]
        return timezone.localdate()


class IssuerForm(forms.Form):
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    created_on = forms.DateField(label=_("Date of creation"), widget=DATE)
    initial_nominal = forms.DecimalField(label=_("Nominal value per share at creation (€)"), max_digits=12,
                                         decimal_places=2, min_value=0)
    minimum_subscription = forms.IntegerField(label=_("Statutory minimum subscription (shares)"), min_value=1,
                                              initial=1)
    unpaid_deadline_years = forms.IntegerField(label=_("Deadline to pay up subscribed capital (years)"),
                                               min_value=0, max_value=5, initial=5)
    future_days_allowed = forms.IntegerField(label=_("Days in the future a movement may be dated"), min_value=0,
                                             max_value=366, initial=0)


class CollegeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    weight = forms.DecimalField(label=_("Vote weight (%)"), max_digits=5, decimal_places=2, min_value=0,
                                max_value=100)


class HolderForm(forms.Form):
    category = forms.ChoiceField(label=_("Category of associate"), choices=AssociateCategory.choices)
    holder_workspace = forms.ModelChoiceField(label=_("Organisation"), required=False, queryset=Workspace.objects.none())
    entrepreneur = forms.ModelChoiceField(label=_("Entrepreneur"), required=False, queryset=Entrepreneur.objects.none())
    name = forms.CharField(label=_("Outside person: full name"), required=False, max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    college = forms.ModelChoiceField(label=_("College"), required=False, queryset=College.objects.none())

    def __init__(self, *args, issuer: ShareIssuer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder_workspace"].queryset = (Workspace.objects.filter(is_active=True)
                                                    .exclude(pk=issuer.workspace_id).order_by("name"))
        self.fields["entrepreneur"].queryset = Entrepreneur.objects.filter(
            workspace_id__in=[w for w in (issuer.workspace_id, issuer.workspace.origin_id) if w])
        self.fields["college"].queryset = College.objects.filter(issuer=issuer)
        if not issuer.is_scic:
            del self.fields["college"]


class MovementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in MovementKind.choices
                                                       if c[0] != MovementKind.CANCELLATION])
    effective_date = forms.DateField(label=_("Effective date"), widget=DATE)
    holder = forms.ModelChoiceField(label=_("Holder"), required=False, queryset=ShareHolder.objects.none())
    counterparty = forms.ModelChoiceField(label=_("Transferee (transfer only)"), required=False,
                                          queryset=ShareHolder.objects.none())
    shares = forms.IntegerField(label=_("Shares"), min_value=0, initial=0)
    amount = forms.DecimalField(label=_("Amount (€)"), max_digits=14, decimal_places=2, min_value=0, required=False,
                                help_text=_("Shares × nominal value; for a release, the capital paid up."))
    paid = forms.DecimalField(label=_("Paid up at subscription (€)"), max_digits=14, decimal_places=2, min_value=0,
                              required=False)
    nominal = forms.DecimalField(label=_("New nominal value (change of nominal only, €)"), max_digits=12,
                                 decimal_places=2, min_value=0, required=False)
    decision = forms.CharField(label=_("Decision reference"), max_length=200, required=False,
                               help_text=_("e.g. signed bulletin of 12/03/2026, minutes of the general meeting"))
    document = forms.ModelChoiceField(label=_("Attached document"), required=False, queryset=Document.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, issuer: ShareIssuer, **kwargs):
        super().__init__(*args, **kwargs)
        holders = ShareHolder.objects.filter(issuer=issuer).order_by("name")
        self.fields["holder"].queryset = holders
        self.fields["counterparty"].queryset = holders
        self.fields["document"].queryset = Document.objects.filter(workspace_id=issuer.workspace_id)


class CancelForm(forms.Form):
    effective_date = forms.DateField(label=_("Date of the cancellation"), widget=DATE)
    decision = forms.CharField(label=_("Decision reference"), max_length=200, required=False)
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    held_at = forms.DateTimeField(label=_("Date and time"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    record_date = forms.DateField(label=_("Record date"), widget=DATE,
                                  help_text=_("Associates in the register on this date are convened."))
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}))
    resolutions = forms.CharField(label=_("Resolutions, one per line"), widget=forms.Textarea(attrs={"rows": 5}))
    quorum = forms.DecimalField(label=_("Quorum (share of convened votes, e.g. 0.25)"), required=False,
                                max_digits=4, decimal_places=3, min_value=0, max_value=1,
                                help_text=_("Empty: one fifth for an ordinary meeting, one quarter for an "
                                            "extraordinary one (C. com. L225-98, L225-96); the statutes may say more."))
    majority = forms.ChoiceField(label=_("Majority"), required=False,
                                 choices=[("", _("By the kind of meeting")), *Majority.choices])


class TallyForm(forms.Form):
    resolution = forms.IntegerField(widget=forms.HiddenInput)
    college = forms.IntegerField(widget=forms.HiddenInput, required=False)
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)


class RegisterImportForm(forms.Form):
    file = forms.FileField(label=_("Register (xlsx or csv)"),
                           help_text=_("Columns: date, nature, associé, catégorie, collège, cessionnaire, parts, "
                                       "montant, libéré, nominal, décision; one row per movement, oldest first."))
