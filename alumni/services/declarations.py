"""Revenue declarations: the contribution they make due, computed by backoffice/pricing.py
from the alumni agreement's declared-revenue price line, recorded as billable usage so that
invoicing bills it (convention in backoffice/pricing.py's docstring).

Rules (each refusal is a French message by field, nothing written):
- the revenue is a number of euros, not negative;
- the period is one of the company's periods (a calendar year, or a calendar quarter when
  its declarations are quarterly), already over, and not declared yet;
- the alumni agreement in force at the period's end prices declared revenue (otherwise the
  period is outside the agreement).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alumni.models import AlumniCompany, DeclarationFrequency, RevenueDeclaration
from backoffice.models import PriceLine, Service, ServiceAgreement
from backoffice.models.agreements import UsageKind
from backoffice.pricing import NON_LINEAR, PriceComputation, price_line_compute
from backoffice.services.audit import audit_record
from backoffice.services.usage import usage_record

MAX_REVENUE = Decimal("999999999999.99")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def key(self) -> str:
        return self.start.isoformat()

    def __str__(self) -> str:
        if self.start.month == 1 and self.end.month == 12:
            return str(self.start.year)
        return _("Q%(quarter)s %(year)s") % {"quarter": (self.start.month - 1) // 3 + 1, "year": self.start.year}


def periods_of_year(frequency: str, year: int) -> list[Period]:
    if frequency == DeclarationFrequency.QUARTERLY:
        ends = [(3, 31), (6, 30), (9, 30), (12, 31)]
        return [Period(datetime.date(year, 3 * i + 1, 1), datetime.date(year, *ends[i])) for i in range(4)]
    return [Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))]


def period_from_key(company: AlumniCompany, key: str) -> Period | None:
    """The company's period that starts on the ISO date `key`, or None."""
    try:
        start = datetime.date.fromisoformat(key)
    except (TypeError, ValueError):
        return None
    return next((p for p in periods_of_year(company.declaration_frequency, start.year) if p.start == start), None)


def agreement_line(workspace, day: datetime.date) -> PriceLine | None:
    """The declared-revenue price line of the alumni agreement in force on `day`, if any."""
    agreement = (ServiceAgreement.objects.filter(workspace=workspace, service=Service.ALUMNI, start_date__lte=day)
                 .filter(Q(end_date__isnull=True) | Q(end_date__gte=day)).prefetch_related("price_lines").first())
    if agreement is None:
        return None
    return next((line for line in agreement.price_lines.all()
                 if line.usage_kind == UsageKind.DECLARED_REVENUE and line.kind in NON_LINEAR), None)


def open_periods(company: AlumniCompany, *, today: datetime.date | None = None, years: int = 3) -> list[Period]:
    """Periods over, not declared yet, within an agreement that prices declared revenue
    (the last `years` years), oldest first: what the company may declare now."""
    today = today or timezone.localdate()
    declared = set(RevenueDeclaration.objects.filter(workspace=company.workspace).values_list("period_start", flat=True))
    out = []
    for year in range(today.year - years, today.year + 1):
        for period in periods_of_year(company.declaration_frequency, year):
            if period.end < today and period.start not in declared and agreement_line(company.workspace, period.end):
                out.append(period)
    return out


@dataclass(frozen=True)
class ContributionPreview:
    period: Period
    revenue: Decimal
    line: PriceLine
    computation: PriceComputation

    @property
    def amount(self) -> Decimal:
        return self.computation.amount


def _check_revenue(revenue) -> Decimal:
    if isinstance(revenue, float) or not isinstance(revenue, Decimal) or not revenue.is_finite():
        raise ValidationError({"revenue": _("Give the revenue as an amount in euros, e.g. 84 500,00.")})
    if revenue < 0:
        raise ValidationError({"revenue": _("The revenue cannot be negative.")})
    if revenue > MAX_REVENUE:
        raise ValidationError({"revenue": _("This amount is too large to be a yearly revenue.")})
    if revenue != revenue.quantize(Decimal("0.01")):
        raise ValidationError({"revenue": _("Give the revenue to the cent at most.")})
    return revenue


