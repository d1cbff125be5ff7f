"""The reconciliation rule: which open invoice a bank credit pays, or why a person must decide.

A credit is matched automatically only when it names exactly one invoice (its number in the
remittance information or the end-to-end reference — our pain.008 debits carry the number
without dashes) and its amount equals that invoice's balance to the cent. Anything else is
doubtful and left for review: no reference, a reference to no open invoice, several
invoices, an amount that differs, another currency. No database here: `decide` gets the open
invoices' balances by number."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from backoffice.pdf import fr_number

# FA-2026-00042, FA 2026 00042, FA202600042, fa-2026-42 is not one (the number has 5 digits at least).
_NUMBER = re.compile(r"(?<![A-Z0-9])FA[\s\-_/.]?(\d{4})[\s\-_/.]?(\d{5,9})(?!\d)", re.IGNORECASE)


def invoice_numbers(texts: list[str]) -> list[str]:
    """The invoice numbers written in `texts`, normalised as issued (FA-YYYY-NNNNN), in order."""
    found: list[str] = []
    for text in texts:
        for year, sequence in _NUMBER.findall(text or ""):
            number = f"FA-{year}-{sequence}"
            if number not in found:
                found.append(number)
    return found


@dataclass(frozen=True)
class Decision:
    number: str = ""   # the invoice the credit pays, when matched
    reason: str = ""   # why it is left to review, otherwise

    @property
    def matched(self) -> bool:
        return bool(self.number)


def decide(*, amount: Decimal, currency: str, numbers: list[str], balances: dict[str, Decimal]) -> Decision:
    """`balances`: what remains to pay on each open invoice named by `numbers`."""
    if currency != "EUR":
        return Decision(reason=_("Paid in %(currency)s, not in euros.") % {"currency": currency})
    if not numbers:
        return Decision(reason=_("No invoice number in the transfer's reference."))
    open_numbers = [number for number in numbers if balances.get(number, Decimal("0")) > 0]
    if not open_numbers:
        return Decision(reason=_("%(numbers)s: no open invoice has this number (unknown or already paid).")
                        % {"numbers": ", ".join(numbers)})
    if len(open_numbers) > 1:
        return Decision(reason=_("Several invoices are named (%(numbers)s).") % {"numbers": ", ".join(open_numbers)})
    number = open_numbers[0]
    if amount != balances[number]:
        return Decision(reason=_("%(amount)s € received, %(balance)s € due on %(number)s.") % {
            "amount": fr_number(amount), "balance": fr_number(balances[number]), "number": number})
    return Decision(number=number)
