"""Entrepreneurs: people of a host or partner CAE (trainees, employees, founders)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from backoffice.validators import mask_nir, validate_nir


class Nationality(models.TextChoices):
    """What the monthly declaration needs of a nationality (DSN S21.G00.30.013, "codification
    UE"): French, another EU member state's, an EEA state's or Switzerland's, any other."""

    FRENCH = "fr", pgettext_lazy("nationality", "French")
    EU = "eu", _("Another EU country")
    EEA = "eea", _("EEA (Iceland, Liechtenstein, Norway) or Switzerland")
    OTHER = "other", _("Another country")


# ISO 3166 codes of the EU's 27 member states (since 1 February 2020), and of the other EEA
# states with Switzerland, whose nationals the DSN counts together (S21.G00.30.013).
EU_COUNTRIES = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
EEA_AND_SWITZERLAND = frozenset({"IS", "LI", "NO", "CH"})
_NATIONALITY_WORDS = {
    "francaise": Nationality.FRENCH, "francais": Nationality.FRENCH, "france": Nationality.FRENCH,
    "ue": Nationality.EU, "eu": Nationality.EU, "union_europeenne": Nationality.EU,
    "eee": Nationality.EEA, "eea": Nationality.EEA, "suisse": Nationality.EEA,
    "autre": Nationality.OTHER, "other": Nationality.OTHER, "hors_ue": Nationality.OTHER,
}


def nationality_from_text(text: str) -> str | None:
    """A Nationality from what a spreadsheet holds: FR, UE, EEE, autre (any case or accents), or
    a country's two-letter ISO code (DE → another EU country, CH → EEA or Switzerland, MA →
    another country); None when it cannot be read."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").strip()
    word = re.sub(r"[\s\-']+", "_", plain.lower())
    if word in _NATIONALITY_WORDS:
        return _NATIONALITY_WORDS[word]
    if re.fullmatch(r"[A-Za-z]{2}", plain):
        code = plain.upper()
        if code == "FR":
            return Nationality.FRENCH
        return Nationality.EU if code in EU_COUNTRIES else Nationality.EEA if code in EEA_AND_SWITZERLAND \
            else Nationality.OTHER
    return None


class Entrepreneur(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.PROTECT, related_name="entrepreneurs")
    matricule = models.CharField(_("employee number"), max_length=30)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=5, choices=Nationality.choices, blank=True)
    nir = models.CharField(_("social-security number (NIR)"), max_length=15, blank=True, validators=[validate_nir])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)
    entry_date = models.DateField(_("entry date"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    trade = models.CharField(_("trade"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("entrepreneur")
        verbose_name_plural = _("entrepreneurs")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "matricule"], name="unique_matricule_per_workspace"),
            models.CheckConstraint(condition=models.Q(exit_date__isnull=True) | models.Q(exit_date__gte=models.F("entry_date")),
                                   name="entrepreneur_exit_after_entry"),
        ]
        indexes = [models.Index(fields=["workspace", "last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    @property
    def nir_masked(self) -> str:
        return mask_nir(self.nir)

    def is_active_on(self, day) -> bool:
        return self.entry_date <= day and (self.exit_date is None or self.exit_date >= day)
