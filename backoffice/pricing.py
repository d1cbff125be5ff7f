"""What a price line charges: the one place that computes it (pure Decimal, no database).

Every screen and document that shows what a service costs — the agreement page, the month of
usage, the alumni portal's contribution preview, invoicing — calls `price_line_compute` (the
amount and how it was reached) or `price_line_amount` (the amount alone). Amounts exclude VAT
and are rounded once, to the cent, ROUND_HALF_UP (half a cent goes up, as on a French invoice
line), after the minimum and the cap are applied.

Kinds of line (`PriceKind`), and what `quantity` means for each:

- per unit      quantity × unit price; quantity = number of acts (payslips, funding files…);
- monthly flat  quantity × unit price; quantity = number of months;
- percentage    quantity × rate / 100; quantity = the declared amount in euros;
- brackets      progressive (marginal) brackets over the declared amount: each slice of the
                amount is charged at its own bracket's rate, like the income-tax scale
                (barème progressif, art. 197 du CGI). Chosen over "by band" (the whole amount
                at the rate of the band it falls in) because a band scale jumps at each
                threshold: one euro more of revenue could cost hundreds of euros more
                contribution, which CAE members consistently reject; a progressive scale is
                continuous and never charges more than the extra revenue. "By band" is not
                offered.

A percentage or bracket line may carry a `minimum` (charged even on a zero declaration) and a
`cap` (the most one declaration can cost). Both apply to the amount of one declaration —
they are figures for the agreement's declaration period (a year, or a quarter).

Convention with the apps that record usage (backoffice.Usage) and with invoicing:

- a revenue declaration is recorded as ONE Usage of kind ``declared_revenue``
  (`UsageKind.DECLARED_REVENUE`), service ``alumni``, quantity = the declared revenue in
  euros (Decimal, two places), occurred_on = the last day of the declared period, reference
  ``revenue:<period start ISO>:<period end ISO>`` (a correction updates the same row);
- the agreement in force on occurred_on has one price line whose usage kind is
  ``declared_revenue``, of kind percentage or brackets;
- because minimum, cap and brackets are not linear, such usage is priced one Usage row at a
  time (`price_line_amount(line, quantity=usage.quantity)`), never on a monthly sum
  (`price_usages` does it for a list of quantities).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backoffice.models.agreements import PriceKind

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")

# Price kinds whose amount is not proportional to the quantity: price one usage at a time.
NON_LINEAR = frozenset({PriceKind.PERCENTAGE, PriceKind.BRACKETS})


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Bracket:
    """One bracket of a scale: `rate` % on the part of the amount above the previous bracket's
    ceiling and up to `up_to` (None: no ceiling, the last bracket)."""
    up_to: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class BracketPart:
    lower: Decimal
    upper: Decimal | None
    rate: Decimal
    base: Decimal      # the slice of the amount in this bracket
    amount: Decimal    # base × rate / 100, not rounded


@dataclass(frozen=True)
class PriceComputation:
    """How a line's amount was reached, for a screen to explain it."""
    kind: str
    quantity: Decimal
    unit_price: Decimal | None = None
    rate: Decimal | None = None
    parts: tuple[BracketPart, ...] = ()
    computed: Decimal = ZERO            # before minimum and cap, not rounded
    minimum: Decimal | None = None
    cap: Decimal | None = None
    minimum_applied: bool = False
    cap_applied: bool = False
    amount: Decimal = ZERO              # what is charged, rounded to the cent

    @property
    def computed_cents(self) -> Decimal:
        return cents(self.computed)


def _decimal(value, *, what: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{what} must be a Decimal, not a float")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{what} is not a number: {value!r}") from exc


def brackets_of(raw) -> list[Bracket]:
    """The stored brackets (a JSON list of {"up_to": "50000.00" | null, "rate": "2.000"}) as
    `Bracket`s, after `brackets_check`. Accepts `Bracket`s already parsed."""
    result = []
    for item in raw or []:
        if isinstance(item, Bracket):
            result.append(item)
        else:
            up_to = item.get("up_to")
            result.append(Bracket(up_to=None if up_to in (None, "") else _decimal(up_to, what="up_to"),
                                  rate=_decimal(item.get("rate"), what="rate")))
    return result


def brackets_to_json(brackets: list[Bracket]) -> list[dict]:
    return [{"up_to": None if b.up_to is None else str(b.up_to), "rate": str(b.rate)} for b in brackets]


def brackets_check(raw) -> list[Bracket]:
    """Validate a scale: at least one bracket; ceilings strictly increasing and positive; only
    the last bracket open (no ceiling) and the last one must be open (every euro is priced);
    rates between 0 and 100 %. Raises ValidationError with a French message."""
    try:
        brackets = brackets_of(raw)
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(_("The brackets are not readable: give one bracket per line, "
                                "“up to amount ; rate”.")) from exc
    if not brackets:
        raise ValidationError(_("Give at least one bracket."))
    previous = ZERO
    for index, bracket in enumerate(brackets):
        last = index == len(brackets) - 1
        if not (ZERO <= bracket.rate <= HUNDRED):
            raise ValidationError(_("Each bracket's rate must be between 0 and 100 %."))
        if bracket.up_to is None and not last:
            raise ValidationError(_("Only the last bracket can have no ceiling."))
        if bracket.up_to is not None:
            if last:
                raise ValidationError(_("The last bracket must have no ceiling, so that every euro is priced."))
            if bracket.up_to <= previous:
                raise ValidationError(_("Bracket ceilings must be above zero and increase from one bracket "
                                        "to the next."))
            previous = bracket.up_to
    return brackets


