"""Sessions of a course (shared, not scoped) with their half-day slots and the workspaces
allowed to enrol. A pooled session admits several CAEs; a private one, one. A gathering is a
session without OPCO funding (regional days, seminars)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Session(models.Model):
    course = models.ForeignKey("training.Course", verbose_name=_("course"), on_delete=models.PROTECT,
                               related_name="sessions", null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True,
                             help_text=_("Empty: the course title."))
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=200,
                               help_text=_("The person who gives the course (may be an entrepreneur of a CAE)."))
    seats = models.PositiveIntegerField(_("seats"))
    pooled = models.BooleanField(_("pooled across CAEs"), default=True)
    is_gathering = models.BooleanField(_("gathering (no OPCO funding)"), default=False)
    workspaces = models.ManyToManyField("backoffice.Workspace", verbose_name=_("workspaces allowed to enrol"),
                                        related_name="training_sessions")
    # Denormalised from the slots (kept by the slot services) so lists and deadlines need no join.
    starts_on = models.DateField(_("first day"), null=True, blank=True, db_index=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        name = self.title or (self.course.title if self.course_id else "")
        return f"{name} ({self.starts_on:%d/%m/%Y})" if self.starts_on else name

    @property
    def name(self) -> str:
        return self.title or (self.course.title if self.course_id else "")

    @property
    def seats_left(self) -> int:
        """Free seats; needs the `n_taken` annotation of the selectors (every workspace's trainees)."""
        return max(self.seats - self.n_taken, 0)


class HalfDay(models.TextChoices):
    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")


class Slot(models.Model):
    """One half-day of a session: the unit of the feuille d'émargement (R6332-26 Code du travail)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    day = models.DateField(_("day"))
    half = models.CharField(_("half-day"), max_length=2, choices=HalfDay.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))

    class Meta:
        ordering = ["day", "half"]
        verbose_name = _("half-day")
        constraints = [
            models.UniqueConstraint(fields=["session", "day", "half"], name="one_slot_per_half_day"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_half_display()}"

    @property
    def hours(self) -> Decimal:
        start = datetime.datetime.combine(self.day, self.starts_at)
        end = datetime.datetime.combine(self.day, self.ends_at)
        return (Decimal((end - start).seconds) / Decimal(3600)).quantize(Decimal("0.01"))


class Workshop(models.Model):
    """One item of a gathering's programme (workshop, round table…) with its own seats. Shared
    like the session; who registers is per workspace (WorkshopRegistration)."""

    session = models.ForeignKey(Session, verbose_name=_("gathering"), on_delete=models.CASCADE,
                                related_name="workshops")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    seats = models.PositiveIntegerField(_("seats"))

    class Meta:
        ordering = ["day", "starts_at", "title", "pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="workshop_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.day:%d/%m/%Y} {self.starts_at:%H:%M})"

    @property
    def seats_left(self) -> int:
        """Free seats; needs the `n_taken` annotation of the selectors (every workspace's people)."""
        return max(self.seats - self.n_taken, 0)
