"""The demo's payroll month goes through the real pipeline and is idempotent."""

from django.core.management import call_command
from django_scopes import scopes_disabled

from backoffice.models import Usage
from payroll.exports.dsn import dsn_check
from payroll.models import (
    MonthlySubmission,
    PayrollPeriod,
    PayrollSettings,
    Payslip,
    PayslipLine,
    SubmissionLine,
)
from payroll.services.runs import payroll_declaration_generate


def test_seed_demo_imports_and_computes_last_month_once(db):
    call_command("seed_demo")
    with scopes_disabled():
        counts = (Payslip.objects.count(), MonthlySubmission.objects.count(), Usage.objects.count())
        assert counts[0] > 0
        assert set(PayrollPeriod.objects.values_list("stage", flat=True)) == {"computed"}
        assert set(Payslip.objects.values_list("workspace__slug", flat=True)) == {"cae-a", "cae-b"}
        # Issue 13: a variable-pay entrepreneur with a regularisation line (when the month before
        # last is in the same year), an entry mid-month (ceiling and SMIC prorated).
        last = PayrollPeriod.objects.order_by("-period").values_list("period", flat=True).first()
        if last.month > 1:
            assert PayslipLine.objects.filter(code="reduction_generale_regularisation", payslip__period=last).exists()
        assert Payslip.objects.filter(period=last, entrepreneur__entry_date=last.replace(day=16)).exists()
        # CAE B is a building-trade CAE (facts file: CIBTP membership compulsory): its fund, the
        # OPPBTP line (0.11 %), and its month has the entry, the exit and the regularisation.
        cae_b = PayrollSettings.objects.get(workspace__slug="cae-b")
        assert cae_b.paid_leave_fund and cae_b.leave_fund_name and cae_b.leave_fund_dsn_code
        b_month = Payslip.objects.filter(workspace__slug="cae-b", period=last)
        assert b_month.filter(lines__code="oppbtp").count() == b_month.count()
        assert not Payslip.objects.filter(workspace__slug="cae-a", lines__code="oppbtp").exists()
        assert b_month.filter(entrepreneur__entry_date=last.replace(day=16)).exists()
        assert SubmissionLine.objects.filter(submission__period__workspace__slug="cae-b", submission__period__period=last,
                                             exit_date__isnull=False).exists()
        if last.month > 1:
            assert b_month.filter(lines__code="reduction_generale_regularisation").exists()
        # Its month can be declared (the exit has its reason) and passes the checker, the fund on each contract.
        declaration = payroll_declaration_generate(
            actor=None, payroll_period=PayrollPeriod.objects.get(workspace__slug="cae-b", period=last))
        with declaration.document.file.open("rb") as handle:
            text = handle.read().decode("latin-1")
        assert dsn_check(text) == []
        assert text.count("S21.G00.40.022,") == b_month.count() and "S21.G00.62.002,'059'" in text
        call_command("seed_demo")
        assert (Payslip.objects.count(), MonthlySubmission.objects.count(), Usage.objects.count()) == counts
