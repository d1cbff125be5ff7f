"""Tests of the pure payroll engine (no database).

Sources named in each test: "facts file" is shared/domain/payroll-fr.md; CSS is the
Code de la sécurité sociale; figures are recomputed by hand in the docstrings.
"""

from __future__ import annotations

import copy
import io
import json
import tokenize
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payroll.engine import (
    Activity,
    Bracket,
    ContributionScheme,
    PayslipInput,
    Scheme,
    compute_payslip,
    contribution_for_month,
    load_rate_set,
    rate_set_for,
    solve_gross_for_employer_cost,
    solve_gross_for_net,
)
from payroll.engine.bases import PayContext, ceiling_bases
from payroll.engine.contribution import schedule
from payroll.engine.payslip import PayslipResult
from payroll.engine.rates import BASES, BLOCKS, CONDITIONS, DATA_DIR, available_tables

D = Decimal
JAN_2025 = date(2025, 1, 1)
JUN_2025 = date(2025, 6, 1)
JAN_2026 = date(2026, 1, 1)
SMIC_2025 = D("1801.80")  # 11.88 × 1 820 / 12, facts file
PMSS_2026 = D("4005")


def slip(period: date = JAN_2026, gross: str | Decimal = "2500", **kwargs: object) -> PayslipResult:
    fields: dict[str, object] = {"status": "non_cadre", "at_mp_rate": D("1.00")}
    fields.update(kwargs)
    inp = PayslipInput(period=period, gross_salary=D(gross), **fields)  # type: ignore[arg-type]
    return compute_payslip(inp, rate_set_for(period))


def raw_table(effective: str) -> dict:
    return json.loads((DATA_DIR / f"{effective}.json").read_text(encoding="utf-8"))


# --- rate tables -------------------------------------------------------------------------


@pytest.mark.parametrize("effective", available_tables(), ids=str)
def test_every_table_loads_and_every_line_cites_a_source(effective: date) -> None:
    """Each JSON table is complete and each line carries a legal/URSSAF source."""
    rates = rate_set_for(effective)
    assert rates.period_start == effective
    assert all(line.source.strip() for line in rates.lines)
    assert all(rates.param_sources[name].strip() for name in rates.params)
    expected = {
        "maladie", "at_mp", "vieillesse_plafonnee", "vieillesse_deplafonnee", "agirc_arrco_t1",
        "agirc_arrco_t2", "ceg_t1", "ceg_t2", "cet", "apec", "famille", "chomage", "ags", "fnal",
        "fnal_50_plus", "csa", "dialogue_social", "csg_deductible", "csg_non_deductible", "crds",
        "maladie_alsace_moselle",
    }  # fmt: skip
    assert expected <= {line.code for line in rates.lines}


@pytest.mark.parametrize(
    ("period", "effective"),
    [
        (date(2025, 1, 1), date(2025, 1, 1)),
        (date(2025, 4, 1), date(2025, 1, 1)),
        (date(2025, 5, 1), date(2025, 5, 1)),
        (date(2025, 12, 1), date(2025, 5, 1)),
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 6, 1), date(2026, 6, 1)),
    ],
)
def test_table_in_force_is_latest_effective_date_on_or_before_period(period: date, effective: date) -> None:
    assert rate_set_for(period).period_start == effective


def test_no_table_before_2025() -> None:
    with pytest.raises(LookupError):
        rate_set_for(date(2024, 12, 1))


def test_may_2025_table_changes_only_unemployment_and_rg_t() -> None:
    """Facts file: from 1 May 2025 chômage 4.05 → 4.00 % and T 0.3194/0.3234 → 0.3193/0.3233."""
    jan, may = rate_set_for(date(2025, 1, 1)), rate_set_for(date(2025, 5, 1))
    changed_params = {name for name in jan.params if jan.params[name] != may.params[name]}
    assert changed_params == {"RG_T_DELTA_LT50", "RG_T_DELTA_GE50"}
    assert (may.param("RG_T_DELTA_LT50"), may.param("RG_T_DELTA_GE50")) == (D("0.3193"), D("0.3233"))
    changed_lines = {a.code for a, b in zip(jan.lines, may.lines, strict=True) if a != b}
    assert changed_lines == {"chomage"}
    assert (jan.line("chomage").employer_rate, may.line("chomage").employer_rate) == (D("4.05"), D("4.00"))


