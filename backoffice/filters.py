"""Filters for lists (django-filter): the staff work queue, a workspace's documents, the audit
trail. They only narrow a queryset the view got from a selector; they never widen it."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import F, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backoffice.models import AuditEntry, Document, Dossier, DossierStatus, Workspace
from backoffice.models.agreements import Service
from backoffice.models.documents import DocumentKind
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.selectors.dossiers import DEFAULT_ORDERING
from backoffice.selectors.users import host_staff_users

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SEARCH = forms.TextInput(attrs={"type": "search", "placeholder": _("Title or workspace")})


def _assignee_choices():
    return [("me", _("Me")), ("none", _("Unassigned"))] + [(str(u.pk), str(u)) for u in host_staff_users()]


class QueueState:
    OPEN, OVERDUE, CLOSED, ALL = "open", "overdue", "closed", "all"
    CHOICES = [(OPEN, _("Open")), (OVERDUE, _("Overdue")), (CLOSED, _("Closed")), (ALL, _("All"))]


# sort parameter -> ordering; ties keep the queue's natural order (overdue first, by due date).
QUEUE_SORTS = {
    key: (primary, *DEFAULT_ORDERING) for key, primary in {
        "due": F("due_date").asc(nulls_last=True), "-due": F("due_date").desc(nulls_last=True),
        "workspace": "workspace__name", "-workspace": "-workspace__name",
        "title": "title", "-title": "-title",
        "status": "status", "-status": "-status",
        "updated": "updated_at", "-updated": "-updated_at",
    }.items()
}


class DossierFilter(django_filters.FilterSet):
    """The staff work queue. With no `state` in the address it shows open dossiers only:
    the page host staff live in is about what is left to do."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q", widget=_SEARCH)
    workspace = django_filters.ModelChoiceFilter(label=_("Workspace"), queryset=Workspace.objects.order_by("name"),
                                                 to_field_name="slug", empty_label=_("All"))
    service = django_filters.ChoiceFilter(label=_("Service"), choices=Service.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DossierStatus.choices, empty_label=_("All"))
    state = django_filters.ChoiceFilter(label=_("Show"), choices=QueueState.CHOICES, method="filter_state",
                                        empty_label=None)
    assignee = django_filters.ChoiceFilter(label=_("Assignee"), choices=[], method="filter_assignee",
                                          empty_label=_("Anyone"))
    due_from = django_filters.DateFilter(label=_("Due from"), field_name="due_date", lookup_expr="gte", widget=_DATE)
    due_to = django_filters.DateFilter(label=_("Due until"), field_name="due_date", lookup_expr="lte", widget=_DATE)
    sort = django_filters.ChoiceFilter(choices=[(k, k) for k in QUEUE_SORTS], method="filter_sort",
                                       widget=forms.HiddenInput)

    class Meta:
        model = Dossier
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("state"):
            data["state"] = QueueState.OPEN
        super().__init__(data, *args, **kwargs)
        self.filters["assignee"].extra["choices"] = _assignee_choices()

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(workspace__name__icontains=value)
                               | Q(workspace__slug__icontains=value))

    def filter_state(self, queryset, name, value):
        if value == QueueState.OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == QueueState.OVERDUE:
            return queryset.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
        if value == QueueState.CLOSED:
            return queryset.exclude(status__in=OPEN_STATUSES)
        return queryset

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user if self.request else None)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*QUEUE_SORTS.get(value, DEFAULT_ORDERING))


class DocumentFilter(django_filters.FilterSet):
    """A workspace's documents (the queryset comes from `document_list`, already scoped)."""

    # Only dossiers that have files: a workspace's whole history would make a huge list.
    dossier = django_filters.ModelChoiceFilter(label=_("Dossier"), queryset=lambda request: Dossier.objects.filter(
        workspace=request.actor.workspace, documents__isnull=False).distinct().order_by("-created_at"),
        empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DocumentKind.choices, empty_label=_("All"))

    class Meta:
        model = Document
        fields: list[str] = []


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_action_choices() -> list[tuple[str, str]]:
    from backoffice.interface import audit_action_label, audit_registered_actions

    return sorted(((a, audit_action_label(a)) for a in audit_registered_actions()), key=lambda c: c[1])


class AuditFilter(django_filters.FilterSet):
    """The audit trail for staff. Date bounds are whole local days, compared on the indexed
    timestamp itself (not on its date part)."""

    workspace = django_filters.ModelChoiceFilter(label=_("Workspace"), queryset=Workspace.objects.order_by("name"),
                                                 to_field_name="slug", empty_label=_("All"))
    # The registered actions in words (backoffice/interface.py), never their code names.
    action = django_filters.ChoiceFilter(label=_("Action"), choices=audit_action_choices, empty_label=_("All"))
    actor = django_filters.CharFilter(label=_("Who"), method="filter_actor",
                                      widget=forms.TextInput(attrs={"placeholder": _("e-mail or name")}))
    date_from = django_filters.DateFilter(label=_("From"), method="filter_from", widget=_DATE)
    date_to = django_filters.DateFilter(label=_("Until"), method="filter_to", widget=_DATE)
    object = django_filters.CharFilter(label=_("Object"), field_name="object_repr", lookup_expr="icontains")

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        if value in ("-", gettext("system")):
            return queryset.filter(actor__isnull=True)
        return queryset.filter(Q(actor__email__icontains=value) | Q(actor__last_name__icontains=value)
                               | Q(actor__first_name__icontains=value))

    def filter_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=_day_start(value + datetime.timedelta(days=1)))
