"""Employer lines beyond social security (issue 13, item 1) and the headcount that drives them.

Sources: formation professionnelle L6331-1 (0.55 % under 11) and L6331-3 (1 % from 11) Code du
travail; taxe d'apprentissage L6241-1/L6241-2 (0.59 % + 0.09 % solde) and L6241-4 (0.44 %
in Alsace-Moselle, no solde); CPF-CDD L6331-6 (1 % of fixed-term pay); versement mobilité
L2333-64 CGCT (from 11, the transport authority's rate); forfait social L137-15/L137-16 CSS
(8 % of employer provident/health contributions, from 11); PEEC L313-1 CCH (0.45 %, from 50);
cadres' provident CCN 1947 art. 7 / ANI 17 November 2017 (1.50 % of tranche A, employer);
headcount L130-1 and R130-1 CSS. Figures recomputed by hand in each test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from payroll.engine import PayslipInput, Scheme, compute_payslip, rate_set_for
from payroll.engine.headcount import Contract, headcount_for_year, retained_headcount, yearly_headcount
from payroll.engine.payslip import PayslipResult

D = Decimal
JAN_2026 = date(2026, 1, 1)


def slip(gross: str = "2500", **kwargs: object) -> PayslipResult:
    fields: dict[str, object] = {"status": "non_cadre", "at_mp_rate": D("1.00")}
    fields.update(kwargs)
    inp = PayslipInput(period=JAN_2026, gross_salary=D(gross), **fields)  # type: ignore[arg-type]
    return compute_payslip(inp, rate_set_for(JAN_2026))


def employer(result: PayslipResult, code: str) -> Decimal:
    return result.line(code).employer_amount


def test_formation_professionnelle_follows_the_11_threshold() -> None:
    """L6331-1 / L6331-3 Code du travail: 2 500 × 0.55 % = 13.75 under 11; × 1 % = 25.00 from 11."""
    assert employer(slip(headcount=10), "formation_professionnelle") == D("13.75")
    assert not slip(headcount=10).has_line("formation_professionnelle_11_plus")
    assert employer(slip(headcount=11), "formation_professionnelle_11_plus") == D("25.00")
    assert not slip(headcount=11).has_line("formation_professionnelle")


def test_taxe_apprentissage_and_its_solde_and_alsace_moselle() -> None:
    """L6241-1/-2: 0.59 % (14.75) + solde 0.09 % (2.25) of 2 500; L6241-4: 0.44 % (11.00), no solde."""
    result = slip()
    assert (employer(result, "taxe_apprentissage"), employer(result, "taxe_apprentissage_solde")) == (
        D("14.75"), D("2.25"))
    alsace = slip(alsace_moselle=True)
    assert employer(alsace, "taxe_apprentissage_alsace_moselle") == D("11.00")
    assert not alsace.has_line("taxe_apprentissage") and not alsace.has_line("taxe_apprentissage_solde")


def test_cpf_cdd_only_on_fixed_term_contracts() -> None:
    """L6331-6 Code du travail: 1 % of a CDD's pay, 25.00 on 2 500."""
    assert not slip().has_line("cpf_cdd")
    assert employer(slip(fixed_term=True), "cpf_cdd") == D("25.00")


def test_versement_mobilite_from_11_at_the_authority_rate() -> None:
    """L2333-64 CGCT: from 11 employees; 2 500 × 1.75 % (e.g. a rate voted by a transport authority) = 43.75."""
    assert employer(slip(headcount=11, mobility_rate=D("1.75")), "versement_mobilite") == D("43.75")
    assert not slip(headcount=10, mobility_rate=D("1.75")).has_line("versement_mobilite")
    assert not slip(headcount=11).has_line("versement_mobilite")  # no authority: no line


def test_cadres_compulsory_provident_is_always_there_and_joins_the_csg_base() -> None:
    """CCN 1947 art. 7 / ANI 2017: 1.50 % of tranche A for every cadre, 4 005 × 1.50 % = 60.08 at
    5 000 € in 2026; L136-1-1 CSS: employer provident joins the CSG base without allowance:
    5 000 × 98.25 % + 60.08 = 4 972.58."""
    cadre = slip("5000", status="cadre")
    assert employer(cadre, "prevoyance_cadres") == D("60.08")
    assert cadre.line("csg_deductible").base == D("4972.58")
    assert cadre.line("prevoyance_cadres").block == "Santé"
    assert not slip("5000").has_line("prevoyance_cadres")