def test_2026_tables_abolish_reduced_maladie_and_famille_rates() -> None:
    """Décret 2025-887: the 7 % maladie and 3.45 % famille rates merge into the RGDU in 2026."""
    codes = {line.code for line in rate_set_for(JAN_2026).lines}
    assert "maladie_reduit" not in codes and "famille_reduit" not in codes


def test_loader_refuses_float_rates() -> None:
    """Rates must be exact decimals: a JSON float is refused."""
    data = raw_table("2026-01-01")
    data["lines"][0]["employer_rate"] = 13.0
    with pytest.raises(TypeError):
        load_rate_set(data)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("base", "tranche_z"),
        ("block", "Divers"),
        ("condition", "cadre_sup"),
        ("source", ""),
        ("employer_rate", None),
    ],
)
def test_loader_refuses_malformed_lines(field: str, value: object) -> None:
    data = copy.deepcopy(raw_table("2026-01-01"))
    line = next(line for line in data["lines"] if line["code"] == "csa")
    line[field] = value
    with pytest.raises(ValueError):
        load_rate_set(data)


def test_every_base_and_condition_is_implemented() -> None:
    """The vocabularies declared in rates.py are all computed by bases.py."""
    assert set(ceiling_bases(D(1), D(1))) | {"csg", "employer_schemes"} == set(BASES)
    inp = PayslipInput(period=JAN_2026, status="cadre", gross_salary=D(1), at_mp_rate=D(1))
    context = PayContext(inp=inp, gross=D(1), ceiling=D(1), smic=D(1))
    for name in CONDITIONS:  # an unevaluated condition raises AssertionError
        assert context.holds(f"{name}:1" if name.startswith("gross_") else name) in (True, False)


def test_engine_code_never_uses_float() -> None:
    """House rule: money is Decimal; the engine's code never names ``float``."""
    engine = Path(__file__).resolve().parents[2] / "payroll" / "engine"
    for path in engine.glob("*.py"):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        assert not any(tok.type == tokenize.NAME and tok.string == "float" for tok in tokens), path


def test_input_refuses_float_money() -> None:
    with pytest.raises(TypeError):
        PayslipInput(period=JAN_2026, status="cadre", gross_salary=2500.0, at_mp_rate=D(1))  # type: ignore[arg-type]


# --- reference payslips ------------------------------------------------------------------


def test_facts_file_example_non_cadre_2500_in_2026_nets_1978_99() -> None:
    """Facts file / OpenFisca: non-cadre, 2 500 € gross, 2026-01 → net 1 978.99 €.

    172.50 + 10.00 + 78.75 + 21.50 (pension) + 167.03 + 58.95 + 12.28 (CSG/CRDS on 2 456.25).
    """
    result = slip(gross="2500")
    assert result.total_employee_contributions == D("521.01")
    assert result.net_before_tax == D("1978.99")
    assert result.line("csg_deductible").base == D("2456.25")


def test_net_imposable_adds_back_non_deductible_csg_and_crds() -> None:
    """Art. 154 quinquies CGI: 2.40 % CSG and CRDS are not deductible: 1978.99 + 58.95 + 12.28."""
    assert slip(gross="2500").taxable_net == D("2050.22")


def test_lines_follow_clarified_payslip_block_order() -> None:
    """Arrêté du 25 février 2016 (bulletin clarifié): Santé … Exonérations."""
    result = slip(gross="3000", status="cadre")
    positions = [BLOCKS.index(line.block) for line in result.lines]
    assert positions == sorted(positions)
    assert result.lines[-1].code == "reduction_generale"


