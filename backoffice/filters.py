"""Filters for staff lists (django-filter)."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.models import Dossier, DossierStatus, Workspace
from backoffice.models.agreements import Service
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.selectors.users import host_staff_users


class DossierFilter(django_filters.FilterSet):
    workspace = django_filters.ModelChoiceFilter(label=_("Workspace"), queryset=Workspace.objects.all(),
                                                 to_field_name="slug")
    service = django_filters.ChoiceFilter(label=_("Service"), choices=Service.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DossierStatus.choices)
    open = django_filters.BooleanFilter(label=_("Open only"), method="filter_open")
    assignee = django_filters.ModelChoiceFilter(label=_("Assignee"), queryset=lambda request: host_staff_users())
    due_before = django_filters.DateFilter(label=_("Due before"), field_name="due_date", lookup_expr="lte",
                                           widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Dossier
        fields: list[str] = []

    def filter_open(self, queryset, name, value):
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
        return queryset
