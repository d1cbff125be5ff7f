"""Invoicing pages: the customer reads its issued invoices; staff edit drafts, issue, credit."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from invoicing.models import Invoice, InvoiceLine
from tests.factories import PriceLineFactory, ServiceAgreementFactory, UsageFactory
from tests.invoicing.conftest import make_draft, make_issued

pytestmark = pytest.mark.django_db


def test_customer_sees_issued_invoices_not_drafts(world, clients):
    issued = make_issued(world.partner_a)
    draft = make_draft(world.partner_a)
    page = clients["partner_a"].get(reverse("invoices", args=["cae-a"]))
    assert page.status_code == 200
    assert issued.number in page.content.decode()
    assert f"#{draft.pk}" not in page.content.decode()
    assert clients["partner_a"].get(reverse("invoice_detail", args=["cae-a", draft.pk])).status_code == 404
    assert clients["partner_a"].get(reverse("invoice_detail", args=["cae-a", issued.pk])).status_code == 200
    # A customer cannot issue, edit or credit even its own invoices.
    assert clients["partner_a"].post(reverse("invoice_credit_note", args=["cae-a", issued.pk])).status_code == 403


def test_invoice_list_query_count_is_constant(world, clients, django_assert_max_num_queries):
    for _ in range(15):
        make_issued(world.partner_a)
    with django_assert_max_num_queries(12):
        assert clients["partner_a"].get(reverse("invoices", args=["cae-a"])).status_code == 200
    with django_assert_max_num_queries(12):
        assert clients["staff"].get(reverse("staff:invoicing:home")).status_code == 200


def test_staff_edits_then_issues_a_draft_by_page(world, clients):
    draft = make_draft(world.partner_a)
    staff = clients["staff"]
    with scopes_disabled():
        line = draft.lines.get()
    response = staff.post(reverse("invoice_line_edit", args=["cae-a", line.pk]),
                          {"description": "Bulletins", "quantity": "4", "unit_price": "10", "vat_rate": "20.00"})
    assert response.status_code == 302
    staff.post(reverse("invoice_line_add", args=["cae-a", draft.pk]),
               {"description": "Forfait", "quantity": "1", "unit_price": "5", "vat_rate": "20.00"})
    staff.post(reverse("invoice_issue", args=["cae-a", draft.pk]))
    with scopes_disabled():
        invoice = Invoice.objects.get(pk=draft.pk)
    assert invoice.state == "issued" and invoice.total_gross == Decimal("54.00")


def test_issued_invoice_cannot_be_edited_or_deleted_by_page(world, clients):
    issued = make_issued(world.partner_a)
    staff = clients["staff"]
    with scopes_disabled():
        line_pk = issued.lines.get().pk
    response = staff.post(reverse("invoice_line_edit", args=["cae-a", line_pk]),
                          {"description": "x", "quantity": "1", "unit_price": "1", "vat_rate": "20.00"})
    assert response.status_code == 400
    assert "An issued invoice can be neither changed nor deleted" in response.content.decode()
    staff.post(reverse("invoice_line_delete", args=["cae-a", line_pk]))
    staff.post(reverse("invoice_delete", args=["cae-a", issued.pk]))
    staff.post(reverse("invoice_line_add", args=["cae-a", issued.pk]),
               {"description": "x", "quantity": "1", "unit_price": "1", "vat_rate": "20.00"})
    with scopes_disabled():
        stored = Invoice.objects.get(pk=issued.pk)
        assert stored.total_gross == issued.total_gross and stored.lines.count() == 1


def test_negative_quantity_by_form_is_refused(world, clients):
    draft = make_draft(world.partner_a)
    response = clients["staff"].post(reverse("invoice_line_add", args=["cae-a", draft.pk]),
                                     {"description": "x", "quantity": "-2", "unit_price": "1", "vat_rate": "20.00"},
                                     follow=True)
    assert "A quantity cannot be negative." in response.content.decode()
    with scopes_disabled():
        assert InvoiceLine.objects.filter(invoice=draft).count() == 1


def test_credit_note_by_page_refuses_more_than_remains(world, clients):
    issued = make_issued(world.partner_a)  # 150.00 incl. VAT
    url = reverse("invoice_credit_note", args=["cae-a", issued.pk])
    response = clients["staff"].post(url, {"amount": "200", "vat_rate": "20.00", "reason": "geste"}, follow=True)
    assert "larger than what remains" in response.content.decode()
    response = clients["staff"].post(url, {"amount": "50", "vat_rate": "20.00", "reason": "geste"})
    with scopes_disabled():
        note = Invoice.objects.get(kind="credit_note")
    assert note.total_gross == Decimal("60.00") and note.corrects_id == issued.pk


def test_billing_run_and_issue_all_from_the_staff_page(world, clients):
    with scopes_disabled():
        agreement = ServiceAgreementFactory(workspace=world.partner_b)
        PriceLineFactory(agreement=agreement, usage_kind="payslip", unit_price=Decimal("10"))
        UsageFactory(workspace=world.partner_b, kind="payslip", quantity=Decimal("2"),
                     occurred_on=datetime.date(2026, 3, 10))
    staff = clients["staff"]
    page = staff.post(reverse("staff:invoicing:run"), {"period": "2026-03"})
    assert page.status_code == 200 and "CAE B" in page.content.decode()
    staff.post(reverse("staff:invoicing:issue_all"), {"period": "2026-03"})
    with scopes_disabled():
        invoice = Invoice.objects.get(workspace=world.partner_b)
    assert invoice.state == "issued" and invoice.total_net == Decimal("20.00")
    bad = staff.post(reverse("staff:invoicing:run"), {"period": "2026-13"}, follow=True)
    assert "Enter a month as YYYY-MM." in bad.content.decode()


def test_manual_invoice(world, clients):
    response = clients["staff"].post(reverse("staff:invoicing:invoice_new"), {
        "workspace": world.alumni_c.pk, "description": "Conseil", "quantity": "2", "unit_price": "100",
        "vat_rate": "20.00"})
    assert response.status_code == 302
    with scopes_disabled():
        invoice = Invoice.objects.get(workspace=world.alumni_c)
    assert invoice.total_gross == Decimal("240.00") and invoice.period is None
