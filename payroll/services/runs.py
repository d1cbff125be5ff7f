"""The monthly payroll run: from the confirmed submission to the month's payslips.

`payroll_run` reads the period's confirmed submission lines, the employments, the
workspace's payroll settings, schemes and contribution brackets, and the rate table in
force; it works each line's gross back from a target when the line gives one
(payroll/engine/solve.py), computes the payslip (payroll/engine/compute.py) and the CAE
contribution on the month's revenue (payroll/engine/contribution.py), then stores the
PayrollRun, its Payslips and PayslipLines with bulk operations.

Idempotent: a period has one run; re-running updates each entrepreneur's payslip in place,
deletes the payslips of entrepreneurs no longer in the data and never duplicates; billable
usage is recorded by reference, so a re-run does not bill twice. Refused once the partner
approved the month (PeriodLocked).

Cost: a constant number of queries for the reads, then bulk writes in batches; an
entrepreneur whose payslip content did not change is not written again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, Sum, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backoffice.models import Document, Service, Usage, Workspace
from backoffice.services.audit import audit_record
from backoffice.services.documents import document_store_generated
from backoffice.services.usage import usage_record, usage_record_many
from payroll.engine import (
    Activity,
    PayslipInput,
    compute_payslip,
    contribution_for_month,
    solve_gross_for_employer_cost,
    solve_gross_for_net,
)
from payroll.engine.leave import (
    BUILDING_TRADE_START_MONTH,
    REFERENCE_START_MONTH,
    leave_counters,
    leave_indemnity,
    leave_month,
    reference_period_start,
    round_up_to_day,
)
from payroll.engine.money import ZERO, cents
from payroll.engine.payslip import PayslipLine as EngineLine
from payroll.engine.payslip import YearToDate
from payroll.engine.withholding import (
    ANTILLES_REUNION,
    GUYANE_MAYOTTE,
    NoGrid,
    has_postal_code,
    territory_for,
)
from payroll.exports.dsn import (
    Affiliation,
    DsnBuildError,
    DsnEmployee,
    DsnEmployer,
    dsn_build,
    dsn_check,
    norm_version,
)
from payroll.models import (
    Declaration,
    Employment,
    MonthlySubmission,
    PayrollPeriod,
    PayrollRun,
    PayrollSettings,
    Payslip,
    PayslipLine,
    PeriodStage,
    RateSource,
    SubmissionLine,
    SubmissionState,
)
from payroll.models.employment import ContractType
from payroll.selectors.headcount import workspace_headcount
from payroll.selectors.people import employment_allows_payslip
from payroll.selectors.rates import NoRateTable, rate_set_for
from payroll.selectors.tax import choose_rate, compte_rendu_rates
from payroll.services.payslips import (
    content_hash,
    discard_documents,
    employer_identity,
    last_day,
    payment_date,
    payslip_content,
)
from payroll.services.periods import PeriodLocked, payroll_period_set_stage
from payroll.services.settings import contribution_scheme, engine_schemes, leave_fund_input

BATCH = 1000
PAYSLIP_FIELDS = [
    "run", "status", "hours", "gross", "total_employee_contributions", "total_employer_contributions",
    "reduction_generale", "net_social", "net_before_tax", "taxable_net", "pas_rate", "pas_kind", "pas_source",
    "pas_amount",
    "reimbursed_expenses", "net_paid", "employer_cost", "rg_smic", "ceiling", "base_tranche_a", "base_tranche_2", "base_up_to_4",
    "base_up_to_8", "base_salary", "bonuses", "leave_acquired", "leave_taken", "leave_balance", "leave_paid_days",
    "leave_sick_acquired", "leave_previous", "leave_period_acquired",
    "leave_indemnity", "revenue",
    "cae_contribution", "content_hash",
]


class PayrollRunError(Exception):
    """The month cannot be computed; the message says why (shown to staff as is)."""


@dataclass
class RunOutcome:
    run: PayrollRun
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    # Targets that no gross reproduces to the cent: (matricule, target, achieved).
    inexact: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)
    # CAPE holders in the data: not salaried, so no payslip (payroll.selectors.people).
    not_salaried: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.created + self.updated + self.unchanged


def period_key(period: datetime.date) -> str:
    return f"{period:%Y-%m}"


def confirmed_submission(payroll_period: PayrollPeriod) -> MonthlySubmission | None:
    """The month's data: its latest confirmed submission."""
    return (MonthlySubmission.objects.filter(period=payroll_period, state=SubmissionState.CONFIRMED)
            .order_by("-version").first())


def year_to_date_revenue(workspace: Workspace, period: datetime.date) -> dict[int, Decimal]:
    """Revenue per entrepreneur over the earlier months of the same year, from each month's
    latest confirmed submission (one query for the submissions, one for the sums)."""
    latest: dict[int, int] = {}
    for submission_id, period_id in (
        MonthlySubmission.objects.filter(workspace=workspace, state=SubmissionState.CONFIRMED,
                                         period__period__year=period.year, period__period__lt=period)
        .order_by("period_id", "-version").values_list("pk", "period_id")
    ):
        latest.setdefault(period_id, submission_id)
    if not latest:
        return {}
    rows = (SubmissionLine.objects.filter(submission_id__in=latest.values())
            .values("entrepreneur_id").annotate(total=Sum("revenue")))
    return {row["entrepreneur_id"]: row["total"] or ZERO for row in rows}


