"""The documents of a funding request, rendered through backoffice/pdf.py (the one WeasyPrint
renderer) and stored as private backoffice Documents on the request's dossier:

- convention de formation (L6353-1, D6353-1 Code du travail), one per request;
- convocation, certificat de réalisation (Ministry of Labour model) and attestation de fin de
  formation (L6353-1), one per trainee;
- feuille d'émargement (R6332-26), one per half-day.

Everything is built from the request, so only its workspace's trainees appear: on a pooled
session, CAE A's documents never name CAE B's trainees, and the émargement sheets are per
workspace. Re-rendering skips documents already stored under the same title (idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from backoffice.models import Document, Dossier
from backoffice.pdf import fr_number, render_pdf
from backoffice.services.documents import document_store_generated
from training.models import FundingRequest
from training.services.attendance import hours_attended


@dataclass(frozen=True)
class Rendered:
    title: str
    filename: str
    content: bytes


def _hours(value: Decimal) -> str:
    return fr_number(value, 2).replace(",00", "")


def request_documents(request: FundingRequest) -> list[Rendered]:
    """Render every document of `request` (PDF bytes, nothing stored)."""
    session, course, body = request.session, request.session.course, request.session.course.body
    slots = list(session.slots.order_by("day", "half"))
    enrolments = sorted(request.enrolments.select_related("entrepreneur"),
                        key=lambda e: (e.entrepreneur.last_name, e.entrepreneur.first_name, e.pk))
    attended = hours_attended(enrolments, slots)
    base = {"funding": request, "session": session, "course": course, "body": body, "workspace": request.workspace,
            "slots": slots, "enrolments": enrolments, "hours": _hours(course.duration_hours),
            "today": timezone.localdate(), "place": (session.place or "").split(",")[-1].strip() or "—"}
    out = []
    total = request.cost_pedagogical + request.cost_salary + request.cost_travel
    amounts = {"pedagogical": fr_number(request.cost_pedagogical), "salary": fr_number(request.cost_salary),
               "travel": fr_number(request.cost_travel), "total": fr_number(total), "price": fr_number(course.price)}
    ref = f"demande-{request.pk}"
    out.append(Rendered(f"Convention de formation — demande n° {request.pk}", f"convention-{ref}.pdf",
                        render_pdf("training/pdf/convention.html", {**base, "amounts": amounts}, language="fr")))
    for slot in slots:
        label = f"{slot.day:%d/%m/%Y} {'matin' if slot.half == 'am' else 'après-midi'}"
        out.append(Rendered(f"Feuille d'émargement {label} — demande n° {request.pk}",
                            f"emargement-{ref}-{slot.day:%Y%m%d}-{slot.half}.pdf",
                            render_pdf("training/pdf/emargement.html", {**base, "slot": slot}, language="fr")))
    for enrolment in enrolments:
        person = enrolment.entrepreneur
        who = f"{person.last_name.upper()} {person.first_name}"
        name = slugify(f"{person.last_name}-{person.first_name}") or str(person.pk)
        context = {**base, "enrolment": enrolment, "trainee": person, "hours_attended": _hours(attended[enrolment.pk])}
        for kind, template, title in (("convocation", "convocation", "Convocation"),
                                      ("certificat", "certificat", "Certificat de réalisation"),
                                      ("attestation", "attestation", "Attestation de fin de formation")):
            out.append(Rendered(f"{title} {who} — demande n° {request.pk}", f"{kind}-{ref}-{name}.pdf",
                                render_pdf(f"training/pdf/{template}.html", context, language="fr")))
    return out


@transaction.atomic
def training_documents_store(*, actor, request: FundingRequest) -> list[Document]:
    """Render and store the request's documents on its dossier; those already stored (same
    title on the dossier) are kept as they are. Returns the documents newly stored."""
    dossier = Dossier.objects.filter(workspace=request.workspace, object_id=request.pk,
                                     content_type=ContentType.objects.get_for_model(FundingRequest)).first()
    existing = set(Document.objects.filter(workspace=request.workspace, dossier=dossier).values_list("title", flat=True)) \
        if dossier else set()
    stored = []
    for item in request_documents(request):
        if item.title in existing:
            continue
        stored.append(document_store_generated(workspace=request.workspace, filename=item.filename,
                                               content=item.content, content_type="application/pdf",
                                               title=item.title[:200], dossier=dossier, actor=actor))
    return stored
