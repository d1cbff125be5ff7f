"""Per-workspace rows: enrolments of a workspace's entrepreneurs in a session, funding requests
to an OPCO and their history, attendance per trainee and half-day. Every row carries its
workspace and a scoped manager: on a pooled session, CAE A never reads CAE B's rows."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Enrolment(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey("training.Session", verbose_name=_("session"), on_delete=models.PROTECT,
                                related_name="enrolments")
    entrepreneur = models.ForeignKey("backoffice.Entrepreneur", verbose_name=_("trainee"), on_delete=models.PROTECT,
                                     related_name="training_enrolments")
    waiting = models.BooleanField(_("on the waiting list"), default=False,
                                  help_text=_("A gathering's seats are full: promoted, oldest first, when one frees."))
    assessment_result = models.TextField(_("assessment result"), blank=True,
                                         help_text=_("Printed on the attestation de fin de formation (L6353-1)."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["session", "entrepreneur__last_name", "entrepreneur__first_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "session", "entrepreneur"], name="one_enrolment_per_trainee"),
        ]

    def __str__(self) -> str:
        return f"{self.entrepreneur} — {self.session}"


class RequestState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the OPCO")
    APPROVED = "approved", _("Approved")
    PARTLY_APPROVED = "partly_approved", _("Partly approved")
    REFUSED = "refused", _("Refused")
    DONE = "done", _("Training done")
    ATTENDANCE_COMPLETE = "attendance_complete", _("Attendance complete")
    CLAIM_SENT = "claim_sent", _("Claim sent")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class FundingRequest(models.Model):
    """A demande de prise en charge: one workspace, one OPCO, one session, some of its trainees."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey("training.Session", verbose_name=_("session"), on_delete=models.PROTECT,
                                related_name="funding_requests")
    opco = models.ForeignKey("training.Opco", verbose_name=_("OPCO"), on_delete=models.PROTECT,
                             related_name="funding_requests")
    enrolments = models.ManyToManyField(Enrolment, verbose_name=_("trainees"), related_name="funding_requests")
    state = models.CharField(_("state"), max_length=20, choices=RequestState.choices, default=RequestState.DRAFT)
    cost_pedagogical = models.DecimalField(_("pedagogical costs"), max_digits=12, decimal_places=2,
                                           default=Decimal("0"))
    cost_salary = models.DecimalField(_("salary costs"), max_digits=12, decimal_places=2, default=Decimal("0"))
    cost_travel = models.DecimalField(_("travel costs"), max_digits=12, decimal_places=2, default=Decimal("0"))
    amount_asked = models.DecimalField(_("amount asked"), max_digits=12, decimal_places=2, default=Decimal("0"))
    amount_approved = models.DecimalField(_("amount approved"), max_digits=12, decimal_places=2, null=True, blank=True)
    amount_claimed = models.DecimalField(_("amount claimed"), max_digits=12, decimal_places=2, null=True, blank=True)
    amount_paid = models.DecimalField(_("amount paid"), max_digits=12, decimal_places=2, null=True, blank=True)
    opco_file_number = models.CharField(_("OPCO file number"), max_length=60, blank=True)
    submit_before = models.DateField(_("submit before"), null=True, blank=True, db_index=True)
    claim_before = models.DateField(_("claim before"), null=True, blank=True)
    late_override_reason = models.TextField(_("reason for submitting late"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("funding request")
        verbose_name_plural = _("funding requests")
        indexes = [models.Index(fields=["workspace", "state"]), models.Index(fields=["state", "submit_before"])]

    def __str__(self) -> str:
        return _("Funding request %(number)s — %(opco)s") % {"number": self.pk, "opco": self.opco.name}

    @property
    def gap(self) -> Decimal | None:
        """What the OPCO did not pay of what was asked."""
        if self.amount_paid is None:
            return None
        return self.amount_asked - self.amount_paid


class FundingRequestEvent(models.Model):
    """One move of a request's lifecycle: from, to, when, who, with the note it needed."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(FundingRequest, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("from"), max_length=20, choices=RequestState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=RequestState.choices)
    at = models.DateTimeField(_("date"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT,
                              related_name="+")
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("funding request move")

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"


class Attendance(models.Model):
    """Presence of one trainee at one half-day (or a signed scan attached instead)."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    slot = models.ForeignKey("training.Slot", on_delete=models.PROTECT, related_name="attendances")
    present = models.BooleanField(_("present"))
    signed = models.BooleanField(_("signed"), default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "enrolment", "slot"], name="one_attendance_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.slot_id}: {'present' if self.present else 'absent'}"


class WorkshopRegistration(models.Model):
    """A participant of a gathering (a confirmed enrolment) registered in one of its workshops,
    or waiting for a seat there."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    workshop = models.ForeignKey("training.Workshop", verbose_name=_("workshop"), on_delete=models.CASCADE,
                                 related_name="registrations")
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("participant"), on_delete=models.CASCADE,
                                  related_name="workshop_registrations")
    waiting = models.BooleanField(_("on the waiting list"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["workshop", "created_at", "pk"]
        verbose_name = _("workshop registration")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "workshop", "enrolment"], name="one_registration_per_workshop"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.workshop_id}{' (waiting)' if self.waiting else ''}"
