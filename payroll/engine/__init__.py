"""Pure French payroll engine: no Django, no database, Decimal money.

Where each rule lives:
- ``rates.py``: rate tables (JSON in ``payroll/data/rates/``), their shape and loading;
- ``bases.py``: ceiling proration, contribution bases, reference SMIC, line conditions;
- ``reduction.py``: réduction générale (2025) and RGDU (2026);
- ``compute.py``: the payslip, its nets and the employer cost;
- ``solve.py``: gross from a target employer cost or net;
- ``contribution.py``: the CAE's contribution on an entrepreneur's activity;
- ``money.py``: rounding to the cent.
"""

from payroll.engine.compute import compute_payslip
from payroll.engine.contribution import (
    Activity,
    Bracket,
    ContributionResult,
    ContributionScheme,
    contribution_for_month,
)
from payroll.engine.payslip import PayslipInput, PayslipLine, PayslipResult, Scheme
from payroll.engine.rates import RateLine, RateSet, load_rate_set, rate_set_for
from payroll.engine.solve import Solution, solve_gross_for_employer_cost, solve_gross_for_net

__all__ = [
    "Activity",
    "Bracket",
    "ContributionResult",
    "ContributionScheme",
    "PayslipInput",
    "PayslipLine",
    "PayslipResult",
    "RateLine",
    "RateSet",
    "Scheme",
    "Solution",
    "compute_payslip",
    "contribution_for_month",
    "load_rate_set",
    "rate_set_for",
    "solve_gross_for_employer_cost",
    "solve_gross_for_net",
]
