"""Alumni at federation scale: prints figures, asserts nothing.

    .venv/bin/python bench/alumni.py                                  # SQLite (icontains search)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/alumni.py   # French FTS

Builds 1,000 alumni companies (spun off from 10 CAEs) with 5 years of yearly declarations,
12,000 directory profiles (11,000 entrepreneurs of the CAEs + the 1,000 companies), every
workspace in the directory; then prints the time and query count of:
1. the staff contributions ledger (selector + a page of 50 rows with its SVG chart, a later page,
   the staff dashboard's per-service charts, and the xlsx export of every row);
2. an alumni company's portal home and its contributions page;
3. directory searches (free text, trade filter, CAE filter) as a member of a joined CAE.
"""

from __future__ import annotations

import datetime
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Timer, report, setup_django, throwaway_database  # noqa: E402

COMPANIES, CAES, PEOPLE_PER_CAE, YEARS = 1000, 10, 1100, 5
TRADES = ["Menuiserie", "Électricité", "Plomberie", "Informatique", "Graphisme", "Maçonnerie", "Traduction",
          "Conseil", "Photographie", "Paysagisme"]
SKILLS = ["rénovation énergétique", "charpente", "sites web", "pompes à chaleur", "identité visuelle",
          "formation", "traduction technique", "jardins partagés", "isolation", "comptabilité"]


def build():
    from django_scopes import scopes_disabled

    from alumni.models import AlumniCompany, DirectoryMembership, DirectoryProfile, RevenueDeclaration
    from backoffice.models import Entrepreneur, Membership, PriceLine, ServiceAgreement, User, Workspace

    rnd = random.Random(7)
    with scopes_disabled():
        host = Workspace.objects.create(kind="host", slug="mutualise", name="Mutualise", siren="000000000")
        caes = Workspace.objects.bulk_create([Workspace(kind="partner", slug=f"cae-{i}", name=f"CAE {i}",
                                                        siren=f"{100000000 + i}") for i in range(CAES)])
        alumni = Workspace.objects.bulk_create([
            Workspace(kind="alumni", slug=f"scop-{i}", name=f"SCOP {i:04d}", siren=f"{200000000 + i}",
                      origin=caes[i % CAES], trade=TRADES[i % len(TRADES)]) for i in range(COMPANIES)])
        AlumniCompany.objects.bulk_create([AlumniCompany(workspace=w, legal_form="scop_sarl", status="active")
                                           for w in alumni])
        agreements = ServiceAgreement.objects.bulk_create([
            ServiceAgreement(workspace=w, service="alumni", start_date=datetime.date(2020, 1, 1)) for w in alumni])
        PriceLine.objects.bulk_create([PriceLine(workspace=a.workspace, agreement=a, kind="percentage",
                                                 usage_kind="declared_revenue", label="Contribution", rate=Decimal("1"))
                                       for a in agreements])
        this_year = datetime.date.today().year
        RevenueDeclaration.objects.bulk_create([
            RevenueDeclaration(workspace=w, period_start=datetime.date(y, 1, 1), period_end=datetime.date(y, 12, 31),
                               revenue=Decimal(rnd.randint(20000, 900000)), contribution=Decimal(rnd.randint(200, 9000)),
                               usage_reference=f"revenue:{y}")
            for w in alumni for y in range(this_year - YEARS, this_year)], batch_size=2000)
        people = Entrepreneur.objects.bulk_create([
            Entrepreneur(workspace=c, matricule=f"E{n:05d}", last_name=f"Nom{n}", first_name="Prénom",
                         entry_date=datetime.date(2022, 1, 1), trade=TRADES[n % len(TRADES)])
            for c in caes for n in range(PEOPLE_PER_CAE)], batch_size=2000)
        DirectoryMembership.objects.bulk_create([DirectoryMembership(workspace=w) for w in [*caes, *alumni]])
        DirectoryProfile.objects.bulk_create([
            *(DirectoryProfile(workspace=p.workspace, entrepreneur=p, display_name=f"{p.first_name} {p.last_name}",
                               trade=p.trade, skills=", ".join(rnd.sample(SKILLS, 3)), area="Rhône",
                               description=f"{p.trade} : {rnd.choice(SKILLS)} et {rnd.choice(SKILLS)}",
                               contact_email=f"{p.matricule}@example.test") for p in people),
            *(DirectoryProfile(workspace=w, display_name=w.name, trade=w.trade, skills=", ".join(rnd.sample(SKILLS, 2)),
                               description=f"Coopérative de {w.trade.lower()}", contact_email=f"{w.slug}@example.test")
              for w in alumni)], batch_size=2000)
        staff = User.objects.create_user(email="staff@bench.test", password="x")
        Membership.objects.create(workspace=host, user=staff, role="host_admin")
        member = User.objects.create_user(email="member@bench.test", password="x")
        Membership.objects.create(workspace=caes[0], user=member, role="manager")
        company_user = User.objects.create_user(email="company@bench.test", password="x")
        Membership.objects.create(workspace=alumni[0], user=company_user, role="manager")
    # Statistics as autovacuum would have them after such inserts (otherwise the planner
    # believes the tables empty and joins the directory's 12,000 profiles by nested loops).
    from django.db import connection
    if connection.vendor == "postgresql":
        connection.cursor().execute("ANALYZE")
    return staff, member, company_user, alumni[0], caes[0]


