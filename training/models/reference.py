"""Shared reference data of the training service (not scoped: every workspace reads it):
training bodies, courses, OPCOs and their rules. Staff edit them; every edit is audited in the
host workspace (training/services/reference.py)."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.validators import validate_siret


class TrainingBody(models.Model):
    """An organisme de formation: identifiers printed on the convention (D6353-1 Code du travail)."""

    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, validators=[validate_siret])
    nda = models.CharField(_("activity declaration number"), max_length=20,
                           help_text=_("Numéro de déclaration d'activité (11 digits), L6351-1 Code du travail."))
    address = models.TextField(_("address"), blank=True)
    qualiopi_number = models.CharField(_("Qualiopi certificate number"), max_length=60, blank=True)
    qualiopi_expires_on = models.DateField(_("Qualiopi certificate expiry"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training body")
        verbose_name_plural = _("training bodies")

    def __str__(self) -> str:
        return self.name

    def is_certified_on(self, day: datetime.date) -> bool:
        """Qualiopi is required for OPCO funding since 1 January 2022 (L6316-1 Code du travail)."""
        return bool(self.qualiopi_number) and self.qualiopi_expires_on is not None and self.qualiopi_expires_on >= day


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")
    MIXED = "mixed", _("Mixed")


class PriceBasis(models.TextChoices):
    PER_TRAINEE = "per_trainee", _("Per trainee")
    PER_GROUP = "per_group", _("Per group")


class Course(models.Model):
    body = models.ForeignKey(TrainingBody, verbose_name=_("training body"), on_delete=models.PROTECT,
                             related_name="courses")
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"))
    programme = models.TextField(_("programme"))
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    duration_hours = models.DecimalField(_("duration (hours)"), max_digits=6, decimal_places=2)
    modality = models.CharField(_("modality"), max_length=12, choices=Modality.choices, default=Modality.IN_PERSON)
    assessment = models.TextField(_("assessment method"))
    accessibility = models.TextField(_("accessibility note"), blank=True)
    price = models.DecimalField(_("price (EUR, excl. VAT)"), max_digits=10, decimal_places=2)
    price_basis = models.CharField(_("price basis"), max_length=12, choices=PriceBasis.choices,
                                   default=PriceBasis.PER_TRAINEE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class DayCount(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Working days (Monday to Friday, French public holidays excluded)")


class Opco(models.Model):
    """An opérateur de compétences and the rules the deadlines are computed from."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    scope_note = models.CharField(_("who it covers"), max_length=200, blank=True)
    request_days_before = models.PositiveIntegerField(
        _("request deadline (days before the start)"), default=1,
        help_text=_("1: the day before the first day of the course at the latest."))
    request_day_count = models.CharField(_("request days counted as"), max_length=10, choices=DayCount.choices,
                                         default=DayCount.CALENDAR)
    claim_days_after = models.PositiveIntegerField(_("claim deadline (days after the end)"), null=True, blank=True,
                                                   help_text=_("Empty: no claim deadline known."))
    claim_day_count = models.CharField(_("claim days counted as"), max_length=10, choices=DayCount.choices,
                                       default=DayCount.CALENDAR)
    hourly_ceiling = models.DecimalField(_("hourly ceiling (EUR)"), max_digits=8, decimal_places=2, null=True,
                                         blank=True)
    subrogation = models.BooleanField(_("subrogation of payment"), default=True,
                                      help_text=_("The OPCO pays the training body directly."))
    source = models.TextField(_("source of these rules"),
                              help_text=_("Where each value comes from (page, date read), or what is unverified."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("OPCO")
        verbose_name_plural = _("OPCOs")

    def __str__(self) -> str:
        return self.name
