"""Invoices: totals and VAT (EN 16931), numbering, frozen identities, credit notes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from invoicing.models import Invoice, InvoiceSeries, InvoiceState
from invoicing.services.common import InvoicingError
from invoicing.services.invoices import (
    LineInput,
    credit_note_create,
    invoice_delete,
    invoice_issue,
    invoice_line_add,
)
from invoicing.totals import compute_totals, line_net
from tests.invoicing.conftest import make_draft, make_issued

pytestmark = pytest.mark.django_db


def test_vat_is_rounded_once_per_rate_on_the_sum_of_lines():
    """EN 16931 BR-CO-17: VAT per rate = taxable amount of the rate × rate, rounded once.
    Three lines of 0.33 € at 20 %: 0.99 × 20 % = 0.198 → 0.20, not 3 × 0.07 = 0.21."""
    totals = compute_totals([(Decimal("0.33"), Decimal("20"))] * 3)
    assert totals.net == Decimal("0.99")
    assert totals.vat == Decimal("0.20")
    assert totals.gross == Decimal("1.19")


def test_line_net_is_rounded_half_up_and_rates_are_kept_apart():
    """BT-131 is rounded to the cent (half up); one breakdown per rate (BG-23)."""
    assert line_net(Decimal("3"), Decimal("0.125")) == Decimal("0.38")
    totals = compute_totals([(Decimal("100.00"), Decimal("20")), (Decimal("50.00"), Decimal("5.5")),
                             (Decimal("10.01"), Decimal("20"))])
    assert [(b.rate, b.taxable, b.vat) for b in totals.breakdown] == [
        (Decimal("20.00"), Decimal("110.01"), Decimal("22.00")),
        (Decimal("5.50"), Decimal("50.00"), Decimal("2.75"))]
    assert totals.gross == Decimal("184.76")


def test_issue_numbers_in_sequence_and_freezes_identities(world):
    first = make_issued(world.partner_a)
    second = make_issued(world.partner_b)
    year = first.issue_date.year
    assert first.number == f"FA-{year}-00001"
    assert second.number == f"FA-{year}-00002"
    assert first.customer_name == "CAE A" and first.customer_siren == world.partner_a.siren
    assert first.seller_name == world.host.name and first.seller_siren == world.host.siren
    assert first.due_date == first.issue_date + datetime.timedelta(days=30)
    with scopes_disabled():
        world.partner_a.name = "CAE A renamed"
        world.partner_a.save()
        assert Invoice.objects.get(pk=first.pk).customer_name == "CAE A"


def test_credit_notes_have_their_own_series_and_refer_to_the_invoice(world, issued):
    with scopes_disabled():
        note = invoice_issue(actor=None, invoice=credit_note_create(actor=None, invoice=issued, reason="Erreur"))
    assert note.number == f"AV-{note.issue_date.year}-00001"
    assert note.corrects == issued
    assert note.total_gross == issued.total_gross == Decimal("150.00")


def test_credit_note_above_what_remains_is_refused(world, issued):
    """A credit note corrects at most what remains of its invoice; nothing written when refused."""
    with scopes_disabled():
        half = LineInput(description="Remise", quantity=Decimal("1"), unit_price=Decimal("100"))
        invoice_issue(actor=None, invoice=credit_note_create(actor=None, invoice=issued, lines=[half]))
        before = Invoice.objects.count()
        with pytest.raises(InvoicingError, match="larger than what remains"):
            credit_note_create(actor=None, invoice=issued, lines=[half])
        assert Invoice.objects.count() == before


def test_credit_note_needs_an_issued_invoice(world):
    draft = make_draft(world.partner_a)
    with scopes_disabled(), pytest.raises(InvoicingError):
        credit_note_create(actor=None, invoice=draft)


@pytest.mark.parametrize("quantity", ["-1", "-0.001"])
def test_negative_quantity_is_refused(world, quantity):
    draft = make_draft(world.partner_a)
    with scopes_disabled():
        with pytest.raises(InvoicingError) as error:
            invoice_line_add(actor=None, invoice=draft, line=LineInput(
                description="x", quantity=Decimal(quantity), unit_price=Decimal("10")))
        assert "negative" in str(error.value)
        assert draft.lines.count() == 1


def test_issued_invoice_refuses_changes_through_services(world, issued):
    with scopes_disabled():
        with pytest.raises(InvoicingError):
            invoice_line_add(actor=None, invoice=issued, line=LineInput(
                description="x", quantity=Decimal("1"), unit_price=Decimal("1")))
        with pytest.raises(InvoicingError):
            invoice_delete(actor=None, invoice=issued)
        with pytest.raises(InvoicingError):
            invoice_issue(actor=None, invoice=issued)
        assert Invoice.objects.get(pk=issued.pk).state == InvoiceState.ISSUED


def test_a_draft_without_lines_or_of_another_kind_of_workspace_is_refused(world):
    with scopes_disabled():
        draft = make_draft(world.partner_a)
        draft.lines.all().delete()
        with pytest.raises(InvoicingError):
            invoice_issue(actor=None, invoice=draft)
        assert not InvoiceSeries.objects.exists()  # refused before numbering: no gap
        from invoicing.services.invoices import invoice_create
        with pytest.raises(InvoicingError):
            invoice_create(actor=None, workspace=world.host)