def test_a_workspace_cadres_provident_scheme_meets_the_compulsory_one_instead_of_doubling_it() -> None:
    """ANI du 17 novembre 2017 art. 1 (CCN 1947 art. 7): the obligation is 1.50 % of tranche A
    paid by the employer to a provident scheme. A CAE's own "Prévoyance cadres 1.50 %" scheme
    on tranche A pays exactly that (4 005 × 1.50 % = 60.08 at 5 000 € in 2026): the legal line
    is left out, not paid twice; the employer cost and the CSG base count 60.08 once."""
    own = Scheme(label="Prévoyance cadres 1,50 %", kind="provident", base="tranche_a", employer_rate=D("1.50"))
    legal_only = slip("5000", status="cadre")
    with_own = slip("5000", status="cadre", schemes=(own,))
    assert not with_own.has_line("prevoyance_cadres")
    assert [line.employer_amount for line in with_own.lines if line.code == "provident"] == [D("60.08")]
    assert with_own.employer_cost == legal_only.employer_cost
    assert with_own.line("csg_deductible").base == D("4972.58")
    # A richer scheme (2 % of all pay: 100.00) covers it too; a smaller one (1 %: 40.05) does
    # not: the compulsory 60.08 stays beside it.
    richer = Scheme(label="Prévoyance", kind="provident", base="total", employer_rate=D("2.00"))
    assert not slip("5000", status="cadre", schemes=(richer,)).has_line("prevoyance_cadres")
    smaller = Scheme(label="Prévoyance", kind="provident", base="tranche_a", employer_rate=D("1.00"))
    assert employer(slip("5000", status="cadre", schemes=(smaller,)), "prevoyance_cadres") == D("60.08")
    # A health scheme is no provident: it does not meet the obligation.
    health = Scheme(label="Mutuelle", kind="health", base="tranche_a", employer_rate=D("2.00"))
    assert slip("5000", status="cadre", schemes=(health,)).has_line("prevoyance_cadres")


def test_forfait_social_on_employer_provident_and_health_from_11() -> None:
    """L137-15/-16 CSS: 8 % of employer provident and health contributions from 11 employees.
    Cadre at 2 500: provident 37.50 + health 40.00 = 77.50 → 6.20."""
    health = Scheme(label="Mutuelle", kind="health", employer_fixed=D("40"))
    result = slip(status="cadre", headcount=11, schemes=(health,))
    assert result.line("forfait_social").base == D("77.50")
    assert employer(result, "forfait_social") == D("6.20")
    assert not slip(status="cadre", headcount=10, schemes=(health,)).has_line("forfait_social")
    assert not slip(headcount=11).has_line("forfait_social")  # nothing to tax


def test_peec_from_50() -> None:
    """L313-1 CCH: 0.45 % from 50 employees, 11.25 on 2 500."""
    assert employer(slip(headcount=50), "peec") == D("11.25")
    assert not slip(headcount=49).has_line("peec")


def test_employer_cost_counts_every_new_line() -> None:
    result = slip(status="cadre", headcount=60, mobility_rate=D("2"), fixed_term=True)
    assert result.employer_cost == result.gross + sum(line.employer_amount for line in result.lines)
    for code in ("formation_professionnelle_11_plus", "taxe_apprentissage", "taxe_apprentissage_solde", "cpf_cdd",
                 "versement_mobilite", "forfait_social", "peec", "prevoyance_cadres", "fnal_50_plus"):
        assert result.has_line(code), code


# --- headcount (L130-1 and R130-1 CSS) --------------------------------------------------------


def test_yearly_headcount_is_the_average_of_month_ends_with_part_time_pro_rata() -> None:
    """R130-1: people employed on the last day of each month, averaged over the months with
    someone employed; a part-timer counts hours / 151.67 (L1111-2 Code du travail)."""
    contracts = [
        Contract(start=date(2025, 1, 1), end=None, hours=None),  # counts 1 all year
        Contract(start=date(2025, 7, 1), end=None, hours=D("75.835")),  # half, from July (6 month-ends)
        Contract(start=date(2025, 3, 10), end=date(2025, 3, 30), hours=None),  # gone before 31 March
    ]
    assert yearly_headcount(contracts, 2025) == D("1.25")  # (12 × 1 + 6 × 0.5) / 12
    assert yearly_headcount([Contract(start=date(2025, 11, 1), end=None, hours=None)], 2025) == D("1")  # 2 months
    assert yearly_headcount(contracts, 2023) == D("0")


def test_threshold_counts_after_five_consecutive_years_and_drops_at_once() -> None:
    """L130-1 II CSS: a threshold counts once reached five calendar years in a row; falling below
    counts at once and the five years start again."""
    yearly = {2021: D("12"), 2022: D("12.5"), 2023: D("11"), 2024: D("13"), 2025: D("12"), 2026: D("9"),
              2027: D("15")}
    assert retained_headcount(yearly, 2024) == 10  # 4 years at 11+: still under 11
    assert retained_headcount(yearly, 2025) == 12  # 2021–2025: crossed
    assert retained_headcount(yearly, 2026) == 9  # down at once
    assert retained_headcount(yearly, 2027) == 10  # five years start again
    fifties = {year: D("55") for year in range(2021, 2026)}
    assert retained_headcount(fifties, 2025) == 55
    assert retained_headcount({**fifties, 2021: D("30")}, 2025) == 49  # 50 not yet crossed, 11 is


def test_headcount_for_year_from_contracts() -> None:
    """Twelve full-time people since 2019: 12 retained in 2026 (2021–2025 averages all 12)."""
    contracts = [Contract(start=date(2019, 1, 1), end=None, hours=None) for _ in range(12)]
    assert headcount_for_year(contracts, 2026) == (12, D("12.00"))
    recent = [Contract(start=date(2024, 1, 1), end=None, hours=None) for _ in range(12)]
    assert headcount_for_year(recent, 2026) == (10, D("12.00"))
