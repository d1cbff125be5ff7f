"""The monthly billing run: the month's billable usage → one draft invoice per workspace,
priced by the price lines of the agreements in force.

- A usage is billed once, whatever reruns happen: each billed usage is linked to its invoice
  line (InvoiceLineUsage, unique per usage), and a monthly flat fee is unique per price line
  and month (InvoiceLine.flat_period). A rerun bills only what is new, into the month's draft
  (or a new draft when the month's invoice is already issued).
- Usage that no price line prices stays unbilled and is reported, for staff to price it.
- Each workspace is billed in its own transaction: one refusal does not stop the others.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from backoffice.models import PriceLine, ServiceAgreement, Usage, Workspace, WorkspaceKind
from backoffice.models.agreements import PriceKind, usage_kind_label
from backoffice.pdf import fr_number
from backoffice.pricing import NON_LINEAR, price_line_amount, price_usages
from backoffice.selectors.usage import month_bounds
from backoffice.services.audit import audit_record
from backoffice.tenancy import staff_wide
from invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceLineUsage, InvoiceState
from invoicing.services.invoices import invoice_refresh_totals
from invoicing.totals import line_net


@dataclass
class PlannedLine:
    price_line: PriceLine
    description: str
    quantity: Decimal
    unit_price: Decimal
    usages: list[Usage] = field(default_factory=list)
    flat_period: datetime.date | None = None

    @property
    def amount(self) -> Decimal:
        return line_net(self.quantity, self.unit_price)


@dataclass
class WorkspaceBill:
    workspace: Workspace
    lines: list[PlannedLine] = field(default_factory=list)
    unpriced: dict[str, Decimal] = field(default_factory=dict)  # usage kind → quantity
    invoice: Invoice | None = None
    error: str = ""

    @property
    def total_net(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def unpriced_labels(self) -> list[tuple[str, Decimal]]:
        return [(usage_kind_label(kind), quantity) for kind, quantity in self.unpriced.items()]


@dataclass
class RunReport:
    period: datetime.date
    dry_run: bool
    bills: list[WorkspaceBill] = field(default_factory=list)

    @property
    def drafts(self) -> list[WorkspaceBill]:
        return [b for b in self.bills if b.lines and not b.error]

    @property
    def total_net(self) -> Decimal:
        return sum((b.total_net for b in self.drafts), Decimal("0.00"))


def _line_values(price_line: PriceLine, quantities: list[Decimal]) -> tuple[Decimal, Decimal]:
    """(invoice quantity, unit price) whose product is what the price line charges for these
    usages (backoffice/pricing.py; a percentage or bracket line prices each declaration alone)."""
    if price_line.kind in NON_LINEAR:
        return Decimal("1"), price_usages(price_line, quantities)
    quantity = sum(quantities, Decimal("0"))
    amount = price_line_amount(price_line, quantity=quantity)
    if line_net(quantity, price_line.unit_price) == amount:
        return quantity, price_line.unit_price
    return Decimal("1"), amount


def _describe(price_line: PriceLine, period: datetime.date, quantity: Decimal) -> str:
    month = f"{period:%m/%Y}"
    if price_line.kind == PriceKind.PERCENTAGE:
        return _("%(label)s — %(month)s (%(rate)s %% of %(base)s €)") % {
            "label": price_line.label, "month": month, "rate": fr_number(price_line.rate or 0, 3).rstrip("0").rstrip(","),
            "base": fr_number(quantity)}
    if price_line.kind in NON_LINEAR:
        return _("%(label)s — %(month)s (on %(base)s €)") % {
            "label": price_line.label, "month": month, "base": fr_number(quantity)}
    return _("%(label)s — %(month)s") % {"label": price_line.label, "month": month}


def _plan(workspace: Workspace, first: datetime.date, agreements: list[ServiceAgreement], usages: list[Usage],
          billed_flat: set[int]) -> WorkspaceBill:
    """The bill of `workspace` from what was read for it (pure: no query)."""
    bill = WorkspaceBill(workspace=workspace)
    by_kind: dict[tuple[str, str], list[Usage]] = defaultdict(list)
    for usage in usages:
        by_kind[(usage.service, usage.kind)].append(usage)
    priced: set[tuple[str, str]] = set()
    for agreement in agreements:
        for price_line in agreement.price_lines.all():
            if price_line.kind == PriceKind.MONTHLY_FLAT and not price_line.usage_kind:
                if price_line.pk in billed_flat:
                    continue
                quantity, unit_price = _line_values(price_line, [Decimal("1")])
                bill.lines.append(PlannedLine(price_line, _describe(price_line, first, quantity), quantity,
                                              unit_price, flat_period=first))
                continue
            key = (agreement.service, price_line.usage_kind)
            found = by_kind.get(key)
            if not found or key in priced:
                continue
            priced.add(key)
            total = sum((u.quantity for u in found), Decimal("0"))
            quantity, unit_price = _line_values(price_line, [u.quantity for u in found])
            bill.lines.append(PlannedLine(price_line, _describe(price_line, first, total), quantity, unit_price,
                                          usages=found,
                                          flat_period=first if price_line.kind == PriceKind.MONTHLY_FLAT else None))
    for key, found in by_kind.items():
        if key not in priced:
            bill.unpriced[key[1]] = sum((u.quantity for u in found), Decimal("0"))
    return bill


def plan_workspaces(workspaces: list[Workspace], period: datetime.date) -> list[WorkspaceBill]:
    """What the month's run would bill each of `workspaces` (reads only; four queries for all
    of them, so a rerun with nothing new costs almost nothing)."""
    first, last = month_bounds(period)
    ids = [w.pk for w in workspaces]
    agreements: dict[int, list[ServiceAgreement]] = defaultdict(list)
    for agreement in (ServiceAgreement.objects.filter(workspace_id__in=ids, start_date__lte=last)
                      .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
                      .prefetch_related("price_lines").order_by("workspace_id", "pk")):
        agreements[agreement.workspace_id].append(agreement)
    usages: dict[int, list[Usage]] = defaultdict(list)
    billed = InvoiceLineUsage.objects.filter(usage_id=OuterRef("pk"))
    for usage in (Usage.objects.filter(workspace_id__in=ids, occurred_on__range=(first, last))
                  .exclude(Exists(billed)).order_by("occurred_on", "pk")):
        usages[usage.workspace_id].append(usage)
    billed_flat: dict[int, set[int]] = defaultdict(set)
    for workspace_id, price_line_id in (InvoiceLine.objects.filter(workspace_id__in=ids, flat_period=first)
                                        .values_list("workspace_id", "price_line_id")):
        billed_flat[workspace_id].add(price_line_id)
    return [_plan(w, first, agreements[w.pk], usages[w.pk], billed_flat[w.pk]) for w in workspaces]


def plan_workspace(workspace: Workspace, period: datetime.date) -> WorkspaceBill:
    """What the month's run would bill `workspace` (reads only)."""
    return plan_workspaces([workspace], period)[0]


