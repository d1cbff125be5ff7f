"""Identifier validators (backoffice/validators.py, python-stdnum) and the masking functions.

Sample numbers come from python-stdnum's own documentation (stdnum.fr.siren, fr.siret, fr.nir,
fr.tva, iban); the Corsica NIRs use 2A/2B as the department (INSEE, NIR composition)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from backoffice.validators import (
    compact_iban,
    compact_nir,
    mask_iban,
    mask_nir,
    validate_iban,
    validate_nir,
    validate_siren,
    validate_siret,
    validate_vat,
)


@pytest.mark.parametrize("value", ["404833048", "552008443", "552 008 443"])
def test_valid_siren(value):
    assert validate_siren(value) is None  # raises ValidationError when invalid


@pytest.mark.parametrize("value", ["404833047", "55200844", "5520084430", "ABCDEFGHI", ""])
def test_invalid_siren(value):
    with pytest.raises(ValidationError):
        validate_siren(value)


@pytest.mark.parametrize("value", ["73282932000074", "732 829 320 00074"])
def test_valid_siret(value):
    assert validate_siret(value) is None  # raises ValidationError when invalid


@pytest.mark.parametrize("value", ["73282932000079", "7328293200007", "732829320"])
def test_invalid_siret(value):
    with pytest.raises(ValidationError):
        validate_siret(value)


@pytest.mark.parametrize("value", [
    "295109912611193", "2 95 10 99 126 111 93",
    "253072B07300470",  # born in Haute-Corse (2B)
    "253072A07300443",  # born in Corse-du-Sud (2A)
])
def test_valid_nir(value):
    assert validate_nir(value) is None  # raises ValidationError when invalid


@pytest.mark.parametrize("value", [
    "295109912611199",   # wrong key
    "253072C07300443",   # no department 2C
    "253072A07300470",   # 2B's key under 2A: the key depends on the Corsican letter
    "6546546546546703",  # 16 characters
    "29510991261119",    # 14 characters
])
def test_invalid_nir(value):
    with pytest.raises(ValidationError):
        validate_nir(value)


@pytest.mark.parametrize("value", ["FR7630006000011234567890189", "FR76 3000 6000 0112 3456 7890 189",
                                   "DE89370400440532013000"])
def test_valid_iban(value):
    assert validate_iban(value) is None  # raises ValidationError when invalid


@pytest.mark.parametrize("value", ["FR7630006000011234567890188", "FR76300060000112345678901", "XX00"])
def test_invalid_iban(value):
    with pytest.raises(ValidationError):
        validate_iban(value)


@pytest.mark.parametrize("value", ["FR40303265045", "FR 40 303 265 045", "FRK7399859412", "DE136695976"])
def test_valid_vat(value):
    assert validate_vat(value) is None  # raises ValidationError when invalid


@pytest.mark.parametrize("value", ["FR41303265045", "FR84323140391", "FRIO334175221", "XX123", "303265045"])
def test_invalid_vat(value):
    with pytest.raises(ValidationError):
        validate_vat(value)


def test_validation_message_names_the_value():
    with pytest.raises(ValidationError) as exc:
        validate_siren("404833047")
    assert "404833047" in exc.value.messages[0]


def test_compact_functions():
    assert compact_nir("2 95 10 99 126 111 93") == "295109912611193"
    assert compact_iban("fr76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"


def test_mask_nir_shows_only_sex_digit_and_last_three_characters():
    assert mask_nir("295109912611193") == "2 •• •• •• ••• 1 93"
    assert mask_nir("2 95 10 99 126 111 93") == "2 •• •• •• ••• 1 93"
    assert mask_nir("253072B07300470") == "2 •• •• •• ••• 4 70"
    assert mask_nir("") == ""
    assert "2B" not in mask_nir("253072B07300470")


def test_mask_iban_shows_country_key_and_last_four():
    assert mask_iban("FR76 3000 6000 0112 3456 7890 189") == "FR76 •••• •••• 0189"
    assert mask_iban("") == ""
