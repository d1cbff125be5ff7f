"""Service agreements and their price lines (host staff; the views check Perm.AGREEMENT_MANAGE).

Rules: an agreement ends on or after its start; two agreements of one workspace for the same
service never overlap in time (so "the agreement in force on day D" is always one agreement);
a price line says clearly what it prices (see `_check_price_line`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backoffice.models import PriceLine, Service, ServiceAgreement, Workspace
from backoffice.models.agreements import PriceKind, usage_kind_label
from backoffice.pricing import brackets_check, brackets_to_json
from backoffice.services.audit import audit_record, diff_fields, snapshot

AGREEMENT_FIELDS = ["service", "start_date", "end_date", "reference", "notes"]
PRICE_LINE_FIELDS = ["kind", "usage_kind", "label", "unit_price", "rate", "vat_rate", "minimum", "cap", "brackets"]
HUNDRED = Decimal("100")


def _restore(obj, values: dict) -> None:
    """Put back the values of an object whose update was refused: the caller's object stays as stored."""
    for name, value in values.items():
        setattr(obj, name, value)


def _short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def overlapping_agreement(*, workspace: Workspace, service: str, start_date: datetime.date,
                          end_date: datetime.date | None, exclude_pk: int | None = None) -> ServiceAgreement | None:
    """The first other agreement of `workspace` for `service` sharing at least one day with
    [start_date, end_date] (open-ended when end_date is None), or None."""
    qs = ServiceAgreement.objects.filter(workspace=workspace, service=service).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    if end_date is not None:
        qs = qs.filter(start_date__lte=end_date)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("start_date").first()


def _check_agreement(agreement: ServiceAgreement) -> None:
    errors: dict = {}
    if agreement.service not in Service.values:
        errors["service"] = [_("Choose a service.")]
    if agreement.end_date and agreement.start_date and agreement.end_date < agreement.start_date:
        errors["end_date"] = [_("The agreement cannot end before it starts.")]
    if not errors:
        other = overlapping_agreement(workspace=agreement.workspace, service=agreement.service,
                                      start_date=agreement.start_date, end_date=agreement.end_date,
                                      exclude_pk=agreement.pk)
        if other is not None:
            params = {"service": other.get_service_display(), "start": _short(other.start_date)}
            if other.end_date:
                params["end"] = _short(other.end_date)
                message = _("These dates overlap the %(service)s agreement running from %(start)s to %(end)s. "
                            "Two agreements for the same service cannot overlap: change the dates or end "
                            "the other agreement first.") % params
            else:
                message = _("These dates overlap the %(service)s agreement running since %(start)s with no end "
                            "date. Two agreements for the same service cannot overlap: give that agreement "
                            "an end date first.") % params
            errors[NON_FIELD_ERRORS] = [ValidationError(message, code="overlap")]
    if errors:
        raise ValidationError(errors)


def _lock_workspace(workspace: Workspace) -> None:
    # Serialise agreement writes of one workspace (PostgreSQL row lock; a no-op on SQLite) so
    # two concurrent saves cannot both pass the overlap check.
    Workspace.objects.select_for_update().filter(pk=workspace.pk).first()


@transaction.atomic
def agreement_create(*, actor, workspace: Workspace, service: str, start_date: datetime.date,
                     end_date: datetime.date | None = None, reference: str = "", notes: str = "") -> ServiceAgreement:
    _lock_workspace(workspace)
    agreement = ServiceAgreement(workspace=workspace, service=service, start_date=start_date, end_date=end_date,
                                 reference=reference.strip(), notes=notes.strip())
    _check_agreement(agreement)
    agreement.save()
    audit_record(actor=actor, workspace=workspace, action="agreement.create", obj=agreement,
                 changes=diff_fields({}, snapshot(agreement, AGREEMENT_FIELDS)))
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: ServiceAgreement, **fields) -> ServiceAgreement:
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"agreement_update() cannot change {sorted(unknown)}")
    _lock_workspace(agreement.workspace)
    before = snapshot(agreement, AGREEMENT_FIELDS)
    for name, value in fields.items():
        setattr(agreement, name, value.strip() if isinstance(value, str) and name in ("reference", "notes") else value)
    try:
        _check_agreement(agreement)
    except ValidationError:
        _restore(agreement, before)
        raise
    changes = diff_fields(before, snapshot(agreement, AGREEMENT_FIELDS))
    if changes:
        agreement.save()
        audit_record(actor=actor, workspace=agreement.workspace, action="agreement.update", obj=agreement,
                     changes=changes)
    return agreement


