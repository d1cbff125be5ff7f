"""`money`: a Decimal amount shown the French way, e.g. "1 234,56 €".

The amount is rounded to the cent (ROUND_HALF_UP, like an invoice line) *before* formatting:
Django's number_format truncates extra decimals instead of rounding them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()

CENT = Decimal("0.01")
NBSP = "\u00a0"


def format_money(value, currency: str = "€") -> str:
    """Format `value` (Decimal, int or numeric string; never a float) with the active locale's
    separators, grouping forced, two decimals and the currency after a no-break space.
    Empty for None or ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("money amounts are Decimal, never float")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return ""
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)  # never "-0,00 €"
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)}{NBSP}{currency}"


@register.filter(is_safe=True)
def money(value, currency: str = "€") -> str:
    return format_money(value, currency)


def format_percent(value) -> str:
    """A rate without trailing zeros, localized: Decimal("2.500") → "2,5 %", Decimal("20.00") → "20 %"."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("rates are Decimal, never float")
    rate = value if isinstance(value, Decimal) else Decimal(str(value))
    rate = rate.quantize(Decimal(1)) if rate == rate.to_integral_value() else rate.normalize()
    return f"{number_format(rate, use_l10n=True, force_grouping=True)}{NBSP}%"


@register.filter(is_safe=True)
def percent(value) -> str:
    return format_percent(value)


@register.filter
def price_summary(line) -> str:
    """A price line in words (backoffice.pricing.price_line_summary)."""
    from backoffice.pricing import price_line_summary

    return price_line_summary(line)