def test_each_line_is_rounded_half_up_to_the_cent() -> None:
    """Conventions: ROUND_HALF_UP per line. 0.40 % × 1 001.25 = 4.005 → 4.01 (not 4.00)."""
    assert slip(gross="1001.25").line("vieillesse_deplafonnee").employee_amount == D("4.01")


def test_totals_are_consistent() -> None:
    """Net paid = net before tax − PAS + expenses; employer cost = gross + employer lines."""
    result = slip(gross="3200", pas_rate=D("7.5"), reimbursed_expenses=D("123.45"))
    assert result.pas_amount == (result.taxable_net * D("0.075")).quantize(D("0.01"))
    assert result.net_paid == result.net_before_tax - result.pas_amount + D("123.45")
    assert result.employer_cost == result.gross + sum(line.employer_amount for line in result.lines)
    assert result.net_before_tax == result.gross - sum(line.employee_amount for line in result.lines)


def test_reimbursed_expenses_stay_outside_contribution_bases() -> None:
    without = slip(gross="3200")
    with_expenses = slip(gross="3200", reimbursed_expenses=D("500"))
    assert with_expenses.lines == without.lines
    assert with_expenses.net_paid == without.net_paid + D("500")
    assert with_expenses.employer_cost == without.employer_cost


def test_bonuses_are_part_of_gross() -> None:
    assert slip(gross="2000", bonuses=D("500")).net_before_tax == D("1978.99")


# --- ceilings ----------------------------------------------------------------------------


def test_part_time_ceiling_is_prorated_to_contractual_hours() -> None:
    """R242-7 CSS: ceiling = PMSS × hours / 151.67. 80 %: 4 005 × 121.34 / 151.67 = 3 204.11."""
    result = slip(gross="3500", contractual_hours=D("121.34"))
    assert result.ceiling == D("3204.11")
    assert result.line("vieillesse_plafonnee").base == D("3204.11")
    assert result.line("agirc_arrco_t2").base == D("295.89")
    assert result.has_line("cet")  # pay above the prorated ceiling


def test_full_time_and_no_hours_keep_the_full_ceiling() -> None:
    """R242-7 prorates part time only; overtime does not raise the ceiling."""
    assert slip(gross="3500").ceiling == PMSS_2026
    assert slip(gross="3500", contractual_hours=D("169")).ceiling == PMSS_2026
    assert slip(gross="3500", contractual_hours=None).ceiling == PMSS_2026
    assert not slip(gross="3500").has_line("agirc_arrco_t2")


def test_cet_only_when_pay_exceeds_the_ceiling() -> None:
    """AGIRC-ARRCO ANI 2017: CET 0.14 % / 0.21 % on all pay (≤ 8 PMSS) once pay > PMSS."""
    assert not slip(gross=PMSS_2026).has_line("cet")
    cet = slip(gross=PMSS_2026 + D("0.01")).line("cet")
    assert cet.base == D("4005.01")
    assert (cet.employee_amount, cet.employer_amount) == (D("5.61"), D("8.41"))


def test_apec_is_for_cadres_only_up_to_4_ceilings() -> None:
    """APEC 0.024 % employee / 0.036 % employer, cadres, up to 4 PMSS (facts file; apec.fr)."""
    assert not slip(gross="20000").has_line("apec")
    apec = slip(gross="20000", status="cadre").line("apec")
    assert apec.base == 4 * PMSS_2026
    assert (apec.employee_amount, apec.employer_amount) == (D("3.84"), D("5.77"))


def test_tranche_2_stops_at_8_ceilings_and_unemployment_at_4() -> None:
    """T2 = 1 to 8 PMSS; chômage/AGS up to 4 PMSS (facts file)."""
    result = slip(gross="50000", status="cadre")
    assert result.line("agirc_arrco_t2").base == 7 * PMSS_2026
    assert result.line("cet").base == 8 * PMSS_2026
    assert result.line("chomage").base == 4 * PMSS_2026
    assert result.line("vieillesse_deplafonnee").base == D("50000.00")


