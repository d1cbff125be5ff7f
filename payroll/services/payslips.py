"""Payslip documents: what a payslip shows, its PDF, the month's batch and zip.

What a payslip shows is one plain dict, `payslip_content` (strings only): the PDF is rendered
from it and its SHA-256 is the payslip's `content_hash`. A PDF is (re-)rendered only when
that hash differs from `pdf_hash`, the hash the stored PDF was rendered from — so re-running
a month or the batch re-renders only the payslips whose figures or identities changed.

The layout follows the clarified payslip (R3243-1 Code du travail; arrêté du 25 février
2016 modifié): templates/pdf/payslip.typ. A payslip is a French legal document: it is
rendered in French whatever the reader's language.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import io
import json
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django_scopes import scope

from backoffice.bulk import bulk_set
from backoffice.models import Document, Workspace
from backoffice.pdf import fr_number, render_typst_pdf
from backoffice.queue import enqueue, require_queue
from backoffice.services.audit import audit_record
from backoffice.services.documents import GeneratedFile, document_store_generated, documents_store_generated
from payroll.engine.leave import reference_period_start
from payroll.engine.rates import BLOCK_AUTRES, BLOCKS
from payroll.models import Employment, PayrollPeriod, PayrollRun, PayrollSettings, Payslip, PayslipLine

logger = logging.getLogger(__name__)

# Bump when templates/pdf/payslip.typ changes what it prints: every PDF is then re-rendered.
PAYSLIP_LAYOUT_VERSION = "7"
PDF_CHUNK = 100

# Headings of the clarified payslip, by engine block (payroll.engine.rates.BLOCKS).
BLOCK_TITLES = {
    "Santé": "Santé",
    "Accidents du travail": "Accidents du travail - maladies professionnelles (AT-MP)",
    "Retraite": "Retraite",
    "Famille": "Famille",
    "Assurance chômage": "Assurance chômage",
    "Autres contributions dues par l'employeur": "Autres contributions dues par l'employeur",
    "CSG déductible": "CSG déductible de l'impôt sur le revenu",
    "CSG/CRDS non déductible": "CSG/CRDS non déductible de l'impôt sur le revenu",
    "Exonérations/allègements": "Exonérations, écrêtements et allègements de cotisations",
}

MONEY_FIELDS = (
    "gross", "total_employee_contributions", "total_employer_contributions", "reduction_generale", "net_social",
    "net_before_tax", "taxable_net", "pas_amount", "reimbursed_expenses", "net_paid", "employer_cost", "revenue",
    "cae_contribution",
)


def _q(value: Decimal | None, places: int) -> str | None:
    """A Decimal as a fixed-point string (the same before and after a database round trip)."""
    if value is None:
        return None
    return f"{Decimal(value).quantize(Decimal(1).scaleb(-places)):f}"


def last_day(period: datetime.date) -> datetime.date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def payment_date(period: datetime.date, settings: PayrollSettings) -> datetime.date:
    """The settings' payment day in the month paid, or its last day for a short month."""
    return period.replace(day=min(settings.payment_day, last_day(period).day))


def employer_identity(workspace: Workspace, settings: PayrollSettings) -> dict:
    return {
        "name": workspace.name, "legal_form": workspace.legal_form, "address": workspace.address,
        "postal_code": workspace.postal_code, "city": workspace.city, "siret": settings.siret,
        "naf": settings.naf_code, "urssaf": settings.urssaf_number,
        "agreement": settings.collective_agreement, "idcc": settings.idcc,
        "pension_funds": settings.pension_funds, "paid_leave_fund": settings.paid_leave_fund,
        **({"leave_fund_name": settings.leave_fund_name, "leave_fund_number": settings.leave_fund_number}
           if settings.paid_leave_fund else {}),
    }


