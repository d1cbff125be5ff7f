"""Alumni companies: the follow-up data of an alumni workspace (its legal identity — name,
SIREN/SIRET, address, trade, origin CAE — lives on the backoffice Workspace itself)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class CompanyLegalForm(models.TextChoices):
    SCOP_SARL = "scop_sarl", _("SCOP SARL")
    SCOP_SA = "scop_sa", _("SCOP SA")
    SCOP_SAS = "scop_sas", _("SCOP SAS")
    SCIC_SA = "scic_sa", _("SCIC SA")
    SCIC_SAS = "scic_sas", _("SCIC SAS")
    SCIC_SARL = "scic_sarl", _("SCIC SARL")
    SAS = "sas", _("SAS")
    SARL = "sarl", _("SARL")
    EI = "ei", _("Sole proprietorship (EI)")
    OTHER = "other", _("Other")


class CompanyStatus(models.TextChoices):
    IN_CREATION = "in_creation", _("In creation")
    ACTIVE = "active", _("Active")
    CEASED = "ceased", _("Ceased")


class DeclarationFrequency(models.TextChoices):
    YEARLY = "yearly", _("Yearly")
    QUARTERLY = "quarterly", _("Quarterly")


class AlumniCompany(models.Model):
    """One per alumni workspace."""
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    legal_form = models.CharField(_("legal form"), max_length=20, choices=CompanyLegalForm.choices)
    creation_date = models.DateField(_("creation date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CompanyStatus.choices,
                              default=CompanyStatus.IN_CREATION)
    declaration_frequency = models.CharField(_("revenue declared"), max_length=10,
                                             choices=DeclarationFrequency.choices,
                                             default=DeclarationFrequency.YEARLY)
    contribution_terms = models.TextField(_("contribution terms"), blank=True)
    follow_up_notes = models.TextField(_("follow-up notes"), blank=True)
    next_contact_date = models.DateField(_("next contact"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("alumni company")
        verbose_name_plural = _("alumni companies")
        constraints = [models.UniqueConstraint(fields=["workspace"], name="one_alumni_company_per_workspace")]

    def __str__(self) -> str:
        return str(self.workspace)


class Founder(models.Model):
    """A founder of an alumni company: the entrepreneur they were in their CAE. The row belongs
    to the alumni workspace; the entrepreneur row stays in its CAE (its exit date is read there)."""
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey(AlumniCompany, on_delete=models.CASCADE, related_name="founders")
    entrepreneur = models.ForeignKey("backoffice.Entrepreneur", on_delete=models.PROTECT,
                                     related_name="alumni_foundings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("founder")
        constraints = [models.UniqueConstraint(fields=["workspace", "entrepreneur"], name="unique_founder")]

    def __str__(self) -> str:
        return f"{self.entrepreneur_id} → {self.company_id}"


class CheckIn(models.Model):
    """The yearly check-in of a company (revenue, headcount, needs): one per company and year,
    tracked by a dossier in the staff work queue."""
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "year"], name="one_checkin_per_year")]

    def __str__(self) -> str:
        return f"{self.workspace} {self.year}"