def test_csg_allowance_stops_at_4_ceilings() -> None:
    """L136-1-1 CSS: 98.25 % up to 4 PASS, 100 % above: 0.9825 × 16 020 + 3 980 = 19 719.65."""
    assert slip(gross="20000").line("csg_deductible").base == D("19719.65")


# --- conditions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gross", "maladie_code", "rate"),
    [("4054.05", "maladie_reduit", "7.00"), ("4054.06", "maladie", "13.00")],
)
def test_2025_maladie_reduced_rate_up_to_2_25_smic(gross: str, maladie_code: str, rate: str) -> None:
    """D241-3-2 CSS (décret 2025-318): 7 % up to 2.25 × 1 801.80 = 4 054.05 €, 13 % above."""
    result = slip(JAN_2025, gross)
    assert result.line(maladie_code).employer_rate == D(rate)
    assert len(result.block_lines("Santé")) == 1


@pytest.mark.parametrize(("gross", "rate"), [("5945.94", "3.45"), ("5945.95", "5.25")])
def test_2025_famille_reduced_rate_up_to_3_3_smic(gross: str, rate: str) -> None:
    """D241-3-2 CSS (décret 2025-318): 3.45 % up to 3.3 × 1 801.80 = 5 945.94 € (3.5 SMIC until 2024)."""
    (famille,) = slip(JAN_2025, gross).block_lines("Famille")
    assert famille.employer_rate == D(rate)


def test_2026_maladie_13_and_famille_5_25_at_every_pay() -> None:
    """Décret 2025-887: no reduced maladie/famille rate from 2026 (facts file: maladie; OpenFisca: famille)."""
    result = slip(gross="1823.03")
    assert result.line("maladie").employer_rate == D("13.00")
    assert result.line("famille").employer_rate == D("5.25")


def test_fnal_depends_on_headcount() -> None:
    """L813-4 CCH: 0.10 % up to the ceiling under 50 employees, 0.50 % on all pay from 50."""
    small, large = slip(gross="5000"), slip(gross="5000", headcount=50)
    assert (small.line("fnal").base, small.line("fnal").employer_amount) == (PMSS_2026, D("4.01"))
    assert not small.has_line("fnal_50_plus")
    assert (large.line("fnal_50_plus").base, large.line("fnal_50_plus").employer_amount) == (
        D("5000.00"),
        D("25.00"),
    )
    assert not large.has_line("fnal")


def test_alsace_moselle_employee_health_contribution() -> None:
    """Régime local d'Alsace-Moselle: 1.30 % employee on all pay (facts file)."""
    assert not slip(gross="2500").has_line("maladie_alsace_moselle")
    assert slip(gross="2500", alsace_moselle=True).line("maladie_alsace_moselle").employee_amount == D(
        "32.50"
    )


def test_at_mp_rate_comes_from_the_input() -> None:
    """L242-5 CSS: the AT/MP rate is notified per establishment."""
    assert slip(gross="2500", at_mp_rate=D("2.31")).line("at_mp").employer_amount == D("57.75")


# --- health and provident schemes --------------------------------------------------------


def test_employer_scheme_shares_enter_csg_base_and_health_share_is_taxable() -> None:
    """Facts file: employer health/provident shares join the CSG base (100 %);
    art. 83 CGI: the employer health share is taxable; BOSS « Montant net social » (update
    of 14/11/2023): gross minus every employee contribution, health and provident shares
    included, no employer share added."""
    health = Scheme(label="Mutuelle", kind="health", employee_fixed=D("30"), employer_fixed=D("40"))
    provident = Scheme(
        label="Prévoyance",
        kind="provident",
        base="tranche_a",
        employee_rate=D("0.50"),
        employer_rate=D("1.50"),
    )
    plain, covered = slip(gross="3000"), slip(gross="3000", schemes=(health, provident))
    assert covered.line("csg_deductible").base == plain.line("csg_deductible").base + D("40") + D("45")
    assert covered.line("provident").employee_amount == D("15.00")
    assert covered.net_before_tax == D("3000") - covered.total_employee_contributions
    csg_crds = sum(line.employee_amount for line in covered.block_lines("CSG/CRDS non déductible"))
    assert covered.taxable_net == covered.net_before_tax + csg_crds + D("40")
    assert covered.net_social == D("3000") - covered.total_employee_contributions
    assert covered.net_social == covered.net_before_tax


