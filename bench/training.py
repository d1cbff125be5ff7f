"""Training bench at federation scale: 150 workspaces, 2,000 pooled sessions, 10,000 funding
requests. Prints the time and query count of the staff deadline view, the partner's lists and
the reminder run (e-mails to Django's test outbox); then a gathering of 8 CAEs × 16
participants: the staff figures per CAE, a partner's participant list and badges PDF.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name> .venv/bin/python bench/training.py
    .venv/bin/python bench/training.py            # SQLite
    .venv/bin/python bench/training.py --quick    # 1/10 scale smoke run
"""

from __future__ import annotations

import argparse
import datetime
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Timer, setup_django, throwaway_database  # noqa: E402

STATES = ["draft"] * 4 + ["submitted", "approved", "done", "attendance_complete", "claim_sent", "paid"]


def report(label: str, value: str) -> None:
    print(f"  {label:<58} {value}")


def build(n_ws: int, n_sessions: int, n_requests: int):
    from django.utils import timezone
    from django_scopes import scopes_disabled
    from stdnum import luhn

    from backoffice.models import Entrepreneur, Membership, User, Workspace
    from training.models import Course, Enrolment, FundingRequest, Opco, Session, Slot, TrainingBody

    today = timezone.localdate()
    with scopes_disabled():
        host = Workspace.objects.create(kind="host", slug="host", name="Hôte", siren="732829320")
        staff = User.objects.create_user(email="bench@mutualise.test", password="x")
        Membership.objects.create(workspace=host, user=staff, role="host_admin")
        workspaces = []
        for w in range(n_ws):
            base = f"{600000 + w:08d}"
            siren = base + luhn.calc_check_digit(base)
            workspaces.append(Workspace(kind="partner", slug=f"cae-{w:03d}", name=f"CAE {w}", siren=siren))
        Workspace.objects.bulk_create(workspaces)
        workspaces = list(Workspace.objects.filter(kind="partner").order_by("slug"))
        managers = User.objects.bulk_create([User(email=f"gestion@{ws.slug}.test", username=f"gestion@{ws.slug}.test")
                                            for ws in workspaces])
        Membership.objects.bulk_create([Membership(workspace=ws, user=u, role="manager")
                                        for ws, u in zip(workspaces, managers, strict=True)])
        per_ws = n_requests // n_ws + 1
        Entrepreneur.objects.bulk_create([
            Entrepreneur(workspace=ws, matricule=f"M{i:05d}", last_name=f"Nom{w}-{i}", first_name="Prénom",
                         entry_date=datetime.date(2024, 1, 1))
            for w, ws in enumerate(workspaces) for i in range(per_ws)], batch_size=2000)
        people = {}
        for ws_id, pk in Entrepreneur.objects.order_by("pk").values_list("workspace_id", "pk"):
            people.setdefault(ws_id, []).append(pk)
        siren = "79123456" + luhn.calc_check_digit("79123456")
        body = TrainingBody.objects.create(name="Organisme bench", siret=siren + "0001" + luhn.calc_check_digit(
            siren + "0001"), nda="84691234569", qualiopi_number="Q-1", qualiopi_expires_on=today.replace(year=today.year + 2))
        course = Course.objects.create(body=body, title="Cours bench", objectives="o", programme="p", assessment="a",
                                       duration_hours=Decimal("14"), price=Decimal("450"))
        sessions = []
        for s in range(n_sessions):
            start = today + datetime.timedelta(days=(s % 120) - 30)
            sessions.append(Session(course=course, trainer="Formateur", seats=20, starts_on=start,
                                    ends_on=start + datetime.timedelta(days=1)))
        Session.objects.bulk_create(sessions, batch_size=2000)
        sessions = list(Session.objects.order_by("pk"))
        Slot.objects.bulk_create([
            Slot(session=s, day=s.starts_on + datetime.timedelta(days=d), half=h, starts_at=datetime.time(9 if h == "am" else 14),
                 ends_at=datetime.time(12 if h == "am" else 17)) for s in sessions for d in (0, 1) for h in ("am", "pm")],
            batch_size=4000)
        through = Session.workspaces.through
        through.objects.bulk_create([through(session_id=s.pk, workspace_id=workspaces[(i + k) % n_ws].pk)
                                     for i, s in enumerate(sessions) for k in range(5)], batch_size=5000)
        opcos = list(Opco.objects.order_by("pk"))
        enrolments, requests = [], []
        for r in range(n_requests):
            w = r % n_ws
            session = sessions[(r * 7) % n_sessions]
            ws = workspaces[w]
            person = people[ws.pk][r // n_ws]
            enrolments.append(Enrolment(workspace=ws, session=session, entrepreneur_id=person))
            requests.append(FundingRequest(workspace=ws, session=session, opco=opcos[r % len(opcos)],
                                           state=STATES[r % len(STATES)], amount_asked=Decimal("450"),
                                           cost_pedagogical=Decimal("450"),
                                           submit_before=session.starts_on - datetime.timedelta(days=15),
                                           claim_before=session.ends_on + datetime.timedelta(days=60)))
        Enrolment.objects.bulk_create(enrolments, batch_size=5000)
        FundingRequest.objects.bulk_create(requests, batch_size=5000)
        link = FundingRequest.enrolments.through
        link.objects.bulk_create([link(fundingrequest_id=fr.pk, enrolment_id=e.pk)
                                  for fr, e in zip(requests, enrolments, strict=True)], batch_size=5000)
    return staff, workspaces


GATHERING_CAES = range(8)          # a regional day: 120–130 entrepreneurs of 4 to 8 CAEs (issue 9)
GATHERING_PER_CAE = 16
GATHERING_WORKSHOPS = range(6)


def build_gathering(workspaces):
    """A gathering of 8 CAEs × 16 participants, 6 workshops each taken by half of them, half
    the participants marked present on the morning."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from backoffice.models import Entrepreneur
    from training.models import Attendance, Enrolment, Session, Slot, Workshop, WorkshopRegistration

    day = timezone.localdate() + datetime.timedelta(days=30)
    with scopes_disabled():
        gathering = Session.objects.create(title="Rencontre régionale (bench)", trainer="Comité", seats=130,
                                           is_gathering=True, starts_on=day, ends_on=day)
        invited = [workspaces[i] for i in GATHERING_CAES]
        gathering.workspaces.set(invited)
        slot = Slot.objects.create(session=gathering, day=day, half="am", starts_at=datetime.time(9),
                                   ends_at=datetime.time(12))
        workshops = Workshop.objects.bulk_create([
            Workshop(session=gathering, title=f"Atelier {w}", day=day, starts_at=datetime.time(9 + w % 3),
                     ends_at=datetime.time(10 + w % 3), seats=40) for w in GATHERING_WORKSHOPS])
        enrolments = []
        for ws in invited:
            people = Entrepreneur.objects.filter(workspace=ws).order_by("pk")[:GATHERING_PER_CAE]
            enrolments += [Enrolment(workspace=ws, session=gathering, entrepreneur=p) for p in people]
        Enrolment.objects.bulk_create(enrolments)
        WorkshopRegistration.objects.bulk_create([
            WorkshopRegistration(workspace_id=e.workspace_id, workshop=workshops[i % len(workshops)], enrolment=e)
            for i, e in enumerate(enrolments) if i % 2 == 0])
        Attendance.objects.bulk_create([Attendance(workspace_id=e.workspace_id, enrolment=e, slot=slot, present=True)
                                        for i, e in enumerate(enrolments) if i % 2 == 0])
    return gathering, invited[0]


def measure(label: str, fn) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries, Timer() as t:
        detail = fn()
    report(label, f"{t.seconds * 1000:8.0f} ms  {len(queries):4d} queries  {detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1/10 scale")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.urls import reverse

    from tests.conftest import login
    from training.services.reminders import training_reminders_send

    scale = 10 if args.quick else 1
    n_ws, n_sessions, n_requests = 150 // scale, 2000 // scale, 10_000 // scale
    print(f"Mutualise training bench — database: {connection.vendor}, scale 1/{scale}")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with throwaway_database():
        with Timer() as t:
            staff, workspaces = build(n_ws, n_sessions, n_requests)
        print(f"Federation: {n_ws} workspaces, {n_sessions:,} sessions, {n_requests:,} requests "
              f"(built in {t.seconds:.1f} s)")
        staff_client = login(staff)
        ws = workspaces[0]
        from backoffice.models import User
        manager = User.objects.get(email=f"gestion@{ws.slug}.test")
        partner = login(manager, verified=False)

        def get(client, url):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return f"({len(response.content) // 1024} KB)"
            return run

        measure("staff deadline view, late or due within 7 days (page 1)",
                get(staff_client, reverse("staff:training:home") + "?due=7"))
        measure("staff deadline view, every open request (page 1)", get(staff_client, reverse("staff:training:home")))
        measure(f"partner's request list ({n_requests // n_ws} requests)",
                get(partner, reverse("training_requests", args=[ws.slug])))
        measure("partner's session list", get(partner, reverse("training_home", args=[ws.slug])))

        def reminders():
            plan = training_reminders_send()
            return f"({len(plan)} e-mails, {sum(len(r.requests) for r in plan):,} request lines)"
        measure("reminder run (send, stamp)", reminders)
        measure("reminder run again the same day (nothing to send)", reminders)

        gathering, invited = build_gathering(workspaces)
        guest = User.objects.get(email=f"gestion@{invited.slug}.test")
        guest_client = login(guest, verified=False)
        print(f"Gathering: {len(GATHERING_CAES)} CAEs × {GATHERING_PER_CAE} participants, "
              f"{len(GATHERING_WORKSHOPS)} workshops")
        measure("staff gathering figures per CAE", get(staff_client, reverse("staff:training:session_figures",
                                                                             args=[gathering.pk])))
        measure(f"partner's participant list ({GATHERING_PER_CAE} people)",
                get(guest_client, reverse("training_participants", args=[invited.slug, gathering.pk])))
        measure(f"partner's badges PDF ({GATHERING_PER_CAE} badges)",
                get(guest_client, reverse("training_badges", args=[invited.slug, gathering.pk])))


if __name__ == "__main__":
    main()