def year_to_date_pay(workspace: Workspace, period: datetime.date) -> dict[int, YearToDate | None]:
    """Per entrepreneur, the stored payslips of the earlier months of the year added up (one
    query): gross, reference SMIC and réduction générale applied, for the cumulative réduction
    générale (D241-7 CSS); ceilings and ceiling-sliced bases, for the progressive regularisation
    of the ceiling (R243-10 CSS). Rebuilt at every run, so a corrected month flows into the next month
    computed. None when an earlier payslip predates the stored SMIC (the month then stands alone)."""
    rows = (Payslip.objects.filter(workspace=workspace, period__year=period.year, period__lt=period).order_by()
            .values("entrepreneur_id")
            .annotate(ytd_gross=Sum("gross"), ytd_smic=Sum("rg_smic"), ytd_reduction=Sum("reduction_generale"),
                      ytd_ceiling=Sum("ceiling"), ytd_tranche_a=Sum("base_tranche_a"),
                      ytd_tranche_2=Sum("base_tranche_2"), ytd_up_to_4=Sum("base_up_to_4"),
                      ytd_up_to_8=Sum("base_up_to_8"),
                      missing=Count("pk", filter=Q(rg_smic__isnull=True) | Q(ceiling__isnull=True))))
    return {row["entrepreneur_id"]: None if row["missing"] else
            YearToDate(gross=row["ytd_gross"], smic=row["ytd_smic"], reduction=row["ytd_reduction"],
                       ceiling=row["ytd_ceiling"], tranche_a=row["ytd_tranche_a"], tranche_2=row["ytd_tranche_2"],
                       up_to_4=row["ytd_up_to_4"], up_to_8=row["ytd_up_to_8"])
            for row in rows}


@dataclass(frozen=True)
class LeaveHistory:
    """An entrepreneur's paid leave before the month computed (payroll.engine.leave)."""

    carried: Decimal = ZERO  # left to take when the current reference period began (N-1)
    acquired: Decimal = ZERO  # acquired in the current reference period before the month (N)
    taken: Decimal = ZERO  # taken in the current reference period before the month
    sick: Decimal = ZERO  # of `acquired`, on account of sick leave (the 24-day cap of L3141-5-1)
    # Gross pay and days acquired of the stored months of the current and the previous reference
    # periods: the "dixième" of an exit's indemnity, for the N and the N-1 days.
    gross: Decimal = ZERO
    gross_acquired: Decimal = ZERO
    previous_gross: Decimal = ZERO
    previous_gross_acquired: Decimal = ZERO


@dataclass(frozen=True)
class LeaveOpening:
    """Counters given by staff (Employment.leave_opening_*): as of `day`, the N-1 days still to
    take and the N days acquired."""

    day: datetime.date
    previous: Decimal
    acquired: Decimal


def leave_openings(employments) -> dict[int, LeaveOpening]:
    return {e.entrepreneur_id: LeaveOpening(e.leave_opening_date, e.leave_opening_previous or ZERO,
                                            e.leave_opening_acquired or ZERO)
            for e in employments if e.leave_opening_date is not None}


def leave_history(workspace: Workspace, period: datetime.date, *, building_trade: bool,
                  openings: dict[int, LeaveOpening] | None = None) -> dict[int, LeaveHistory]:
    """Per entrepreneur, the paid-leave counters before `period`, rebuilt from every earlier
    stored payslip (one query, grouped by reference period: a corrected month flows into the
    next run). The reference period runs from 1 June (R3141-4), from 1 April for a member of a
    building-trade paid-leave fund (`building_trade`, the workspace's current setting applied to
    the whole history). A period that ended hands what is left to the next as N-1, its
    acquisition rounded up to the whole day (L3141-7); nothing is forfeited (see
    payroll.engine.leave).

    An opening (`openings`, as of a month on or before `period`) is the starting point: its N-1
    is what was left when its reference period began, its N is added to that period's
    acquisition (within the 30 days; not to the sick-leave days of the 24-day cap, which the
    opening does not detail), and the stored payslips of the months before it are not counted."""
    openings = {key: opening for key, opening in (openings or {}).items() if opening.day <= period}
    start_month = BUILDING_TRADE_START_MONTH if building_trade else REFERENCE_START_MONTH
    current_year = reference_period_start(period, building_trade=building_trade).year
    opening_date = "entrepreneur__employment__leave_opening_date"
    rows = (Payslip.objects.filter(workspace=workspace, period__lt=period)
            .filter(Q(**{f"{opening_date}__isnull": True}) | Q(**{f"{opening_date}__gt": period})
                    | Q(period__gte=F(opening_date)))
            .order_by()
            .annotate(reference_year=Case(When(period__month__gte=start_month, then=ExtractYear("period")),
                                          default=ExtractYear("period") - 1))
            .values("entrepreneur_id", "reference_year")
            .annotate(acquired=Sum("leave_acquired"), taken=Sum("leave_taken"), sick=Sum("leave_sick_acquired"),
                      gross=Sum("gross")))
    years: dict[int, dict[int, dict]] = {}
    for row in rows:
        years.setdefault(row["entrepreneur_id"], {})[row["reference_year"]] = {
            name: row[name] or ZERO for name in ("acquired", "taken", "sick", "gross")}
    history: dict[int, LeaveHistory] = {}
    for entrepreneur_id in years.keys() | openings.keys():
        by_year = years.get(entrepreneur_id, {})
        gross_acquired = {year: values["acquired"] for year, values in by_year.items()}
        carried = ZERO
        opening = openings.get(entrepreneur_id)
        if opening is not None:
            carried = opening.previous
            values = by_year.setdefault(reference_period_start(opening.day, building_trade=building_trade).year,
                                        {"acquired": ZERO, "taken": ZERO, "sick": ZERO, "gross": ZERO})
            values["acquired"] += opening.acquired
        for year in sorted(y for y in by_year if y < current_year):
            carried += round_up_to_day(by_year[year]["acquired"]) - by_year[year]["taken"]
        current = by_year.get(current_year, {})
        history[entrepreneur_id] = LeaveHistory(
            carried=carried, acquired=current.get("acquired", ZERO), taken=current.get("taken", ZERO),
            sick=current.get("sick", ZERO), gross=current.get("gross", ZERO),
            gross_acquired=gross_acquired.get(current_year, ZERO),
            previous_gross=by_year.get(current_year - 1, {}).get("gross", ZERO),
            previous_gross_acquired=gross_acquired.get(current_year - 1, ZERO))
    return history


