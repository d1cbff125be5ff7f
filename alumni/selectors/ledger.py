"""The contributions ledger: what each workspace declared, owes, was invoiced and paid.

Two kinds of rows, side by side:
- an alumni company: its revenue declarations make its contributions due (the alumni
  agreement's percentage line, computed when declared);
- a partner CAE: its agreements' price lines make its recorded usage due (payroll,
  training… priced by backoffice/pricing.py, month by month with the agreement in force).

Invoiced and paid come from backoffice/billing_status.py, which invoicing fills (alumni never
imports invoicing): the lines of issued invoices that bill that usage, and the share of their
invoice the payments cover, plus what a past declaration imported from the host's spreadsheet
says was paid before Mutualise (RevenueDeclaration.settled_outside). Balance = due − paid.

Days overdue: since the oldest of
- the due date of an issued invoice still unpaid (invoicing's own due dates);
- DUE_DAYS after the usage (for a declaration: the end of its period) that no invoice bills
  yet — the convention, as nothing else dates it. Without invoicing, every declaration is
  dated so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, Sum
from django.utils.translation import gettext_lazy as _

from alumni.models import AlumniCompany, RevenueDeclaration
from backoffice.billing_status import NOTHING, BillingFigures, billing_figures, billing_provider_registered
from backoffice.models import Service, Workspace, WorkspaceKind
from backoffice.selectors.usage import priced_usage_by_month
from backoffice.tenancy import staff_wide

DUE_DAYS = 30
ZERO = Decimal("0.00")
CONTRIBUTION_SERVICES = [Service.ALUMNI.value]   # what an alumni company's row counts

ALUMNI, PARTNERS = "alumni", "partners"
WHO_CHOICES = [(ALUMNI, _("Alumni companies")), (PARTNERS, _("Partner CAEs"))]


def due_date_of(declaration: RevenueDeclaration) -> datetime.date:
    return declaration.period_end + datetime.timedelta(days=DUE_DAYS)


@dataclass
class LedgerRow:
    workspace: Workspace
    declared: Decimal | None = ZERO   # None for a partner CAE (nothing declared: usage is recorded)
    due: Decimal = ZERO
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO
    first_due_on: datetime.date | None = None   # the oldest date something fell due unpaid (see module doc)
    status: str = ""
    declarations: int = 0

    @property
    def is_partner(self) -> bool:
        return self.workspace.kind == WorkspaceKind.PARTNER

    @property
    def balance(self) -> Decimal:
        return self.due - self.paid

    def days_overdue(self, today: datetime.date) -> int:
        if self.balance <= 0 or self.first_due_on is None or self.first_due_on >= today:
            return 0
        return (today - self.first_due_on).days


def _overdue_since(figures: BillingFigures, convention: datetime.date | None, *, uninvoiced: bool
                   ) -> datetime.date | None:
    """The oldest date something fell due and is unpaid (module doc). `convention` is the
    declarations' own first due date: used without an invoicing provider, and when part of the
    amount due is not invoiced although no usage is waiting to be billed (declarations entered
    without usage, e.g. imported from a spreadsheet)."""
    if not billing_provider_registered():
        return convention
    dates = [figures.oldest_overdue_on]
    if figures.oldest_unbilled_on is not None:
        dates.append(figures.oldest_unbilled_on + datetime.timedelta(days=DUE_DAYS))
    elif uninvoiced:
        dates.append(convention)
    return min((d for d in dates if d is not None), default=None)


def _year_bounds(year: int | None) -> tuple[datetime.date | None, datetime.date | None]:
    return (datetime.date(year, 1, 1), datetime.date(year, 12, 31)) if year else (None, None)


@dataclass
class WorkspaceLedger:
    declarations: list[RevenueDeclaration]
    row: LedgerRow
    by_year: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)  # (year, declared, due)


def workspace_ledger(workspace: Workspace, *, today: datetime.date | None = None) -> WorkspaceLedger:
    """One alumni company's declarations (newest first), totals and what was invoiced and paid
    for them. Inside its scope; the billing figures concern this workspace only."""
    today = today or datetime.date.today()
    declarations = list(RevenueDeclaration.objects.filter(workspace=workspace).order_by("-period_start"))
    figures = billing_figures([workspace.pk], services=CONTRIBUTION_SERVICES, today=today)[workspace.pk]
    convention = min((due_date_of(d) for d in declarations), default=None)
    due = sum((d.contribution for d in declarations), ZERO)
    settled = sum((d.settled_outside for d in declarations), ZERO)
    row = LedgerRow(workspace=workspace, declarations=len(declarations),
                    declared=sum((d.revenue for d in declarations), ZERO), due=due,
                    invoiced=figures.invoiced, paid=figures.paid + settled,
                    first_due_on=_overdue_since(figures, convention, uninvoiced=due - settled > figures.invoiced))
    years: dict[int, list[Decimal]] = {}
    for d in declarations:
        acc = years.setdefault(d.period_start.year, [ZERO, ZERO])
        acc[0] += d.revenue
        acc[1] += d.contribution
    return WorkspaceLedger(declarations=declarations, row=row,
                           by_year=[(y, v[0], v[1]) for y, v in sorted(years.items())])


def _alumni_rows(*, origin: str, status: str, year: int | None, today: datetime.date) -> list[LedgerRow]:
    companies = AlumniCompany.objects.select_related("workspace", "workspace__origin")
    if origin:
        companies = companies.filter(workspace__origin__slug=origin)
    if status:
        companies = companies.filter(status=status)
    companies = list(companies)
    ids = [c.workspace_id for c in companies]
    declarations = RevenueDeclaration.objects.filter(workspace_id__in=ids)
    if year:
        declarations = declarations.filter(period_start__year=year)
    totals = {t["workspace_id"]: t for t in declarations.values("workspace_id").annotate(
        declared=Sum("revenue"), due=Sum("contribution"), settled=Sum("settled_outside"),
        first_end=Min("period_end"))}
    start, end = _year_bounds(year)
    figures = billing_figures(ids, services=CONTRIBUTION_SERVICES, occurred_from=start, occurred_to=end, today=today)
    rows = []
    for company in companies:
        t = totals.get(company.workspace_id, {})
        first_end = t.get("first_end")
        f = figures.get(company.workspace_id, NOTHING)
        due, settled = t.get("due") or ZERO, t.get("settled") or ZERO
        rows.append(LedgerRow(
            workspace=company.workspace, declared=t.get("declared") or ZERO, due=due,
            invoiced=f.invoiced, paid=f.paid + settled, status=company.get_status_display(),
            first_due_on=_overdue_since(f, first_end + datetime.timedelta(days=DUE_DAYS) if first_end else None,
                                        uninvoiced=due - settled > f.invoiced)))
    return rows


def _partner_rows(*, origin: str, year: int | None, today: datetime.date) -> list[LedgerRow]:
    partners = Workspace.objects.filter(kind=WorkspaceKind.PARTNER)
    if origin:
        partners = partners.filter(slug=origin)
    partners = list(partners)
    ids = [w.pk for w in partners]
    due: dict[int, Decimal] = {}
    for (ws, _service, _month), amount in priced_usage_by_month(workspace_ids=ids, year=year).items():
        due[ws] = due.get(ws, ZERO) + amount
    start, end = _year_bounds(year)
    figures = billing_figures(ids, occurred_from=start, occurred_to=end, today=today)
    return [LedgerRow(workspace=w, declared=None, due=due.get(w.pk, ZERO), invoiced=figures[w.pk].invoiced,
                      paid=figures[w.pk].paid, status=str(WorkspaceKind.PARTNER.label),
                      first_due_on=_overdue_since(figures[w.pk], None, uninvoiced=False))
            for w in partners]


def staff_ledger(*, origin: str = "", status: str = "", year: int | None = None, overdue_only: bool = False,
                 who: str = "", today: datetime.date) -> list[LedgerRow]:
    """One row per alumni company and per partner CAE (`who` keeps one kind), by name, with
    filters: `origin` keeps the companies spun off from that CAE and the CAE itself, `status`
    (a company status) keeps companies only. A constant number of queries."""
    with staff_wide("staff read the contributions ledger of every alumni company and partner CAE"):
        rows = []
        if who != PARTNERS:
            rows += _alumni_rows(origin=origin, status=status, year=year, today=today)
        if who != ALUMNI and not status:
            rows += _partner_rows(origin=origin, year=year, today=today)
    rows.sort(key=lambda r: (r.workspace.name.lower(), r.workspace.pk))
    if overdue_only:
        rows = [r for r in rows if r.days_overdue(today)]
    return rows


def monthly_due(*, year: int) -> list[tuple[datetime.date, Decimal, Decimal]]:
    """(month, due, paid) for the 12 months of `year`, every alumni company: due by due date
    (period end + DUE_DAYS), paid by the month payments were received."""
    from backoffice.billing_status import monthly_payments

    with staff_wide("the staff chart sums contributions of every alumni company"):
        rows = list(RevenueDeclaration.objects.filter(period_end__year__in=(year, year - 1))
                    .values_list("period_end", "contribution"))
    months = {datetime.date(year, m, 1): ZERO for m in range(1, 13)}
    for period_end, contribution in rows:
        due = period_end + datetime.timedelta(days=DUE_DAYS)
        key = due.replace(day=1)
        if key in months:
            months[key] += contribution
    paid = monthly_payments(year=year, services=CONTRIBUTION_SERVICES)
    return [(m, months[m], sum((v for (_s, month), v in paid.items() if month == m), ZERO)) for m in sorted(months)]


@dataclass
class ServiceMonths:
    service: str
    label: str
    months: list[tuple[datetime.date, Decimal, Decimal]]   # (month, due, paid)

    @property
    def total_due(self) -> Decimal:
        return sum((d for _m, d, _p in self.months), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((p for _m, _d, p in self.months), ZERO)


def due_and_paid_by_service(*, year: int) -> list[ServiceMonths]:
    """For the staff dashboard: per service, per month of `year`, what fell due and what was
    paid (excl. VAT). Alumni contributions fall due DUE_DAYS after their period (as in the
    ledger); the other services' usage in the month it was recorded, priced by the agreement in
    force (billed at the month's end). Paid: payments received that month, shared among the
    services of their invoice (backoffice/billing_status.py). A constant number of queries."""
    from backoffice.billing_status import monthly_payments

    first = [datetime.date(year, m, 1) for m in range(1, 13)]
    due: dict[tuple[str, datetime.date], Decimal] = {}
    with staff_wide("the staff dashboard sums what every workspace owes, per service"):
        others = [s for s in Service.values if s not in CONTRIBUTION_SERVICES]
        for (_ws, service, month), amount in priced_usage_by_month(year=year, services=others).items():
            due[(service, month)] = due.get((service, month), ZERO) + amount
    for month, contribution, _paid in monthly_due(year=year):
        if contribution:
            due[(Service.ALUMNI.value, month)] = contribution
    paid = monthly_payments(year=year)
    out = []
    for service, label in Service.choices:
        months = [(m, due.get((service, m), ZERO), paid.get((service, m), ZERO)) for m in first]
        if any(d or p for _m, d, p in months):
            out.append(ServiceMonths(service=service, label=str(label), months=months))
    return out
