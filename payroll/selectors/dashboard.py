"""The payroll officer's overview: every CAE's recent payroll months and what is late.

Crosses workspaces on purpose (the host's payroll team follows every partner); two queries
whatever the number of workspaces and months."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.interface import tone_of
from backoffice.models import ServiceAgreement, Workspace
from backoffice.models.agreements import Service
from backoffice.tenancy import staff_wide
from payroll.models import Declaration, PayrollPeriod, PeriodStage

# What a month shows on the overview: its stage, with "declared" once a declaration exists.
# Colours: the stage's registered tone (payroll/ui.py), "declared" as done.
MONTH_STATES = {
    "awaiting": _("Awaited"),
    PeriodStage.RECEIVED: _("Uploaded"),
    PeriodStage.CHECKED: _("Checked"),
    PeriodStage.COMPUTED: _("Computed"),
    PeriodStage.APPROVED: _("Approved"),
    "declared": _("Declared"),
    PeriodStage.DELIVERED: _("Delivered"),
}
# The DSN of month M is due on the 15th of M+1 for employers under 50 employees, the 5th above
# (code de la sécurité sociale, art. R. 133-14); the overview flags the later date.
DSN_DUE_DAY = 15


def _add_months(day: datetime.date, n: int) -> datetime.date:
    month = day.month - 1 + n
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def month_end(period: datetime.date) -> datetime.date:
    return _add_months(period, 1) - datetime.timedelta(days=1)


@dataclass
class MonthCell:
    period: datetime.date
    state: str
    label: str
    tone: str
    late: str = ""          # why it is late, or ""
    period_pk: int | None = None


@dataclass
class WorkspaceMonths:
    workspace: Workspace
    months: list[MonthCell] = field(default_factory=list)

    @property
    def late(self) -> bool:
        return any(cell.late for cell in self.months)


def month_state(stage: str | None, declared: bool) -> str:
    if stage is None or stage == PeriodStage.AWAITING:
        return "awaiting"
    if declared and stage == PeriodStage.APPROVED:
        return "declared"
    return stage


def lateness(period: datetime.date, state: str, declared: bool, today: datetime.date) -> str:
    """Why a month is late on `today`, or "": payslips are due by the end of the month they
    pay (the month's dossier has that due date); the DSN by the 15th of the next month."""
    if today > month_end(period) and state in ("awaiting", PeriodStage.RECEIVED, PeriodStage.CHECKED,
                                                PeriodStage.COMPUTED):
        return str(_("payslips due by the end of the month"))
    if not declared and state != PeriodStage.DELIVERED and today > _add_months(period, 1).replace(day=DSN_DUE_DAY):
        return str(_("declaration due by the 15th of the next month"))
    return ""


def payroll_overview(*, today: datetime.date, months: int = 3) -> tuple[list[datetime.date], list[WorkspaceMonths]]:
    """The last `months` months (oldest first, the current one last) of every active
    workspace with a payroll agreement running then, late ones first."""
    current = today.replace(day=1)
    periods = [_add_months(current, -i) for i in range(months - 1, -1, -1)]
    first = periods[0]
    with staff_wide("the payroll officer's dashboard follows every CAE's payroll months"):
        payroll_agreement = ServiceAgreement.objects.filter(
            workspace=OuterRef("pk"), service=Service.PAYROLL, start_date__lte=month_end(current),
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        workspaces = list(Workspace.objects.filter(is_active=True).filter(Exists(payroll_agreement))
                          .order_by("name"))
        rows = (PayrollPeriod.objects.filter(workspace__in=[w.pk for w in workspaces], period__gte=first,
                                             period__lte=current)
                .annotate(declared=Exists(Declaration.objects.filter(period=OuterRef("pk"))))
                .values_list("workspace_id", "period", "stage", "declared", "pk"))
        found = {(ws_id, period): (stage, declared, pk) for ws_id, period, stage, declared, pk in rows}
    out = []
    for ws in workspaces:
        line = WorkspaceMonths(ws)
        for period in periods:
            stage, declared, pk = found.get((ws.pk, period), (None, False, None))
            state = month_state(stage, declared)
            tone = "success" if state == "declared" else tone_of("payroll.PayrollPeriod.stage", state)
            line.months.append(MonthCell(period, state, str(MONTH_STATES[state]), tone,
                                         lateness(period, state, declared, today), pk))
        out.append(line)
    out.sort(key=lambda line: (not line.late, line.workspace.name))
    return periods, out



def payroll_overview_context(*, months: int = 3) -> dict:
    periods, rows = payroll_overview(today=timezone.localdate(), months=months)
    return {"periods": periods, "rows": rows, "n_late": sum(1 for row in rows if row.late)}