def _bracket_parts(brackets: list[Bracket], amount: Decimal) -> tuple[BracketPart, ...]:
    parts = []
    lower = ZERO
    for bracket in brackets:
        if amount <= lower:
            break
        top = amount if bracket.up_to is None else min(amount, bracket.up_to)
        base = top - lower
        parts.append(BracketPart(lower=lower, upper=bracket.up_to, rate=bracket.rate, base=base,
                                 amount=base * bracket.rate / HUNDRED))
        if bracket.up_to is None:
            break
        lower = bracket.up_to
    return tuple(parts)


def price_line_compute(line, *, quantity: Decimal) -> PriceComputation:
    """The amount `line` (a PriceLine, saved or not) charges for `quantity`, with its working."""
    if not isinstance(quantity, Decimal):
        raise TypeError("quantity must be a Decimal")
    kind = line.kind
    if kind in (PriceKind.PER_UNIT, PriceKind.MONTHLY_FLAT):
        computed = quantity * line.unit_price
        return PriceComputation(kind=kind, quantity=quantity, unit_price=line.unit_price, computed=computed,
                                amount=cents(computed))
    if kind == PriceKind.PERCENTAGE:
        rate = line.rate or ZERO
        computed, parts = quantity * rate / HUNDRED, ()
    elif kind == PriceKind.BRACKETS:
        rate = None
        parts = _bracket_parts(brackets_of(line.brackets), quantity)
        computed = sum((p.amount for p in parts), ZERO)
    else:
        raise ValueError(f"unknown price kind {kind!r}")
    minimum, cap = getattr(line, "minimum", None), getattr(line, "cap", None)
    charged = computed
    minimum_applied = cap_applied = False
    if minimum is not None and charged < minimum:
        charged, minimum_applied = minimum, True
    if cap is not None and charged > cap:
        charged, cap_applied, minimum_applied = cap, True, False
    return PriceComputation(kind=kind, quantity=quantity, rate=rate, parts=parts, computed=computed,
                            minimum=minimum, cap=cap, minimum_applied=minimum_applied, cap_applied=cap_applied,
                            amount=cents(charged))


def price_line_amount(line, *, quantity: Decimal) -> Decimal:
    """Amount excluding VAT, rounded to the cent (ROUND_HALF_UP), that `line` charges for `quantity`."""
    return price_line_compute(line, quantity=quantity).amount


def price_usages(line, quantities: list[Decimal]) -> Decimal:
    """The total `line` charges for several usage rows: one at a time for a non-linear line
    (percentage with minimum or cap, brackets), on the sum otherwise (identical for linear
    lines, and one rounding instead of many)."""
    if line.kind in NON_LINEAR:
        return sum((price_line_amount(line, quantity=q) for q in quantities), Decimal("0.00"))
    return price_line_amount(line, quantity=sum(quantities, ZERO))


def price_line_summary(line) -> str:
    """What a line charges, in words, translated (for the agreement page and the portal):
    "per payslip", "1 % of declared revenue, minimum 100,00 €, cap 5 000,00 €",
    "declared revenue by progressive brackets: 2 % up to 50 000,00 €, then 1 %"."""
    from backoffice.models.agreements import usage_kind_label
    from backoffice.templatetags.money import format_money, format_percent

    kind = usage_kind_label(line.usage_kind) if line.usage_kind else ""
    if line.kind == PriceKind.PER_UNIT:
        return _("%(price)s per %(kind)s") % {"price": format_money(line.unit_price), "kind": kind}
    if line.kind == PriceKind.MONTHLY_FLAT:
        return _("%(price)s per month") % {"price": format_money(line.unit_price)}
    if line.kind == PriceKind.PERCENTAGE:
        text = _("%(rate)s of %(kind)s") % {"rate": format_percent(line.rate), "kind": kind}
    else:
        steps = []
        for bracket in brackets_of(line.brackets):
            if bracket.up_to is None:
                steps.append(_("then %(rate)s") % {"rate": format_percent(bracket.rate)} if steps
                             else format_percent(bracket.rate))
            else:
                steps.append(_("%(rate)s up to %(ceiling)s") % {"rate": format_percent(bracket.rate),
                                                                 "ceiling": format_money(bracket.up_to)})
        text = _("%(kind)s by progressive brackets: %(steps)s") % {"kind": kind, "steps": ", ".join(steps)}
    if getattr(line, "minimum", None) is not None:
        text += ", " + _("minimum %(amount)s") % {"amount": format_money(line.minimum)}
    if getattr(line, "cap", None) is not None:
        text += ", " + _("cap %(amount)s") % {"amount": format_money(line.cap)}
    return text