def payslip_content(*, payslip: Payslip, lines: Iterable[PayslipLine], employer: dict,
                    employment: Employment | None, payment_day: datetime.date) -> dict:
    """Everything the PDF of `payslip` prints, as strings (hashable, JSON-serialisable).

    `payslip` and `lines` may be unsaved (during a run) or loaded from the database: amounts
    are written with their field's decimal places, so both give the same dict."""
    person = payslip.entrepreneur
    return {
        "layout": PAYSLIP_LAYOUT_VERSION,
        "period": payslip.period.isoformat(),
        "payment_date": payment_day.isoformat(),
        "employer": employer,
        "employee": {
            "matricule": person.matricule, "last_name": person.last_name, "first_name": person.first_name,
            "address": person.address, "entry_date": person.entry_date.isoformat(),
            "job_title": (employment.job_title if employment else "") or person.trade,
            "classification": employment.classification if employment else "",
            "contract": employment.get_contract_type_display() if employment else "",
            "status": payslip.status,
        },
        "hours": _q(payslip.hours, 2),
        "pas_rate": _q(payslip.pas_rate, 2),
        "pas_kind": payslip.pas_kind,
        "pay": {"base_salary": _q(payslip.base_salary, 2), "bonuses": _q(payslip.bonuses, 2),
                "leave_indemnity": _q(payslip.leave_indemnity, 2), "leave_paid_days": _q(payslip.leave_paid_days, 2)},
        "leave": {"acquired": _q(payslip.leave_acquired, 2), "taken": _q(payslip.leave_taken, 2),
                  "balance": _q(payslip.leave_balance, 2), "previous": _q(payslip.leave_previous, 2),
                  "period_acquired": _q(payslip.leave_period_acquired, 2)},
        "figures": {name: _q(getattr(payslip, name), 2) for name in MONEY_FIELDS},
        "lines": [
            [line.code, line.label, line.block, _q(line.base, 2), _q(line.employee_rate, 4),
             _q(line.employee_amount, 2), _q(line.employer_rate, 4), _q(line.employer_amount, 2)]
            for line in lines
        ],
    }


