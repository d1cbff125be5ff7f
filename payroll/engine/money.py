"""Money helpers: every amount is a ``Decimal`` rounded to the cent, half up.

French payslips round each contribution line to the cent; ``ROUND_HALF_UP`` is the
rounding payroll software and URSSAF examples use (0.005 → 0.01).
"""

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def cents(amount: Decimal) -> Decimal:
    """Round ``amount`` to the cent, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def apply_rate(base: Decimal, rate_percent: Decimal) -> Decimal:
    """``base × rate %``, rounded to the cent (a payslip line's amount)."""
    return cents(base * rate_percent / HUNDRED)


def to_decimal(value: object, what: str) -> Decimal:
    """Read a number from data without ever going through ``float``.

    Accepts ``Decimal``, ``int`` and numeric strings; refuses ``float`` (its binary
    value is not the decimal rate written in the law) and booleans.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except ArithmeticError as exc:
            raise ValueError(f"{what}: {value!r} is not a decimal number") from exc
    raise TypeError(f"{what}: expected a Decimal, int or numeric string, got {type(value).__name__}")
