"""Our employer cost against OpenFisca-France's ``cout_du_travail``.

Both models hold the same employer lines: social security, unemployment and AGS, AGIRC-ARRCO
and CEG/CET, APEC, FNAL (0.10 % under the ceiling / 0.50 % from 50), CSA, dialogue social,
AT/MP, formation professionnelle (0.55 % / 1 % from 11, L6331-1 and L6331-3 Code du travail),
taxe d'apprentissage with its solde (0.59 % + 0.09 %, L6241-1 and L6241-2; OpenFisca has the
0.68 % total), CPF-CDD (1 %, L6331-6), versement mobilité from 11 (L2333-64 CGCT, the rate
given to both), the cadres' compulsory 1.50 % provident (CCN 1947 art. 7, ANI 2017), the forfait
social on it from 11 (L137-15 CSS), PEEC from 50 (L313-1 CCH), and the réduction générale
(2025) or RGDU (2026), D241-7 CSS.

Remaining difference, named: **AGS**. OpenFisca-France 176.1.8 still applies 0.20 %; the rate
is 0.25 % from 1 January 2025 (decision of the AGS board; urssaf.fr, facts file). The test
compares the costs with each model's own AGS taken out.

Not in the grid, named: from 250 employees OpenFisca adds the contribution supplémentaire à
l'apprentissage (CSA, art. 1609 quinvicies CGI, 0.05 % to 0.6 % by the share of work-study
contracts); our rate tables do not hold it yet, so a CAE of 250 or more is not compared.
Tolerance 0.05 €: we round each of ~25 lines to the cent, OpenFisca does not round.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

pytest.importorskip("openfisca_france")

from payroll.engine import PayslipInput, compute_payslip, rate_set_for  # noqa: E402
from tests.payroll.openfisca_oracle import EmployerCase, cout_du_travail  # noqa: E402

D = Decimal
TOLERANCE = D("0.05")
PERIODS = [date(2025, 7, 1), date(2026, 1, 1)]
GROSS = ["1823.03", "2200", "2500", "3650.40", "4005", "5000", "9000", "20000"]


def cases() -> list[EmployerCase]:
    return [
        EmployerCase(status, D(gross), headcount, D("0.70"), D("1.75"), fixed_term)
        for status in ("non_cadre", "cadre")
        for gross in GROSS
        for headcount in (3, 10, 11, 49, 50, 249)
        for fixed_term in (False, True)
    ]


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_employer_cost_matches_openfisca_cout_du_travail(period: date) -> None:
    grid = cases()
    rates = rate_set_for(period)
    theirs = cout_du_travail(period, grid)
    worst = []
    for case, (their_cost, their_ags) in zip(grid, theirs, strict=True):
        result = compute_payslip(
            PayslipInput(
                period=period, status=case.status, gross_salary=case.gross,  # type: ignore[arg-type]
                at_mp_rate=case.at_mp_rate, headcount=case.headcount, mobility_rate=case.mobility_rate,
                fixed_term=case.fixed_term,
            ),
            rates,
        )
        ours = result.employer_cost - result.line("ags").employer_amount
        gap = abs(ours - (their_cost - their_ags))
        if gap > TOLERANCE:
            worst.append(f"{case}: ours {ours} openfisca {their_cost - their_ags} gap {gap}")
    assert not worst, "\n".join(worst[:10])