def _within(day: datetime.date | None, month: datetime.date) -> datetime.date | None:
    return day if day is not None and month <= day <= last_day(month) else None


def _get_period(workspace: Workspace, period) -> PayrollPeriod:
    if isinstance(period, PayrollPeriod):
        if period.workspace_id != workspace.pk:
            raise ValueError("the period belongs to another workspace")
        pk = period.pk
        return PayrollPeriod.objects.select_for_update().get(pk=pk)
    found = PayrollPeriod.objects.select_for_update().filter(workspace=workspace, period=period).first()
    if found is None:
        raise PayrollRunError(_("No payroll period %(month)s in this workspace.") % {"month": f"{period:%Y-%m}"})
    return found


@transaction.atomic
def payroll_run(*, actor, workspace: Workspace, period) -> RunOutcome:
    """Compute (or recompute) the month's payslips. `period` is a PayrollPeriod or its first day."""
    payroll_period = _get_period(workspace, period)
    if payroll_period.is_locked:
        raise PeriodLocked(payroll_period)
    month = payroll_period.period
    submission = confirmed_submission(payroll_period)
    if submission is None:
        raise PayrollRunError(_("%(month)s: no confirmed submission to compute.") % {"month": f"{month:%Y-%m}"})
    settings = (PayrollSettings.objects.filter(workspace=workspace)
                .prefetch_related("brackets", "schemes").first())
    if settings is None:
        raise PayrollRunError(_("The workspace's payroll settings are missing (SIRET, URSSAF, AT/MP rate…)."))
    try:
        rate_table, rates = rate_set_for(month)
    except NoRateTable as exc:
        raise PayrollRunError(str(exc)) from exc

    lines = list(SubmissionLine.objects.filter(submission=submission).select_related("entrepreneur")
                 .order_by("row_number"))
    employments = {e.entrepreneur_id: e for e in Employment.objects.filter(workspace=workspace)
                   .select_related("risk_rate")}
    _refuse_missing_classification(lines, employments)
    schemes = {(status, category): engine_schemes(settings, status, category)
               for status in ("cadre", "non_cadre") for category in ("", "etam", "ouvrier")}
    ytd = year_to_date_revenue(workspace, month)
    ytd_pay = year_to_date_pay(workspace, month)
    headcount = workspace_headcount(workspace, month.year, settings).retained
    tax_rates = compte_rendu_rates(workspace, last_day(month))
    leave = leave_history(workspace, month, building_trade=settings.paid_leave_fund,
                          openings=leave_openings(employments.values()))
    employer = employer_identity(workspace, settings)
    pay_day = payment_date(month, settings)

    run, _created = PayrollRun.objects.update_or_create(
        period=payroll_period,
        defaults={"workspace": workspace, "submission": submission, "rate_table": rate_table,
                  "computed_at": timezone.now(), "computed_by": actor if getattr(actor, "pk", None) else None},
    )
    existing = {p.entrepreneur_id: p for p in Payslip.objects.filter(workspace=workspace, period=month).order_by()}
    outcome = RunOutcome(run=run)
    # Each payslip with the engine's lines (same attribute names as PayslipLine, stored in order).
    to_create: list[tuple[Payslip, tuple[EngineLine, ...]]] = []
    to_update: list[tuple[Payslip, tuple[EngineLine, ...]]] = []
    paid_ids: list[int] = []  # entrepreneurs with a payslip this month (billed as usage)

    for line in lines:
        employment = employments.get(line.entrepreneur_id)
        if not employment_allows_payslip(employment):
            outcome.not_salaried.append(line.entrepreneur.matricule)
            continue
        paid_ids.append(line.entrepreneur_id)
        payslip, payslip_lines = _compute_line(
            line=line, employment=employment, settings=settings, rates=rates, schemes=schemes, headcount=headcount,
            ytd=ytd.get(line.entrepreneur_id, ZERO), ytd_pay=ytd_pay.get(line.entrepreneur_id, YearToDate()),
            tax_rate=tax_rates.get(line.entrepreneur_id), leave=leave.get(line.entrepreneur_id, LeaveHistory()),
            month=month, workspace=workspace, run=run, outcome=outcome)
        payslip.content_hash = content_hash(payslip_content(
            payslip=payslip, lines=payslip_lines, employer=employer, employment=employment, payment_day=pay_day))
        previous = existing.pop(line.entrepreneur_id, None)
        if previous is None:
            to_create.append((payslip, payslip_lines))
        elif previous.content_hash == payslip.content_hash and previous.run_id == run.pk:
            outcome.unchanged += 1
        else:
            payslip.pk = previous.pk
            to_update.append((payslip, payslip_lines))

    # Entrepreneurs no longer in the month's data: their payslips (and lines) go.
    gone = list(existing.values())
    if gone:
        orphan_pdfs = list(Document.objects.filter(pk__in=[p.pdf_id for p in gone if p.pdf_id]))
        Payslip.objects.filter(pk__in=[p.pk for p in gone]).delete()
        discard_documents(orphan_pdfs)  # never delivered: the month is not approved
        Usage.objects.filter(workspace=workspace, kind="payslip",
                             reference__in=[_payslip_reference(month, p.entrepreneur_id) for p in gone]).delete()
    outcome.deleted = len(gone)

    Payslip.objects.bulk_create([p for p, _ in to_create], batch_size=BATCH)
    Payslip.objects.bulk_update([p for p, _ in to_update], PAYSLIP_FIELDS, batch_size=BATCH)
    PayslipLine.objects.filter(payslip_id__in=[p.pk for p, _ in to_update]).delete()
    _insert_lines(workspace.pk, ((payslip.pk, lines) for payslip, lines in to_create + to_update))
    outcome.created, outcome.updated = len(to_create), len(to_update)

    _record_usage(workspace=workspace, month=month, entrepreneur_ids=paid_ids)
    if payroll_period.stage != PeriodStage.COMPUTED:
        payroll_period_set_stage(actor=actor, payroll_period=payroll_period, stage=PeriodStage.COMPUTED)
    if isinstance(period, PayrollPeriod) and period is not payroll_period:
        period.refresh_from_db()  # the caller's instance shows the new stage
    audit_record(actor=actor, workspace=workspace, action="payroll.run", obj=run, changes={
        "submission": f"v{submission.version}", "rate_table": str(rate_table.effective_from),
        "created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged,
        "deleted": outcome.deleted, "inexact_targets": len(outcome.inexact),
        "not_salaried": len(outcome.not_salaried)})
    return outcome


