"""Compute a French payslip from a :class:`PayslipInput` and a :class:`RateSet`.

Order of work:
1. gross, ceiling (prorated for part time) and reference SMIC (``bases.py``);
2. complementary health/provident scheme lines (they feed the CSG base);
3. every rate-table line whose condition holds (``rates.py`` data, ``bases.py`` rules);
4. the réduction générale, a negative employer line (``reduction.py``), computed on the year to
   date when the input has one, with the catch-up on earlier months as its own line
   (progressive regularisation, D241-7 CSS);
5. the nets, the withholding tax and the employer cost (below).

Net figures (R3243-1 Code du travail, clarified payslip):
- net avant impôt = gross − every employee contribution (scheme shares included);
- net imposable = net avant impôt + CSG non déductible + CRDS + employer health share
  (art. 83 CGI; the employer provident share stays non-taxable);
- PAS = net imposable × rate, to the cent (art. 204 A CGI); without a rate from the tax
  administration, the rate of the non-personalised grid for that net imposable (art. 204 H III
  CGI, ``withholding.py``);
- net payé = net avant impôt − PAS + reimbursed expenses (outside any contribution base);
- montant net social = gross − every employee contribution, legal ones (CSG/CRDS included)
  and complementary health and provident shares alike, with no employer share added
  (BOSS, « Montant net social », update of 14 November 2023);
- employer cost = gross + employer contributions − réduction générale (expenses excluded).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from payroll.engine.bases import PayContext, ceiling_bases, csg_base, prorated_ceiling, smic_reference
from payroll.engine.money import CENT, HUNDRED, ZERO, apply_rate, cents
from payroll.engine.payslip import CEILING_SLICES, PayslipInput, PayslipLine, PayslipResult, Scheme
from payroll.engine.rates import (
    BAD_WEATHER_CODE,
    BLOCK_CSG_NON_DEDUCTIBLE,
    BLOCK_EXONERATIONS,
    BLOCK_SANTE,
    BLOCKS,
    LEAVE_FUND_CODE,
    MOBILITY_CODE,
    PROVIDENT_CODES,
    RateLine,
    RateSet,
)
from payroll.engine.reduction import rg_amount, rg_coefficient
from payroll.engine.withholding import non_personalised_rate

SIX_PLACES = Decimal("0.000001")
RG_CODE = "reduction_generale"
RG_LABEL = "Réduction générale des cotisations patronales"
RG_REGULARISATION_CODE = "reduction_generale_regularisation"
RG_REGULARISATION_LABEL = "Régularisation de la réduction générale (calcul annuel cumulé depuis janvier)"


def _scheme_line(scheme: Scheme, bases: dict[str, Decimal], pmss: Decimal) -> PayslipLine:
    if scheme.base == "pmss":
        base = pmss
    elif scheme.base in bases:
        base = bases[scheme.base]
    else:
        raise ValueError(f"scheme {scheme.label!r}: unknown base {scheme.base!r}")
    rated = bool(scheme.employee_rate or scheme.employer_rate)
    return PayslipLine(
        code=scheme.kind,
        label=scheme.label,
        block=BLOCK_SANTE,
        base=base if rated else None,
        employee_rate=scheme.employee_rate if rated else None,
        employee_amount=apply_rate(base, scheme.employee_rate) + cents(scheme.employee_fixed),
        employer_rate=scheme.employer_rate if rated else None,
        employer_amount=apply_rate(base, scheme.employer_rate) + cents(scheme.employer_fixed),
    )


def _rate_line(rate_line: RateLine, base: Decimal, inp: PayslipInput) -> PayslipLine:
    employer_rate = rate_line.employer_rate
    if employer_rate is None:  # notified per establishment or fund (rates.INPUT_RATE_CODES)
        employer_rate = {MOBILITY_CODE: inp.mobility_rate, LEAVE_FUND_CODE: inp.leave_fund_rate,
                         BAD_WEATHER_CODE: inp.bad_weather_rate}.get(rate_line.code, inp.at_mp_rate)
    return PayslipLine(
        code=rate_line.code,
        label=rate_line.label,
        block=rate_line.block,
        base=base,
        employee_rate=rate_line.employee_rate,
        employee_amount=apply_rate(base, rate_line.employee_rate),
        employer_rate=employer_rate,
        employer_amount=apply_rate(base, employer_rate),
    )


def _covered_by_scheme(legal: PayslipLine, scheme_lines: list[PayslipLine]) -> bool:
    """Whether a workspace provident scheme already pays the compulsory cadres' provident.

    ANI du 17 novembre 2017 art. 1 (CCN 1947 art. 7): the obligation is an employer contribution
    of 1.50 % of tranche A to a provident scheme, not a second scheme: a CAE whose own
    "prévoyance cadres" scheme gives the employer's share of at least that amount meets it, and
    the table's line is then left out instead of paid twice. A smaller scheme does not meet it:
    the legal line stays (the shortfall is the employer's)."""
    return any(line.code == "provident" and line.employer_amount >= legal.employer_amount
               for line in scheme_lines)


def _scheme_total(lines: list[PayslipLine], kind: str, side: str) -> Decimal:
    return sum((getattr(line, f"{side}_amount") for line in lines if line.code == kind), ZERO)


def compute_payslip(inp: PayslipInput, rates: RateSet) -> PayslipResult:
    """Compute every line and total of one month's payslip. Pure: no I/O, no Django."""
    gross = cents(inp.gross)
    ceiling = prorated_ceiling(inp, rates)
    ytd = inp.year_to_date
    bases = ceiling_bases(gross, ceiling)
    above = None
    if ytd is not None and ytd.ceiling is not None:
        # R243-10 CSS, progressive regularisation: the year's pay sliced on the year's ceiling,
        # less what the earlier months already carried (a month may give back: negative bases).
        year = ceiling_bases(ytd.gross + gross, ytd.ceiling + ceiling)
        for name in CEILING_SLICES:
            bases[name] = year[name] - getattr(ytd, name)
        above = ytd.gross + gross > ytd.ceiling + ceiling
    ctx = PayContext(inp=inp, gross=gross, ceiling=ceiling, smic=smic_reference(inp, rates), above_ceiling=above)

    scheme_lines = [_scheme_line(scheme, bases, rates.param("PMSS")) for scheme in inp.schemes]
    # Legal provident lines of the table (cadres' 1.50 %) are provident contributions too; one
    # is met by the workspace's own provident scheme when its employer share reaches it.
    for rate_line in rates.lines:
        if rate_line.code in PROVIDENT_CODES and bases[rate_line.base] and ctx.holds(rate_line.condition):
            legal = _rate_line(rate_line, bases[rate_line.base], inp)
            if not _covered_by_scheme(legal, scheme_lines):
                scheme_lines.append(legal)
    employer_schemes = sum((line.employer_amount for line in scheme_lines), ZERO)
    bases["csg"] = csg_base(gross, ceiling, rates, employer_schemes)
    bases["employer_schemes"] = employer_schemes

    lines: list[PayslipLine] = list(scheme_lines)
    for rate_line in rates.lines:
        base = bases[rate_line.base]
        if rate_line.code in PROVIDENT_CODES or base == 0 or not ctx.holds(rate_line.condition):
            continue
        line = _rate_line(rate_line, base, inp)
        if line.employee_rate or line.employer_rate:  # e.g. no transport authority: no line
            lines.append(line)

    headcount_50_plus = inp.headcount_50_plus
    month_coefficient = rg_coefficient(gross, ctx.smic, rates, headcount_50_plus=headcount_50_plus)
    month_reduction = rg_amount(gross, month_coefficient)
    if ytd is None:
        coefficient, reduction = month_coefficient, month_reduction
    else:  # D241-7 CSS: the coefficient on the year to date, less what earlier months applied
        year_gross = ytd.gross + gross
        coefficient = rg_coefficient(year_gross, ytd.smic + ctx.smic, rates, headcount_50_plus=headcount_50_plus)
        reduction = rg_amount(year_gross, coefficient) - ytd.reduction
    regularisation = reduction - month_reduction
    if month_reduction:
        lines.append(
            PayslipLine(
                code=RG_CODE,
                label=RG_LABEL,
                block=BLOCK_EXONERATIONS,
                base=gross,
                employee_rate=None,
                employee_amount=ZERO,
                employer_rate=(-month_coefficient * HUNDRED).quantize(CENT),
                employer_amount=-month_reduction,
            )
        )
    if regularisation:
        lines.append(
            PayslipLine(
                code=RG_REGULARISATION_CODE,
                label=RG_REGULARISATION_LABEL,
                block=BLOCK_EXONERATIONS,
                base=None,
                employee_rate=None,
                employee_amount=ZERO,
                employer_rate=None,
                employer_amount=-regularisation,
            )
        )
    lines.sort(key=lambda line: BLOCKS.index(line.block))  # stable: table order within a block

    total_employee = sum((line.employee_amount for line in lines), ZERO)
    total_employer = sum((line.employer_amount for line in lines), ZERO)
    net_before_tax = gross - total_employee
    non_deductible = sum(
        (line.employee_amount for line in lines if line.block == BLOCK_CSG_NON_DEDUCTIBLE), ZERO
    )
    taxable_net = net_before_tax + non_deductible + _scheme_total(lines, "health", "employer")
    pas_rate = inp.pas_rate
    if pas_rate is None:
        pas_rate = non_personalised_rate(taxable_net, inp.period, inp.pas_territory)
    pas_amount = apply_rate(max(taxable_net, ZERO), pas_rate)
    net_social = gross - total_employee
    return PayslipResult(
        period=inp.period,
        ceiling=cents(ceiling),
        gross=gross,
        lines=tuple(lines),
        total_employee_contributions=total_employee,
        total_employer_contributions=total_employer,
        rg_coefficient=coefficient,
        reduction_generale=reduction,
        net_social=net_social,
        net_before_tax=net_before_tax,
        taxable_net=taxable_net,
        pas_rate=pas_rate,
        pas_from_grid=inp.pas_rate is None,
        pas_amount=pas_amount,
        reimbursed_expenses=cents(inp.reimbursed_expenses),
        net_paid=net_before_tax - pas_amount + cents(inp.reimbursed_expenses),
        employer_cost=gross + total_employer,
        smic_reference=cents(ctx.smic),
        rg_smic=ctx.smic,
        ceiling_exact=ceiling.quantize(SIX_PLACES, rounding=ROUND_HALF_UP),
        sliced_bases=tuple(bases[name] for name in CEILING_SLICES),  # type: ignore[arg-type]
        rg_regularisation=regularisation,
    )
