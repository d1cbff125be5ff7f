"""Réduction générale des cotisations patronales (L241-13 and D241-7 CSS).

One formula covers both regimes, with R the month's gross pay and S the reference SMIC
(``bases.smic_reference``), M = ``RG_SMIC_MULTIPLE``::

    C = T_min + T_delta × ((M × S / R − 1) / (M − 1)) ^ P      if R < M × S, else 0

- 2025 (M = 1.6, T_min = 0, P = 1): C = (T / 0.6) × (1.6 × S / R − 1), T = 0.3194 (FNAL
  0.10 %, under 50 staff) or 0.3234 (FNAL 0.50 %); 0.3193 / 0.3233 from 1 May 2025.
- 2026, réduction générale dégressive unique (M = 3, T_min = 0.02, P = 1.75, décret
  2025-887): C = T_min + T_delta × [½ × (3 × S / R − 1)]^1.75, T_delta = 0.3781 (< 50)
  or 0.3821 (≥ 50). Published checks: 0.3981 / 0.4021 at 1 SMIC, 0.2225 / 0.2247 at
  1.25 SMIC.

C is capped at T_min + T_delta (its value at 1 SMIC) and rounded to 4 decimals, half up
(D241-7). The amount is C × R, rounded to the cent.

R and S may be a month's figures or the year-to-date sums (annual computation with
progressive regularisation, D241-7 CSS: see ``compute.py`` and ``PayslipInput.year_to_date``).

Limit: the reduction is not split between URSSAF, AGIRC-ARRCO and unemployment insurance.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from payroll.engine.money import ZERO, cents
from payroll.engine.rates import RateSet

COEFFICIENT_PLACES = Decimal("0.0001")


def rg_coefficient(gross: Decimal, smic: Decimal, rates: RateSet, *, headcount_50_plus: bool) -> Decimal:
    """The réduction générale coefficient for a month's gross pay and reference SMIC."""
    multiple = rates.param("RG_SMIC_MULTIPLE")
    if gross <= 0 or smic <= 0 or gross >= multiple * smic:
        return ZERO
    t_min = rates.param("RG_T_MIN")
    t_delta = rates.param("RG_T_DELTA_GE50" if headcount_50_plus else "RG_T_DELTA_LT50")
    with localcontext() as ctx:
        ctx.prec = 28
        position = (multiple * smic / gross - 1) / (multiple - 1)
        coefficient = t_min + t_delta * position ** rates.param("RG_POWER")
    coefficient = min(coefficient, t_min + t_delta)
    return coefficient.quantize(COEFFICIENT_PLACES, rounding=ROUND_HALF_UP)


def rg_amount(gross: Decimal, coefficient: Decimal) -> Decimal:
    """The reduction in euros: coefficient × gross, to the cent."""
    return cents(coefficient * gross)