def _territory_label(territory: str, *, from_domicile: bool) -> str:
    """The territory of a withholding grid in words (art. 204 H III a, b, c CGI), and where it
    was read (payroll.engine.withholding.territory_for)."""
    name = {ANTILLES_REUNION: _("Guadeloupe, La Réunion and Martinique"),
            GUYANE_MAYOTTE: _("Guyane and Mayotte")}.get(territory, _("metropolitan France"))
    if from_domicile:
        return _("%(territory)s (the employee's address)") % {"territory": name}
    return _("%(territory)s (the establishment's postal code: the employee's address has none)") % {
        "territory": name}


def _refuse_missing_classification(lines: list[SubmissionLine], employments: dict[int, Employment]) -> None:
    """Art. R3243-1 Code du travail: the payslip gives the employee's job and classification. No
    payslip is produced while a salaried person of the month has none recorded: the run is
    refused, naming every such person (the month's other payslips wait too, so the month is
    computed, approved and declared as one)."""
    missing = []
    for line in lines:
        employment = employments.get(line.entrepreneur_id)
        if employment_allows_payslip(employment) and not (employment and employment.classification.strip()):
            person = line.entrepreneur
            missing.append(f"{person.matricule} {person.first_name} {person.last_name}".strip())
    if missing:
        raise PayrollRunError(ngettext(
            "No classification is recorded for %(people)s: the payslip must show it (art. R3243-1 Code du "
            "travail). Give it on the person's employment page, or in the classification column of the monthly "
            "file, then compute the month again.",
            "No classification is recorded for %(count)d people: %(people)s. The payslip must show it (art. "
            "R3243-1 Code du travail). Give it on each person's employment page, or in the classification column "
            "of the monthly file, then compute the month again.",
            len(missing)) % {"count": len(missing), "people": ", ".join(missing)})


