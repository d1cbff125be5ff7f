"""Shared builders for the invoicing tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from invoicing.services.invoices import LineInput, invoice_create, invoice_issue


def make_draft(workspace, *lines, actor=None):
    """A draft for `workspace` with (description, quantity, unit price, VAT rate) lines."""
    lines = lines or (("Bulletins de paie", "10", "12.50", "20"),)
    with scopes_disabled():
        return invoice_create(actor=actor, workspace=workspace, lines=[
            LineInput(description=d, quantity=Decimal(q), unit_price=Decimal(p), vat_rate=Decimal(r))
            for d, q, p, r in lines])


def make_issued(workspace, *lines, actor=None):
    with scopes_disabled():
        return invoice_issue(actor=actor, invoice=make_draft(workspace, *lines, actor=actor))


@pytest.fixture
def issued(world):
    return make_issued(world.partner_a)
