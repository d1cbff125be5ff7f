"""Payslip simulation: the whole payslip for a gross, an employer cost or a net, written nowhere.

A partner manager or staff picks an entrepreneur (their status and hours come from their
employment data) or a template employee (cadre/non-cadre, hours), enters the month's pay in
one of three ways and sees every line. The figures come from the same engine and data as the
payroll run: payroll.engine.compute_payslip with the rate table in force for the period
(payroll.selectors.rates.rate_set_for, staff-editable), the workspace's settings (AT/MP rate,
headcount band, Alsace-Moselle) and its health/provident schemes.

Targets (payroll/engine/solve.py): "employer_cost" finds the gross whose employer cost
(gross + employer contributions − réduction générale) is the amount; "net" finds the gross
whose net before income tax is the amount (independent of the PAS rate). Per-line rounding
can make a target unreachable to the cent: the closest gross is then shown with the gap.

Nothing is written: no payslip, no billable usage, no audit entry (a simulation is a read).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backoffice.models import Entrepreneur, Workspace
from payroll.engine import PayslipInput, PayslipResult, compute_payslip
from payroll.engine.money import ZERO
from payroll.engine.solve import Solution, solve_gross_for_employer_cost, solve_gross_for_net
from payroll.models import Employment, RateTable
from payroll.selectors.headcount import workspace_headcount
from payroll.selectors.people import employment_allows_payslip, payroll_settings_of
from payroll.selectors.rates import NoRateTable, rate_set_for
from payroll.services.settings import engine_schemes, leave_fund_input

MODES = ("gross", "employer_cost", "net")


class SimulationError(Exception):
    """The simulation cannot run; the message says why and is shown as is."""


class NoPayrollSettings(SimulationError):
    """The workspace's payroll settings are not filled in yet."""


@dataclass(frozen=True)
class Simulation:
    payslip: PayslipResult
    mode: str
    amount: Decimal
    status: str
    hours: Decimal | None
    rate_table: RateTable
    entrepreneur: Entrepreneur | None = None
    solution: Solution | None = None  # for an employer-cost or net target

    @property
    def exact(self) -> bool:
        return self.solution is None or self.solution.exact


def payslip_simulate(*, workspace: Workspace, period: datetime.date, mode: str, amount: Decimal,
                     pas_rate: Decimal = ZERO, entrepreneur: Entrepreneur | None = None,
                     status: str = "non_cadre", hours: Decimal | None = None) -> Simulation:
    """Compute a payslip without writing anything.

    With `entrepreneur`, `status` and `hours` come from their employment data (SimulationError
    for a CAPE holder, who gets no payslip, or when no employment data is recorded); without,
    they describe a template employee (`hours` None: pay follows activity). `mode` is one of
    MODES; `amount`, `pas_rate` and `hours` are Decimals (TypeError otherwise)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    for name, value in (("amount", amount), ("pas_rate", pas_rate)):
        if not isinstance(value, Decimal):
            raise TypeError(f"{name} must be a Decimal")
    if amount < 0:
        raise SimulationError(_("The amount cannot be negative."))
    if not (ZERO <= pas_rate <= 100):
        raise SimulationError(_("The withholding rate is between 0 and 100 %."))
    settings = payroll_settings_of(workspace)
    if settings is None:
        raise NoPayrollSettings(_("This workspace's payroll settings are not filled in yet (SIRET, URSSAF, AT/MP "
                                  "rate…): the payroll team sets them up before any payslip can be computed."))
    employment = None
    if entrepreneur is not None:
        if entrepreneur.workspace_id != workspace.pk:
            raise ValueError("the entrepreneur belongs to another workspace")
        try:
            employment = entrepreneur.employment
        except Employment.DoesNotExist:
            raise SimulationError(_("No employment data is recorded for %(name)s: fill it in, or simulate with a "
                                    "template employee.") % {"name": entrepreneur}) from None
        if not employment_allows_payslip(employment):
            raise SimulationError(_("%(name)s holds a CAPE (support contract): not salaried, so no payslip.") % {
                "name": entrepreneur})
        status, hours = employment.status, employment.contractual_hours
    if hours is not None and hours <= 0:
        hours = None
    try:
        rate_table, rates = rate_set_for(period.replace(day=1))
    except NoRateTable:
        raise SimulationError(_("No rate table is in force for %(period)s.") % {
            "period": date_format(period, "YEAR_MONTH_FORMAT")}) from None

    template = PayslipInput(
        period=period.replace(day=1), status=status, gross_salary=amount if mode == "gross" else ZERO,
        at_mp_rate=employment.risk_rate.rate if employment is not None and employment.risk_rate_id
        else settings.at_mp_rate, contractual_hours=hours, pas_rate=pas_rate,
        headcount=workspace_headcount(workspace, period.year, settings).retained,
        mobility_rate=settings.mobility_rate, fixed_term=bool(employment and employment.fixed_term),
        **leave_fund_input(settings),
        schemes=engine_schemes(settings, status), alsace_moselle=settings.alsace_moselle)
    solution = None
    try:
        if mode == "gross":
            payslip = compute_payslip(template, rates)
        else:
            solve = solve_gross_for_employer_cost if mode == "employer_cost" else solve_gross_for_net
            solution = solve(amount, template, rates)
            payslip = solution.payslip
    except ValueError as exc:
        raise SimulationError(_("This payslip cannot be computed: %(reason)s") % {"reason": exc}) from exc
    return Simulation(payslip=payslip, mode=mode, amount=amount, status=status, hours=hours, rate_table=rate_table,
                      entrepreneur=entrepreneur, solution=solution)
