"""Staff edits of the shared rate tables (RateTable/RateLine), every one audited.

Rate tables are reference data shared by all workspaces (not scoped); the engine reads the
table in force for a month through payroll.selectors.rates.rate_set_for. An edit is checked
by loading the whole edited table with payroll.engine.rates.load_rate_set — the engine's
own rules (known block, base and condition, non-negative rates, a legal source on every
line, an empty employer rate only on the AT/MP line, every required parameter) — so a
table staff can save is a table the engine can compute with.

Audit entries need a workspace: these edits concern every workspace, so they are recorded
in the host workspace (the cooperative that runs the service), action "payroll.rate_*".
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backoffice.selectors.workspaces import host_workspace
from backoffice.services.audit import audit_record, diff_fields, snapshot
from payroll.engine.rates import INPUT_RATE_CODES, load_rate_set
from payroll.models import RateLine, RateTable

LINE_FIELDS = ["label", "employee_rate", "employer_rate", "source"]


def _check_table(data: dict[str, Any]) -> None:
    """ValidationError with the engine's message when the edited table cannot be loaded."""
    try:
        load_rate_set(data)
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError(_("The table would not be usable by the payroll engine: %(reason)s") % {
            "reason": exc}) from None


@transaction.atomic
def rate_line_update(*, actor, line: RateLine, label: str, employee_rate: Decimal, employer_rate: Decimal | None,
                     source: str) -> RateLine:
    """Change a line's label, rates (percent) or legal source. ValidationError by field."""
    label, source = (label or "").strip(), (source or "").strip()
    errors: dict[str, list[str]] = {}
    if not label:
        errors["label"] = [_("A line needs a label: it is printed on the payslip.")]
    if not source:
        errors["source"] = [_("Every rate needs its legal source (article, decree, URSSAF page).")]
    if employee_rate is None or employee_rate < 0:
        errors["employee_rate"] = [_("A rate cannot be negative (0 when there is none).")]
    if employer_rate is not None and employer_rate < 0:
        errors["employer_rate"] = [_("A rate cannot be negative (0 when there is none).")]
    if employer_rate is None and line.code not in INPUT_RATE_CODES:
        errors["employer_rate"] = [_("Only the AT/MP and versement mobilité lines take each workspace's own "
                                     "employer rate; give a rate (0 when there is none).")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(line, LINE_FIELDS)
    line.label, line.employee_rate, line.employer_rate, line.source = label, employee_rate, employer_rate, source
    try:
        line.full_clean(exclude=["table"], validate_unique=False, validate_constraints=False)
        data = line.table.as_dict()
        data["lines"] = [line.as_dict() if raw["code"] == line.code else raw for raw in data["lines"]]
        _check_table(data)
    except ValidationError:
        for name, value in before.items():
            setattr(line, name, value)
        raise
    changes = diff_fields(before, snapshot(line, LINE_FIELDS))
    if changes:
        line.save()
        line.table.save(update_fields=["updated_at"])  # auto_now: the table shows when it last changed
        audit_record(actor=actor, workspace=host_workspace(), action="payroll.rate_line_update", obj=line,
                     changes={"table": str(line.table.effective_from), "line": line.label, **changes})
    return line


@transaction.atomic
def rate_table_update(*, actor, table: RateTable, title: str, params: dict[str, dict[str, Any]]) -> RateTable:
    """Change a table's title and parameters ({"PMSS": {"value": Decimal, "source": str}, …};
    parameters not named keep their value). ValidationError when the table becomes unusable."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("A table needs a title.")]})
    new_params = {name: dict(entry) for name, entry in table.params.items()}
    for name, entry in params.items():
        if name not in new_params:
            raise ValidationError(_("Unknown parameter %(name)s.") % {"name": name})
        value = entry["value"]
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise ValidationError({name: [_("A parameter is a non-negative number.")]})
        new_params[name] = {"value": format(value, "f"), "source": (entry.get("source") or "").strip()}
    data = table.as_dict()
    data.update(title=title, params=new_params)
    _check_table(data)
    changes = {}
    if title != table.title:
        changes["title"] = [table.title, title]
    for name, entry in new_params.items():
        old = table.params.get(name, {})
        if Decimal(old.get("value", "0")) != Decimal(entry["value"]) or old.get("source", "") != entry["source"]:
            changes[name] = [f"{old.get('value')} ({old.get('source', '')})", f"{entry['value']} ({entry['source']})"]
    if changes:
        table.title, table.params = title, new_params
        table.save()
        audit_record(actor=actor, workspace=host_workspace(), action="payroll.rate_table_update", obj=table,
                     changes={"table": str(table.effective_from), **changes})
    return table


@transaction.atomic
def rate_table_copy(*, actor, source: RateTable, effective_from: datetime.date, title: str = "") -> RateTable:
    """A new table in force from `effective_from` (the first day of a month), with the
    parameters and lines of `source`, to be edited before it applies (e.g. next January)."""
    errors: dict[str, list[str]] = {}
    if effective_from.day != 1:
        errors["effective_from"] = [_("A table applies from the first day of a month.")]
    elif RateTable.objects.filter(effective_from=effective_from).exists():
        errors["effective_from"] = [_("A table already applies from %(date)s: edit it instead.") % {
            "date": date_format(effective_from, "SHORT_DATE_FORMAT")}]
    if errors:
        raise ValidationError(errors)
    title = (title or "").strip() or _("Rates from %(date)s") % {
        "date": date_format(effective_from, "SHORT_DATE_FORMAT")}
    table = RateTable.objects.create(effective_from=effective_from, title=title,
                                     params={name: dict(entry) for name, entry in source.params.items()})
    RateLine.objects.bulk_create([
        RateLine(table=table, order=line.order, code=line.code, label=line.label, block=line.block, base=line.base,
                 employee_rate=line.employee_rate, employer_rate=line.employer_rate, condition=line.condition,
                 source=line.source)
        for line in source.lines.order_by("order")])
    audit_record(actor=actor, workspace=host_workspace(), action="payroll.rate_table_copy", obj=table,
                 changes={"copied_from": str(source.effective_from), "effective_from": str(effective_from),
                          "title": title})
    return table
