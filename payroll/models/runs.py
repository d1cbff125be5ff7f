"""A payroll run and its payslips. Re-running a period replaces, never duplicates."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

MONEY = {"max_digits": 12, "decimal_places": 2}


class PayrollRun(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    period = models.OneToOneField("payroll.PayrollPeriod", on_delete=models.PROTECT, related_name="run")
    submission = models.ForeignKey("payroll.MonthlySubmission", on_delete=models.PROTECT, related_name="+")
    rate_table = models.ForeignKey("payroll.RateTable", on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # The PDF batch (payroll/tasks/runs.py): its Celery task, state and percent done, for the progress bar.
    pdf_task_id = models.CharField(max_length=64, blank=True)
    pdf_state = models.CharField(max_length=10, blank=True)  # "" | queued | running | done | failed
    pdf_progress = models.PositiveSmallIntegerField(default=0)
    # All the month's payslip PDFs in one zip; zip_hash says which PDFs it holds (rebuilt when one changed).
    zip_document = models.ForeignKey("backoffice.Document", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    zip_hash = models.CharField(max_length=64, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("payroll run")

    def __str__(self) -> str:
        return f"Run {self.period}"


class Payslip(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="payslips")
    period = models.DateField()
    entrepreneur = models.ForeignKey("backoffice.Entrepreneur", on_delete=models.PROTECT, related_name="payslips")
    status = models.CharField(max_length=10)
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    gross = models.DecimalField(**MONEY)
    total_employee_contributions = models.DecimalField(**MONEY)
    total_employer_contributions = models.DecimalField(**MONEY)
    reduction_generale = models.DecimalField(**MONEY)
    net_social = models.DecimalField(**MONEY)
    net_before_tax = models.DecimalField(**MONEY)
    taxable_net = models.DecimalField(**MONEY)
    pas_rate = models.DecimalField(max_digits=5, decimal_places=2)
    # What the rate is (payroll.models.tax.RateKind) and where it came from (RateSource); empty
    # on payslips computed before they were stored.
    pas_kind = models.CharField(max_length=20, blank=True)
    pas_source = models.CharField(max_length=20, blank=True)
    pas_amount = models.DecimalField(**MONEY)
    reimbursed_expenses = models.DecimalField(**MONEY)
    net_paid = models.DecimalField(**MONEY)
    employer_cost = models.DecimalField(**MONEY)
    # The reference SMIC of the réduction générale (6 decimals), added up over the year for the
    # cumulative computation (D241-7 CSS); null on payslips computed before it was stored.
    rg_smic = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    # The prorated ceiling (6 decimals) and the ceiling-sliced bases the month carried, added up
    # over the year for the progressive regularisation of the ceiling (R243-10 CSS).
    ceiling = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    base_tranche_a = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    base_tranche_2 = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    base_up_to_4 = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    base_up_to_8 = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # The gross in its parts (base pay, bonuses), each on its own payslip line.
    base_salary = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    bonuses = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # Paid leave in working days (payroll.engine.leave): acquired and taken this month, and the
    # balance after it (N-1 + N, see payroll.services.runs.leave_history).
    leave_acquired = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    leave_taken = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    leave_balance = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    # Of leave_acquired, the days acquired on account of non-work-related sick leave (the 24-day
    # cap of L3141-5-1 adds them up over the reference period); after the month, the N-1 days
    # still to take and the days acquired in the current reference period (N). Null on payslips
    # computed before the counters were stored.
    leave_sick_acquired = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    leave_previous = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    leave_period_acquired = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    # At an exit: the days not taken paid as indemnité compensatrice (L3141-28), part of bonuses.
    leave_paid_days = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    leave_indemnity = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    revenue = models.DecimalField(**MONEY)
    cae_contribution = models.DecimalField(**MONEY)
    # Hash of everything the PDF shows: a payslip whose content did not change is not re-rendered.
    content_hash = models.CharField(max_length=64)
    pdf = models.ForeignKey("backoffice.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pdf_hash = models.CharField(max_length=64, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["entrepreneur__last_name", "entrepreneur__first_name"]
        verbose_name = _("payslip")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "period", "entrepreneur"], name="one_payslip_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.entrepreneur} {self.period:%Y-%m}"


class PayslipLine(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    payslip = models.ForeignKey(Payslip, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    block = models.CharField(max_length=80)
    base = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    employee_rate = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    employee_amount = models.DecimalField(**MONEY)
    employer_rate = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    employer_amount = models.DecimalField(**MONEY)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["payslip", "order"]

    def __str__(self) -> str:
        return self.label
