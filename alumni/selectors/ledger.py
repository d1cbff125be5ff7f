"""The contributions ledger: what each workspace declared, owes and (once invoicing exposes it
through backoffice) was invoiced and paid.

Payment terms: a contribution falls due DUE_DAYS after the end of its period (the convention
until invoicing exposes its invoices' due dates through backoffice). Invoiced and paid amounts
are not exposed by backoffice yet, so they are None here and the pages say so; the balance is
then the amount due.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, Sum

from alumni.models import AlumniCompany, RevenueDeclaration
from backoffice.models import Workspace
from backoffice.tenancy import staff_wide

DUE_DAYS = 30
ZERO = Decimal("0.00")


def due_date_of(declaration: RevenueDeclaration) -> datetime.date:
    return declaration.period_end + datetime.timedelta(days=DUE_DAYS)


@dataclass
class LedgerRow:
    workspace: Workspace
    declared: Decimal = ZERO
    due: Decimal = ZERO
    invoiced: Decimal | None = None   # not exposed by backoffice yet
    paid: Decimal | None = None       # not exposed by backoffice yet
    first_due_on: datetime.date | None = None
    status: str = ""
    declarations: int = 0

    @property
    def balance(self) -> Decimal:
        return self.due - (self.paid or ZERO)

    def days_overdue(self, today: datetime.date) -> int:
        if self.balance <= 0 or self.first_due_on is None or self.first_due_on >= today:
            return 0
        return (today - self.first_due_on).days


@dataclass
class WorkspaceLedger:
    declarations: list[RevenueDeclaration]
    row: LedgerRow
    by_year: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)  # (year, declared, due)


def workspace_ledger(workspace: Workspace) -> WorkspaceLedger:
    """One workspace's declarations (newest first) and totals; two queries. Inside its scope."""
    declarations = list(RevenueDeclaration.objects.filter(workspace=workspace).order_by("-period_start"))
    row = LedgerRow(workspace=workspace, declarations=len(declarations),
                    declared=sum((d.revenue for d in declarations), ZERO),
                    due=sum((d.contribution for d in declarations), ZERO),
                    first_due_on=min((due_date_of(d) for d in declarations), default=None))
    years: dict[int, list[Decimal]] = {}
    for d in declarations:
        acc = years.setdefault(d.period_start.year, [ZERO, ZERO])
        acc[0] += d.revenue
        acc[1] += d.contribution
    return WorkspaceLedger(declarations=declarations, row=row,
                           by_year=[(y, v[0], v[1]) for y, v in sorted(years.items())])


def staff_ledger(*, origin: str = "", status: str = "", year: int | None = None, overdue_only: bool = False,
                 today: datetime.date) -> list[LedgerRow]:
    """One row per alumni company, with filters; three queries whatever the number of companies."""
    with staff_wide("staff read the contributions ledger of every alumni company"):
        companies = AlumniCompany.objects.select_related("workspace", "workspace__origin").order_by("workspace__name")
        if origin:
            companies = companies.filter(workspace__origin__slug=origin)
        if status:
            companies = companies.filter(status=status)
        companies = list(companies)
        declarations = RevenueDeclaration.objects.filter(workspace_id__in=[c.workspace_id for c in companies])
        if year:
            declarations = declarations.filter(period_start__year=year)
        totals = {t["workspace_id"]: t for t in declarations.values("workspace_id").annotate(
            declared=Sum("revenue"), due=Sum("contribution"), first_end=Min("period_end"))}
    rows = []
    for company in companies:
        t = totals.get(company.workspace_id, {})
        first_end = t.get("first_end")
        row = LedgerRow(workspace=company.workspace, declared=t.get("declared") or ZERO, due=t.get("due") or ZERO,
                        first_due_on=first_end + datetime.timedelta(days=DUE_DAYS) if first_end else None,
                        status=company.get_status_display())
        if overdue_only and not row.days_overdue(today):
            continue
        rows.append(row)
    return rows


def monthly_due(*, year: int) -> list[tuple[datetime.date, Decimal, Decimal]]:
    """(month, due, paid) for the 12 months of `year`, by due date, every alumni company. Paid
    stays 0 until backoffice exposes payments."""
    with staff_wide("the staff chart sums contributions of every alumni company"):
        rows = list(RevenueDeclaration.objects.filter(period_end__year__in=(year, year - 1))
                    .values_list("period_end", "contribution"))
    months = {datetime.date(year, m, 1): ZERO for m in range(1, 13)}
    for period_end, contribution in rows:
        due = period_end + datetime.timedelta(days=DUE_DAYS)
        key = due.replace(day=1)
        if key in months:
            months[key] += contribution
    return [(m, months[m], ZERO) for m in sorted(months)]
