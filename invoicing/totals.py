"""Invoice arithmetic, EN 16931 style (no Django): pure functions on Decimals.

- BT-131 line net amount = quantity × unit price, rounded to the cent (half up);
- BT-106 sum of line nets; per VAT rate, BT-116 taxable amount = sum of that rate's line
  nets, and BT-117 VAT = taxable × rate, rounded once per rate (BR-CO-17), not per line;
- BT-110 total VAT = sum of the per-rate VAT; BT-112 total with VAT = BT-109 + BT-110.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def round_cent(value: Decimal) -> Decimal:
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, never float")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_net(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return round_cent(Decimal(quantity) * Decimal(unit_price))


@dataclass(frozen=True)
class VatBreakdown:
    rate: Decimal
    taxable: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    net: Decimal
    vat: Decimal
    gross: Decimal
    breakdown: tuple[VatBreakdown, ...]


def compute_totals(lines: Iterable[tuple[Decimal, Decimal]]) -> Totals:
    """Totals of (line net, VAT rate %) pairs; line nets already rounded (see `line_net`)."""
    per_rate: dict[Decimal, Decimal] = {}
    for net, rate in lines:
        key = Decimal(rate).quantize(CENT)
        per_rate[key] = per_rate.get(key, Decimal("0.00")) + Decimal(net)
    breakdown = tuple(VatBreakdown(rate, round_cent(taxable), round_cent(taxable * rate / HUNDRED))
                      for rate, taxable in sorted(per_rate.items(), reverse=True))
    net = round_cent(sum((b.taxable for b in breakdown), Decimal("0")))
    vat = round_cent(sum((b.vat for b in breakdown), Decimal("0")))
    return Totals(net=net, vat=vat, gross=net + vat, breakdown=breakdown)
