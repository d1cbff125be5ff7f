"""Work a payslip back from a target: the gross that gives an employer cost or a net.

CAEs send their payroll bureau the month's pay as a gross, an employer cost (what the
entrepreneur's activity funds) or a net (facts file, "fiche navette"). "Net" here is the
**net avant impôt** (net before income tax, ``PayslipResult.net_before_tax``): it does not
depend on the employee's withholding rate, and it is the figure CAEs and their members
mean by "net"; reimbursed expenses are outside it.

Method: bisection on whole cents of ``gross_salary`` (bonuses, hours, schemes… are taken
from the template input), then a scan of the cents around the crossing, because per-line
rounding makes the measure move by uneven steps:

- if some gross reproduces the target to the cent, the smallest such gross is returned;
- otherwise (an employer cost moves by about 1.4 cents per cent of gross, and jumps where
  a rate threshold is crossed) the gross whose figure is closest to the target, the lower
  gross on a tie; ``Solution.exact`` is then False and ``difference`` says by how much.

Employer cost is non-decreasing in gross. The net is not everywhere: crossing the ceiling
switches on the CET and drops the net by a few euros, so a net in that gap has two
answers; the bisection then returns one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from payroll.engine.compute import compute_payslip
from payroll.engine.money import CENT, cents
from payroll.engine.payslip import PayslipInput, PayslipResult
from payroll.engine.rates import RateSet

SCAN_CENTS = 12  # cents either side of the bisection's answer
MAX_DOUBLINGS = 40


@dataclass(frozen=True)
class Solution:
    gross_salary: Decimal
    payslip: PayslipResult
    target: Decimal
    achieved: Decimal

    @property
    def difference(self) -> Decimal:
        """achieved − target (zero when exact)."""
        return self.achieved - self.target

    @property
    def exact(self) -> bool:
        return self.achieved == self.target


def _solve(
    target: Decimal, template: PayslipInput, rates: RateSet, measure: Callable[[PayslipResult], Decimal]
) -> Solution:
    target = cents(target)
    memo: dict[int, PayslipResult] = {}

    def payslip(gross_cents: int) -> PayslipResult:
        if gross_cents not in memo:
            memo[gross_cents] = compute_payslip(replace(template, gross_salary=gross_cents * CENT), rates)
        return memo[gross_cents]

    def value(gross_cents: int) -> Decimal:
        return measure(payslip(gross_cents))

    low, high = 0, max(int(target / CENT) * 2, 100)
    for _ in range(MAX_DOUBLINGS):
        if value(high) >= target:
            break
        high *= 2
    else:
        raise ValueError(f"no gross reaches {target}")
    if value(low) >= target:
        high = low
    while high - low > 1:  # invariant: value(low) < target <= value(high)
        middle = (low + high) // 2
        if value(middle) < target:
            low = middle
        else:
            high = middle

    candidates = range(max(high - SCAN_CENTS, 0), high + SCAN_CENTS + 1)
    best = min(candidates, key=lambda c: (abs(value(c) - target), c))
    return Solution(gross_salary=best * CENT, payslip=payslip(best), target=target, achieved=value(best))


def solve_gross_for_employer_cost(target: Decimal, template: PayslipInput, rates: RateSet) -> Solution:
    """The gross salary whose employer cost (gross + employer contributions − RG) is ``target``."""
    return _solve(target, template, rates, lambda result: result.employer_cost)


def solve_gross_for_net(target: Decimal, template: PayslipInput, rates: RateSet) -> Solution:
    """The gross salary whose net before income tax is ``target``."""
    return _solve(target, template, rates, lambda result: result.net_before_tax)
