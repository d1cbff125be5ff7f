"""Forms of the dossier and document pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.models import DossierStatus


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    internal = forms.BooleanField(label=_("Staff only (never shown to the client)"), required=False)


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class DossierStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DossierStatus.choices)


class DossierAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None, required=False,
                                      empty_label=_("Nobody"))

    def __init__(self, *args, staff_users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users


class DossierDueDateForm(forms.Form):
    due_date = forms.DateField(label=_("Due date"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
