"""Demo share registers (run by `manage.py seed_demo`; idempotent: an existing register is kept).

- The host, Coopérative Mutualise, is a SCIC SA with four colleges; its employees, CAE A,
  CAE B, the alumni company SCOP C and a supporter are associates; CAE A holds shares in it.
- The host holds shares in the alumni SCOP C (Atelier du Bois), next to its founders.
- A general meeting of the host is convened, its associates listed from the register.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from backoffice.models import Entrepreneur, Workspace

D = datetime.date


def seed(stdout) -> None:
    from alumni.models import ShareIssuer
    from alumni.services.meetings import meeting_convene
    from alumni.services.shares import college_save, holder_create, issuer_save, movement_record

    workspaces = {w.slug: w for w in Workspace.objects.filter(slug__in=["mutualise", "cae-a", "cae-b", "scop-c"])}
    if len(workspaces) < 4:
        return
    host, cae_a, cae_b, scop_c = (workspaces[s] for s in ("mutualise", "cae-a", "cae-b", "scop-c"))

    def sub(issuer, holder, shares, day, paid_ratio=Decimal("1")):
        amount = issuer.initial_nominal * shares
        movement_record(actor=None, issuer=issuer, kind="subscription", effective_date=day, holder=holder,
                        shares=shares, amount=amount, paid=(amount * paid_ratio).quantize(Decimal("0.01")),
                        decision=f"Bulletin de souscription du {day:%d/%m/%Y}")

    with scope(workspace=host):
        if not ShareIssuer.objects.filter(workspace=host).exists():
            issuer = issuer_save(actor=None, workspace=host, legal_form="scic_sa", created_on=D(2015, 3, 1),
                                 initial_nominal=Decimal("50"), minimum_subscription=2)
            colleges = {name: college_save(actor=None, issuer=issuer, name=name, weight=Decimal(w)) for name, w in
                        (("Salariés", "40"), ("CAE partenaires", "30"), ("Sociétés essaimées", "20"),
                         ("Soutiens", "10"))}
            people = list(Entrepreneur.objects.filter(workspace=host).order_by("matricule")[:3])
            for i, person in enumerate(people):
                h = holder_create(actor=None, issuer=issuer, category="employee", entrepreneur=person,
                                  college=colleges["Salariés"])
                sub(issuer, h, 40 + 10 * i, D(2015, 3, 1))
            a = holder_create(actor=None, issuer=issuer, category="beneficiary", holder_workspace=cae_a,
                              college=colleges["CAE partenaires"])
            b = holder_create(actor=None, issuer=issuer, category="beneficiary", holder_workspace=cae_b,
                              college=colleges["CAE partenaires"])
            sub(issuer, a, 200, D(2016, 1, 15))
            sub(issuer, b, 120, D(2017, 6, 1), paid_ratio=Decimal("0.5"))
            c = holder_create(actor=None, issuer=issuer, category="coop_outside", holder_workspace=scop_c,
                              college=colleges["Sociétés essaimées"])
            sub(issuer, c, 20, D(2021, 9, 1))
            s = holder_create(actor=None, issuer=issuer, category="other", name="Fondation Territoires Solidaires",
                              email="contact@territoires.test", college=colleges["Soutiens"])
            sub(issuer, s, 60, D(2021, 9, 1))
            today = timezone.localdate()
            meeting_convene(actor=None, issuer=issuer, kind="ordinary",
                            held_at=timezone.make_aware(datetime.datetime(today.year, 6, 20, 18, 0))
                            if today < D(today.year, 6, 20) else
                            timezone.make_aware(datetime.datetime(today.year + 1, 6, 20, 18, 0)),
                            record_date=today, place="Siège, 12 rue des Coopératives, Lyon",
                            video_url="https://visio.mutualise.test/ag",
                            agenda="Rapport de gestion\nApprobation des comptes\nAffectation du résultat",
                            resolutions=["Approbation des comptes de l'exercice",
                                         "Affectation du résultat en réserves impartageables",
                                         "Renouvellement du conseil d'administration"])
            stdout.write("  shares: host SCIC register with 4 colleges and a general meeting convened")

    with scope(workspace=scop_c):
        if not ShareIssuer.objects.filter(workspace=scop_c).exists():
            issuer = issuer_save(actor=None, workspace=scop_c, legal_form="scop_sarl", created_on=D(2021, 5, 3),
                                 initial_nominal=Decimal("100"))
            founders = list(Entrepreneur.objects.filter(workspace=scop_c.origin).order_by("matricule")[:2])
            for person in founders:
                h = holder_create(actor=None, issuer=issuer, category="employee", entrepreneur=person)
                sub(issuer, h, 30, D(2021, 5, 3), paid_ratio=Decimal("0.25"))
            mh = holder_create(actor=None, issuer=issuer, category="coop_outside", holder_workspace=host)
            sub(issuer, mh, 15, D(2021, 5, 3))
            stdout.write("  shares: SCOP C register, the host among its associates")