def contribution_preview(*, company: AlumniCompany, period_key: str, revenue: Decimal,
                         today: datetime.date | None = None, correcting: RevenueDeclaration | None = None
                         ) -> ContributionPreview:
    """What declaring `revenue` for the period would make due, without writing anything."""
    today = today or timezone.localdate()
    revenue = _check_revenue(revenue)
    period = period_from_key(company, period_key)
    if period is None:
        raise ValidationError({"period": _("Choose one of your declaration periods.")})
    if period.end >= today:
        raise ValidationError({"period": _("The period %(period)s is not over yet: declare it once it has ended.")
                               % {"period": period}})
    if correcting is None and RevenueDeclaration.objects.filter(workspace=company.workspace,
                                                                period_start=period.start).exists():
        raise ValidationError({"period": _("The revenue of %(period)s is already declared. If it is wrong, ask "
                                           "the cooperative to correct it.") % {"period": period}})
    line = agreement_line(company.workspace, period.end)
    if line is None:
        raise ValidationError({"period": _("No agreement in force on %(day)s sets a contribution on declared "
                                           "revenue: this period is outside your agreement.")
                               % {"day": date_format(period.end, "SHORT_DATE_FORMAT")}})
    return ContributionPreview(period=period, revenue=revenue, line=line,
                               computation=price_line_compute(line, quantity=revenue))


def _computation_json(preview: ContributionPreview) -> dict:
    c = preview.computation
    return {"line": preview.line.label, "kind": c.kind, "rate": None if c.rate is None else str(c.rate),
            "computed": str(c.computed_cents), "minimum": None if c.minimum is None else str(c.minimum),
            "cap": None if c.cap is None else str(c.cap), "minimum_applied": c.minimum_applied,
            "cap_applied": c.cap_applied,
            "parts": [{"lower": str(p.lower), "upper": None if p.upper is None else str(p.upper),
                       "rate": str(p.rate), "base": str(p.base)} for p in c.parts]}


def usage_reference(period: Period) -> str:
    return f"revenue:{period.start.isoformat()}:{period.end.isoformat()}"


def _record_usage(company: AlumniCompany, preview: ContributionPreview) -> None:
    usage_record(workspace=company.workspace, service=Service.ALUMNI, kind=UsageKind.DECLARED_REVENUE,
                 quantity=preview.revenue, occurred_on=preview.period.end, reference=usage_reference(preview.period),
                 description=_("Revenue declared for %(period)s") % {"period": preview.period})


@transaction.atomic
def declaration_create(*, actor, company: AlumniCompany, period_key: str, revenue: Decimal,
                       today: datetime.date | None = None) -> RevenueDeclaration:
    """Record the company's revenue for a period, the contribution it makes due, and the
    billable usage invoicing will bill."""
    preview = contribution_preview(company=company, period_key=period_key, revenue=revenue, today=today)
    try:
        with transaction.atomic():
            declaration = RevenueDeclaration.objects.create(
                workspace=company.workspace, period_start=preview.period.start, period_end=preview.period.end,
                revenue=preview.revenue, contribution=preview.amount, computation=_computation_json(preview),
                usage_reference=usage_reference(preview.period),
                declared_by=actor if getattr(actor, "is_authenticated", False) else None)
    except IntegrityError:  # declared at the same moment by someone else
        raise ValidationError({"period": _("The revenue of %(period)s is already declared.")
                               % {"period": preview.period}}) from None
    _record_usage(company, preview)
    audit_record(actor=actor, workspace=company.workspace, action="alumni.declaration.create", obj=declaration,
                 changes={"period": str(preview.period), "revenue": preview.revenue, "contribution": preview.amount})
    return declaration


@transaction.atomic
def declaration_correct(*, actor, declaration: RevenueDeclaration, revenue: Decimal, reason: str) -> RevenueDeclaration:
    """Staff correct a declared revenue with a reason: the contribution is recomputed with the
    same agreement line rules, the billable usage updated (same reference), the change audited
    and shown to the company."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the declaration is corrected: the company will read it.")})
    company = AlumniCompany.objects.get(workspace=declaration.workspace)
    preview = contribution_preview(company=company, period_key=declaration.period_start.isoformat(),
                                   revenue=revenue, correcting=declaration)
    before = (declaration.revenue, declaration.contribution)
    if declaration.revenue_before_correction is None:
        declaration.revenue_before_correction = declaration.revenue
    declaration.revenue, declaration.contribution = preview.revenue, preview.amount
    declaration.computation = _computation_json(preview)
    declaration.correction_reason = reason
    declaration.corrected_by = actor if getattr(actor, "is_authenticated", False) else None
    declaration.corrected_at = timezone.now()
    declaration.save()
    _record_usage(company, preview)
    audit_record(actor=actor, workspace=declaration.workspace, action="alumni.declaration.correct", obj=declaration,
                 changes={"revenue": [before[0], preview.revenue], "contribution": [before[1], preview.amount],
                          "reason": reason})
    return declaration