def _compute_line(*, line: SubmissionLine, employment: Employment | None, settings: PayrollSettings, rates,
                  schemes, headcount: int, ytd: Decimal, ytd_pay: YearToDate | None, tax_rate, leave: LeaveHistory,
                  month: datetime.date,
                  workspace: Workspace, run: PayrollRun,
                  outcome: RunOutcome) -> tuple[Payslip, tuple[EngineLine, ...]]:
    person = line.entrepreneur
    status = line.status or (employment.status if employment else "non_cadre")
    hours = line.hours if line.hours is not None else (employment.contractual_hours if employment else None)
    if hours is not None and hours <= 0:
        hours = None  # no hours given: pay not tied to time (hour-equivalent rule of the engine)
    chosen = choose_rate(imported=tax_rate, from_file=line.pas_rate)
    territory = territory_for(domicile=person.address, establishment_postal_code=workspace.postal_code)
    exits = [day for day in (line.exit_date, employment.end_date if employment else None) if day is not None]
    try:
        template = PayslipInput(
            period=month, status=status, gross_salary=line.gross_salary or ZERO,
            at_mp_rate=employment.risk_rate.rate if employment and employment.risk_rate else settings.at_mp_rate,
            contractual_hours=hours, bonuses=line.bonuses, reimbursed_expenses=line.reimbursed_expenses,
            pas_rate=chosen.rate, pas_territory=territory, headcount=headcount, mobility_rate=settings.mobility_rate,
            fixed_term=bool(employment and employment.fixed_term), **leave_fund_input(settings), schemes=schemes[status, employment.trade_category if employment else ""],
            alsace_moselle=settings.alsace_moselle,
            entry_date=_within(employment.start_date if employment else person.entry_date, month),
            exit_date=_within(min(exits) if exits else None, month), absence_hours=line.absence_hours,
            year_to_date=ytd_pay)
    except (TypeError, ValueError) as exc:
        raise PayrollRunError(_("Row %(row)s (%(matricule)s): %(error)s") % {
            "row": line.row_number, "matricule": person.matricule, "error": exc}) from exc

    # Paid leave: the month's acquisition within the reference period's caps (24 days on account
    # of sick leave, L3141-5-1; 30 in all, L3141-3), then the N-1 and N counters.
    month_leave = leave_month(period=month, entry_date=template.entry_date, exit_date=template.exit_date,
                              sick_days=line.sick_days, acquired_before=leave.acquired, sick_before=leave.sick)
    acquired = month_leave.total
    counters = leave_counters(carried=leave.carried, acquired=leave.acquired + acquired,
                              taken=leave.taken + line.leave_taken)
    balance, previous = counters.balance, counters.previous
    paid_days, indemnity = ZERO, ZERO
    if template.exit_date is not None and balance > 0 and not settings.paid_leave_fund:
        # The exit: the days not taken are paid (L3141-28), as part of the month's pay; the N days
        # against the current reference period's pay, the N-1 days against the previous one's.
        paid_days = balance
        salary = line.gross_salary or ZERO
        indemnity = (leave_indemnity(days=balance - previous, monthly_salary=salary,
                                     reference_gross=leave.gross + template.gross,
                                     reference_acquired=leave.gross_acquired + acquired)
                     + leave_indemnity(days=previous, monthly_salary=salary, reference_gross=leave.previous_gross,
                                       reference_acquired=leave.previous_gross_acquired))
        template = replace(template, bonuses=template.bonuses + indemnity)
        balance = previous = ZERO

    try:
        if line.target_employer_cost is not None:
            solution = solve_gross_for_employer_cost(line.target_employer_cost, template, rates)
        elif line.target_net is not None:
            solution = solve_gross_for_net(line.target_net, template, rates)
        elif line.gross_salary is None:
            raise PayrollRunError(_("Row %(row)s (%(matricule)s): no gross salary and no target.") % {
                "row": line.row_number, "matricule": person.matricule})
        else:
            solution = None
        if solution is not None:
            result = solution.payslip
            if not solution.exact:
                outcome.inexact.append((person.matricule, solution.target, solution.achieved))
        else:
            result = compute_payslip(template, rates)
    except NoGrid as exc:
        raise PayrollRunError(_(
            "Row %(row)s (%(matricule)s %(name)s): no withholding rate was received from the tax administration, "
            "and the non-personalised grid for %(territory)s (art. 204 H III CGI, BOFiP BOI-BAREME-000037) is not "
            "in the payroll's tables for %(month)s. Give the rate the administration sent (column taux_pas of the "
            "monthly file, or import its compte rendu), then compute the month again.") % {
            "row": line.row_number, "matricule": person.matricule,
            "name": f"{person.first_name} {person.last_name}".strip(),
            "territory": _territory_label(territory, from_domicile=has_postal_code(person.address)),
            "month": f"{month:%m/%Y}"}) from exc

    scheme = contribution_scheme(
        settings, flat_rate=employment.contribution_rate if employment is not None else None)
    contribution = ZERO
    if scheme is not None:
        contribution = contribution_for_month(
            scheme, period=month, entry_date=person.entry_date, month=Activity(line.revenue),
            year_to_date_before=Activity(ytd)).amount

    payslip = Payslip(
        workspace=workspace, run=run, period=month, entrepreneur=person, status=status, hours=hours,
        base_salary=result.gross - template.bonuses, bonuses=template.bonuses - indemnity, leave_acquired=acquired,
        leave_taken=line.leave_taken, leave_balance=balance, leave_sick_acquired=month_leave.sick,
        leave_previous=previous, leave_period_acquired=counters.acquired,
        leave_paid_days=paid_days or None, leave_indemnity=indemnity or None,
        gross=result.gross, total_employee_contributions=result.total_employee_contributions,
        total_employer_contributions=result.total_employer_contributions,
        reduction_generale=result.reduction_generale, net_social=result.net_social,
        net_before_tax=result.net_before_tax, taxable_net=result.taxable_net, pas_rate=result.pas_rate,
        pas_kind=chosen.kind, pas_source=chosen.source,
        pas_amount=result.pas_amount, reimbursed_expenses=result.reimbursed_expenses, net_paid=result.net_paid,
        employer_cost=result.employer_cost, rg_smic=result.rg_smic, ceiling=result.ceiling_exact,
        base_tranche_a=result.sliced_bases[0], base_tranche_2=result.sliced_bases[1],
        base_up_to_4=result.sliced_bases[2], base_up_to_8=result.sliced_bases[3], revenue=line.revenue, cae_contribution=contribution,
    )
    return payslip, result.lines


