"""Leaving the CAE: the documents an employer hands over at the end of a contract.

- Certificat de travail (L1234-19 and D1234-6 Code du travail): the employer, the employee,
  the dates of entry and exit, the job held, and (L911-8 CSS) the upkeep of the health and
  provident cover after the contract (portabilité) when the CAE has such schemes.
- Reçu pour solde de tout compte (L1234-20 Code du travail): the inventory of the sums paid
  at the end of the contract, from the final payslip (its pay, the indemnité compensatrice de
  congés payés of L3141-28, reimbursed expenses, the net paid); it can be contested within six
  months of its signature, after which it discharges the employer for the sums listed.

The final pay itself is the exit month's payslip (payroll/services/runs.py: the days of leave
not taken are paid there); the end of the contract is declared in that month's DSN
(S21.G00.62, payroll/exports/dsn.py). Both PDFs are rendered in French through backoffice/pdf.py
and stored as the workspace's documents; generating them again replaces nothing (a new pair
is stored, each dated).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.models import Document, Entrepreneur
from backoffice.pdf import fr_number, render_pdf
from backoffice.services.audit import audit_record
from backoffice.services.documents import document_store_generated
from payroll.models import Employment, PayrollSettings, Payslip


class ExitNotReady(Exception):
    """The documents cannot be made yet; the message says why (shown as is)."""


@dataclass
class ExitDocuments:
    certificate: Document
    receipt: Document


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@transaction.atomic
def exit_documents_generate(*, actor, entrepreneur: Entrepreneur) -> ExitDocuments:
    workspace = entrepreneur.workspace
    employment = Employment.objects.filter(entrepreneur=entrepreneur).first()
    end = (employment.end_date if employment else None) or entrepreneur.exit_date
    if employment is None or end is None:
        raise ExitNotReady(_("Record the end of the contract in the employment data first."))
    final = (Payslip.objects.filter(workspace=workspace, entrepreneur=entrepreneur, period__lte=end)
             .order_by("-period").first())
    if final is None or final.period != end.replace(day=1):
        raise ExitNotReady(_("Compute the payroll of the month the contract ends first: the receipt lists its sums."))
    settings = PayrollSettings.objects.filter(workspace=workspace).prefetch_related("schemes").first()
    employer = {
        "name": workspace.name, "legal_form": workspace.legal_form, "address": workspace.address,
        "postal_code": workspace.postal_code, "city": workspace.city, "siret": settings.siret if settings else "",
        "naf": settings.naf_code if settings else "", "urssaf": settings.urssaf_number if settings else "",
    }
    today = timezone.localdate()
    person = {"name": f"{entrepreneur.last_name.upper()} {entrepreneur.first_name}",
              "birth_date": _d(entrepreneur.birth_date) if entrepreneur.birth_date else "",
              "address": entrepreneur.address, "nir": entrepreneur.nir[:13] if entrepreneur.nir else ""}
    jobs = [employment.job_title or entrepreneur.trade or "entrepreneur-salarié",
            employment.classification]
    context = {"employer": employer, "person": person, "start": _d(employment.start_date), "end": _d(end),
               "job": jobs[0], "classification": jobs[1], "issued": _d(today),
               "city": workspace.city or "", "portability": bool(settings and settings.schemes.exists()),
               "reason": employment.get_exit_reason_display() if employment.exit_reason else ""}
    certificate = document_store_generated(
        workspace=workspace, filename=f"certificat_de_travail_{entrepreneur.matricule}_{today:%Y-%m-%d}.pdf",
        content=render_pdf("pdf/certificat_travail.html", context, language="fr"), content_type="application/pdf",
        title=f"Certificat de travail – {entrepreneur}", actor=actor)
    sums = [("Salaire du dernier mois (brut, hors indemnité)", final.gross - (final.leave_indemnity or 0))]
    if final.leave_indemnity:
        sums.append((f"Indemnité compensatrice de congés payés ({fr_number(final.leave_paid_days)} jours ouvrables)",
                     final.leave_indemnity))
    sums += [("Cotisations et contributions salariales", -final.total_employee_contributions),
             ("Impôt sur le revenu prélevé à la source", -final.pas_amount),
             ("Frais professionnels remboursés", final.reimbursed_expenses)]
    receipt_context = {**context, "sums": [(label, fr_number(amount)) for label, amount in sums],
                       "net_paid": fr_number(final.net_paid), "period": f"{final.period:%m/%Y}"}
    receipt = document_store_generated(
        workspace=workspace, filename=f"solde_de_tout_compte_{entrepreneur.matricule}_{today:%Y-%m-%d}.pdf",
        content=render_pdf("pdf/solde_tout_compte.html", receipt_context, language="fr"),
        content_type="application/pdf", title=f"Reçu pour solde de tout compte – {entrepreneur}", actor=actor)
    audit_record(actor=actor, workspace=workspace, action="payroll.exit_documents", obj=entrepreneur,
                 changes={"end": str(end), "net_paid": str(final.net_paid)})
    return ExitDocuments(certificate=certificate, receipt=receipt)
