"""The monthly cycle: a payroll period per workspace and month, the submissions (uploads)
that feed it, and the declaration handed back."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class PeriodStage(models.TextChoices):
    """Stages of a month's payroll, shown to the partner and mirrored on its dossier."""

    AWAITING = "awaiting", _("Awaiting data")
    RECEIVED = "received", _("Received")
    CHECKED = "checked", _("Checked")
    COMPUTED = "computed", _("Computed")
    APPROVED = "approved", _("Approved by the partner")
    DELIVERED = "delivered", _("Delivered")


class PayrollPeriod(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("period"), help_text=_("First day of the month."))
    stage = models.CharField(_("stage"), max_length=20, choices=PeriodStage.choices, default=PeriodStage.AWAITING)
    approved_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-period"]
        verbose_name = _("payroll period")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "period"], name="unique_payroll_period"),
            models.CheckConstraint(condition=models.Q(period__day=1), name="payroll_period_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.workspace} {self.period:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        """After the partner approves, the month's data can no longer be replaced."""
        return self.stage in (PeriodStage.APPROVED, PeriodStage.DELIVERED)


class SubmissionState(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Being checked")
    INVALID = "invalid", _("Has errors")
    VALID = "valid", _("Ready to confirm")
    CONFIRMED = "confirmed", _("Confirmed")
    SUPERSEDED = "superseded", _("Replaced by a later version")
    FAILED = "failed", _("Could not be read")


class MonthlySubmission(models.Model):
    """One upload of a month's data. Versions are kept; a new upload supersedes the draft."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(PayrollPeriod, on_delete=models.PROTECT, related_name="submissions")
    version = models.PositiveIntegerField(_("version"))
    source = models.CharField(_("source"), max_length=10, choices=[("upload", _("upload")), ("api", _("API"))],
                              default="upload")
    document = models.ForeignKey("backoffice.Document", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=20, choices=SubmissionState.choices,
                             default=SubmissionState.UPLOADED)
    task_id = models.CharField(max_length=64, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, for the progress bar
    row_count = models.PositiveIntegerField(default=0)
    # [{"row": 3, "column": "nir", "message": "…"}, …] and the preview (totals, new matricules).
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-period__period", "-version"]
        verbose_name = _("monthly submission")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "period", "version"], name="unique_submission_version"),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"


class SubmissionLine(models.Model):
    """One entrepreneur's month, as confirmed (written all-or-nothing at confirmation)."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(MonthlySubmission, on_delete=models.CASCADE, related_name="lines")
    entrepreneur = models.ForeignKey("backoffice.Entrepreneur", on_delete=models.PROTECT, related_name="+")
    row_number = models.PositiveIntegerField()
    status = models.CharField(max_length=10)  # cadre | non_cadre
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    gross_salary = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    bonuses = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    reimbursed_expenses = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    revenue = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # Empty: no rate from the tax administration in the file (a stored compte-rendu rate or the
    # non-personalised grid applies).
    pas_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    target_employer_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_net = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # Within the month: the last day of the contract (exit) and the unpaid absence hours; they
    # prorate the ceiling and the SMIC of the réduction générale (R242-2, D241-7 CSS).
    exit_date = models.DateField(null=True, blank=True)
    absence_hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    # Paid leave (payroll.engine.leave): working days taken in the month, and calendar days of
    # sick leave that is not work-related (they acquire 2 days a month instead of 2.5).
    leave_taken = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    sick_days = models.DecimalField(max_digits=5, decimal_places=2, default=0)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["row_number"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "submission", "entrepreneur"], name="one_line_per_entrepreneur"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} row {self.row_number}"


class Declaration(models.Model):
    """The monthly declaration file (DSN-shaped), to be checked with the official validator."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(PayrollPeriod, on_delete=models.PROTECT, related_name="declarations")
    norm_version = models.CharField(_("norm version"), max_length=10)
    document = models.ForeignKey("backoffice.Document", on_delete=models.PROTECT, related_name="+")
    checks = models.JSONField(default=list, blank=True)  # structural check messages
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"DSN {self.period} ({self.norm_version})"
