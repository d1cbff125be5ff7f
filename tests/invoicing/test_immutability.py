"""An issued invoice is immutable at the database level (CGI annex II art. 242 nonies A: no
deletion, no rewriting): django-pgtrigger on PostgreSQL, SQLite triggers from migration 0002.
Each refusal is checked through the ORM instance, a queryset and raw SQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django_scopes import scopes_disabled

from invoicing.models import Invoice, InvoiceLine
from tests.invoicing.conftest import make_draft

pytestmark = pytest.mark.django_db(transaction=False)


def _refused(action) -> None:
    with pytest.raises(DatabaseError, match="émise ne peut|Cannot update or delete"), transaction.atomic():
        action()


def test_database_refuses_to_change_an_issued_invoice(world, issued):
    with scopes_disabled():
        invoice = Invoice.objects.get(pk=issued.pk)
        line = invoice.lines.get()

        def save_instance():
            invoice.total_net = Decimal("1")
            invoice.save()

        _refused(save_instance)
        _refused(lambda: Invoice.objects.filter(pk=issued.pk).update(customer_name="Autre"))
        _refused(lambda: Invoice.objects.filter(pk=issued.pk).update(state="draft"))
        _refused(lambda: Invoice.objects.filter(pk=issued.pk).delete())
        _refused(lambda: InvoiceLine.objects.filter(pk=line.pk).update(unit_price=Decimal("1")))
        _refused(lambda: line.delete())
        _refused(lambda: InvoiceLine.objects.create(
            workspace=invoice.workspace, invoice=invoice, description="ajout", quantity=1, unit_price=1,
            net_amount=1))

        def raw_sql():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE invoicing_invoice SET total_gross = 0 WHERE id = %s", [issued.pk])

        def raw_delete():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM invoicing_invoiceline WHERE invoice_id = %s", [issued.pk])

        _refused(raw_sql)
        _refused(raw_delete)
        stored = Invoice.objects.get(pk=issued.pk)
        assert (stored.total_gross, stored.customer_name, stored.lines.count()) == (
            issued.total_gross, issued.customer_name, 1)


def test_a_draft_stays_editable(world):
    draft = make_draft(world.partner_a)
    with scopes_disabled():
        assert Invoice.objects.filter(pk=draft.pk).update(note="vu") == 1
        InvoiceLine.objects.filter(invoice=draft).update(description="Modifiée")
        Invoice.objects.filter(pk=draft.pk).delete()
        assert not Invoice.objects.filter(pk=draft.pk).exists()
