"""Forms of the dossier and document pages and of the staff work queue."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backoffice.models import DossierStatus


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    internal = forms.BooleanField(label=_("Staff only (never shown to the client)"), required=False)


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    internal = forms.BooleanField(label=_("Staff only (never shown to the client)"), required=False)


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


class QuickActionForm(forms.Form):
    """A one-click action from a row of the staff queue."""

    ASSIGN_ME, STATUS = "assign_me", "status"
    action = forms.ChoiceField(choices=[(ASSIGN_ME, ASSIGN_ME), (STATUS, STATUS)])
    status = forms.ChoiceField(choices=DossierStatus.choices, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.STATUS and not data.get("status"):
            raise ValidationError(_("Choose a status."))
        return data


class IdListField(forms.Field):
    """Several integer ids posted under one name (the ticked rows of a table)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_items: int = 500, **kwargs):
        self.max_items = max_items
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        try:
            ids = sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise ValidationError(_("Invalid selection.")) from None
        if len(ids) > self.max_items:
            raise ValidationError(_("Select at most %(n)d rows at a time.") % {"n": self.max_items})
        return ids


class QueueBulkAssignForm(forms.Form):
    """Assign the ticked rows of the queue to someone (or to nobody)."""

    ids = IdListField(label=_("Dossiers"), error_messages={"required": _("Tick at least one dossier.")})
    assignee = forms.ChoiceField(label=_("Assign to"))
    query = forms.CharField(required=False, widget=forms.HiddenInput)  # the queue's filters, to come back to

    def __init__(self, *args, staff_users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.staff_users = {str(u.pk): u for u in staff_users}
        self.fields["assignee"].choices = ([("me", _("Me")), ("none", _("Nobody"))]
                                           + [(pk, str(u)) for pk, u in self.staff_users.items()])
