"""Forms of the training pages: shape only; the services check the rules and raise
ValidationError by field (shown with backoffice.forms.records.add_service_errors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.forms.records import DateInput
from backoffice.models import Workspace, WorkspaceKind
from training.models import Course, HalfDay, Opco, RequestState, Session, TrainingBody, Workshop
from training.services.gatherings import WORKSHOP_FIELDS
from training.services.reference import BODY_FIELDS, COURSE_FIELDS, OPCO_FIELDS, SESSION_FIELDS


class TrainingBodyForm(forms.ModelForm):
    class Meta:
        model = TrainingBody
        fields = BODY_FIELDS
        widgets = {"qualiopi_expires_on": DateInput(), "address": forms.Textarea(attrs={"rows": 2})}


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = COURSE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("objectives", "programme", "prerequisites", "assessment", "accessibility")}


class OpcoForm(forms.ModelForm):
    class Meta:
        model = Opco
        fields = OPCO_FIELDS
        widgets = {"source": forms.Textarea(attrs={"rows": 3})}


class SessionForm(forms.ModelForm):
    workspaces = forms.ModelMultipleChoiceField(
        label=_("Workspaces allowed to enrol"), queryset=Workspace.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    video_link = forms.URLField(label=_("video link"), required=False, assume_scheme="https")

    class Meta:
        model = Session
        fields = SESSION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].required = False
        self.fields["workspaces"].queryset = Workspace.objects.filter(
            kind__in=(WorkspaceKind.HOST, WorkspaceKind.PARTNER), is_active=True).order_by("name")
        if self.instance.pk:
            self.fields["workspaces"].initial = list(self.instance.workspaces.all())


class SlotForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    half = forms.ChoiceField(label=_("Half-day"), choices=HalfDay.choices)
    starts_at = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))


class IdsField(forms.MultipleChoiceField):
    """Ids posted by the page; which of them are allowed is the service's decision (it answers
    with a clear message instead of the generic "not a valid choice")."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit()

    def clean(self, value):
        return [int(v) for v in super().clean(value)]


class EnrolForm(forms.Form):
    entrepreneurs = IdsField(label=_("Entrepreneurs to enrol"), widget=forms.CheckboxSelectMultiple,
                             error_messages={"required": _("Choose at least one entrepreneur to enrol.")})

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entrepreneurs"].choices = [(p.pk, str(p)) for p in people]


class FundingRequestForm(forms.Form):
    opco = forms.ModelChoiceField(label=_("OPCO"), queryset=Opco.objects.order_by("name"))
    enrolments = IdsField(label=_("Trainees"), widget=forms.CheckboxSelectMultiple,
                          error_messages={"required": _("Choose at least one trainee for the request.")})
    cost_pedagogical = forms.DecimalField(label=_("Pedagogical costs"), min_value=0, max_digits=12, decimal_places=2)
    cost_salary = forms.DecimalField(label=_("Salary costs"), min_value=0, max_digits=12, decimal_places=2, initial=0)
    cost_travel = forms.DecimalField(label=_("Travel costs"), min_value=0, max_digits=12, decimal_places=2, initial=0)
    amount_asked = forms.DecimalField(label=_("Amount asked"), min_value=0, max_digits=12, decimal_places=2,
                                      required=False, help_text=_("Empty: the sum of the costs."))

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].choices = [(e.pk, str(e.entrepreneur)) for e in enrolments]


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("New state"), choices=RequestState.choices)
    opco_file_number = forms.CharField(label=_("OPCO file number"), max_length=60, required=False)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=12, decimal_places=2, required=False,
                                help_text=_("Approved, claimed or paid, depending on the move."))
    note = forms.CharField(label=_("Note or reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    late_override_reason = forms.CharField(label=_("Reason for accepting a late submission (staff)"), required=False,
                                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, states=None, allow_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        if states is not None:
            self.fields["to_state"].choices = [(s, RequestState(s).label) for s in states]
        if not allow_override:
            del self.fields["late_override_reason"]


class StaffRequestFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All open states")), *RequestState.choices])
    due = forms.TypedChoiceField(label=_("Due"), required=False, coerce=int, empty_value=None,
                                 choices=[("", _("Any date")), ("7", _("Late or due within 7 days"))])


class BulkRequestForm(forms.Form):
    opco = forms.ModelChoiceField(label=_("OPCO"), queryset=Opco.objects.order_by("name"))


class SummaryForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = WORKSHOP_FIELDS
        widgets = {"day": DateInput(), "starts_at": forms.TimeInput(attrs={"type": "time"}),
                   "ends_at": forms.TimeInput(attrs={"type": "time"}),
                   "description": forms.Textarea(attrs={"rows": 2})}


class WorkshopRegisterForm(forms.Form):
    enrolments = IdsField(label=_("Participants to register"), widget=forms.CheckboxSelectMultiple,
                          error_messages={"required": _("Choose at least one participant.")})

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].choices = [(e.pk, str(e.entrepreneur)) for e in participants]


class CatalogueImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=[
        ("bodies", _("Training bodies")), ("courses", _("Courses")), ("opcos", _("OPCO rules"))])
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))
