"""Staff area: the shared rate tables (read: Perm.PAYROLL_VIEW; edit and copy: Perm.RATES_MANAGE).

Rate tables are not tenant data (shared by every workspace, not scoped): reading them needs
no staff_wide; the one cross-workspace read (how many payroll runs used a table) is a
named selector. Every edit is audited in the host workspace (payroll/services/rate_tables.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backoffice.forms.records import add_service_errors
from backoffice.roles import Perm
from payroll.forms import RateLineForm, RateTableCopyForm, RateTableForm
from payroll.selectors.rates import get_rate_line, get_rate_table, rate_table_list, rate_table_runs_count
from payroll.services.rate_tables import rate_line_update, rate_table_copy, rate_table_update
from payroll.ui import base_label, condition_label, param_label


def _labelled(line):
    """The line with its base and condition in words (payroll/ui.py), for the templates."""
    line.base_label, line.condition_label = base_label(line.base), condition_label(line.condition)
    return line


def rate_tables(request: HttpRequest) -> HttpResponse:
    request.actor.require(Perm.PAYROLL_VIEW)
    return render(request, "payroll/rates_list.html", {"tables": rate_table_list()})


def rate_table_detail(request: HttpRequest, pk: int) -> HttpResponse:
    table = get_rate_table(request.actor, pk)
    params = [(name, param_label(name), entry.get("value"), entry.get("source", ""))
              for name, entry in table.params.items()]
    return render(request, "payroll/rates_detail.html", {
        "table": table, "lines": [_labelled(line) for line in table.lines.order_by("order")], "params": params,
        "runs": rate_table_runs_count(table)})


def rate_table_edit(request: HttpRequest, pk: int) -> HttpResponse:
    table = get_rate_table(request.actor, pk)
    request.actor.require(Perm.RATES_MANAGE)
    initial = {"title": table.title}
    for name, entry in table.params.items():
        initial[f"value_{name}"] = entry.get("value")
        initial[f"source_{name}"] = entry.get("source", "")
    form = RateTableForm(request.POST or None, initial=initial, params=table.params)
    if request.method == "POST" and form.is_valid():
        try:
            rate_table_update(actor=request.user, table=table, title=form.cleaned_data["title"],
                              params=form.cleaned_params())
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    field = name if name in form.fields else (f"value_{name}" if f"value_{name}" in form.fields
                                                              else None)
                    form.add_error(field, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Rate table saved."))
            return redirect("staff:payroll:rate_table", pk=table.pk)
    return render(request, "payroll/rates_table_form.html", {
        "form": form, "table": table, "runs": rate_table_runs_count(table)})


def rate_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_rate_line(request.actor, pk)
    request.actor.require(Perm.RATES_MANAGE)
    form = RateLineForm(request.POST or None, initial={
        "label": line.label, "employee_rate": line.employee_rate, "employer_rate": line.employer_rate,
        "source": line.source})
    if request.method == "POST" and form.is_valid():
        try:
            rate_line_update(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Line %(label)s saved.") % {"label": line.label})
            return redirect("staff:payroll:rate_table", pk=line.table_id)
    return render(request, "payroll/rates_line_form.html", {
        "form": form, "line": _labelled(line), "table": line.table, "runs": rate_table_runs_count(line.table)})


def rate_table_new(request: HttpRequest) -> HttpResponse:
    request.actor.require(Perm.RATES_MANAGE)
    latest = rate_table_list().first()
    form = RateTableCopyForm(request.POST or None, initial={"source": latest})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = rate_table_copy(actor=request.user, source=data["source"], effective_from=data["effective_from"],
                                    title=data["title"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Table created: check and edit its parameters and rates before it applies."))
            return redirect("staff:payroll:rate_table", pk=table.pk)
    return render(request, "payroll/rates_copy.html", {"form": form})