def _month_draft(workspace: Workspace, period: datetime.date) -> Invoice:
    draft = (Invoice.objects.select_for_update()
             .filter(workspace=workspace, period=period, kind=InvoiceKind.INVOICE, state=InvoiceState.DRAFT)
             .order_by("pk").first())
    return draft or Invoice.objects.create(workspace=workspace, period=period, kind=InvoiceKind.INVOICE)


def _write(bill: WorkspaceBill, period: datetime.date, actor) -> None:
    with transaction.atomic():
        invoice = _month_draft(bill.workspace, period)
        position = (invoice.lines.order_by("-position").values_list("position", flat=True).first() or 0)
        lines = InvoiceLine.objects.bulk_create([InvoiceLine(
            workspace=bill.workspace, invoice=invoice, position=position + offset,
            description=planned.description[:300], quantity=planned.quantity, unit_price=planned.unit_price,
            vat_rate=planned.price_line.vat_rate, net_amount=planned.amount,
            service=planned.price_line.agreement.service, price_line=planned.price_line,
            flat_period=planned.flat_period, service_date=month_bounds(period)[1])
            for offset, planned in enumerate(bill.lines, start=1)])
        links = [InvoiceLineUsage(workspace=bill.workspace, line=line, usage=usage)
                 for line, planned in zip(lines, bill.lines, strict=True) for usage in planned.usages]
        InvoiceLineUsage.objects.bulk_create(links)
        invoice_refresh_totals(invoice)
        audit_record(actor=actor, workspace=bill.workspace, action="invoice.billing_run", obj=invoice,
                     changes={"period": period, "lines": len(bill.lines), "usages": len(links)})
        bill.invoice = invoice


def billing_run(*, actor, period: datetime.date, dry_run: bool = False,
                workspaces: list[Workspace] | None = None) -> RunReport:
    """Bill `period` (first day of a month) for every active partner and alumni workspace (or
    `workspaces`). With `dry_run`, plan and report without writing anything."""
    period = period.replace(day=1)
    report = RunReport(period=period, dry_run=dry_run)
    with staff_wide("the monthly billing run bills every customer workspace"):
        customers = workspaces if workspaces is not None else list(
            Workspace.objects.filter(is_active=True, kind__in=[WorkspaceKind.PARTNER, WorkspaceKind.ALUMNI])
            .order_by("name"))
        for chunk in range(0, len(customers), 500):
            for bill in plan_workspaces(customers[chunk:chunk + 500], period):
                report.bills.append(bill)
                if dry_run or not bill.lines:
                    continue
                try:
                    _write(bill, period, actor)
                except IntegrityError:
                    # Another run billed the same usage at the same moment: nothing of this one was written.
                    bill.error = _("Already being billed by another run; run it again to bill what remains.")
    return report
