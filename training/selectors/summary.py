"""The yearly summary per workspace and OPCO, with the figures of the annual pedagogical and
financial report (bilan pédagogique et financier, BPF, L6352-11 Code du travail): trainees,
trainee-hours and income by funder. A year is that of the session's first day; cancelled and
refused requests are left out. Trainee-hours are the course's planned duration per trainee
of the requests (the attended hours are on each request)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Sum

from backoffice.tenancy import staff_wide
from training.models import FundingRequest
from training.rules import lifecycle

ZERO = Decimal("0")


@dataclass
class SummaryRow:
    workspace: str
    opco: str
    requests: int
    trainees: int
    hours: Decimal
    asked: Decimal
    approved: Decimal
    claimed: Decimal
    paid: Decimal

    @property
    def gap(self) -> Decimal:
        return self.asked - self.paid


def yearly_summary(year: int, *, workspace=None) -> list[SummaryRow]:
    """Rows per (workspace, OPCO) for `year`; `workspace` limits them to one workspace."""
    with staff_wide("the yearly summary adds up every workspace's requests (or one, when named)"):
        qs = FundingRequest.objects.filter(session__starts_on__year=year).exclude(
            state__in=(lifecycle.CANCELLED, lifecycle.REFUSED))
        if workspace is not None:
            qs = qs.filter(workspace=workspace)
        money = (qs.values("workspace__name", "opco__name").order_by("workspace__name", "opco__name")
                 .annotate(requests=Count("pk"), asked=Sum("amount_asked"), approved=Sum("amount_approved"),
                           claimed=Sum("amount_claimed"), paid=Sum("amount_paid")))
        people = {(r["workspace__name"], r["opco__name"]): r for r in
                  qs.values("workspace__name", "opco__name").order_by()
                  .annotate(trainees=Count("enrolments"), hours=Sum(F("session__course__duration_hours")))}
    rows = []
    for r in money:
        p = people.get((r["workspace__name"], r["opco__name"]), {})
        rows.append(SummaryRow(workspace=r["workspace__name"], opco=r["opco__name"], requests=r["requests"],
                               trainees=p.get("trainees") or 0, hours=p.get("hours") or ZERO,
                               asked=r["asked"] or ZERO, approved=r["approved"] or ZERO,
                               claimed=r["claimed"] or ZERO, paid=r["paid"] or ZERO))
    return rows
