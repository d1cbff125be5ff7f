"""The monthly payroll run (payroll/services/runs.py): idempotence, targets, the CAE
contribution over the year, locked months, billable usage, query count."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from backoffice.models import Usage
from payroll.models import PayrollPeriod, PayrollRun, Payslip, PayslipLine
from payroll.services.periods import PeriodLocked, payroll_period_set_stage
from payroll.services.runs import PayrollRunError, payroll_run
from tests.factories import (
    EntrepreneurFactory,
    PayrollBracketFactory,
    PayrollEmploymentFactory,
    PayrollSettingsFactory,
    SubmissionFactory,
    SubmissionLineFactory,
    build_payroll_month,
)

JAN = datetime.date(2026, 1, 1)
FEB = datetime.date(2026, 2, 1)


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        yield world.partner_a


def _snapshot():
    return sorted((p.entrepreneur_id, p.gross, p.net_before_tax, p.net_paid, p.employer_cost, p.cae_contribution,
                   p.content_hash) for p in Payslip.objects.all())


def test_run_stores_payslips_and_lines_and_moves_the_month_to_computed(world, ws):
    period = build_payroll_month(ws, lines=[{"gross_salary": Decimal("2500.00")}, {"status": "cadre",
                                                                                   "gross_salary": Decimal("6000.00")}])
    outcome = payroll_run(actor=world.users["staff"], workspace=ws, period=period)

    assert (outcome.created, outcome.updated, outcome.deleted) == (2, 0, 0)
    period.refresh_from_db()
    assert period.stage == "computed"
    run = PayrollRun.objects.get(period=period)
    assert run.computed_by == world.users["staff"]
    payslips = list(Payslip.objects.filter(run=run).order_by("gross"))
    assert [p.gross for p in payslips] == [Decimal("2500.00"), Decimal("6000.00")]
    # 2 500 € non-cadre, January 2026: net before tax 1 978,99 € (OpenFisca-France salaire_net, payroll-fr.md).
    assert payslips[0].net_before_tax == Decimal("1978.99")
    assert PayslipLine.objects.filter(payslip=payslips[1], code="apec").exists()  # cadre only
    assert not PayslipLine.objects.filter(payslip=payslips[0], code="apec").exists()


def test_running_twice_gives_the_same_payslips_and_bills_once(world, ws):
    period = build_payroll_month(ws, lines=[{}, {"gross_salary": Decimal("3100.50")}, {"revenue": Decimal("8000")}])
    payroll_run(actor=None, workspace=ws, period=period)
    first = _snapshot()
    first_ids = set(Payslip.objects.values_list("pk", flat=True))
    lines = PayslipLine.objects.count()

    second = payroll_run(actor=None, workspace=ws, period=period)

    assert second.count == 3 and second.unchanged == 3 and second.created == 0
    assert _snapshot() == first
    assert set(Payslip.objects.values_list("pk", flat=True)) == first_ids
    assert PayslipLine.objects.count() == lines
    assert Usage.objects.filter(kind="payslip").count() == 3
    assert Usage.objects.filter(kind="payroll_month", reference="payroll:2026-01").count() == 1
    refs = set(Usage.objects.filter(kind="payslip").values_list("reference", flat=True))
    assert refs == {f"payroll:2026-01:{p.entrepreneur_id}" for p in Payslip.objects.all()}


def test_rerun_updates_in_place_and_drops_people_no_longer_in_the_data(world, ws):
    period = build_payroll_month(ws, lines=[{}, {}, {}])
    payroll_run(actor=None, workspace=ws, period=period)
    kept, changed, dropped = list(Payslip.objects.order_by("pk"))
    # A new confirmed version of the month replaces the data: one person gone, one with a new gross.
    old = period.submissions.get()
    old.state = "superseded"
    old.save()
    submission = SubmissionFactory(period=period)
    SubmissionLineFactory(submission=submission, entrepreneur=kept.entrepreneur)
    SubmissionLineFactory(submission=submission, entrepreneur=changed.entrepreneur, gross_salary=Decimal("2700.00"))

    outcome = payroll_run(actor=None, workspace=ws, period=period)

    assert (outcome.unchanged, outcome.updated, outcome.deleted, outcome.created) == (1, 1, 1, 0)
    assert Payslip.objects.get(pk=changed.pk).gross == Decimal("2700.00")
    assert Payslip.objects.get(pk=kept.pk).content_hash == kept.content_hash
    assert not Payslip.objects.filter(pk=dropped.pk).exists()
    assert not PayslipLine.objects.filter(payslip_id=dropped.pk).exists()
    assert not Usage.objects.filter(reference=f"payroll:2026-01:{dropped.entrepreneur_id}").exists()
    assert Usage.objects.filter(kind="payslip").count() == 2


def test_target_employer_cost_gives_that_cost_to_the_cent(ws):
    """A line giving the employer cost (fiche navette: what the activity funds) is worked back
    to the gross whose employer cost is exactly the target (payroll/engine/solve.py). (Per-line
    rounding skips some cents, e.g. 4 000.00 here: 3 999.99 is one the costs reach.)"""
    period = build_payroll_month(ws, lines=[{"gross_salary": None, "target_employer_cost": Decimal("3999.99")}])
    outcome = payroll_run(actor=None, workspace=ws, period=period)
    payslip = Payslip.objects.get()
    assert payslip.employer_cost == Decimal("3999.99")
    assert Decimal("2500") < payslip.gross < Decimal("4000")
    assert outcome.inexact == []


def test_target_net_gives_that_net_before_tax_to_the_cent(ws):
    """"Net" targets are the net before income tax (solve.py): independent of the PAS rate."""
    period = build_payroll_month(ws, lines=[{"gross_salary": None, "target_net": Decimal("2000.00"),
                                             "pas_rate": Decimal("7.50")}])
    payroll_run(actor=None, workspace=ws, period=period)
    payslip = Payslip.objects.get()
    assert payslip.net_before_tax == Decimal("2000.00")
    assert payslip.pas_amount > 0 and payslip.net_paid == payslip.net_before_tax - payslip.pas_amount


def test_contribution_brackets_follow_the_year_to_date_revenue_over_two_months(ws):
    """Marginal brackets on year-to-date revenue (payroll/engine/contribution.py; facts file:
    10 % then 8 % from 35 000 €): January 30 000 € → 3 000 €; February 10 000 € crosses the
    bracket: 5 000 × 10 % + 5 000 × 8 % = 900 €."""
    settings = PayrollSettingsFactory(workspace=ws)
    PayrollBracketFactory(settings=settings, threshold=Decimal("0"), rate=Decimal("10"))
    PayrollBracketFactory(settings=settings, threshold=Decimal("35000"), rate=Decimal("8"))
    person = EntrepreneurFactory(workspace=ws, entry_date=datetime.date(2020, 1, 1))
    january = build_payroll_month(ws, period=JAN, lines=[{"entrepreneur": person, "revenue": Decimal("30000")}])
    payroll_run(actor=None, workspace=ws, period=january)
    payroll_period_set_stage(actor=None, payroll_period=january, stage="approved")
    february = build_payroll_month(ws, period=FEB, lines=[{"entrepreneur": person, "revenue": Decimal("10000")}])
    payroll_run(actor=None, workspace=ws, period=february)

    assert Payslip.objects.get(period=JAN).cae_contribution == Decimal("3000.00")
    assert Payslip.objects.get(period=FEB).cae_contribution == Decimal("900.00")


def test_employment_rate_overrides_the_brackets_and_the_waiver_applies(ws):
    """Per-employment override rate (Employment.contribution_rate) wins over the workspace rule;
    a waiver of N months after entry owes nothing (facts file: waived for the first months)."""
    settings = PayrollSettingsFactory(workspace=ws, contribution_waiver_months=6)
    PayrollBracketFactory(settings=settings, threshold=Decimal("0"), rate=Decimal("10"))
    veteran = EntrepreneurFactory(workspace=ws, entry_date=datetime.date(2020, 1, 1))
    newcomer = EntrepreneurFactory(workspace=ws, entry_date=datetime.date(2025, 11, 1))
    period = build_payroll_month(ws, lines=[
        {"entrepreneur": veteran, "revenue": Decimal("1000"), "employment": {"contribution_rate": Decimal("12")}},
        {"entrepreneur": newcomer, "revenue": Decimal("1000")},
    ])
    payroll_run(actor=None, workspace=ws, period=period)
    assert Payslip.objects.get(entrepreneur=veteran).cae_contribution == Decimal("120.00")
    assert Payslip.objects.get(entrepreneur=newcomer).cae_contribution == Decimal("0.00")


def test_hours_come_from_the_line_or_the_contract_and_none_means_not_tied_to_hours(ws):
    part_timer = EntrepreneurFactory(workspace=ws)
    PayrollEmploymentFactory(entrepreneur=part_timer, contractual_hours=Decimal("75.84"))
    period = build_payroll_month(ws, lines=[
        {"entrepreneur": part_timer, "hours": None},
        {"hours": Decimal("151.67")},
        {"hours": None},
    ])
    payroll_run(actor=None, workspace=ws, period=period)
    hours = sorted((str(p.hours) for p in Payslip.objects.all()), key=str)
    assert hours == ["151.67", "75.84", "None"]


def test_an_approved_month_cannot_be_recomputed(ws):
    period = build_payroll_month(ws, lines=[{}])
    payroll_run(actor=None, workspace=ws, period=period)
    payroll_period_set_stage(actor=None, payroll_period=period, stage="approved")
    before = _snapshot()
    with pytest.raises(PeriodLocked):
        payroll_run(actor=None, workspace=ws, period=period)
    assert _snapshot() == before
    assert PayrollPeriod.objects.get(pk=period.pk).stage == "approved"


def test_a_month_without_confirmed_data_is_refused(ws):
    period = build_payroll_month(ws, lines=[])
    period.submissions.update(state="valid")
    with pytest.raises(PayrollRunError, match="no confirmed submission"):
        payroll_run(actor=None, workspace=ws, period=period)


def test_a_line_without_gross_nor_target_is_refused_with_its_row(ws):
    period = build_payroll_month(ws, lines=[{"gross_salary": None, "row_number": 7}])
    with pytest.raises(PayrollRunError, match="Row 7"):
        payroll_run(actor=None, workspace=ws, period=period)
    assert not Payslip.objects.exists()


def test_query_count_does_not_grow_with_the_number_of_payslips(ws):
    """12,000 payslips a month across the federation: reads and writes are bulk, never per row
    (20 more payslips add only the extra batches of the bulk line insert, not 20 queries)."""
    small = build_payroll_month(ws, period=datetime.date(2025, 1, 1), lines=[{}] * 2)
    large = build_payroll_month(ws, period=JAN, lines=[{}] * 22)
    with CaptureQueriesContext(connection) as few:
        payroll_run(actor=None, workspace=ws, period=small)
    with CaptureQueriesContext(connection) as many:
        payroll_run(actor=None, workspace=ws, period=large)
    assert len(many) - len(few) <= 5


def test_a_cape_holder_gets_no_payslip_and_is_not_billed(world, ws):
    """A CAPE (L127-1 Code de commerce) is a support contract, not employment: no payslip.
    Only a CESA (L7331-2 Code du travail) is paid through payroll."""
    period = build_payroll_month(ws, lines=[{"employment": {"contract_type": "cape"}},
                                            {"employment": {"contract_type": "cesa"}}])
    outcome = payroll_run(actor=world.users["staff"], workspace=ws, period=period)
    cape = SubmissionLineFactory._meta.model.objects.get(entrepreneur__employment__contract_type="cape").entrepreneur
    assert outcome.created == 1 and outcome.not_salaried == [cape.matricule]
    assert not Payslip.objects.filter(entrepreneur=cape).exists()
    assert Usage.objects.filter(kind="payslip").count() == 1


def test_the_queue_shows_the_months_stage_in_the_users_language(world, ws):
    """The dossier keeps the stage's English label (a msgid); the queue translates it."""
    from django.test import override_settings
    from django.urls import reverse

    from backoffice.services.dossiers import dossier_open
    from tests.conftest import login
    from tests.test_i18n import LOCALE_DIR

    period = build_payroll_month(ws, lines=[{}])
    dossier_open(actor=None, workspace=ws, service="payroll", kind="monthly_submission", title="Paie", subject=period)
    payroll_run(actor=world.users["staff"], workspace=ws, period=period)
    with override_settings(LOCALE_PATHS=[LOCALE_DIR]):
        page = login(world.users["staff"]).get(reverse("staff:queue"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Calculée" in page
    assert ">computed<" not in page and "Computed" not in page


def test_headcount_comes_from_the_employment_data_unless_overridden(ws):
    """L130-1 CSS: twelve CESA contracts since 2019 make 12 for 2026 (five years at 11 or more):
    formation at 1 %, versement mobilité and no PEEC. The payroll team's override (60: the CAE
    employs staff outside Mutualise) turns on PEEC and FNAL 0.50 % (L313-1 CCH, L813-4 CCH)."""
    lines = [{"gross_salary": Decimal("2500.00"), "employment": {"start_date": datetime.date(2019, 1, 1),
                                                                 "contractual_hours": None}}
             for _ in range(12)]
    period = build_payroll_month(ws, lines=lines)
    from payroll.models import PayrollSettings
    PayrollSettings.objects.filter(workspace=ws).update(mobility_rate=Decimal("1.75"))
    payroll_run(actor=None, workspace=ws, period=period)
    codes = set(PayslipLine.objects.filter(payslip__entrepreneur=Payslip.objects.first().entrepreneur)
                .values_list("code", flat=True))
    assert {"formation_professionnelle_11_plus", "versement_mobilite", "fnal"} <= codes
    assert not {"peec", "formation_professionnelle", "fnal_50_plus"} & codes
    PayrollSettings.objects.filter(workspace=ws).update(headcount_override=60)
    payroll_run(actor=None, workspace=ws, period=period)
    codes = set(PayslipLine.objects.filter(payslip__entrepreneur=Payslip.objects.first().entrepreneur)
                .values_list("code", flat=True))
    assert {"peec", "fnal_50_plus"} <= codes


def _rg_formula(pay: Decimal, smic: Decimal) -> Decimal:
    from payroll.engine import rate_set_for
    from payroll.engine.money import cents
    from payroll.engine.reduction import rg_coefficient

    return cents(rg_coefficient(pay, smic, rate_set_for(JAN), headcount_50_plus=False) * pay)


def test_reduction_is_cumulative_and_a_corrected_month_reflows(ws):
    """D241-7 CSS: February's reduction is the year-to-date reduction less January's, with the
    catch-up on its own line; correcting January then re-running February keeps the two months
    on the annual formula (year-to-date figures rebuilt from the stored payslips)."""
    from payroll.models import SubmissionLine

    person = EntrepreneurFactory(workspace=ws, entry_date=datetime.date(2020, 1, 1))
    full_time = {"entrepreneur": person, "hours": Decimal("151.67"),
                 "employment": {"start_date": datetime.date(2020, 1, 1), "contractual_hours": Decimal("151.67")}}
    january = build_payroll_month(ws, period=JAN, lines=[{**full_time, "gross_salary": Decimal("1823.03")}])
    payroll_run(actor=None, workspace=ws, period=january)
    february = build_payroll_month(ws, period=FEB, lines=[{**full_time, "gross_salary": Decimal("4000.00")}])
    payroll_run(actor=None, workspace=ws, period=february)
    jan, feb = Payslip.objects.get(period=JAN), Payslip.objects.get(period=FEB)
    smic = jan.rg_smic + feb.rg_smic
    assert smic == Decimal("3646.066666")  # 2 × 1 823.033333
    assert jan.reduction_generale + feb.reduction_generale == _rg_formula(Decimal("5823.03"), smic)
    assert feb.lines.filter(code="reduction_generale_regularisation").exists()

    SubmissionLine.objects.filter(submission__period=january).update(gross_salary=Decimal("2500.00"))
    payroll_run(actor=None, workspace=ws, period=january)
    payroll_run(actor=None, workspace=ws, period=february)
    jan, feb = Payslip.objects.get(period=JAN), Payslip.objects.get(period=FEB)
    assert jan.reduction_generale + feb.reduction_generale == _rg_formula(Decimal("6500.00"), smic)


def test_entry_mid_month_and_exit_prorate_smic_and_ceiling(ws):
    """Issue 13's example: a 104-hour contract starting Tuesday 16 June 2026 at 1 000 € gross gets
    109.00 € of RGDU (SMIC for 52 paid hours), not 398.10 €; an exit on 10 June (exit date in the
    monthly file) prorates the ceiling to 10/30 (R242-2 CSS)."""
    june = datetime.date(2026, 6, 1)
    newcomer = EntrepreneurFactory(workspace=ws, entry_date=datetime.date(2026, 6, 16))
    leaver = EntrepreneurFactory(workspace=ws, entry_date=datetime.date(2020, 1, 1))
    period = build_payroll_month(ws, period=june, lines=[
        {"entrepreneur": newcomer, "hours": None, "gross_salary": Decimal("1000.00"),
         "employment": {"start_date": datetime.date(2026, 6, 16), "contractual_hours": Decimal("104")}},
        {"entrepreneur": leaver, "hours": None, "gross_salary": Decimal("6000.00"),
         "exit_date": datetime.date(2026, 6, 10),
         "employment": {"start_date": datetime.date(2020, 1, 1), "contractual_hours": None}},
    ])
    payroll_run(actor=None, workspace=ws, period=period)
    assert Payslip.objects.get(entrepreneur=newcomer).reduction_generale == Decimal("109.00")
    leaving = Payslip.objects.get(entrepreneur=leaver)
    assert leaving.lines.get(code="vieillesse_plafonnee").base == Decimal("1335.00")  # 4 005 × 10 / 30
