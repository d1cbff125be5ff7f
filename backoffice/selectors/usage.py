"""Reading billable usage: a workspace's month grouped by service and kind, priced for information.

Pricing itself lives in `backoffice/pricing.py` (the one place), called directly here.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from backoffice.models import PriceLine, Service, ServiceAgreement, Usage, Workspace
from backoffice.models.agreements import PriceKind, usage_kind_label
from backoffice.pricing import NON_LINEAR, price_line_amount, price_usages


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_month(value: str | None, *, default: datetime.date) -> datetime.date:
    """"YYYY-MM" → the first day of that month; `default`'s month when missing or malformed."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return default.replace(day=1)


def shift_month(month: datetime.date, delta: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + delta
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class UsageLine:
    kind: str
    quantity: Decimal
    acts: int
    price_line: PriceLine | None
    amount: Decimal | None  # None: no price line of the agreement in force prices this kind

    @property
    def label(self) -> str:
        return usage_kind_label(self.kind)


@dataclass
class ServiceUsage:
    service: str
    label: str
    agreement: ServiceAgreement | None
    lines: list[UsageLine] = field(default_factory=list)
    flat_fees: list[tuple[PriceLine, Decimal]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return (sum((u.amount for u in self.lines if u.amount is not None), Decimal("0.00"))
                + sum((amount for _line, amount in self.flat_fees), Decimal("0.00")))


@dataclass
class UsageMonth:
    month: datetime.date
    services: list[ServiceUsage]

    @property
    def total(self) -> Decimal:
        return sum((s.total for s in self.services), Decimal("0.00"))


def agreement_for_month(agreements: list[ServiceAgreement], month: datetime.date) -> ServiceAgreement | None:
    """Among one service's agreements, the one that prices `month`: the one in force on the
    month's last day, else the last one that started within the month (agreements of one
    service never overlap, so there is at most one of each)."""
    first, last = month_bounds(month)
    overlapping = [a for a in agreements
                   if a.start_date <= last and (a.end_date is None or a.end_date >= first)]
    for agreement in overlapping:
        if agreement.is_active_on(last):
            return agreement
    return max(overlapping, key=lambda a: a.start_date, default=None)


def usage_month(*, workspace: Workspace, month: datetime.date) -> UsageMonth:
    """The month's usage of `workspace` grouped by service then kind, with quantity totals and
    (for information) the amount priced by the agreement in force. Three queries whatever the
    volume. Runs inside the workspace's scope."""
    first, last = month_bounds(month)
    totals = list(
        Usage.objects.filter(workspace=workspace, occurred_on__range=(first, last))
        .values("service", "kind").annotate(quantity=Sum("quantity"), acts=Count("pk")).order_by("service", "kind")
    )
    agreements = list(
        ServiceAgreement.objects.filter(workspace=workspace, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first)).prefetch_related("price_lines")
    )
    by_service: dict[str, list[ServiceAgreement]] = {}
    for agreement in agreements:
        by_service.setdefault(agreement.service, []).append(agreement)

    # Non-linear lines (percentage, brackets) price each usage row on its own (pricing.py).
    non_linear_kinds = {line.usage_kind for a in agreements for line in a.price_lines.all() if line.kind in NON_LINEAR}
    quantities: dict[tuple[str, str], list[Decimal]] = {}
    if non_linear_kinds:
        for service, kind, quantity in (Usage.objects.filter(workspace=workspace, occurred_on__range=(first, last),
                                                             kind__in=non_linear_kinds)
                                        .values_list("service", "kind", "quantity")):
            quantities.setdefault((service, kind), []).append(quantity)

    services = []
    for service, label in Service.choices:
        rows = [t for t in totals if t["service"] == service]
        agreement = agreement_for_month(by_service.get(service, []), first)
        if not rows and agreement is None:
            continue
        lines_by_kind = {line.usage_kind: line for line in (agreement.price_lines.all() if agreement else [])}
        group = ServiceUsage(service=service, label=str(label), agreement=agreement)
        for row in rows:
            line = lines_by_kind.get(row["kind"])
            if line is not None and line.kind == PriceKind.MONTHLY_FLAT:
                line = None
            group.lines.append(UsageLine(kind=row["kind"], quantity=row["quantity"], acts=row["acts"],
                                         price_line=line,
                                         amount=(None if line is None else
                                                 price_usages(line, quantities[(service, row["kind"])])
                                                 if line.kind in NON_LINEAR else
                                                 price_line_amount(line, quantity=row["quantity"]))))
        if agreement is not None:
            group.flat_fees = [(line, price_line_amount(line, quantity=Decimal("1"))) for line in agreement.price_lines.all()
                               if line.kind == PriceKind.MONTHLY_FLAT]
        services.append(group)
    return UsageMonth(month=first, services=services)


# --- agreements and their prices (the agreement page; invoicing reads the same) ---------------

@dataclass
class ServiceAgreements:
    service: str
    label: str
    agreements: list[ServiceAgreement]
    current: ServiceAgreement | None  # in force today


def agreements_by_service(*, workspace: Workspace, today: datetime.date) -> list[ServiceAgreements]:
    """The workspace's agreements grouped by service (in the Service order), newest first,
    each with its price lines. Two queries."""
    agreements = list(ServiceAgreement.objects.filter(workspace=workspace)
                      .prefetch_related("price_lines").order_by("service", "-start_date"))
    groups = []
    for service, label in Service.choices:
        mine = [a for a in agreements if a.service == service]
        if mine:
            groups.append(ServiceAgreements(service=service, label=str(label), agreements=mine,
                                            current=next((a for a in mine if a.is_active_on(today)), None)))
    return groups


# --- usage priced across workspaces (ledgers and charts: what the agreements make due) ------

def priced_usage_by_month(*, workspace_ids: list[int] | None = None, year: int | None = None,
                          services: list[str] | None = None
                          ) -> dict[tuple[int, str, datetime.date], Decimal]:
    """{(workspace id, service, first day of month): amount} that the agreement in force each
    month makes due for the usage recorded (backoffice/pricing.py; usage no price line prices
    counts 0; monthly flat fees are not usage and are left out). Three queries whatever the
    volume. Crosses workspaces: callers run it staff-wide or pass only readable ids."""
    from django.db.models.functions import TruncMonth

    usage = Usage.objects.all()
    if workspace_ids is not None:
        usage = usage.filter(workspace_id__in=workspace_ids)
    if year is not None:
        usage = usage.filter(occurred_on__year=year)
    if services is not None:
        usage = usage.filter(service__in=services)
    usage = usage.annotate(month=TruncMonth("occurred_on")).order_by()
    totals = list(usage.values("workspace_id", "service", "kind", "month").annotate(quantity=Sum("quantity")))
    agreements = ServiceAgreement.objects.filter(workspace_id__in={t["workspace_id"] for t in totals})
    by_service: dict[tuple[int, str], list[ServiceAgreement]] = {}
    for agreement in agreements.prefetch_related("price_lines"):
        by_service.setdefault((agreement.workspace_id, agreement.service), []).append(agreement)
    non_linear = {line.usage_kind for found in by_service.values() for a in found for line in a.price_lines.all()
                  if line.kind in NON_LINEAR}
    quantities: dict[tuple, list[Decimal]] = {}
    if non_linear:
        for row in usage.filter(kind__in=non_linear).values("workspace_id", "service", "kind", "month", "quantity"):
            key = (row["workspace_id"], row["service"], row["kind"], _first_day(row["month"]))
            quantities.setdefault(key, []).append(row["quantity"])
    out: dict[tuple[int, str, datetime.date], Decimal] = {}
    for t in totals:
        month = _first_day(t["month"])
        agreement = agreement_for_month(by_service.get((t["workspace_id"], t["service"]), []), month)
        line = next((pl for pl in (agreement.price_lines.all() if agreement else [])
                     if pl.usage_kind == t["kind"] and pl.kind != PriceKind.MONTHLY_FLAT), None)
        if line is None:
            continue
        amount = (price_usages(line, quantities.get((t["workspace_id"], t["service"], t["kind"], month), []))
                  if line.kind in NON_LINEAR else price_line_amount(line, quantity=t["quantity"]))
        key = (t["workspace_id"], t["service"], month)
        out[key] = out.get(key, Decimal("0.00")) + amount
    return out


def _first_day(value) -> datetime.date:
    """TruncMonth gives a date on a DateField (a datetime on some backends): the month's first day."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)
