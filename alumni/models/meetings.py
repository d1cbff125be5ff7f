"""General meetings of an issuer: the convened associates (from the register at the record
date), their attendance and proxies, resolutions and their tallies per college. The rules
(quorum, majorities, college weighting) live in alumni/services/meetings.py."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class MeetingKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary general meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary general meeting")


class Majority(models.TextChoices):
    SIMPLE = "simple", _("More than half of the votes cast")
    TWO_THIRDS = "two_thirds", _("Two thirds of the votes cast")


class GeneralMeeting(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey("alumni.ShareIssuer", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=15, choices=MeetingKind.choices)
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    record_date = models.DateField(_("record date"), help_text=_("Associates in the register on this date are convened."))
    agenda = models.TextField(_("agenda"))
    quorum = models.DecimalField(_("quorum (share of convened votes)"), max_digits=4, decimal_places=3)
    majority = models.CharField(_("majority"), max_length=10, choices=Majority.choices)
    convocations_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("general meeting")
        verbose_name_plural = _("general meetings")
        constraints = [
            models.CheckConstraint(condition=models.Q(quorum__gte=0, quorum__lte=1), name="meeting_quorum_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.held_at:%d/%m/%Y}"


class Attendance(models.TextChoices):
    ABSENT = "absent", _("Absent")
    PRESENT = "present", _("Present")
    REPRESENTED = "represented", _("Represented by proxy")


class ConvenedAssociate(models.Model):
    """An associate convened to a meeting, as the register stood at the record date."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(GeneralMeeting, on_delete=models.CASCADE, related_name="convened")
    holder = models.ForeignKey("alumni.ShareHolder", on_delete=models.PROTECT, related_name="+")
    college = models.ForeignKey("alumni.College", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category of associate"), max_length=20)
    shares = models.PositiveIntegerField(_("shares"))
    votes = models.PositiveIntegerField(_("votes"))
    attendance = models.CharField(_("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.ABSENT)
    proxy = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="proxies_held",
                              verbose_name=_("proxy given to"))

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["holder__name"]
        verbose_name = _("convened associate")
        constraints = [models.UniqueConstraint(fields=["workspace", "meeting", "holder"], name="convened_once")]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.holder}"


class Resolution(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(GeneralMeeting, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["number"]
        verbose_name = _("resolution")
        constraints = [models.UniqueConstraint(fields=["workspace", "meeting", "number"], name="resolution_number")]

    def __str__(self) -> str:
        return f"{self.meeting} – n° {self.number}"


class ResolutionTally(models.Model):
    """The votes on a resolution in one college (or in the whole meeting when there is none)."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="tallies")
    college = models.ForeignKey("alumni.College", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    abstentions = models.PositiveIntegerField(_("abstentions"), default=0)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("tally")
        # One tally per college, and one without college (the service writes with update_or_create).
        constraints = [models.UniqueConstraint(fields=["workspace", "resolution", "college"], name="one_tally_per_college")]

    def __str__(self) -> str:
        return f"{self.resolution} – {self.college or '—'}"


DEFAULT_QUORUM = {MeetingKind.ORDINARY: Decimal("0.200"), MeetingKind.EXTRAORDINARY: Decimal("0.250")}
DEFAULT_MAJORITY = {MeetingKind.ORDINARY: Majority.SIMPLE, MeetingKind.EXTRAORDINARY: Majority.TWO_THIRDS}
