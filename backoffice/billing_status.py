"""What was invoiced and paid for billable usage, as a registry the invoicing app fills.

Business apps record usage in backoffice (backoffice/services/usage.py); invoicing bills it.
A page that shows what became of that usage (the alumni contributions ledger, its charts)
asks here, never invoicing: invoicing registers its provider at start-up
(`invoicing/ledger_figures.py`, wired in `InvoicingConfig.ready`), so no business app imports
invoicing and a project without invoicing shows nothing invoiced and nothing paid.

Two questions, each one registered function:

- `billing_figures(workspace_ids, services=…, occurred_from=…, occurred_to=…, today=…)`:
  per workspace, for its usage of those services that occurred in the range, what issued
  invoices billed (excl. VAT, credit notes deducted), the part of it paid (excl. VAT, in
  proportion of each invoice's payments), the oldest due date of an invoice still unpaid
  and overdue, and the oldest usage not billed yet.
- `monthly_payments(year=…, services=…)`: payments received during `year`, per service and
  month (excl. VAT share, same proportion), for the staff dashboard's charts.

Amounts are excl. VAT, like the contributions and usage they are compared with.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BillingFigures:
    invoiced: Decimal = ZERO                      # excl. VAT, issued invoices, credit notes deducted
    paid: Decimal = ZERO                          # excl. VAT share of the payments received
    oldest_overdue_on: datetime.date | None = None  # due date of the oldest invoice unpaid after it
    oldest_unbilled_on: datetime.date | None = None  # occurred_on of the oldest usage no invoice bills yet


NOTHING = BillingFigures()

FiguresProvider = Callable[..., dict[int, BillingFigures]]
PaymentsProvider = Callable[..., dict[tuple[str, datetime.date], Decimal]]

_figures: FiguresProvider | None = None
_payments: PaymentsProvider | None = None


def register_billing_figures(figures: FiguresProvider, payments: PaymentsProvider | None = None) -> None:
    """Called once by the app that bills usage (invoicing), from its AppConfig.ready()."""
    global _figures, _payments
    _figures, _payments = figures, payments


def billing_provider_registered() -> bool:
    return _figures is not None


def billing_figures(workspace_ids: Iterable[int], *, services: Iterable[str] | None = None,
                    occurred_from: datetime.date | None = None, occurred_to: datetime.date | None = None,
                    today: datetime.date) -> dict[int, BillingFigures]:
    """{workspace id: BillingFigures} for every id asked (NOTHING where nothing was billed or no
    provider is registered). Crosses workspaces: callers pass only ids their actor may read."""
    ids = list(workspace_ids)
    found = _figures(ids, services=None if services is None else list(services), occurred_from=occurred_from,
                     occurred_to=occurred_to, today=today) if _figures is not None and ids else {}
    return {pk: found.get(pk, NOTHING) for pk in ids}


def monthly_payments(*, year: int, services: Iterable[str] | None = None) -> dict[tuple[str, datetime.date], Decimal]:
    """{(service, first day of month): amount paid excl. VAT} for payments received in `year`
    (empty without a provider)."""
    if _payments is None:
        return {}
    return _payments(year=year, services=None if services is None else list(services))
