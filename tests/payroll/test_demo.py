"""The demo's payroll month goes through the real pipeline and is idempotent."""

from django.core.management import call_command
from django_scopes import scopes_disabled

from backoffice.models import Usage
from payroll.models import MonthlySubmission, PayrollPeriod, Payslip


def test_seed_demo_imports_and_computes_last_month_once(db):
    call_command("seed_demo")
    with scopes_disabled():
        counts = (Payslip.objects.count(), MonthlySubmission.objects.count(), Usage.objects.count())
        assert counts[0] > 0
        assert set(PayrollPeriod.objects.values_list("stage", flat=True)) == {"computed"}
        assert set(Payslip.objects.values_list("workspace__slug", flat=True)) == {"cae-a", "cae-b"}
        call_command("seed_demo")
        assert (Payslip.objects.count(), MonthlySubmission.objects.count(), Usage.objects.count()) == counts