def content_hash(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- PDF ---------------------------------------------------------------------------------

def _rate(text: str | None) -> str:
    if text is None:
        return ""
    value = Decimal(text).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return fr_number(value, max(0, -value.as_tuple().exponent)) + "\u00a0%"


def _amount(text: str | None) -> str:
    return "" if text is None else fr_number(Decimal(text))


def _date(iso: str) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")


# Art. 204 H CGI: the payslip says which kind of rate was applied.
PAS_RATE_KINDS = {
    "personalised": "taux personnalisé",
    "non_personalised": "taux non personnalisé",
    "neutral": "taux non personnalisé (option)",
}

MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")


def _row(label: str, value: str | None, style: str = "") -> list[str]:
    return [label, value or "", style]


def _or_placeholder(value: str, placeholder: str) -> list[str]:
    return [value, ""] if value else [placeholder, "placeholder"]


def _leave_counters_box(leave: dict, period: datetime.date, *, building_trade: bool) -> dict:
    """The paid-leave counters (payroll.engine.leave): the month's days acquired and taken, the
    N-1 days still to take, the days acquired in the current reference period (N), what is left
    of N when leave was taken from it, and the total still to take."""
    def days(key: str) -> str:
        return f"{fr_number(Decimal(leave[key]))} j"

    start = reference_period_start(period, building_trade=building_trade)
    end = start.replace(year=start.year + 1) - datetime.timedelta(days=1)
    current_left = Decimal(leave["balance"]) - Decimal(leave["previous"])
    return {"title": "Congés payés", "rows": [
        _row("Acquis ce mois", days("acquired")),
        _row("Pris ce mois", days("taken")),
        _row("Solde N-1 à prendre", days("previous")),
        _row("Acquis N", days("period_acquired")),
        *([_row("Solde N", f"{fr_number(current_left)} j")]
          if current_left != Decimal(leave["period_acquired"]) else []),
        _row("Solde total", days("balance"), "strong"),
    ], "notes": [f"En jours ouvrables. Période N : du {start:%d/%m/%Y} au {end:%d/%m/%Y}."]}


def _pay_rows(content: dict) -> list[dict]:
    """Base pay and bonuses, each on its line (R3243-1 Code du travail): base pay with its hours
    and hourly rate, or as a monthly amount when pay follows activity, not time."""
    pay = content.get("pay") or {}
    if pay.get("base_salary") is None:
        return []
    base = Decimal(pay["base_salary"])
    hours = Decimal(content["hours"]) if content.get("hours") is not None else None
    if hours:
        cells = ["Salaire de base", f"{fr_number(hours)} h", f"{fr_number(base / hours, 4)} €/h"]
    else:
        cells = ["Salaire de base (forfait mensuel, rémunération liée à l'activité)", "", ""]
    rows = [{"kind": "row", "cells": [*cells, fr_number(base), "", ""]}]
    if pay.get("bonuses") and Decimal(pay["bonuses"]):
        rows.append({"kind": "row", "cells": ["Primes", "", "", fr_number(Decimal(pay["bonuses"])), "", ""]})
    if pay.get("leave_indemnity"):
        rows.append({"kind": "row", "cells": [
            "Indemnité compensatrice de congés payés", f"{fr_number(Decimal(pay['leave_paid_days']))} j", "",
            fr_number(Decimal(pay["leave_indemnity"])), "", ""]})
    return rows


def payslip_pdf_context(content: dict) -> dict:
    """The data templates/pdf/payslip.typ lays out: `content` as French words and numbers,
    in sections and lines (the template iterates over them, so a line added here appears on
    the payslip without layout work). Every R3243-1 mention is written here."""
    period = datetime.date.fromisoformat(content["period"])
    figures = content["figures"]
    money = {name: _amount(value) for name, value in figures.items()}
    er, ee = content["employer"], content["employee"]
    period_label = f"{MONTHS_FR[period.month - 1]} {period.year}"
    payment_day = _date(content["payment_date"])

    address = "\n".join(part for part in (er["address"], f"{er['postal_code']} {er['city']}".strip()) if part)
    agreement = (f"{er['agreement']} (IDCC {er['idcc']})" if er["idcc"] else er["agreement"]) if er["agreement"] \
        else "Aucune convention collective de branche applicable"
    pension = "Retraite de base : Assurance retraite (CNAV) · Complémentaire : "
    employer_rows = [
        _row("Raison sociale", f"{er['name']} ({er['legal_form']})" if er["legal_form"] else er["name"]),
        _row("Adresse", *_or_placeholder(address, "non renseignée")),
        _row("SIRET", er["siret"]),
        _row("Code NAF (APE)", er["naf"]),
        _row("N° URSSAF", er["urssaf"]),
        _row("Convention collective", agreement),
        _row("Caisses de retraite", pension + er["pension_funds"]) if er["pension_funds"]
        else _row("Caisses de retraite", pension + "institution AGIRC-ARRCO non renseignée", "placeholder"),
    ]
    hours = (f"Nombre d'heures : {fr_number(Decimal(content['hours']))}" if content["hours"] is not None
             else "Nombre d'heures : rémunération non liée à un horaire (entrepreneur-salarié)")
    employee_rows = [
        _row("Nom, prénom", f"{ee['last_name'].upper()} {ee['first_name']}", "strong"),
        _row("Matricule", ee["matricule"]),
        *([_row("Adresse", ee["address"])] if ee["address"] else []),
        _row("Emploi", *_or_placeholder(ee["job_title"], "non renseigné")),
        _row("Classification", *_or_placeholder(ee["classification"], "non renseignée")),
        _row("Statut", ("Cadre" if ee["status"] == "cadre" else "Non-cadre")
             + (f" · {ee['contract']}" if ee["contract"] else "")),
        _row("Date d'entrée", _date(ee["entry_date"])),
        _row("Heures", hours),
    ]

    def amount_row(kind: str, label: str, employee: str = "", employer: str = "") -> dict:
        return {"kind": kind, "cells": [label, "", "", employee, "", employer]}

    lines = [*_pay_rows(content), amount_row("highlight", "Salaire brut", fr_number(Decimal(figures["gross"])))]
    for block in BLOCKS:
        rows = [line for line in content["lines"] if line[2] == block]
        if block == BLOCK_AUTRES and rows and not any(Decimal(line[5]) for line in rows):
            # One line for every contribution only the employer owes (FNAL, CSA, dialogue social,
            # formation, taxe d'apprentissage, versement mobilité…): arrêté du 25 février 2016
            # fixant le regroupement des informations du bulletin (R3243-2 Code du travail).
            # The on-screen payslip and the journal keep each line.
            total = sum((Decimal(line[7]) for line in rows), Decimal(0))
            lines.append({"kind": "row", "cells": [BLOCK_TITLES[block], "", "", "", "", _amount(str(total))]})
            continue
        lines.append({"kind": "block", "cells": [BLOCK_TITLES[block]]})
        for _code, label, _block, base, employee_rate, employee_amount, employer_rate, employer_amount in rows:
            employee, employer = Decimal(employee_amount), Decimal(employer_amount)
            lines.append({"kind": "row", "cells": [
                label, _amount(base),
                _rate(employee_rate) if employee else "", _amount(employee_amount) if employee else "",
                _rate(employer_rate) if employer else "", _amount(employer_amount) if employer else ""]})
        if not rows:
            lines.append({"kind": "empty", "cells": ["Aucune cotisation ce mois-ci"]})
    lines += [
        amount_row("total", "Total des cotisations et contributions", money["total_employee_contributions"],
                   money["total_employer_contributions"]),
        amount_row("row", "dont allègement de cotisations employeur (réduction générale)", "",
                   money["reduction_generale"]),
        amount_row("highlight", "Montant net social", money["net_social"]),
        amount_row("highlight", "Net à payer avant impôt sur le revenu", money["net_before_tax"]),
    ]

    taxable = Decimal(figures["taxable_net"])
    tax_box = {"title": "Impôt sur le revenu prélevé à la source", "notes": [], "rows": [
        _row("Net imposable", money["taxable_net"]),
        _row("Base du prélèvement à la source", fr_number(max(taxable, Decimal(0)))),
        _row("Taux du prélèvement à la source", _rate(content["pas_rate"])),
        *([_row("Nature du taux", PAS_RATE_KINDS[content["pas_kind"]])] if content.get("pas_kind") else []),
        _row("Montant du prélèvement à la source", money["pas_amount"]),
    ]}
    withheld = money["pas_amount"] if money["pas_amount"] == "0,00" else f"-{money['pas_amount']}"
    payment_box = {"title": "Paiement", "notes": [], "rows": [
        _row("Net à payer avant impôt", money["net_before_tax"]),
        _row("Impôt sur le revenu prélevé à la source", withheld),
        _row("Frais professionnels remboursés", money["reimbursed_expenses"]),
        _row("Net payé", f"{money['net_paid']} €", "strong"),
        _row("Date de paiement", payment_day),
        _row("Coût total pour l'employeur", money["employer_cost"]),
    ]}
    if er["paid_leave_fund"]:
        # Building trades: the fund pays the leave, not the employer (L3141-32 Code du travail);
        # leave taken is an absence on this payslip, paid by the fund.
        taken = Decimal(content.get("leave", {}).get("taken") or 0)
        leave_box = {"title": "Congés payés", "rows": [
            _row("Caisse de congés payés", er.get("leave_fund_name") or "caisse de congés payés du BTP"),
            *([_row("N° d'adhérent", er["leave_fund_number"])] if er.get("leave_fund_number") else []),
            *([_row("Pris ce mois", f"{fr_number(taken)} j, absence indemnisée par la caisse")] if taken else []),
        ], "notes": ["Les congés payés sont versés par la caisse de congés payés du BTP dont relève l'employeur, "
                     "non par l'employeur : les jours de congé sont une absence non payée sur ce bulletin."]}
    elif content.get("leave", {}).get("previous") is not None:
        leave_box = _leave_counters_box(content["leave"], period, building_trade=er["paid_leave_fund"])
    elif content.get("leave", {}).get("acquired") is not None:
        leave = content["leave"]
        leave_box = {"title": "Congés payés", "notes": ["En jours ouvrables."], "rows": [
            _row("Acquis ce mois", f"{fr_number(Decimal(leave['acquired']))} j"),
            _row("Pris ce mois", f"{fr_number(Decimal(leave['taken']))} j"),
            _row("Solde", f"{fr_number(Decimal(leave['balance']))} j", "strong")]}
    else:
        leave_box = {"title": "Congés payés", "rows": [_row(label, "non transmis", "placeholder")
                                                         for label in ("Acquis", "Pris", "Solde")],
                     "notes": ["Les données de congés payés n'ont pas été transmises avec la paie du mois."]}

    person = f"{ee['last_name'].upper()} {ee['first_name']}"
    return {
        "title": f"Bulletin de paie {period_label} – {person}",
        "heading": f"Bulletin de paie — {period_label}",
        "subheading": f"Période du {period.strftime('%d/%m/%Y')} au {last_day(period).strftime('%d/%m/%Y')}"
                      f" · Paiement le {payment_day}",
        "footer": f"{er['name']} · {person} · {period_label}",
        "parties": [{"title": "Employeur", "rows": employer_rows}, {"title": "Salarié", "rows": employee_rows}],
        "columns": ["Élément", "Base", "Taux salarial", "Part salarié", "Taux employeur", "Part employeur"],
        "lines": lines,
        "boxes": [tax_box, payment_box, leave_box],
        "notice": [
            {"text": "Dans votre intérêt et pour vous aider à faire valoir vos droits, conservez ce bulletin de "
                     "paie sans limitation de durée.", "style": "strong"},
            {"text": "Pour plus d'informations, consultez la rubrique dédiée au bulletin de paie sur le portail "
                     "www.service-public.fr.", "style": ""},
            {"text": "Montants en euros. Bulletin établi selon l'article R3243-1 du Code du travail.",
             "style": "muted"},
        ],
    }


def payslip_pdf(content: dict) -> bytes:
    return render_typst_pdf("pdf/payslip.typ", payslip_pdf_context(content))


# --- the month's batch ---------------------------------------------------------------------

@dataclass
class RenderOutcome:
    total: int
    rendered: int
    unchanged: int
    zip_rebuilt: bool


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "x"


def payslip_filename(payslip: Payslip) -> str:
    person = payslip.entrepreneur
    return (f"bulletin_{payslip.period:%Y-%m}_{_ascii(person.matricule)}_{_ascii(person.last_name).upper()}"
            f"_{_ascii(person.first_name)}.pdf")


def _render_chunk(*, actor, workspace: Workspace, run: PayrollRun, pks: list[int], employer: dict,
                  payment_day: datetime.date, locked: bool) -> tuple[int, int]:
    payslips = list(Payslip.objects.filter(pk__in=pks).select_related("entrepreneur", "pdf")
                    .prefetch_related("lines").order_by("pk"))
    employments = {e.entrepreneur_id: e for e in
                   Employment.objects.filter(entrepreneur_id__in=[p.entrepreneur_id for p in payslips])}
    unchanged = 0
    replaced: list[Document] = []
    changed: list[tuple[Payslip, str]] = []
    files: list[GeneratedFile] = []
    for payslip in payslips:
        content = payslip_content(payslip=payslip, lines=payslip.lines.all(), employer=employer,
                                  employment=employments.get(payslip.entrepreneur_id), payment_day=payment_day)
        digest = content_hash(content)
        if payslip.pdf_id and (payslip.pdf_hash == digest or (locked and payslip.pdf_hash == payslip.content_hash)):
            # Up to date; or the month is approved and its PDF shows the approved figures: an
            # identity edited after approval does not replace a payslip that may be delivered.
            unchanged += 1
            continue
        files.append(GeneratedFile(
            filename=payslip_filename(payslip), content=payslip_pdf(content),
            title=f"Bulletin de paie {payslip.period:%Y-%m} – {payslip.entrepreneur}"))
        if payslip.pdf_id:
            replaced.append(payslip.pdf)
        changed.append((payslip, digest))
    # One insert for the chunk's documents and one audit entry for them (not one per PDF).
    documents = documents_store_generated(workspace=workspace, files=files, actor=actor,
                                          batch=f"payroll.payslips run {run.pk}")
    for (payslip, digest), document in zip(changed, documents, strict=True):
        payslip.pdf, payslip.pdf_hash, payslip.content_hash = document, digest, digest
    rendered = len(changed)
    bulk_set(Payslip, {payslip.pk: {"pdf_id": document.pk, "pdf_hash": digest, "content_hash": digest}
                       for (payslip, digest), document in zip(changed, documents, strict=True)},
             ["pdf_id", "pdf_hash", "content_hash"])
    discard_documents(replaced)
    return rendered, unchanged


def discard_documents(documents: list[Document]) -> None:
    """Delete superseded generated files (rows now, files once the transaction commits)."""
    files = [document.file.name for document in documents if document.file]
    if not documents:
        return
    Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
    storage = Document._meta.get_field("file").storage

    def delete_files():
        for name in files:
            try:
                storage.delete(name)
            except OSError:  # pragma: no cover - a missing file is not worth failing for
                logger.warning("could not delete superseded PDF %s", name)

    transaction.on_commit(delete_files)


def payslips_render(*, actor, workspace: Workspace, payroll_period: PayrollPeriod, chunk_size: int = PDF_CHUNK,
                    progress: Callable[[int, int], None] | None = None) -> RenderOutcome:
    """Render the PDF of every payslip of the month whose content changed, chunk by chunk
    (each chunk commits, so an interrupted batch resumes where it stopped), then the zip.
    Idempotent: a second run renders nothing and keeps the zip."""
    run = PayrollRun.objects.filter(period=payroll_period).first()
    if run is None:
        raise ValueError("this month has not been computed")
    settings = PayrollSettings.objects.get(workspace=workspace)
    employer = employer_identity(workspace, settings)
    payment_day = payment_date(payroll_period.period, settings)
    pks = list(Payslip.objects.filter(run=run).order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk")
               .values_list("pk", flat=True))
    total, rendered, unchanged = len(pks), 0, 0
    PayrollRun.objects.filter(pk=run.pk).update(pdf_state="running", pdf_progress=0)
    for start in range(0, total, chunk_size):
        with transaction.atomic():
            done, same = _render_chunk(actor=actor, workspace=workspace, run=run, pks=pks[start:start + chunk_size],
                                       employer=employer, payment_day=payment_day, locked=payroll_period.is_locked)
            rendered, unchanged = rendered + done, unchanged + same
            percent = int(100 * (start + chunk_size if start + chunk_size < total else total) / total)
            PayrollRun.objects.filter(pk=run.pk).update(pdf_progress=min(percent, 99))
        if progress is not None:
            progress(rendered + unchanged, total)
    with transaction.atomic():
        run.refresh_from_db()
        zip_rebuilt = payslips_zip_build(actor=actor, workspace=workspace, run=run)
        PayrollRun.objects.filter(pk=run.pk).update(pdf_state="done", pdf_progress=100)
        audit_record(actor=actor, workspace=workspace, action="payroll.payslips_render", obj=run,
                     changes={"rendered": rendered, "unchanged": unchanged, "zip_rebuilt": zip_rebuilt})
    return RenderOutcome(total=total, rendered=rendered, unchanged=unchanged, zip_rebuilt=zip_rebuilt)


def payslips_zip_build(*, actor, workspace: Workspace, run: PayrollRun) -> bool:
    """One zip of the month's payslip PDFs, stored as a Document; rebuilt only when the set of
    PDFs changed (zip_hash). Returns whether it was (re)built."""
    payslips = list(Payslip.objects.filter(run=run, pdf__isnull=False).select_related("entrepreneur", "pdf")
                    .order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk"))
    digest = hashlib.sha256("\n".join(f"{p.pk}:{p.pdf.sha256}" for p in payslips).encode()).hexdigest()
    if not payslips or (run.zip_document_id and run.zip_hash == digest):
        return False
    buffer = io.BytesIO()
    names: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for payslip in payslips:
            name = payslip_filename(payslip)
            if name in names:
                name = name.replace(".pdf", f"_{payslip.pk}.pdf")
            names.add(name)
            with payslip.pdf.file.open("rb") as handle:
                archive.writestr(name, handle.read())
    old = run.zip_document
    document = document_store_generated(
        workspace=workspace, filename=f"bulletins_{run.period.period:%Y-%m}.zip", content=buffer.getvalue(),
        content_type="application/zip", title=f"Bulletins de paie {run.period.period:%Y-%m} (zip)", actor=actor)
    PayrollRun.objects.filter(pk=run.pk).update(zip_document=document, zip_hash=digest)
    run.zip_document, run.zip_hash = document, digest
    if old is not None:
        discard_documents([old])
    return True


@transaction.atomic
def payslips_render_start(*, actor, payroll_period: PayrollPeriod) -> PayrollRun:
    """Queue the month's PDF batch (payroll.tasks.runs.render_payslips) once this transaction commits."""
    from payroll.tasks.runs import render_payslips

    run = PayrollRun.objects.select_for_update().filter(period=payroll_period).first()
    if run is None:
        raise ValueError("this month has not been computed")
    require_queue()  # QueueUnavailable: the run is not left "queued" with no task behind it
    run.pdf_state, run.pdf_progress = "queued", 0
    run.save(update_fields=["pdf_state", "pdf_progress"])
    audit_record(actor=actor, workspace=payroll_period.workspace, action="payroll.payslips_render_start", obj=run)
    workspace_id, period, user_id = payroll_period.workspace_id, payroll_period.period.isoformat(), \
        getattr(actor, "pk", None)

    def send():  # runs after commit, possibly outside the request's scope
        result = render_payslips.delay(workspace_id, period, user_id)
        with scope(workspace=payroll_period.workspace):
            PayrollRun.objects.filter(pk=run.pk).update(pdf_task_id=result.id or "")

    transaction.on_commit(lambda: enqueue(send, what=f"the payslip PDFs of run {run.pk}"))
    return run