def test_health_scheme_quoted_in_percent_of_pmss() -> None:
    """Health premiums are often a % of the full PMSS: 1.5 % × 4 005 = 60.08, not prorated."""
    scheme = Scheme(label="Mutuelle", kind="health", base="pmss", employer_rate=D("1.5"))
    line = slip(gross="1000", contractual_hours=D("60"), schemes=(scheme,)).line("health")
    assert (line.base, line.employer_amount) == (PMSS_2026, D("60.08"))


# --- réduction générale ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gross", "headcount_50_plus", "coefficient"),
    [
        ("1823.03", False, "0.3981"),
        ("1823.03", True, "0.4021"),
        ("2278.79", False, "0.2225"),
        ("2278.79", True, "0.2247"),
    ],
)
def test_rgdu_2026_published_coefficients(gross: str, headcount_50_plus: bool, coefficient: str) -> None:
    """RGDU, décret 2025-887 (facts file checks): 0.3981 / 0.4021 at 1 SMIC, 0.2225 / 0.2247
    at 1.25 SMIC (1.25 × 1 823.03 = 2 278.79)."""
    result = slip(gross=gross, headcount=50 if headcount_50_plus else 1)
    assert result.rg_coefficient == D(coefficient)
    line = result.line("reduction_generale")
    assert line.block == "Exonérations/allègements"
    assert line.employer_amount == -(D(coefficient) * D(gross)).quantize(D("0.01"))
    assert result.reduction_generale == -line.employer_amount


def test_rgdu_floor_below_3_smic_and_zero_from_3_smic() -> None:
    """RGDU: C ≥ T_min = 0.02 below 3 SMIC, 0 at or above 3 SMIC. D241-7: the monthly SMIC is
    1 820 × 12.02 / 12 = 1 823.0333…, so 3 SMIC = 5 469.10 (not 3 × 1 823.03 = 5 469.09)."""
    assert slip(gross="5469.09").rg_coefficient == D("0.0200")
    assert slip(gross="5469.10").rg_coefficient == 0
    assert not slip(gross="5469.10").has_line("reduction_generale")


@pytest.mark.parametrize(
    ("period", "headcount_50_plus", "t"),
    [
        (JAN_2025, False, "0.3194"),
        (JAN_2025, True, "0.3234"),
        (JUN_2025, False, "0.3193"),
        (JUN_2025, True, "0.3233"),
    ],
)
def test_rg_2025_equals_t_at_one_smic(period: date, headcount_50_plus: bool, t: str) -> None:
    """D241-7 CSS / facts file: C = T at 1 SMIC (1 801.80 €); T changes on 1 May 2025."""
    assert slip(period, SMIC_2025, headcount=50 if headcount_50_plus else 1).rg_coefficient == D(t)


def test_rg_2025_is_zero_at_1_6_smic() -> None:
    """L241-13 CSS 2025: no reduction at or above 1.6 SMIC (1.6 × 1 801.80 = 2 882.88)."""
    assert slip(JAN_2025, "2882.88").rg_coefficient == 0
    assert not slip(JAN_2025, "2882.88").has_line("reduction_generale")


def test_rg_2025_formula_at_1_5_smic() -> None:
    """C = 0.3194 / 0.6 × (1.6 / 1.5 − 1) = 0.03549 → 0.0355 (4 decimals, D241-7)."""
    assert slip(JAN_2025, "2702.70").rg_coefficient == D("0.0355")


def test_rg_smic_is_prorated_for_part_time() -> None:
    """D241-7 CSS: the SMIC is prorated to contractual hours: half time at half SMIC is at 1 SMIC."""
    result = slip(gross="911.52", contractual_hours=D("75.835"))
    assert result.smic_reference == D("911.52")
    assert result.rg_coefficient == D("0.3981")


