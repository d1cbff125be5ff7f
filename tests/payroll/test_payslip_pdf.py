"""Payslip PDFs (payroll/services/payslips.py, templates/pdf/payslip.typ): every mention of
R3243-1 Code du travail, French amounts, the batch (Celery task), the zip, and no re-rendering
of a payslip whose content did not change."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django_scopes import scope
from pypdf import PdfReader

from backoffice.models import Document
from backoffice.pdf import fr_number
from payroll.engine.rates import BLOCK_AUTRES
from payroll.models import PayrollRun, Payslip
from payroll.services.payslips import payslips_render
from payroll.services.periods import payroll_period_set_stage
from payroll.services.runs import payroll_run
from payroll.tasks.runs import render_payslips
from tests.factories import EntrepreneurFactory, SubmissionFactory, SubmissionLineFactory, build_payroll_month


@pytest.fixture
def ws(world):
    with scope(workspace=world.partner_a):
        yield world.partner_a


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def computed_month(ws, lines=({},)):
    period = build_payroll_month(ws, lines=lines)
    payroll_run(actor=None, workspace=ws, period=period)
    return period


# R3243-1 Code du travail (clarified payslip, arrêté du 25 février 2016), as listed in
# shared/domain/payroll-fr.md: each mention and the words the PDF must show for it.
R3243_1_MENTIONS = {
    "employer name": "CAE A",
    "employer address": "12 rue des Coopératives",
    "SIRET": "SIRET",
    "NAF code": "Code NAF (APE) 7022Z",
    "URSSAF": "N° URSSAF 117000001234",
    "collective agreement": "Convention collective nationale des bureaux d'études techniques",
    "pension funds": "Caisses de retraite",
    "employee name": "MARTIN Léa",
    "job": "Emploi Consultante",
    "classification": "Classification Position 2.1, coefficient 275",
    "period": "Période du 01/01/2026 au 31/01/2026",
    "hours": "Nombre d'heures",
    "gross": "Salaire brut",
    "block Santé": "Santé",
    "block AT-MP": "Accidents du travail - maladies professionnelles (AT-MP)",
    "block Retraite": "Retraite",
    "block Famille": "Famille",
    "block Assurance chômage": "Assurance chômage",
    "block autres contributions employeur": "Autres contributions dues par l'employeur",
    "block CSG déductible": "CSG déductible de l'impôt sur le revenu",
    "block CSG/CRDS non déductible": "CSG/CRDS non déductible de l'impôt sur le revenu",
    "block exonérations": "Exonérations, écrêtements et allègements de cotisations",
    "montant net social": "Montant net social",
    "net avant impôt": "Net à payer avant impôt sur le revenu",
    "PAS rate": "Taux du prélèvement à la source",
    "PAS base": "Base du prélèvement à la source",
    "PAS amount": "Montant du prélèvement à la source",
    "net payé": "Net payé",
    "payment date": "Date de paiement 28/01/2026",
    "total employer cost": "Coût total pour l'employeur",
    "paid leave": "Congés payés",
    "keep without time limit": "conservez ce bulletin de paie sans limitation de durée",
}


def test_payslip_pdf_has_every_r3243_1_mention(ws):
    """Article R3243-1 Code du travail: every mandatory mention of the payslip is printed."""
    ws.address, ws.postal_code = "12 rue des Coopératives", "69001"
    ws.save()
    period = computed_month(ws, lines=[{
        "entrepreneur": EntrepreneurFactory(
            workspace=ws, last_name="Martin", first_name="Léa"),
        "gross_salary": Decimal("2500.00"), "pas_rate": Decimal("4.50"), "employment": {}}])
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    text = pdf_text(Payslip.objects.get().pdf)

    missing = [name for name, words in R3243_1_MENTIONS.items() if words not in text]
    assert not missing, f"R3243-1 mentions missing from the payslip: {missing}"
    assert f"SIRET {ws.payroll_settings.siret}" in text
    assert "Institution de retraite complémentaire AGIRC" in text


def test_payslip_pdf_shows_french_amounts(ws):
    """2 500 € gross, non-cadre, January 2026: net before tax 1 978,99 € (OpenFisca-France)."""
    period = computed_month(ws, lines=[{"gross_salary": Decimal("2500.00"), "pas_rate": Decimal("4.50")}])
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    payslip = Payslip.objects.get()
    text = pdf_text(payslip.pdf)
    assert "2 500,00" in text
    assert "1 978,99" in text
    assert f"{payslip.pas_amount}".replace(".", ",") in text
    assert "4,5 %" in text
    assert "1978.99" not in text


def test_an_unchanged_payslip_is_not_rendered_again(ws):
    period = computed_month(ws, lines=[{}, {}])
    first = payslips_render(actor=None, workspace=ws, payroll_period=period)
    documents = dict(Payslip.objects.values_list("pk", "pdf_id"))
    zip_id = PayrollRun.objects.get().zip_document_id
    assert (first.rendered, first.unchanged, first.zip_rebuilt) == (2, 0, True)

    payroll_run(actor=None, workspace=ws, period=period)  # same data: same content hash
    second = payslips_render(actor=None, workspace=ws, payroll_period=period)
    assert (second.rendered, second.unchanged, second.zip_rebuilt) == (0, 2, False)
    assert dict(Payslip.objects.values_list("pk", "pdf_id")) == documents
    assert PayrollRun.objects.get().zip_document_id == zip_id

    # One person's pay changes: only that payslip is rendered again, and the zip rebuilt.
    changed_person = Payslip.objects.order_by("pk").first().entrepreneur
    old = period.submissions.get()
    old.state = "superseded"
    old.save()
    submission = SubmissionFactory(period=period)
    for payslip in Payslip.objects.order_by("pk"):
        gross = Decimal("2600.00") if payslip.entrepreneur == changed_person else Decimal("2500.00")
        SubmissionLineFactory(submission=submission, entrepreneur=payslip.entrepreneur, gross_salary=gross)
    payroll_run(actor=None, workspace=ws, period=period)
    third = payslips_render(actor=None, workspace=ws, payroll_period=period)

    assert (third.rendered, third.unchanged, third.zip_rebuilt) == (1, 1, True)
    after = dict(Payslip.objects.values_list("pk", "pdf_id"))
    changed_pk = Payslip.objects.get(entrepreneur=changed_person).pk
    assert after[changed_pk] != documents[changed_pk]
    assert all(after[pk] == documents[pk] for pk in after if pk != changed_pk)
    assert not Document.objects.filter(pk=documents[changed_pk]).exists()  # superseded PDF removed
    assert "2 600,00" in pdf_text(Payslip.objects.get(pk=changed_pk).pdf)


def test_the_zip_holds_every_payslip_pdf(ws):
    period = computed_month(ws, lines=[{}, {}, {}])
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    run = PayrollRun.objects.get()
    assert run.zip_document.content_type == "application/zip"
    with run.zip_document.file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert len(names) == 3
    assert all(name.startswith("bulletin_2026-01_") and name.endswith(".pdf") for name in names)


def test_the_celery_task_renders_in_chunks_reports_progress_and_can_run_twice(ws):
    period = computed_month(ws, lines=[{}, {}, {}])
    result = render_payslips.apply(args=[ws.pk, period.period.isoformat()], kwargs={"chunk_size": 2})
    assert result.get() == {"total": 3, "rendered": 3, "unchanged": 0, "zip_rebuilt": True}
    run = PayrollRun.objects.get()
    assert (run.pdf_state, run.pdf_progress) == ("done", 100)
    again = render_payslips.apply(args=[ws.pk, period.period.isoformat()])
    assert again.get() == {"total": 3, "rendered": 0, "unchanged": 3, "zip_rebuilt": False}
    assert Payslip.objects.filter(pdf__isnull=True).count() == 0


def test_progress_is_reported_after_each_chunk(ws):
    period = computed_month(ws, lines=[{}] * 5)
    seen = []
    payslips_render(actor=None, workspace=ws, payroll_period=period, chunk_size=2,
                    progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_an_approved_month_keeps_its_delivered_pdfs(ws):
    period = computed_month(ws, lines=[{}])
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    pdf_id = Payslip.objects.get().pdf_id
    payroll_period_set_stage(actor=None, payroll_period=period, stage="approved")
    ws.name = "CAE A renamed"
    ws.save()  # the employer's identity changes after approval
    outcome = payslips_render(actor=None, workspace=ws, payroll_period=period)
    assert outcome.rendered == 0
    assert Payslip.objects.get().pdf_id == pdf_id


def test_payment_date_is_clamped_to_a_short_month(ws):
    period = build_payroll_month(ws, period=datetime.date(2026, 2, 1), lines=[{}])
    settings = ws.payroll_settings
    settings.payment_day = 31
    settings.save()
    payroll_run(actor=None, workspace=ws, period=period)
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    assert "Date de paiement 28/02/2026" in pdf_text(Payslip.objects.get().pdf)


def _replace_data(period, grosses: dict):
    """A new confirmed version of the month: {entrepreneur: gross}."""
    old = period.submissions.get(state="confirmed")
    old.state = "superseded"
    old.save()
    submission = SubmissionFactory(period=period)
    for person, gross in grosses.items():
        SubmissionLineFactory(submission=submission, entrepreneur=person, gross_salary=gross)


def test_a_payslip_dropped_from_the_data_loses_its_pdf(ws):
    period = computed_month(ws, lines=[{}, {}])
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    kept, dropped = list(Payslip.objects.order_by("pk"))
    _replace_data(period, {kept.entrepreneur: Decimal("2500.00")})
    payroll_run(actor=None, workspace=ws, period=period)
    assert not Document.objects.filter(pk=dropped.pdf_id).exists()
    assert Document.objects.filter(pk=kept.pdf_id).exists()
    assert payslips_render(actor=None, workspace=ws, payroll_period=period).zip_rebuilt  # now one PDF inside


def test_a_stale_pdf_blocks_delivery_until_rendered_again_even_after_approval(ws):
    from payroll.services.runs import PayrollRunError, payroll_period_approve, payroll_period_deliver

    period = computed_month(ws, lines=[{}])
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    person = Payslip.objects.get().entrepreneur
    _replace_data(period, {person: Decimal("2750.00")})
    payroll_run(actor=None, workspace=ws, period=period)  # the PDF now shows old figures
    payroll_period_approve(actor=None, payroll_period=period)
    with pytest.raises(PayrollRunError, match="up-to-date PDF"):
        payroll_period_deliver(actor=None, payroll_period=period)
    period.refresh_from_db()
    assert payslips_render(actor=None, workspace=ws, payroll_period=period).rendered == 1
    assert "2 750,00" in pdf_text(Payslip.objects.get().pdf)
    payroll_period_deliver(actor=None, payroll_period=period)
    period.refresh_from_db()
    assert period.stage == "delivered"


def test_a_payslip_fits_on_one_page_even_with_every_line(ws):
    """A cadre above the ceiling (tranche 2 lines, APEC, prévoyance), with long identities and
    addresses: the whole payslip, legal notice included, on one A4 page."""
    ws.address, ws.postal_code, ws.city = "12 rue des Coopératives\nBâtiment B, 3e étage", "69001", "Lyon"
    ws.save()
    period = computed_month(ws, lines=[{
        "entrepreneur": EntrepreneurFactory(workspace=ws, last_name="Martin-Dupont de la Tour", first_name="Léa",
                                            address="4 avenue des Entrepreneurs-Salariés\n69003 Lyon"),
        "status": "cadre", "gross_salary": Decimal("14500.00"), "hours": Decimal("151.67"),
        "bonuses": Decimal("1200.00"), "leave_taken": Decimal("3"), "sick_days": Decimal("4"),
        "pas_rate": None, "employment": {}}])
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    payslip = Payslip.objects.get()
    assert payslip.lines.count() >= 18
    text = pdf_text(payslip.pdf)
    assert "Primes" in text and "Nature du taux" in text and "Acquis ce mois" in text
    with payslip.pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == 1
    assert "conservez ce bulletin de paie sans limitation de durée" in pdf_text(payslip.pdf)


def test_a_payslip_pdf_shows_every_line_of_the_payslip(ws):
    """The template iterates over the payslip's lines: each one is printed with its amounts,
    except the contributions only the employer owes, which the clarified payslip groups on one
    line (next test)."""
    period = computed_month(ws, lines=[{"status": "cadre", "gross_salary": Decimal("6000.00")}])
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    payslip = Payslip.objects.get()
    text = pdf_text(payslip.pdf)
    for line in payslip.lines.exclude(block=BLOCK_AUTRES):
        assert line.label in text


def test_employer_only_contributions_are_one_line_of_the_pdf(ws):
    """Arrêté du 25 février 2016 fixant les libellés, l'ordre et le regroupement des informations
    du bulletin de paie (R3243-2 Code du travail): « Autres contributions dues par l'employeur »
    is one line carrying their total (FNAL, CSA, dialogue social, formation, taxe d'apprentissage…).
    The payslip's own lines keep the detail (the page and the journal show them)."""
    period = computed_month(ws, lines=[{"status": "non_cadre", "gross_salary": Decimal("2500.00")}])
    payslips_render(actor=None, workspace=ws, payroll_period=period)
    payslip = Payslip.objects.get()
    others = list(payslip.lines.filter(block=BLOCK_AUTRES))
    assert len(others) >= 4 and not any(line.employee_amount for line in others)
    total = sum(line.employer_amount for line in others)
    text = pdf_text(payslip.pdf)
    assert f"Autres contributions dues par l'employeur {fr_number(total)}" in text
    assert not any(line.label in text for line in others)


def test_a_batch_stores_its_pdfs_with_one_audit_entry_and_few_queries(ws, django_assert_max_num_queries):
    """Storage and audit writes are batched: one insert of the documents and one audit entry
    for a chunk, however many payslips it holds."""
    from backoffice.models import AuditEntry

    period = computed_month(ws, lines=[{}] * 6)
    before = AuditEntry.objects.count()
    with django_assert_max_num_queries(40):
        payslips_render(actor=None, workspace=ws, payroll_period=period)
    entries = list(AuditEntry.objects.order_by("pk")[before:].values_list("action", flat=True))
    # the chunk's PDFs, the zip, the batch itself
    assert entries == ["document.generate_batch", "document.generate", "payroll.payslips_render"]
    batch = AuditEntry.objects.get(action="document.generate_batch")
    assert sorted(batch.changes["documents"]) == sorted(Payslip.objects.values_list("pdf_id", flat=True))
