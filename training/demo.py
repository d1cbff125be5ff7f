"""Demo training data (called by `manage.py seed_demo`; idempotent).

A certified training body and its course; a pooled session open to CAE A and CAE B with
trainees of both; a funding request at each step of the lifecycle, moved through the real
service (so each has its history, audit entries and dossier); and a gathering of the CAEs with
its programme of workshops (one full, with a waiting list)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope
from stdnum import luhn

from backoffice.models import Entrepreneur, User, Workspace
from backoffice.tenancy import staff_wide
from training.models import Course, Enrolment, Opco, Session, TrainingBody
from training.rules import lifecycle
from training.services.enrolments import enrolment_create
from training.services.funding import funding_request_move, funding_request_open
from training.services.gatherings import workshop_register, workshop_save
from training.services.reference import body_save, course_save, session_save, slot_add

POOLED_TITLE = "Travail en hauteur — session inter-CAE (démo)"
GATHERING_TITLE = "Rencontre régionale des CAE du bâtiment (démo)"

# The path each demo request takes from draft; the last state is where it stays.
PATHS = [
    [],
    [lifecycle.SUBMITTED],
    [lifecycle.SUBMITTED, lifecycle.APPROVED],
    [lifecycle.SUBMITTED, lifecycle.PARTLY_APPROVED],
    [lifecycle.SUBMITTED, lifecycle.REFUSED],
    [lifecycle.SUBMITTED, lifecycle.APPROVED, lifecycle.DONE],
    [lifecycle.SUBMITTED, lifecycle.APPROVED, lifecycle.DONE, lifecycle.ATTENDANCE_COMPLETE],
    [lifecycle.SUBMITTED, lifecycle.APPROVED, lifecycle.DONE, lifecycle.ATTENDANCE_COMPLETE, lifecycle.CLAIM_SENT],
    [lifecycle.SUBMITTED, lifecycle.APPROVED, lifecycle.DONE, lifecycle.ATTENDANCE_COMPLETE, lifecycle.CLAIM_SENT,
     lifecycle.PAID],
    [lifecycle.SUBMITTED, lifecycle.APPROVED, lifecycle.DONE, lifecycle.ATTENDANCE_COMPLETE, lifecycle.CLAIM_SENT,
     lifecycle.PAID, lifecycle.CLOSED],
    [lifecycle.CANCELLED],
]
MOVE_DATA = {
    lifecycle.SUBMITTED: {"opco_file_number": "CX-DEMO-{pk}"},
    lifecycle.PARTLY_APPROVED: {"amount": Decimal("600.00")},
    lifecycle.ATTENDANCE_COMPLETE: {"note": "Feuilles d'émargement signées jointes au dossier (démo)."},
    lifecycle.PAID: {"amount": Decimal("850.00")},
    lifecycle.CANCELLED: {"note": "Le stagiaire a trouvé une session plus proche (démo)."},
}


def _siret(siren_seed: str) -> str:
    siren = siren_seed + luhn.calc_check_digit(siren_seed)
    return siren + "0001" + luhn.calc_check_digit(siren + "0001")


def _session(actor, *, title, days, workspaces, **fields) -> Session:
    session = session_save(actor=actor, workspaces=workspaces, title=title, **fields)
    for day in days:
        slot_add(actor=actor, session=session, day=day, half="am", starts_at=datetime.time(9),
                 ends_at=datetime.time(12, 30))
        slot_add(actor=actor, session=session, day=day, half="pm", starts_at=datetime.time(13, 30),
                 ends_at=datetime.time(17))
    return session


WORKSHOPS = [  # title, start, end, room, seats
    ("Atelier : répondre ensemble à un appel d'offres", datetime.time(10), datetime.time(11, 30), "Salle Vauban", 30),
    ("Table ronde : mutualiser les achats de matériaux", datetime.time(10), datetime.time(11, 30), "Grande halle", 60),
    ("Atelier : chiffrer une rénovation énergétique", datetime.time(14), datetime.time(15, 30), "Salle Eiffel", 3),
]


def _programme(staff, gathering: Session) -> None:
    """The gathering's workshops and registrations (the last one full, with a waiting list).
    Added on its own so a demo seeded before workshops existed gets them too."""
    if gathering.workshops.exists():
        return
    workshops = [workshop_save(actor=staff, session=gathering, title=title, day=gathering.starts_on, starts_at=start,
                               ends_at=end, room=room, seats=seats,
                               description="Animé par des entrepreneurs des CAE invitées (démo).")
                 for title, start, end, room, seats in WORKSHOPS]
    for workspace in gathering.workspaces.order_by("slug"):
        with scope(workspace=workspace):
            people = [e.pk for e in Enrolment.objects.filter(session=gathering, workspace=workspace, waiting=False)]
            if not people:
                continue
            workshop_register(actor=staff, workspace=workspace, workshop=workshops[0], enrolment_ids=people[:1])
            workshop_register(actor=staff, workspace=workspace, workshop=workshops[1], enrolment_ids=people[1:])
            workshop_register(actor=staff, workspace=workspace, workshop=workshops[2], enrolment_ids=people[:2])


def seed(stdout) -> None:
    gathering = Session.objects.filter(title=GATHERING_TITLE).first()
    if gathering is not None and gathering.starts_on and gathering.starts_on > timezone.localdate():
        _programme(User.objects.get(email="support@mutualise.test"), gathering)
    if Session.objects.filter(title=POOLED_TITLE).exists():
        return
    staff = User.objects.get(email="support@mutualise.test")
    cae_a, cae_b = Workspace.objects.get(slug="cae-a"), Workspace.objects.get(slug="cae-b")
    today = timezone.localdate()
    body = TrainingBody.objects.filter(name="Compagnons Formation (démo)").first() or body_save(
        actor=staff, name="Compagnons Formation (démo)", siret=_siret("79123456"), nda="84691234569",
        address="12 rue des Artisans, 69003 Lyon", qualiopi_number="QUA-2024-00042 (démo)",
        qualiopi_expires_on=today + datetime.timedelta(days=600))
    course = Course.objects.filter(body=body).first() or course_save(
        actor=staff, body=body, title="Prévention des risques : travail en hauteur",
        objectives="Identifier les risques de chute et choisir les protections collectives et individuelles.",
        programme="Jour 1 : réglementation et analyse des risques. Jour 2 : échafaudages, harnais, mises en situation.",
        prerequisites="Aucun", duration_hours=Decimal("14"), modality="in_person",
        assessment="QCM de fin de formation et mise en situation observée",
        accessibility="Locaux de plain-pied ; adaptations possibles sur demande au référent handicap.",
        price=Decimal("450.00"), price_basis="per_trainee")
    start = today + datetime.timedelta(days=45)
    pooled = _session(staff, title=POOLED_TITLE, days=[start, start + datetime.timedelta(days=1)],
                      workspaces=[cae_a, cae_b], course=course, place="Maison des coopératives, Lyon",
                      trainer="Karim Benali (entrepreneur de CAE B)", seats=12, pooled=True)
    enrolled = {}
    for workspace, n in ((cae_a, 2), (cae_b, 3)):
        with scope(workspace=workspace):
            people = list(Entrepreneur.objects.filter(workspace=workspace).order_by("matricule")[:n])
            enrolled[workspace.slug] = enrolment_create(actor=staff, workspace=workspace, session=pooled,
                                                        entrepreneur_ids=[p.pk for p in people])
    constructys = Opco.objects.get(code="constructys")
    for i, path in enumerate(PATHS):
        workspace = (cae_a, cae_b)[i % 2]
        with scope(workspace=workspace):
            mine = enrolled[workspace.slug]
            funding = funding_request_open(actor=staff, workspace=workspace, session=pooled, opco=constructys,
                                           enrolment_ids=[e.pk for e in mine],
                                           cost_pedagogical=Decimal("450.00") * len(mine),
                                           cost_travel=Decimal("35.40"))
            for state in path:
                data = {k: (v.format(pk=funding.pk) if isinstance(v, str) and k == "opco_file_number" else v)
                        for k, v in MOVE_DATA.get(state, {}).items()}
                funding = funding_request_move(actor=staff, request=funding, to_state=state, **data)
    gathering = _session(staff, title=GATHERING_TITLE, days=[today + datetime.timedelta(days=60)],
                         workspaces=[cae_a, cae_b], course=None, place="Halle des Bâtisseurs, Villeurbanne",
                         trainer="Comité d'organisation inter-CAE", seats=130, pooled=True, is_gathering=True)
    for workspace in (cae_a, cae_b):
        with scope(workspace=workspace):
            people = Entrepreneur.objects.filter(workspace=workspace).order_by("-matricule")[:3]
            enrolment_create(actor=staff, workspace=workspace, session=gathering, entrepreneur_ids=[p.pk for p in people])
    _programme(staff, gathering)
    with staff_wide("the demo's summary counts the trainees of both CAEs"):
        n_trainees = Enrolment.objects.filter(session=pooled).count()
    stdout.write(f"  training: pooled session #{pooled.pk} ({n_trainees} "
                 f"trainees, {len(PATHS)} funding requests), gathering #{gathering.pk} ({len(WORKSHOPS)} workshops)")
