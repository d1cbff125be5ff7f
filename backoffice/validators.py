"""Identifier validators built on python-stdnum (never hand-written regexes)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban as std_iban
from stdnum.eu import vat as std_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as std_nir
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret


def _check(module, value: str, message) -> None:
    try:
        module.validate(value)
    except StdnumError:
        raise ValidationError(message, code="invalid", params={"value": value}) from None


def validate_siren(value: str) -> None:
    _check(std_siren, value, _("%(value)s is not a valid SIREN (9 digits, Luhn key)."))


def validate_siret(value: str) -> None:
    _check(std_siret, value, _("%(value)s is not a valid SIRET (14 digits, Luhn key)."))


def validate_vat(value: str) -> None:
    _check(std_vat, value, _("%(value)s is not a valid EU VAT number."))


def validate_nir(value: str) -> None:
    _check(std_nir, value, _("%(value)s is not a valid social-security number (NIR, 15 characters with key)."))


def validate_iban(value: str) -> None:
    _check(std_iban, value, _("%(value)s is not a valid IBAN."))


def compact_nir(value: str) -> str:
    return std_nir.compact(value)


def compact_iban(value: str) -> str:
    return std_iban.compact(value)


def mask_nir(value: str) -> str:
    """Show only the sex digit and the last three characters: 1 •• •• •• ••• 4 56."""
    if not value:
        return ""
    value = std_nir.compact(value)
    return f"{value[0]} •• •• •• ••• {value[-3]} {value[-2:]}"


def mask_iban(value: str) -> str:
    if not value:
        return ""
    value = std_iban.compact(value)
    return f"{value[:4]} •••• •••• {value[-4:]}"
