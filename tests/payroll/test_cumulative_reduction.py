"""The réduction générale / RGDU computed on the year to date, and proration for entries,
exits and unpaid absences (issue 13, item 2).

Sources: D241-7 CSS (annual computation: the coefficient on the year's pay and SMIC, applied
progressively month by month); R242-2 CSS (ceiling prorated by calendar days of presence on an
entry or exit, décret 2017-858; e.g. legisocial's 17/31 of the PMSS for an entry on 15 January);
the review's example in issue 13 (104-hour contract entering on the 16th, 1 000 € gross:
about 109 € of RGDU, not 398.10 €).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from payroll.engine import PayslipInput, compute_payslip, rate_set_for
from payroll.engine.money import cents
from payroll.engine.payslip import YearToDate
from payroll.engine.reduction import rg_coefficient

D = Decimal
JUNE_2026 = date(2026, 6, 1)


def test_review_example_104_hours_entering_on_the_16th() -> None:
    """Tuesday 16 June 2026: 11 of June's 22 working days are paid, 52 of the 104 hours; SMIC
    1 823.0333 × 52 / 151.67 = 625.03 (D241-7 keeps the 1 January SMIC, 12.02 €).
    C = 0.02 + 0.3781 × [½ (3 × 625.03 / 1 000 − 1)]^1.75 = 0.1090 → 109.00 €.
    Without the entry date the month would get the full part-time SMIC and 398.10 €."""
    rates = rate_set_for(JUNE_2026)
    base = PayslipInput(period=JUNE_2026, status="non_cadre", gross_salary=D("1000"), at_mp_rate=D("1"),
                        contractual_hours=D("104"))
    assert compute_payslip(base, rates).reduction_generale == D("398.10")
    entered = compute_payslip(replace(base, entry_date=date(2026, 6, 16)), rates)
    assert (entered.smic_reference, entered.rg_coefficient, entered.reduction_generale) == (
        D("625.03"), D("0.1090"), D("109.00"))
    # R242-2: ceiling 4 005 × 104 / 151.67 × 15 / 30 days = 1 373.11
    assert entered.ceiling == D("1373.11")


def test_ceiling_prorated_by_calendar_days_on_entry_and_exit() -> None:
    """R242-2 CSS: entry on 15 January 2026 → 4 005 × 17 / 31 = 2 196.29; exit on 20 February
    → 4 005 × 20 / 28 = 2 860.71. Tranche A is capped there."""
    jan, feb = date(2026, 1, 1), date(2026, 2, 1)
    entry = compute_payslip(PayslipInput(period=jan, status="non_cadre", gross_salary=D("3000"), at_mp_rate=D("1"),
                                         entry_date=date(2026, 1, 15)), rate_set_for(jan))
    assert entry.ceiling == D("2196.29") and entry.line("vieillesse_plafonnee").base == D("2196.29")
    exit_ = compute_payslip(PayslipInput(period=feb, status="non_cadre", gross_salary=D("3000"), at_mp_rate=D("1"),
                                         exit_date=date(2026, 2, 20)), rate_set_for(feb))
    assert exit_.ceiling == D("2860.71")


def test_unpaid_absence_reduces_smic_and_ceiling() -> None:
    """30 unpaid hours of 151.67: SMIC 1 823.0333 × 121.67 / 151.67 = 1 462.44, ceiling
    4 005 × 121.67 / 151.67 = 3 212.82 (R242-2, D241-7)."""
    result = compute_payslip(PayslipInput(period=JUNE_2026, status="non_cadre", gross_salary=D("1500"),
                                          at_mp_rate=D("1"), absence_hours=D("30")), rate_set_for(JUNE_2026))
    assert (result.smic_reference, result.ceiling) == (D("1462.44"), D("3212.82"))


MONTHLY_PAY = ["1823.03", "2600", "1900", "4500", "1823.03", "2100", "3300", "1823.03", "5200", "2000", "1823.03",
               "7000"]


def _year(pays: list[str]) -> list:
    """Twelve months of 2026 for a full-time entrepreneur whose pay follows activity, each month
    computed with the year to date of the months before (as the payroll run rebuilds it)."""
    results, ytd = [], YearToDate()
    for month, pay in enumerate(pays, start=1):
        period = date(2026, month, 1)
        result = compute_payslip(PayslipInput(period=period, status="non_cadre", gross_salary=D(pay),
                                              at_mp_rate=D("1"), year_to_date=ytd), rate_set_for(period))
        results.append(result)
        ytd = YearToDate(gross=ytd.gross + result.gross, smic=ytd.smic + result.rg_smic,
                         reduction=ytd.reduction + result.reduction_generale)
    return results


def test_twelve_months_of_variable_pay_add_up_to_the_annual_formula_to_the_cent() -> None:
    """D241-7 CSS: the year's reduction is C(annual pay, annual SMIC) × annual pay, annual SMIC =
    1 820 × 12.02 = 21 876.40 € for a full-time year. Month by month the variable pay would get
    more (each low month gets a high coefficient); the regularisation lines take it back."""
    results = _year(MONTHLY_PAY)
    annual_pay = sum(D(pay) for pay in MONTHLY_PAY)
    rates = rate_set_for(date(2026, 12, 1))
    annual_smic = D("1820") * D("12.02")
    expected = cents(rg_coefficient(annual_pay, annual_smic, rates, headcount_50_plus=False) * annual_pay)
    assert sum(r.reduction_generale for r in results) == expected
    month_alone = sum(r.line("reduction_generale").employer_amount for r in results if r.has_line("reduction_generale"))
    assert -month_alone > expected  # what a month-by-month engine would have given
    assert any(r.has_line("reduction_generale_regularisation") for r in results)
    assert all(r.reduction_generale == -sum(line.employer_amount for line in r.lines
                                            if line.code.startswith("reduction_generale")) for r in results)


def test_a_corrected_month_flows_into_the_next_month_computed() -> None:
    """March corrected from 1 900 to 3 900 after April was paid: May, computed from the stored
    figures (March corrected), brings the year to date back onto the annual formula."""
    first = _year(MONTHLY_PAY[:5])
    corrected = MONTHLY_PAY[:2] + ["3900"] + MONTHLY_PAY[3:5]
    redone = _year(corrected)
    rates = rate_set_for(date(2026, 5, 1))
    pay = sum(D(p) for p in corrected)
    smic = sum(r.rg_smic for r in redone)
    assert sum(r.reduction_generale for r in redone) == cents(
        rg_coefficient(pay, smic, rates, headcount_50_plus=False) * pay)
    assert redone[4].reduction_generale != first[4].reduction_generale


def test_without_year_to_date_the_month_stands_alone() -> None:
    """A simulation of one month (no year to date) has no regularisation line."""
    result = compute_payslip(PayslipInput(period=JUNE_2026, status="non_cadre", gross_salary=D("2000"),
                                          at_mp_rate=D("1")), rate_set_for(JUNE_2026))
    assert not result.has_line("reduction_generale_regularisation") and result.rg_regularisation == 0


def test_progressive_regularisation_of_the_ceiling() -> None:
    """R243-10 CSS (progressive regularisation): January 6 000 € puts 1 995 € in tranche 2 on a
    4 005 € ceiling; February 2 000 €: the year, 8 000 € on 8 010 € of ceilings, is all tranche A,
    so February's tranche A base is 8 000 − 4 005 = 3 995 € and its tranche 2 base −1 995 € (the
    AGIRC-ARRCO T2 of January is given back: 1 995 × 8.64 % = 172.37 € to the employee)."""
    jan, feb = date(2026, 1, 1), date(2026, 2, 1)
    first = compute_payslip(PayslipInput(period=jan, status="non_cadre", gross_salary=D("6000"), at_mp_rate=D("1"),
                                         year_to_date=YearToDate(ceiling=D(0))), rate_set_for(jan))
    assert first.sliced_bases == (D("4005.00"), D("1995.00"), D("6000.00"), D("6000.00"))
    ytd = YearToDate(gross=first.gross, smic=first.rg_smic, reduction=first.reduction_generale,
                     ceiling=first.ceiling_exact, tranche_a=first.sliced_bases[0], tranche_2=first.sliced_bases[1],
                     up_to_4=first.sliced_bases[2], up_to_8=first.sliced_bases[3])
    second = compute_payslip(PayslipInput(period=feb, status="non_cadre", gross_salary=D("2000"), at_mp_rate=D("1"),
                                          year_to_date=ytd), rate_set_for(feb))
    assert second.line("vieillesse_plafonnee").base == D("3995.00")
    t2 = second.line("agirc_arrco_t2")
    assert (t2.base, t2.employee_amount) == (D("-1995.00"), D("-172.37"))
    assert second.sliced_bases[0] + first.sliced_bases[0] == D("8000.00")  # the year's pay, all under the ceiling
