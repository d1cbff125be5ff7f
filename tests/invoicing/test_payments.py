"""Payments (full, partial, several), balances, overdue reminders with the L441-10 penalty and
the D441-5 40 € indemnity, aged balances for staff."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from backoffice.tenancy import resolve_actor
from invoicing.models import Invoice, Payment
from invoicing.selectors.staff import aged_balances
from invoicing.services.payments import invoice_reminders_send, payment_record
from tests.invoicing.conftest import make_issued

pytestmark = pytest.mark.django_db


def _pay(invoice, amount, **extra):
    with scopes_disabled():
        return payment_record(actor=None, invoice=invoice, amount=Decimal(amount),
                              received_on=extra.pop("received_on", invoice.issue_date),
                              method=extra.pop("method", "transfer"), **extra)


def _stored(invoice) -> Invoice:
    with scopes_disabled():
        stored = Invoice.objects.prefetch_related("debits").get(pk=invoice.pk)
        stored.amount_paid, stored.amount_credited  # read now, inside the scope  # noqa: B018
        return stored


def test_partial_then_several_payments_settle_the_invoice(world, issued):
    _pay(issued, "50.00", method="cheque")
    assert _stored(issued).balance == Decimal("100.00")
    assert _stored(issued).payment_status(issued.issue_date) == "Partly paid"
    _pay(issued, "100.00", method="direct_debit")
    assert _stored(issued).balance == Decimal("0.00")
    assert _stored(issued).payment_status(issued.issue_date) == "Paid"


def test_payment_above_the_balance_needs_an_explicit_overpayment(world, issued):
    with pytest.raises(ValidationError, match="larger than the balance"):
        _pay(issued, "150.01")
    with scopes_disabled():
        assert not Payment.objects.exists()
    payment = _pay(issued, "160.00", overpayment=True)
    assert payment.overpayment and _stored(issued).balance == Decimal("-10.00")


@pytest.mark.parametrize("amount", ["0", "-5", "1.001"])
def test_bad_payment_amounts_are_refused(world, issued, amount):
    with pytest.raises(ValidationError):
        _pay(issued, amount)


def test_payment_by_page_and_refusal_by_page(world, issued, clients):
    url = reverse("invoice_payment", args=["cae-a", issued.pk])
    response = clients["staff"].post(url, {"amount": "500", "received_on": issued.issue_date.isoformat(),
                                           "method": "transfer"}, follow=True)
    assert "larger than the balance" in response.content.decode()
    clients["staff"].post(url, {"amount": "150", "received_on": issued.issue_date.isoformat(), "method": "transfer"})
    assert _stored(issued).balance == 0
    assert clients["partner_a"].post(url, {"amount": "1", "received_on": issued.issue_date.isoformat(),
                                           "method": "transfer"}).status_code == 403


def test_overdue_reminder_states_penalty_and_40_euros(world):
    """L441-10 (late penalties) and D441-5 (40 € recovery indemnity), Code de commerce."""
    with scopes_disabled():
        world.partner_a.email = "compta@cae-a.test"
        world.partner_a.save()
    fresh = make_issued(world.partner_a)
    assert invoice_reminders_send(today=_stored(fresh).due_date) == 0  # not late yet
    assert invoice_reminders_send(today=_stored(fresh).due_date + datetime.timedelta(days=1)) == 1
    body = mail.outbox[-1].body
    assert "40,00 €" in body and "L441-10" in body and "D441-5" in body and fresh.number in body
    assert invoice_reminders_send(today=_stored(fresh).due_date + datetime.timedelta(days=3)) == 0
    _pay(fresh, "150.00")
    assert invoice_reminders_send(today=_stored(fresh).due_date + datetime.timedelta(days=8)) == 0


def test_aged_balances(world, clients, django_assert_max_num_queries):
    first = make_issued(world.partner_a)
    make_issued(world.partner_b)
    _pay(first, "30")
    staff = resolve_actor(world.users["staff"], None)
    due = _stored(first).due_date
    rows, total = aged_balances(staff, today=due + datetime.timedelta(days=45))
    assert [(r.name, r.d60) for r in rows] == [("CAE B", Decimal("150.00")), ("CAE A", Decimal("120.00"))]  # most late first
    assert total.total == Decimal("270.00")
    for _ in range(10):
        make_issued(world.alumni_c)
    with django_assert_max_num_queries(10):
        page = clients["staff"].get(reverse("staff:invoicing:balances"))
    assert page.status_code == 200 and "SCOP C" in page.content.decode()
    assert clients["partner_a"].get(reverse("staff:invoicing:balances")).status_code in (403, 404)
