"""Demo alumni data (called by `manage.py seed_demo`; idempotent).

The two demo alumni companies — Atelier du Bois SCOP (scop-c, spun off from CAE B) and
Numérique Solidaire SCIC (scop-e, spun off from CAE A) — get their company record, founders
(the entrepreneur who left their CAE), a 2025 revenue declaration through the real service
(contribution computed from their agreement, billable usage recorded), a follow-up task, and
directory profiles; the four client workspaces join the directory."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django_scopes import scope

from alumni.models import AlumniCompany, DirectoryMembership, DirectoryProfile, Founder, RevenueDeclaration
from alumni.services.declarations import declaration_create
from backoffice.models import Entrepreneur, Workspace

COMPANIES = {
    # slug: (legal form, creation date, 2025 revenue, directory profile)
    "scop-c": ("scop_sarl", datetime.date(2024, 9, 1), Decimal("184500.00"),
               {"display_name": "Atelier du Bois SCOP", "trade": "Menuiserie",
                "skills": "agencement, escaliers, ossature bois", "area": "Rhône, Ain",
                "certifications": "RGE Qualibois", "languages": "français, espagnol",
                "description": "Menuiserie sur mesure et rénovation énergétique de maisons bois."}),
    "scop-e": ("scic_sas", datetime.date(2025, 3, 1), Decimal("96000.00"),
               {"display_name": "Numérique Solidaire SCIC", "trade": "Informatique",
                "skills": "sites web, hébergement, messagerie libre", "area": "France entière",
                "languages": "français, anglais",
                "description": "Sites et outils numériques pour les coopératives et associations."}),
}
PEOPLE = {
    "cae-a": {"skills": "conseil en gestion, formation", "area": "Lyon"},
    "cae-b": {"skills": "plomberie, chauffage, pompes à chaleur", "area": "Villeurbanne", "certifications": "RGE QualiPAC"},
}


def seed(stdout) -> None:
    workspaces = {w.slug: w for w in Workspace.objects.filter(slug__in=[*COMPANIES, *PEOPLE])}
    for slug, (legal_form, created, revenue, card) in COMPANIES.items():
        ws = workspaces.get(slug)
        if ws is None:
            continue
        with scope(workspace=ws.origin):
            founder = Entrepreneur.objects.filter(workspace=ws.origin, exit_date__isnull=False).order_by("pk").first()
        with scope(workspace=ws):
            company, _ = AlumniCompany.objects.get_or_create(workspace=ws, defaults={
                "legal_form": legal_form, "creation_date": created, "status": "active",
                "contribution_terms": "1 % du chiffre d'affaires HT déclaré chaque année.",
                "next_contact_date": datetime.date(2027, 1, 15)})
            if founder is not None:
                Founder.objects.get_or_create(workspace=ws, company=company, entrepreneur=founder)
            if not RevenueDeclaration.objects.filter(workspace=ws, period_start=datetime.date(2025, 1, 1)).exists():
                declaration_create(actor=None, company=company, period_key="2025-01-01", revenue=revenue)
            DirectoryMembership.objects.get_or_create(workspace=ws)
            DirectoryProfile.objects.get_or_create(workspace=ws, entrepreneur=None, defaults={
                **card, "contact_email": ws.email or f"contact@{slug}.test"})
    for slug, extra in PEOPLE.items():
        ws = workspaces.get(slug)
        if ws is None:
            continue
        with scope(workspace=ws):
            DirectoryMembership.objects.get_or_create(workspace=ws)
            for person in Entrepreneur.objects.filter(workspace=ws, exit_date__isnull=True).order_by("pk")[:2]:
                DirectoryProfile.objects.get_or_create(workspace=ws, entrepreneur=person, defaults={
                    "display_name": f"{person.first_name} {person.last_name}", "trade": person.trade or ws.trade,
                    "contact_email": person.email or f"contact@{slug}.test", **extra})
    stdout.write("Alumni: 2 companies with declarations, directory of 4 workspaces.")