LINE_COLUMNS = ("workspace", "payslip", "order", "code", "label", "block", "base", "employee_rate", "employee_amount",
                "employer_rate", "employer_amount")


def _insert_lines(workspace_id: int, payslips) -> None:
    """Insert payslip lines with one parametrised INSERT run by `executemany` per batch.

    A month has about twenty lines per payslip (240,000 for 12,000 payslips); the ORM's
    bulk_create spends most of its time compiling SQL for each value, so the rows go straight
    to the driver. Values are the same Python types the ORM would send (ints, str, Decimal,
    None); the insert runs in the caller's transaction."""
    meta = PayslipLine._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name).column for name in LINE_COLUMNS]
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for payslip_id, lines in payslips:
            for order, line in enumerate(lines):
                batch.append((workspace_id, payslip_id, order, line.code, line.label, line.block, line.base,
                              line.employee_rate, line.employee_amount, line.employer_rate, line.employer_amount))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _payslip_reference(month: datetime.date, entrepreneur_id: int) -> str:
    return f"payroll:{period_key(month)}:{entrepreneur_id}"


def _record_usage(*, workspace: Workspace, month: datetime.date, entrepreneur_ids: list[int]) -> None:
    """Billable usage: one `payslip` per payslip produced and one `payroll_month`, keyed by
    reference so that a re-run updates instead of billing twice."""
    occurred_on = last_day(month)
    usage_record_many(workspace=workspace, service=Service.PAYROLL, kind="payslip", occurred_on=occurred_on,
                      items=[(_payslip_reference(month, entrepreneur_id), Decimal("1"),
                              f"Bulletin de paie {period_key(month)}") for entrepreneur_id in entrepreneur_ids])
    usage_record(workspace=workspace, service=Service.PAYROLL, kind="payroll_month", quantity=Decimal("1"),
                 occurred_on=occurred_on, reference=f"payroll:{period_key(month)}",
                 description=f"Paie du mois {period_key(month)}")


@transaction.atomic
def payroll_period_approve(*, actor, payroll_period: PayrollPeriod) -> PayrollPeriod:
    """The partner approves the computed month: its data and payslips are then locked."""
    payroll_period = PayrollPeriod.objects.select_for_update().get(pk=payroll_period.pk)
    if payroll_period.stage != PeriodStage.COMPUTED:
        raise PayrollRunError(_("Only a computed month can be approved."))
    return payroll_period_set_stage(actor=actor, payroll_period=payroll_period, stage=PeriodStage.APPROVED)


@transaction.atomic
def payroll_period_deliver(*, actor, payroll_period: PayrollPeriod) -> PayrollPeriod:
    """Staff hand the approved month back: every payslip must have its up-to-date PDF."""
    payroll_period = PayrollPeriod.objects.select_for_update().get(pk=payroll_period.pk)
    if payroll_period.stage != PeriodStage.APPROVED:
        raise PayrollRunError(_("Only an approved month can be delivered."))
    missing = Payslip.objects.filter(Q(pdf__isnull=True) | ~Q(pdf_hash=F("content_hash")),
                                     period=payroll_period.period, workspace=payroll_period.workspace).count()
    if missing:
        raise PayrollRunError(ngettext("%(count)d payslip has no up-to-date PDF: render the payslips first.",
                                       "%(count)d payslips have no up-to-date PDF: render the payslips first.",
                                       missing) % {"count": missing})
    return payroll_period_set_stage(actor=actor, payroll_period=payroll_period, stage=PeriodStage.DELIVERED)


# --- the monthly declaration (DSN-shaped) ---------------------------------------------------

