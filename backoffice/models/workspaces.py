"""The workspace: the tenant of every scoped row (a host, partner or alumni cooperative)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.validators import validate_siren, validate_siret, validate_vat


class WorkspaceKind(models.TextChoices):
    HOST = "host", _("Host cooperative")
    PARTNER = "partner", _("Partner CAE")
    ALUMNI = "alumni", _("Alumni company")


class Workspace(models.Model):
    """A legal entity Mutualise works for. Not itself scoped: it is the scope."""

    kind = models.CharField(_("kind"), max_length=10, choices=WorkspaceKind.choices)
    slug = models.SlugField(_("short name"), max_length=50, unique=True,
                            help_text=_("Used in addresses, e.g. cae-a."))
    name = models.CharField(_("legal name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=60, blank=True,
                                  help_text=_("e.g. SCOP SA, SCIC SAS, SARL SCOP"))
    siren = models.CharField(_("SIREN"), max_length=9, validators=[validate_siren])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True, validators=[validate_vat])
    address = models.TextField(_("address"), blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    trade = models.CharField(_("main trade"), max_length=100, blank=True,
                             help_text=_("e.g. building trades; decides the OPCO for training."))
    origin = models.ForeignKey("self", verbose_name=_("origin CAE"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="spinoffs",
                               help_text=_("For an alumni company: the CAE it came from."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=models.Q(kind="host"), name="single_host_workspace"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_host(self) -> bool:
        return self.kind == WorkspaceKind.HOST

    @property
    def has_entrepreneurs(self) -> bool:
        """Only CAEs (the host and partners) have entrepreneurs; an alumni company has none."""
        return self.kind in (WorkspaceKind.HOST, WorkspaceKind.PARTNER)

    def clean(self) -> None:
        if self.kind == WorkspaceKind.ALUMNI and not self.origin_id:
            raise ValidationError({"origin": _("An alumni company needs its origin CAE.")})
        if self.kind != WorkspaceKind.ALUMNI and self.origin_id:
            raise ValidationError({"origin": _("Only an alumni company has an origin CAE.")})
        if self.origin_id and self.origin.kind == WorkspaceKind.ALUMNI:
            raise ValidationError({"origin": _("The origin must be a CAE, not an alumni company.")})
        if self.siret and self.siren and not self.siret.startswith(self.siren):
            raise ValidationError({"siret": _("The SIRET must start with the SIREN.")})