def _check_price_line(line: PriceLine) -> None:
    """- a per-unit line names the usage kind it prices and has no rate;
    - a percentage line names the usage kind whose declared amount it takes a rate of
      (e.g. declared_revenue) and has a rate in ]0, 100]; its unit price is 0;
    - a bracket line names the usage kind whose declared amount it prices and has a valid
      progressive scale (`backoffice.pricing.brackets_check`); no rate, no unit price;
    - only percentage and bracket lines have a minimum or a cap, and the minimum is not above the cap;
    - a monthly flat fee prices no usage kind and has no rate;
    - within an agreement, one line per usage kind (so pricing a usage is never ambiguous);
    - VAT rate in [0, 100], amounts not negative."""
    errors: dict = {}

    def add(field, message):
        errors.setdefault(field, []).append(ValidationError(message))

    if line.kind not in PriceKind.values:
        add("kind", _("Choose how this line prices."))
    if line.kind in (PriceKind.PER_UNIT, PriceKind.PERCENTAGE, PriceKind.BRACKETS) and not line.usage_kind:
        add("usage_kind", _("Say which usage this line prices, e.g. payslips or declared revenue."))
    if line.kind == PriceKind.MONTHLY_FLAT and line.usage_kind:
        add("usage_kind", _("A monthly flat fee does not price a usage: leave this empty."))
    if line.kind == PriceKind.PERCENTAGE:
        if line.rate is None or not (Decimal("0") < line.rate <= HUNDRED):
            add("rate", _("Give a rate above 0 and at most 100 %."))
    elif line.rate is not None:
        add("rate", _("Only a percentage line has a rate."))
    if line.kind == PriceKind.BRACKETS:
        try:
            line.brackets = brackets_to_json(brackets_check(line.brackets))
        except ValidationError as exc:
            add("brackets", exc.messages[0])
    elif line.brackets:
        add("brackets", _("Only a bracket line has brackets."))
    if line.kind in (PriceKind.PERCENTAGE, PriceKind.BRACKETS):
        for name in ("minimum", "cap"):
            if getattr(line, name) is not None and getattr(line, name) < 0:
                add(name, _("The amount cannot be negative."))
        if line.minimum is not None and line.cap is not None and line.minimum > line.cap:
            add("cap", _("The cap cannot be below the minimum."))
    else:
        if line.minimum is not None:
            add("minimum", _("Only a percentage or bracket line has a minimum."))
        if line.cap is not None:
            add("cap", _("Only a percentage or bracket line has a cap."))
    if line.unit_price is None or line.unit_price < 0:
        add("unit_price", _("The price cannot be negative."))
    if line.vat_rate is None or not (Decimal("0") <= line.vat_rate <= HUNDRED):
        add("vat_rate", _("Give a VAT rate between 0 and 100 %."))
    if line.usage_kind and "usage_kind" not in errors:
        clash = (PriceLine.objects.filter(agreement=line.agreement, usage_kind=line.usage_kind)
                 .exclude(pk=line.pk).first())
        if clash is not None:
            add("usage_kind", _("The line “%(label)s” already prices %(kind)s in this agreement.")
                % {"label": clash.label, "kind": usage_kind_label(line.usage_kind)})
    if line.kind == PriceKind.MONTHLY_FLAT and "kind" not in errors:
        if PriceLine.objects.filter(agreement=line.agreement, kind=line.kind, usage_kind="").exclude(pk=line.pk).exists():
            add("kind", _("This agreement already has a monthly flat fee: edit that line instead."))
    if errors:
        raise ValidationError(errors)


def _apply_price_line(line: PriceLine, fields: dict) -> None:
    for name, value in fields.items():
        if name in ("label", "usage_kind"):
            value = (value or "").strip()
        setattr(line, name, value)
    if line.kind in (PriceKind.PERCENTAGE, PriceKind.BRACKETS) and line.unit_price is None:
        line.unit_price = Decimal("0.00")
    if line.brackets is None:
        line.brackets = []


@transaction.atomic
def price_line_create(*, actor, agreement: ServiceAgreement, kind: str, label: str, usage_kind: str = "",
                      unit_price: Decimal = Decimal("0.00"), rate: Decimal | None = None,
                      vat_rate: Decimal = Decimal("20.00"), minimum: Decimal | None = None,
                      cap: Decimal | None = None, brackets: list | None = None) -> PriceLine:
    line = PriceLine(workspace=agreement.workspace, agreement=agreement)
    _apply_price_line(line, {"kind": kind, "usage_kind": usage_kind, "label": label, "unit_price": unit_price,
                             "rate": rate, "vat_rate": vat_rate, "minimum": minimum, "cap": cap,
                             "brackets": brackets or []})
    _check_price_line(line)
    line.save()
    audit_record(actor=actor, workspace=agreement.workspace, action="price_line.create", obj=line,
                 changes={"agreement": str(agreement), **diff_fields({}, snapshot(line, PRICE_LINE_FIELDS))})
    return line


@transaction.atomic
def price_line_update(*, actor, line: PriceLine, **fields) -> PriceLine:
    unknown = set(fields) - set(PRICE_LINE_FIELDS)
    if unknown:
        raise TypeError(f"price_line_update() cannot change {sorted(unknown)}")
    before = snapshot(line, PRICE_LINE_FIELDS)
    _apply_price_line(line, fields)
    try:
        _check_price_line(line)
    except ValidationError:
        _restore(line, before)
        raise
    changes = diff_fields(before, snapshot(line, PRICE_LINE_FIELDS))
    if changes:
        line.save()
        audit_record(actor=actor, workspace=line.workspace, action="price_line.update", obj=line, changes=changes)
    return line


@transaction.atomic
def price_line_delete(*, actor, line: PriceLine) -> None:
    audit_record(actor=actor, workspace=line.workspace, action="price_line.delete", obj=line,
                 changes={"agreement": str(line.agreement), **diff_fields({}, snapshot(line, PRICE_LINE_FIELDS))})
    line.delete()