def test_no_hours_uses_the_hour_equivalent() -> None:
    """Facts file (CAE pay not tied to hours): hours = gross ÷ SMIC hourly, capped at 151.67,
    so pay under a monthly SMIC gets the 1-SMIC coefficient and pay above matches full time."""
    assert slip(gross="1000", contractual_hours=None).rg_coefficient == D("0.3981")
    assert slip(gross="3000", contractual_hours=None).rg_coefficient == slip(gross="3000").rg_coefficient


# --- solver ------------------------------------------------------------------------------

TEMPLATES = [
    PayslipInput(period=JAN_2026, status="non_cadre", gross_salary=D(0), at_mp_rate=D("1.00")),
    PayslipInput(
        period=JAN_2025, status="cadre", gross_salary=D(0), at_mp_rate=D("0.70"), headcount=50
    ),
    PayslipInput(
        period=JUN_2025, status="non_cadre", gross_salary=D(0), at_mp_rate=D("1.20"), contractual_hours=None
    ),
    PayslipInput(
        period=JAN_2026,
        status="cadre",
        gross_salary=D(0),
        at_mp_rate=D("1.00"),
        contractual_hours=D("104"),
        bonuses=D("150"),
    ),
]


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=st.sampled_from(TEMPLATES), gross_cents=st.integers(min_value=100_00, max_value=40_000_00))
def test_solver_round_trip_gross_cost_gross(template: PayslipInput, gross_cents: int) -> None:
    """gross → employer cost → gross reproduces the cost to the cent, within a cent of gross."""
    gross = D(gross_cents) / 100
    rates = rate_set_for(template.period)
    cost = compute_payslip(replace(template, gross_salary=gross), rates).employer_cost
    solution = solve_gross_for_employer_cost(cost, template, rates)
    assert solution.exact and solution.payslip.employer_cost == cost
    assert solution.gross_salary <= gross  # the smallest gross with that cost
    assert gross - solution.gross_salary <= D("0.01")


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=st.sampled_from(TEMPLATES), gross_cents=st.integers(min_value=100_00, max_value=40_000_00))
def test_solver_round_trip_gross_net_gross(template: PayslipInput, gross_cents: int) -> None:
    """gross → net before tax → a gross with exactly that net."""
    gross = D(gross_cents) / 100
    rates = rate_set_for(template.period)
    net = compute_payslip(replace(template, gross_salary=gross), rates).net_before_tax
    solution = solve_gross_for_net(net, template, rates)
    assert solution.exact and solution.payslip.net_before_tax == net


def test_solver_for_a_round_employer_cost() -> None:
    """A fiche navette asks for a 3 994.00 € employer cost in January 2026. The cost moves by
    uneven steps (here 3 cents for one cent of gross) and skips 3 994.00: the closest is returned."""
    rates = rate_set_for(JAN_2026)
    solution = solve_gross_for_employer_cost(D("3994"), TEMPLATES[0], rates)
    assert (solution.gross_salary, solution.achieved, solution.exact) == (D("3024.27"), D("3994.01"), False)
    one_cent_less = replace(TEMPLATES[0], gross_salary=solution.gross_salary - D("0.01"))
    assert compute_payslip(one_cent_less, rates).employer_cost == D("3993.98")
    assert solve_gross_for_employer_cost(D("3994.01"), TEMPLATES[0], rates).exact


def test_solver_returns_closest_cent_when_target_falls_in_a_jump() -> None:
    """2025: the maladie rate jumps 7 → 13 % above 2.25 SMIC (4 054.05 €), so employer costs
    between the two sides cannot be reached; the closest one is returned."""
    rates = rate_set_for(JAN_2025)
    template = TEMPLATES[0]
    below = compute_payslip(
        replace(template, period=JAN_2025, gross_salary=D("4054.05")), rates
    ).employer_cost
    above = compute_payslip(
        replace(template, period=JAN_2025, gross_salary=D("4054.06")), rates
    ).employer_cost
    assert above - below > D("200")
    solution = solve_gross_for_employer_cost(below + D("50"), replace(template, period=JAN_2025), rates)
    assert not solution.exact
    assert (solution.gross_salary, solution.difference) == (D("4054.05"), D("-50.00"))


