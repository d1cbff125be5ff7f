"""Leaving the CAE (issue 13, item 6): the final pay with the indemnité compensatrice de congés
payés (L3141-28, the larger of the maintien and the dixième of L3141-24 Code du travail), the
end of the contract in the month's DSN (S21.G00.62), the certificat de travail (D1234-6) and
the reçu pour solde de tout compte (L1234-20)."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from backoffice.models import Document
from backoffice.pdf import fr_number
from payroll.engine.leave import leave_indemnity
from payroll.exports.dsn import dsn_check
from payroll.models import Payslip
from payroll.services.exits import ExitNotReady, exit_documents_generate
from payroll.services.payslips import payslips_render
from payroll.services.runs import DeclarationInvalid, payroll_declaration_generate, payroll_run
from tests.conftest import login
from tests.factories import EntrepreneurFactory, build_payroll_month

D = Decimal


def test_indemnity_is_the_larger_of_maintien_and_dixieme():
    """L3141-24: 10 days at 2 600 €/month: maintien 2 600 × 10 / 26 = 1 000.00; dixième of
    30 000 € earned over a period that acquired 25 days: 3 000 × 10 / 25 = 1 200.00."""
    assert leave_indemnity(days=D(10), monthly_salary=D(2600), reference_gross=D(30000),
                           reference_acquired=D(25)) == D("1200.00")
    assert leave_indemnity(days=D(10), monthly_salary=D(2600), reference_gross=D(20000),
                           reference_acquired=D(25)) == D("1000.00")
    assert leave_indemnity(days=D(0), monthly_salary=D(2600), reference_gross=D(1), reference_acquired=D(1)) == 0


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        yield world.partner_a


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_exit_month_pays_the_leave_declares_the_end_and_gives_the_documents(ws):
    person = EntrepreneurFactory(workspace=ws, last_name="Départ", first_name="Inès")
    period = build_payroll_month(ws, lines=[{
        "entrepreneur": person, "gross_salary": D("2500.00"), "exit_date": datetime.date(2026, 1, 20),
        "employment": {"end_date": datetime.date(2026, 1, 20), "exit_reason": "059"}}])
    with pytest.raises(ExitNotReady):
        exit_documents_generate(actor=None, entrepreneur=person)  # no final payslip yet
    payroll_run(actor=None, workspace=ws, period=period)
    slip = Payslip.objects.get()
    # 20 days of January's 31 acquire 2.5 × 20 / 31 = 1.61 days; paid out at the exit: the
    # dixième (2 500 / 10 for the 1.61 days acquired) beats the maintien (2 500 × 1.61 / 26 = 154.81).
    assert (slip.leave_acquired, slip.leave_paid_days, slip.leave_indemnity, slip.leave_balance) == (
        D("1.61"), D("1.61"), D("250.00"), D("0.00"))
    assert slip.gross == D("2750.00") and slip.base_salary == D("2500.00") and slip.bonuses == 0

    # The final payslip prints the indemnity on its own line and still fits one page.
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    slip.refresh_from_db()
    with slip.pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == 1
    assert "Indemnité compensatrice de congés payés 1,61 j" in pdf_text(slip.pdf)

    declaration = payroll_declaration_generate(actor=None, payroll_period=period)
    with declaration.document.file.open("rb") as handle:
        text = handle.read().decode("latin-1")
    assert dsn_check(text) == []
    assert "S21.G00.62.001,'20012026'\r\nS21.G00.62.002,'059'\r\nS21.G00.71.002,'RUAA'" in text
    bad = text.replace("S21.G00.62.001,'20012026'", "S21.G00.62.001,'20022026'")
    assert any("SIG-13" in p for p in dsn_check(bad))

    documents = exit_documents_generate(actor=None, entrepreneur=person)
    certificate = pdf_text(documents.certificate)
    for words in ("Certificat de travail", "DÉPART Inès", "du 01/01/2024 au 20/01/2026", "Consultante",
                  "Position 2.1, coefficient 275", "SIRET"):
        assert words in certificate
    receipt = pdf_text(documents.receipt)
    for words in ("Reçu pour solde de tout compte", "Indemnité compensatrice de congés payés", "250,00",
                  re.sub(r"\s+", " ", fr_number(slip.net_paid)), "six mois"):
        assert words in receipt


def test_an_exit_without_its_reason_blocks_the_declaration(ws):
    person = EntrepreneurFactory(workspace=ws)
    period = build_payroll_month(ws, lines=[{"entrepreneur": person, "employment": {
        "end_date": datetime.date(2026, 1, 31)}}])
    payroll_run(actor=None, workspace=ws, period=period)
    with pytest.raises(DeclarationInvalid, match="reason|motif|raison"):
        payroll_declaration_generate(actor=None, payroll_period=period)


def test_staff_generate_the_exit_documents_from_the_person_page(world):
    with scope(workspace=world.partner_a):
        person = EntrepreneurFactory(workspace=world.partner_a)
        period = build_payroll_month(world.partner_a, lines=[{"entrepreneur": person, "employment": {
            "end_date": datetime.date(2026, 1, 31), "exit_reason": "043"}}])
        payroll_run(actor=None, workspace=world.partner_a, period=period)
    client = login(world.users["staff"])
    page = client.get(reverse("payroll_person", args=["cae-a", person.pk])).content.decode()
    assert "exit-documents" in page
    response = client.post(reverse("payroll_person_exit_documents", args=["cae-a", person.pk]))
    assert response.status_code == 302
    with scopes_disabled():
        titles = sorted(Document.objects.filter(workspace=world.partner_a).values_list("title", flat=True))
    assert any(t.startswith("Certificat de travail") for t in titles)
    assert any(t.startswith("Reçu pour solde de tout compte") for t in titles)
    # A partner viewer cannot: the documents are the payroll team's.
    assert login(world.users["partner_a"]).post(
        reverse("payroll_person_exit_documents", args=["cae-a", person.pk])).status_code in (403, 404)
