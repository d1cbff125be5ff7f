"""Our net before tax against OpenFisca-France's ``salaire_net`` over a grid of payslips.

Skipped when openfisca-france is not installed (it is a test oracle, not a dependency of
the application). One vectorised OpenFisca simulation per period.

Grid per period: cadre and non-cadre × full time, no hours, 80 %, 50 % and 30 h a month ×
pay at 0.3 to 12 ceilings, including just below, at and above 1, 4 and 8 ceilings (the
ceiling being prorated for part time), plus seeded random cases with odd cents.
Tolerance 0.05 €: we round each of ~8 employee lines to the cent, OpenFisca does not round.

Named difference (facts file): the cadres' compulsory 1.50 % provident, paid by the employer,
joins the CSG/CRDS base (L136-1-1 CSS; URSSAF « contributions restant dues »); OpenFisca-France
leaves it out since 2018. For cadres the comparison adds back the CSG and CRDS (9.70 %) that
this line costs in our net.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

pytest.importorskip("openfisca_france")

from payroll.engine import PayslipInput, compute_payslip, rate_set_for  # noqa: E402
from payroll.engine.bases import prorated_ceiling  # noqa: E402
from payroll.engine.money import cents  # noqa: E402
from tests.payroll.openfisca_oracle import OracleCase, salaire_net  # noqa: E402

D = Decimal
TOLERANCE = D("0.05")
PERIODS = [date(2025, 1, 1), date(2025, 7, 1), date(2026, 1, 1), date(2026, 7, 1)]
HOURS: list[Decimal | None] = [D("151.67"), None, D("121.34"), D("75.84"), D("30")]
CEILING_MULTIPLES = [
    "0.3", "0.5", "0.99", "1", "1.01", "2.5", "3.99", "4", "4.01", "6", "7.99", "8", "8.01", "10", "12",
]  # fmt: skip
RANDOM_CASES = 60


def _input(period: date, case: OracleCase) -> PayslipInput:
    return PayslipInput(
        period=period,
        status=case.status,  # type: ignore[arg-type]
        gross_salary=case.gross,
        at_mp_rate=D("1.00"),
        contractual_hours=case.hours,
    )


def grid(period: date) -> list[OracleCase]:
    rates = rate_set_for(period)
    cases = []
    for status in ("non_cadre", "cadre"):
        for hours in HOURS:
            ceiling = prorated_ceiling(_input(period, OracleCase(status, D(0), hours)), rates)
            cases += [OracleCase(status, cents(D(m) * ceiling), hours) for m in CEILING_MULTIPLES]
    rng = random.Random(period.toordinal())
    pmss_cents = int(rates.param("PMSS") * 100)
    for _ in range(RANDOM_CASES):
        hours = rng.choice([D("151.67"), None, D(rng.randint(1000, 15166)) / 100])
        gross = D(rng.randint(300_00, 12 * pmss_cents)) / 100
        cases.append(OracleCase(rng.choice(["non_cadre", "cadre"]), gross, hours))
    return cases


def test_facts_file_example_matches_openfisca() -> None:
    """Facts file: non-cadre, 2 500 € gross in 2026-01 → OpenFisca salaire_net 1 978.99 €."""
    (net,) = salaire_net(date(2026, 1, 1), [OracleCase("non_cadre", D("2500"), D("151.67"))])
    assert cents(net) == D("1978.99")


CSG_CRDS = D("9.70")  # 6.80 + 2.40 + 0.50 (L136-8 CSS, ordonnance 96-50)


def _comparable_net(result) -> Decimal:
    """Our net before tax, less the named difference (the cadres' provident in the CSG base)."""
    if not result.has_line("prevoyance_cadres"):
        return result.net_before_tax
    return result.net_before_tax + result.line("prevoyance_cadres").employer_amount * CSG_CRDS / 100


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_net_before_tax_matches_openfisca_salaire_net(period: date) -> None:
    cases = grid(period)
    rates = rate_set_for(period)
    theirs = salaire_net(period, cases)
    ours = [_comparable_net(compute_payslip(_input(period, case), rates)) for case in cases]
    gaps = sorted(zip(cases, ours, theirs, strict=True), key=lambda row: abs(row[1] - row[2]), reverse=True)
    print(f"{period}: {len(cases)} cases, max |ours − OpenFisca| = {abs(gaps[0][1] - gaps[0][2]):.4f} €")
    worst = [f"{case} ours={o} openfisca={t}" for case, o, t in gaps[:5] if abs(o - t) > TOLERANCE]
    assert not worst, "\n".join(worst)