# --- CAE contribution --------------------------------------------------------------------

DECREASING = ContributionScheme(
    brackets=(Bracket(D(0), D(10)), Bracket(D(35000), D(8)), Bracket(D(45000), D(6))),
)
ENTRY = date(2024, 1, 10)


def owed(scheme: ContributionScheme, month: str, before: str, period: date = JUN_2025) -> Decimal:
    return contribution_for_month(
        scheme,
        period=period,
        entry_date=ENTRY,
        month=Activity(D(month)),
        year_to_date_before=Activity(D(before)),
    ).amount


def test_flat_rate_contribution() -> None:
    """Facts file: flat 10–12 % of revenue; 11.5 % × 4 321.10 = 496.93."""
    assert owed(ContributionScheme.flat(D("11.5")), "4321.10", "20000") == D("496.93")


def test_brackets_within_one_bracket() -> None:
    assert owed(DECREASING, "5000", "10000") == D("500.00")
    assert owed(DECREASING, "5000", "50000") == D("300.00")


def test_month_crossing_a_bracket_pays_both_rates() -> None:
    """Facts file brackets (10 %, 8 % from 35 k€, 6 % from 45 k€), marginal like tax brackets:
    30 000 → 40 000 = 5 000 × 10 % + 5 000 × 8 % = 900."""
    assert owed(DECREASING, "10000", "30000") == D("900.00")


def test_month_crossing_two_brackets() -> None:
    """30 000 → 50 000 = 5 000 × 10 % + 10 000 × 8 % + 5 000 × 6 % = 1 600."""
    assert owed(DECREASING, "20000", "30000") == D("1600.00")


def test_months_add_up_to_the_yearly_schedule() -> None:
    """Each side rounded to the cent, so a year's months sum to the schedule of the total."""
    months = [
        D("3333.33"),
        D("12345.67"),
        D("0.05"),
        D("21000.01"),
        D("9999.99"),
        D("-1200.00"),
        D("7777.77"),
    ]
    total, before = D(0), D(0)
    for month in months:
        total += owed(DECREASING, str(month), str(before))
        before += month
    assert total == schedule(before, DECREASING.brackets).quantize(D("0.01"))


def test_contribution_on_gross_margin() -> None:
    """Facts file: 11.5 % of gross margin; margin = revenue − purchases = 6 000."""
    scheme = ContributionScheme.flat(D("11.5"), basis="gross_margin")
    result = contribution_for_month(
        scheme,
        period=JUN_2025,
        entry_date=ENTRY,
        month=Activity(D(10000), D(4000)),
        year_to_date_before=Activity(D(0)),
    )
    assert (result.base_after, result.amount) == (D(6000), D("690.00"))


@pytest.mark.parametrize(
    ("period", "waived"),
    [(date(2025, 3, 1), True), (date(2025, 8, 1), True), (date(2025, 9, 1), False)],
)
def test_waiver_for_the_first_six_months(period: date, waived: bool) -> None:
    """Facts file: some CAEs waive the contribution for 6 months; entry 15 March → March–August."""
    scheme = ContributionScheme(brackets=DECREASING.brackets, waiver_months=6)
    result = contribution_for_month(
        scheme,
        period=period,
        entry_date=date(2025, 3, 15),
        month=Activity(D(1000)),
        year_to_date_before=Activity(D(34500)),
    )
    assert result.waived is waived
    assert result.computed == D("90.00")  # 500 × 10 % + 500 × 8 %: waived months still count
    assert result.amount == (D(0) if waived else D("90.00"))


def test_brackets_must_start_at_zero_and_increase() -> None:
    with pytest.raises(ValueError):
        ContributionScheme(brackets=(Bracket(D(100), D(10)),))
    with pytest.raises(ValueError):
        ContributionScheme(brackets=(Bracket(D(0), D(10)), Bracket(D(0), D(8))))