class DeclarationInvalid(Exception):
    """The declaration failed its structural checks (`problems`), or could not be built."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# Payslip lines paid to a health or provident insurer: the workspace's schemes (by kind) and the
# rate table's compulsory cadres' provident (ANI 17/11/2017), which goes to the cadres' provident contract.
SCHEME_LINE_CODES = {"health": "health", "provident": "provident", "prevoyance_cadres": "provident"}


def _contracts(schemes) -> dict[tuple[str, str], str]:
    """(insurer's code, contract reference) → the contract's technical id in the declaration."""
    keys = sorted({(s.organisation_code, s.contract_reference) for s in schemes
                   if s.organisation_code and s.contract_reference})
    return {key: str(number) for number, key in enumerate(keys, start=1)}


def _affiliations(lines, schemes, contracts, *, status: str, trade_category: str
                  ) -> tuple[list[Affiliation], list[str]]:
    """A person's health and provident contributions by contract (S21.G00.70, bases 31), and the
    labels of the lines no declared contract carries. A scheme's line is found by its kind and
    label among the schemes that apply to the person; the table's cadres' provident goes to the
    provident scheme of the cadres (or of everyone) that names a contract."""
    applies = {"all", status} | ({trade_category} if trade_category and status == "non_cadre" else set())
    found: dict[str, dict] = {}
    missing: list[str] = []
    for line in lines:
        kind = SCHEME_LINE_CODES.get(line.code)
        if kind is None or not (line.employee_amount or line.employer_amount):
            continue
        candidates = [s for s in schemes if s.kind == kind and s.applies_to in applies
                      and (line.code == "prevoyance_cadres" or s.label == line.label)]
        if line.code == "prevoyance_cadres":
            candidates = [s for s in candidates if s.applies_to in ("cadre", "all") and s.organisation_code]
        scheme = next(iter(candidates), None)
        adhesion = contracts.get((scheme.organisation_code, scheme.contract_reference)) if scheme else None
        if adhesion is None:
            missing.append(line.label)
            continue
        item = found.setdefault(adhesion, {"base": ZERO, "amount": ZERO, "option": scheme.option_code,
                                           "population": scheme.population_code})
        item["base"] = max(item["base"], line.base or ZERO)
        item["amount"] += line.employee_amount + line.employer_amount
    return [Affiliation(adhesion=key, **value) for key, value in sorted(found.items())], missing


def _dsn_employee(payslip: Payslip, employment: Employment | None, rg_retirement_share: Decimal,
                  exit_date: datetime.date | None = None, default_risk_code: str = "", schemes=(),
                  contracts=None) -> DsnEmployee:
    lines = list(payslip.lines.all())
    affiliations, unaffiliated = _affiliations(
        lines, schemes, contracts or {}, status=payslip.status,
        trade_category=employment.trade_category if employment else "")

    def base_of(code: str) -> Decimal:
        return next((line.base for line in lines if line.code == code and line.base is not None), ZERO)

    # S21.G00.50.004, montant net versé (cahier technique 2026): net taxable pay minus the
    # non-deductible CSG and the CRDS minus the employer health share; the withholding tax and
    # reimbursed expenses do not change it.
    net_paid_dsn = (payslip.taxable_net
                    - sum((line.employee_amount for line in lines if line.code in ("csg_non_deductible", "crds")), ZERO)
                    - sum((line.employer_amount for line in lines if line.code == "health"), ZERO))
    person = payslip.entrepreneur
    return DsnEmployee(
        nir=person.nir, last_name=person.last_name, first_name=person.first_name, birth_date=person.birth_date,
        matricule=person.matricule, contract_start=employment.start_date if employment else person.entry_date,
        status=payslip.status, job_title=(employment.job_title if employment else "") or person.trade,
        hours=payslip.hours, gross=payslip.gross, capped_gross=base_of("vieillesse_plafonnee"),
        csg_base=base_of("csg_deductible"), unemployment_base=base_of("chomage"), taxable_net=payslip.taxable_net,
        net_paid=net_paid_dsn, pas_rate=payslip.pas_rate, pas_amount=payslip.pas_amount,
        lines=[(line.code, line.base, line.employee_amount, line.employer_amount) for line in lines],
        net_social=payslip.net_social, pas_from_grid=payslip.pas_source == RateSource.GRID,
        reduction=payslip.reduction_generale, rg_smic=cents(payslip.rg_smic) if payslip.rg_smic is not None else None,
        rg_retirement_share=rg_retirement_share, exit_date=exit_date,
        exit_reason=(employment.exit_reason or ("031" if employment.fixed_term else "")) if employment else "",
        trade_category=employment.trade_category if employment else "", nationality=person.nationality,
        at_mp_risk_code=(employment.risk_rate.risk_code if employment and employment.risk_rate_id
                         else default_risk_code),
        at_mp_rate=next((line.employer_rate for line in lines if line.code == "at_mp"), None),
        affiliations=affiliations, unaffiliated=unaffiliated)


# AGIRC-ARRCO employer rates the réduction générale is imputed on: 4.72 % (tranche 1) + 1.29 %
# (CEG tranche 1). Its part of the reduction is the reduction × 6.01 % / T, T being the
# coefficient's maximum (L241-13 and D241-7 CSS; declared under code 106, the rest under 018).
RG_RETIREMENT_RATE = Decimal("6.01")


def rg_retirement_share(rates, *, headcount_50_plus: bool) -> Decimal:
    t_max = rates.param("RG_T_MIN") + rates.param("RG_T_DELTA_GE50" if headcount_50_plus else "RG_T_DELTA_LT50")
    return RG_RETIREMENT_RATE / (t_max * 100)


def _exits_in_month(workspace: Workspace, payroll_period: PayrollPeriod, employments) -> dict[int, datetime.date]:
    """Per entrepreneur, the last day of a contract that ends within the month: the monthly
    file's exit date, the employment's end date or the entrepreneur's exit date (the earliest)."""
    month = payroll_period.period
    found: dict[int, list[datetime.date]] = {}
    submission = confirmed_submission(payroll_period)
    if submission is not None:
        for entrepreneur_id, day in SubmissionLine.objects.filter(submission=submission, exit_date__isnull=False) \
                .values_list("entrepreneur_id", "exit_date"):
            found.setdefault(entrepreneur_id, []).append(day)
    for employment in employments.values():
        for day in (employment.end_date, employment.entrepreneur.exit_date):
            if _within(day, month):
                found.setdefault(employment.entrepreneur_id, []).append(day)
    return {entrepreneur_id: min(days) for entrepreneur_id, days in found.items()}


def _headcount_at_month_end(workspace: Workspace, period: datetime.date) -> int:
    """S21.G00.11.008: the salaried contracts (CESA) running on the month's last day."""
    end = last_day(period)
    return (Employment.objects.filter(workspace=workspace, contract_type=ContractType.CESA, start_date__lte=end)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=end)).count())