def measure(label: str, fn) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up (templates, translations)
    with CaptureQueriesContext(connection) as queries, Timer() as t:
        result = fn()
    extra = f" → {result}" if result is not None else ""
    report(label, f"{t.seconds * 1000:8.1f} ms  {len(queries):3d} queries{extra}")


def main() -> None:
    setup_django()
    import logging

    from django.conf import settings

    logging.disable(logging.WARNING)               # axes' login lines
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    from alumni.selectors.ledger import monthly_due, staff_ledger
    from tests.conftest import login

    print(f"alumni bench on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    with throwaway_database():
        with Timer() as t:
            staff, member, company_user, company_ws, cae = build()
        report(f"build {COMPANIES} companies, {COMPANIES * YEARS} declarations, 12,000 profiles", f"{t.seconds:.1f} s")
        today = datetime.date.today()
        staff_client, member_client, company_client = login(staff), login(member), login(company_user)

        print("1. contributions ledger (staff)")
        measure("staff_ledger selector, 1,000 companies", lambda: len(staff_ledger(year=today.year - 1, today=today)))
        measure("monthly due chart data", lambda: len(monthly_due(year=today.year - 1)))
        measure("GET /staff/alumni/contributions/ (page + SVG chart)",
                lambda: staff_client.get(f"/staff/alumni/contributions/?year={today.year - 1}").status_code)
        measure("GET …/contributions/?page=20 (a later page)",
                lambda: staff_client.get(f"/staff/alumni/contributions/?year={today.year - 1}&page=20").status_code)
        measure("GET /staff/ (dashboard: due vs paid per service)", lambda: staff_client.get("/staff/").status_code)
        measure("GET …/contributions/?format=xlsx (export)",
                lambda: staff_client.get(f"/staff/alumni/contributions/?year={today.year - 1}&format=xlsx").status_code)
        print("2. portal (an alumni company)")
        measure("GET /w/<company>/alumni/ (portal home)",
                lambda: company_client.get(f"/w/{company_ws.slug}/alumni/").status_code)
        measure("GET /w/<company>/alumni/contributions/",
                lambda: company_client.get(f"/w/{company_ws.slug}/alumni/contributions/").status_code)
        print("3. directory search (member of a joined CAE), first 50 results")
        for label, query in [("free text 'charpente'", "q=charpente"), ("free text two words", "q=sites+web"),
                             ("trade filter 'Plomberie'", "trade=Plomberie"), ("CAE filter", "cae=cae-3"),
                             ("text + trade + area", "q=isolation&trade=Menuiserie&area=Rh%C3%B4ne")]:
            measure(label, lambda query=query: member_client.get(f"/w/{cae.slug}/alumni/directory/?{query}").status_code)


if __name__ == "__main__":
    main()
