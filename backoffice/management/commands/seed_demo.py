"""Create the fictional demo federation (idempotent: running it twice changes nothing).

Demo accounts, password `demo`, for demonstration only (listed in the README):
  support@mutualise.test   host administrator (2FA waived only when MUTUALISE_DEMO=1)
  gestion@cae-a.test       manager of partner CAE A
  gestion@cae-b.test       manager of partner CAE B (building trades)
  contact@scop-c.test      user of alumni company SCOP C
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from backoffice.models import (
    Dossier,
    Entrepreneur,
    Membership,
    PriceLine,
    ServiceAgreement,
    User,
    Workspace,
)
from backoffice.models.dossiers import DossierStatus
from backoffice.tenancy import staff_wide

DEMO_PASSWORD = "demo"


def _siren(seed: str) -> str:
    return seed + luhn.calc_check_digit(seed)


def _siret(siren: str) -> str:
    base = siren + "0001"
    return base + luhn.calc_check_digit(base)


def _nir(n: int, birth: datetime.date) -> str:
    """A valid fictional NIR agreeing with the birth date (décret 82-103 art. 4): sex, year,
    month, département 69, commune and order numbers, then the key 97 − (number mod 97)."""
    body = f"{1 + n % 2}{birth.year % 100:02d}{birth.month:02d}69{123 + n % 800:03d}{100 + n % 899:03d}"
    return body + f"{97 - int(body) % 97:02d}"


WORKSPACES = [
    # slug, kind, name, legal form, SIREN seed, trade, origin
    ("mutualise", "host", "Coopérative Mutualise", "SCIC SA", "81234567", "Services aux coopératives", None),
    ("cae-a", "partner", "Coopérative Elan (CAE A)", "SCOP SA", "82345678", "Conseil et services", None),
    ("cae-b", "partner", "Bâtisseurs Associés (CAE B)", "SCOP SARL", "83456789", "Bâtiment", None),
    ("cae-d", "partner", "Ouvrages Communs (CAE D)", "SCIC SAS", "84567890", "Artisanat d'art", None),
    ("scop-c", "alumni", "Atelier du Bois SCOP", "SCOP SARL", "85678901", "Menuiserie", "cae-b"),
    ("scop-e", "alumni", "Numérique Solidaire SCIC", "SCIC SAS", "86789012", "Informatique", "cae-a"),
]

ACCOUNTS = [
    ("support@mutualise.test", "Sam", "Support", "mutualise", "host_admin"),
    ("paie@mutualise.test", "Paula", "Paie", "mutualise", "payroll_officer"),
    ("gestion@cae-a.test", "Alice", "Gestion", "cae-a", "manager"),
    ("gestion@cae-b.test", "Bruno", "Gestion", "cae-b", "manager"),
    ("contact@scop-c.test", "Claire", "Contact", "scop-c", "manager"),
]

FIRST = ["Léa", "Hugo", "Chloé", "Louis", "Emma", "Nathan", "Inès", "Jules", "Manon", "Tom"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]


class Command(BaseCommand):
    help = "Create the demo federation and demo accounts (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        from django.conf import settings
        from django.core.management.base import CommandError

        if not getattr(settings, "DEMO_MODE", False):
            raise CommandError("seed_demo creates accounts whose password is 'demo': it runs only in demo mode "
                               "(MUTUALISE_DEMO=1). Never on a real instance.")
        with staff_wide("seeding creates rows in every demo workspace"):
            workspaces = self._workspaces()
            self._accounts(workspaces)
            for slug in ("mutualise", "cae-a", "cae-b", "cae-d"):
                self._entrepreneurs(workspaces[slug])
            self._agreements(workspaces)
            self._dossiers(workspaces)
        # Each business app may add its own demo data in `<app>/demo.py: seed(stdout)`; found
        # through the app registry, so the back office imports no business app by name.
        # A topic of an app may add its own `<app>/demo_<topic>.py: seed(stdout)`, run after `demo`.
        for app in apps.get_app_configs():
            if importlib.util.find_spec(f"{app.name}.demo") is not None:
                importlib.import_module(f"{app.name}.demo").seed(self.stdout)
            for topic in sorted(Path(app.path).glob("demo_*.py")):
                importlib.import_module(f"{app.name}.{topic.stem}").seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo ready. Accounts (password 'demo', demo only):"))
        for email, _first, _last, slug, role in ACCOUNTS:
            self.stdout.write(f"  {email:28} {role:16} {slug}")

    def _workspaces(self) -> dict[str, Workspace]:
        out: dict[str, Workspace] = {}
        for slug, kind, name, form, seed, trade, origin in WORKSPACES:
            siren = _siren(seed)
            ws, _ = Workspace.objects.update_or_create(slug=slug, defaults={
                "kind": kind, "name": name, "legal_form": form, "siren": siren, "siret": _siret(siren),
                "trade": trade, "city": "Lyon", "postal_code": "69007", "address": f"{10 + len(out)} rue de la Coopération",
                "origin": out.get(origin) if origin else None, "email": f"contact@{slug}.test",
            })
            out[slug] = ws
        return out

    def _accounts(self, workspaces) -> None:
        for email, first, last, slug, role in ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
            Membership.objects.update_or_create(workspace=workspaces[slug], user=user, defaults={"role": role})

    def _entrepreneurs(self, ws: Workspace) -> None:
        count = 12 if ws.kind == "partner" else 4
        for i in range(count):
            n = (sum(map(ord, ws.slug)) % 50) * 20 + i
            Entrepreneur.objects.update_or_create(workspace=ws, matricule=f"{ws.slug[:5].upper()}-{i + 1:03d}", defaults={
                "first_name": FIRST[i % len(FIRST)], "last_name": LAST[(i * 3) % len(LAST)],
                "birth_date": (birth := datetime.date(1975 + i, 1 + i % 12, 1 + i)), "nir": _nir(n, birth),
                "nationality": "eu" if i % 7 == 3 else "fr",
                "email": f"e{i + 1}@{ws.slug}.test", "entry_date": datetime.date(2022 + i % 3, 1 + i % 12, 1),
                "exit_date": datetime.date(2025, 12, 31) if i == count - 1 else None, "trade": ws.trade,
            })

    def _agreements(self, workspaces) -> None:
        plan = {
            "cae-a": [("payroll", "per_unit", "payslip", "Bulletin de paie", "14.00", None),
                      ("training", "per_unit", "funding_request", "Dossier de financement", "45.00", None)],
            "cae-b": [("payroll", "per_unit", "payslip", "Bulletin de paie", "15.00", None),
                      ("payroll", "monthly_flat", "", "Forfait mensuel gestion sociale", "120.00", None)],
            "cae-d": [("training", "per_unit", "funding_request", "Dossier de financement", "45.00", None)],
            "scop-c": [("alumni", "percentage", "declared_revenue", "Contribution 1 % du CA déclaré", "0.00", "1.000")],
            "scop-e": [("alumni", "percentage", "declared_revenue", "Contribution 1 % du CA déclaré", "0.00", "1.000"),
                       ("it", "monthly_flat", "", "Hébergement et messagerie", "60.00", None)],
        }
        for slug, lines in plan.items():
            ws = workspaces[slug]
            for service, kind, usage_kind, label, price, rate in lines:
                agreement, _ = ServiceAgreement.objects.get_or_create(
                    workspace=ws, service=service, start_date=datetime.date(2025, 1, 1),
                    defaults={"reference": f"CONV-{slug.upper()}-{service.upper()}"})
                PriceLine.objects.update_or_create(
                    workspace=ws, agreement=agreement, kind=kind, usage_kind=usage_kind,
                    defaults={"label": label, "unit_price": Decimal(price), "rate": Decimal(rate) if rate else None})

    def _dossiers(self, workspaces) -> None:
        today = timezone.localdate()
        staff = User.objects.get(email="support@mutualise.test")
        payroll = User.objects.get(email="paie@mutualise.test")
        plan = [
            ("cae-a", "training", "funding_request", "Formation CACES — AKTO", DossierStatus.IN_PROGRESS, staff, -3),
            ("cae-b", "training", "funding_request", "Formation amiante SS4 — Constructys", DossierStatus.IN_PROGRESS, payroll, 12),
            ("cae-d", "training", "funding_request", "Formation gestion — OPCO EP", DossierStatus.CANCELLED, None, None),
            ("cae-d", "training", "funding_request", "Formation comptabilité — AKTO", DossierStatus.DONE, payroll, -40),
            ("scop-c", "alumni", "alumni_followup", "Déclaration de CA 2026", DossierStatus.NEW, None, 20),
            ("scop-e", "alumni", "alumni_followup", "Souscription de parts", DossierStatus.IN_PROGRESS, staff, 2),
        ]
        for slug, service, kind, title, status, assignee, due in plan:
            Dossier.objects.update_or_create(workspace=workspaces[slug], title=title, defaults={
                "service": service, "kind": kind, "status": status, "assignee": assignee,
                "due_date": today + datetime.timedelta(days=due) if due is not None else None,
                "closed_at": timezone.now() if status in (DossierStatus.DONE, DossierStatus.CANCELLED) else None,
            })