@transaction.atomic
def payroll_declaration_generate(*, actor, payroll_period: PayrollPeriod) -> Declaration:
    """Build the month's DSN-shaped declaration, check its structure (dsn_check) and store it
    as a Declaration with its Document. Refused (DeclarationInvalid) when a check fails: a file
    that fails our structural checks is never stored. The official validator (DSN-VAL) must
    still be run on the file before filing."""
    payroll_period = PayrollPeriod.objects.select_related("workspace").get(pk=payroll_period.pk)
    if payroll_period.stage not in (PeriodStage.COMPUTED, PeriodStage.APPROVED, PeriodStage.DELIVERED):
        raise PayrollRunError(_("Compute the month before generating its declaration."))
    workspace = payroll_period.workspace
    settings = (PayrollSettings.objects.filter(workspace=workspace)
                .prefetch_related("brackets", "schemes").first())
    if settings is None:
        raise PayrollRunError(_("The workspace's payroll settings are missing."))
    payslips = list(Payslip.objects.filter(workspace=workspace, period=payroll_period.period)
                    .select_related("entrepreneur").prefetch_related("lines")
                    .order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk"))
    if not payslips:
        raise PayrollRunError(_("No payslip this month: nothing to declare."))
    employments = {e.entrepreneur_id: e for e in Employment.objects.filter(workspace=workspace)}
    headcount = workspace_headcount(workspace, payroll_period.period.year, settings).retained
    schemes = list(settings.schemes.all())
    contracts = _contracts(schemes)
    employer = DsnEmployer(
        siren=workspace.siren, siret=settings.siret, name=workspace.name, address=workspace.address,
        postal_code=workspace.postal_code, city=workspace.city, naf=settings.naf_code, idcc=settings.idcc,
        headcount=_headcount_at_month_end(workspace, payroll_period.period),
        contact_name=settings.dsn_contact_name, contact_email=settings.dsn_contact_email,
        contact_phone=settings.dsn_contact_phone, urssaf_siret=settings.urssaf_siret,
        agirc_arrco_siret=settings.agirc_arrco_siret, debit_iban=settings.debit_iban, debit_bic=settings.debit_bic,
        mobility_rate=settings.mobility_rate, mobility_commune=settings.mobility_commune,
        leave_fund=settings.paid_leave_fund,
        contracts=[(number, *key) for key, number in contracts.items()],
        leave_fund_code=settings.leave_fund_dsn_code if settings.paid_leave_fund else "")
    try:
        _table, rates = rate_set_for(payroll_period.period)
    except NoRateTable as exc:
        raise PayrollRunError(str(exc)) from exc
    share = rg_retirement_share(rates, headcount_50_plus=headcount >= 50)
    order_number = Declaration.objects.filter(period=payroll_period).count() + 1
    try:
        exits = _exits_in_month(workspace, payroll_period, employments)
        text = dsn_build(employer=employer, employees=[_dsn_employee(p, employments.get(p.entrepreneur_id), share,
                                                                     exits.get(p.entrepreneur_id),
                                                                     settings.at_mp_risk_code, schemes,
                                                                     contracts)
                                                      for p in payslips],
                         period=payroll_period.period, created_on=timezone.localdate(),
                         payment_day=payment_date(payroll_period.period, settings), order_number=order_number)
    except DsnBuildError as exc:
        raise DeclarationInvalid(exc.problems) from exc
    problems = dsn_check(text)
    if problems:
        raise DeclarationInvalid(problems)
    version = norm_version(payroll_period.period)
    document = document_store_generated(
        workspace=workspace, filename=f"dsn_{payroll_period.period:%Y-%m}_{order_number}.txt",
        content=text.encode("latin-1"), content_type="text/plain",
        title=f"DSN {payroll_period.period:%Y-%m} n° {order_number} (à valider avec DSN-VAL)", actor=actor)
    declaration = Declaration.objects.create(
        workspace=workspace, period=payroll_period, norm_version=version, document=document,
        checks=["structure: passed (block order, mandatory rubrics, S90 counts, NIR, amounts, dates)",
                "official validator (DSN-VAL): not run"])
    audit_record(actor=actor, workspace=workspace, action="payroll.declaration_generate", obj=declaration,
                 changes={"employees": len(payslips), "norm_version": version})
    return declaration


def payroll_journal_export(*, actor, payroll_period: PayrollPeriod) -> bytes:
    """The month's payroll journal (xlsx bytes); each export of pay data is audited."""
    from payroll.exports.journal import journal_xlsx

    content = journal_xlsx(payroll_period)
    audit_record(actor=actor, workspace=payroll_period.workspace, action="payroll.journal_export",
                 obj=payroll_period)
    return content
