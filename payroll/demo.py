"""Demo payroll data (called by `manage.py seed_demo`; idempotent).

Partner CAEs A and B get payroll settings, a contribution rule, employment data, and last
month's data imported through the real pipeline (French Excel csv → checks → confirmation)
then computed: the partner manager finds a month waiting for approval.

When the month before last is in the same year it is computed first, so last month shows the
year-to-date réduction générale: the first entrepreneur's pay varies (low, then high) and last
month carries a regularisation line (D241-7 CSS). Last month also has an entry mid-month (a
104-hour contract starting on the 16th) and an exit (date_sortie on the 10th)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope

from backoffice.models import Entrepreneur, User, Workspace
from payroll.models import (
    ContributionBracket,
    Employment,
    MonthlySubmission,
    PayrollPeriod,
    PayrollSettings,
    Scheme,
)
from payroll.models.submissions import SubmissionState
from payroll.services.runs import payroll_run
from payroll.services.submissions import submission_import

SETTINGS = {
    # slug: (NAF, AT/MP %, its risk code, paid-leave fund, brackets [(from €, rate %)])
    "cae-a": ("7022Z", Decimal("0.90"), "741GA", False, [(Decimal("0"), Decimal("10")), (Decimal("35000"), Decimal("8")),
                                               (Decimal("45000"), Decimal("6"))]),
    "cae-b": ("4332A", Decimal("3.40"), "452BE", True, [(Decimal("0"), Decimal("11.5"))]),
}


def _leave_fund(member: bool) -> dict:
    """CAE B is a building-trade CAE: its paid-leave fund (caisse de congés payés du BTP). The
    fund's own rates (paid leave, chômage intempéries) are left at 0: each fund publishes its
    own and the facts file gives none (only "about 20 % of gross" in all), so the demo seeds no
    figure; OPPBTP (0.11 %, rate table) shows. The DSN code is a demo value, to check against
    the norm's code list of S21.G00.40.022."""
    if not member:
        return {"leave_fund_name": "", "leave_fund_number": "", "leave_fund_dsn_code": ""}
    return {"leave_fund_name": "Caisse de congés payés du BTP (démo)", "leave_fund_number": "DEMO-0042",
            "leave_fund_dsn_code": "01"}


# A made-up SIRET with a valid key (demo only): the URSSAF the demo CAEs pay.
DEMO_URSSAF_SIRET = "79432733800172"
# and the AGIRC-ARRCO institution they pay (made up too).
DEMO_AGIRC_ARRCO_SIRET = "77570080000219"


def _csv(people: list[Entrepreneur], month: datetime.date, *, variable: Decimal | None = None,
         leaver: Entrepreneur | None = None) -> bytes:
    header = ("matricule;nom;prenom;nir;statut;heures;salaire_brut;primes;frais_rembourses;chiffre_affaires_ht;"
              "taux_pas;date_sortie")
    rows = [header]
    for i, person in enumerate(people):
        gross = Decimal("1850") + Decimal(i * 215)
        if i == 0 and variable is not None:
            gross = variable  # the variable-pay entrepreneur
        revenue = gross * Decimal("1.9")
        status = "cadre" if i % 5 == 4 else "non_cadre"
        exit_day = f"{month.replace(day=10):%d/%m/%Y}" if person == leaver else ""
        rows.append(f"{person.matricule};{person.last_name};{person.first_name};{person.nir};{status};;"
                    f"{str(gross).replace('.', ',')};0;{'35,40' if i % 3 == 0 else '0'};"
                    f"{str(revenue.quantize(Decimal('0.01'))).replace('.', ',')};{'4,5' if i % 2 else '0'};{exit_day}")
    return ("\r\n".join(rows) + "\r\n").encode("cp1252")


# Demo classifications, one per kind of job (the demo's collective agreement is fictitious).
DEMO_CLASSIFICATIONS = {
    "cadre": "Cadre, position 2.1, coefficient 115",
    "non_cadre": "Employé, niveau 2, coefficient 250",
    "etam": "ETAM, niveau D",
    "ouvrier": "Ouvrier professionnel, niveau II, coefficient 185",
}


def _import_and_run(*, officer, workspace, month, content: bytes, stdout) -> None:
    period = PayrollPeriod.objects.filter(workspace=workspace, period=month).first()
    if period is None or not MonthlySubmission.objects.filter(period=period, state=SubmissionState.CONFIRMED).exists():
        submission_import(actor=officer, workspace=workspace, period=month, via="demo",
                          upload=SimpleUploadedFile(f"paie-{month:%Y-%m}.csv", content))
        outcome = payroll_run(actor=officer, workspace=workspace, period=month)
        stdout.write(f"  payroll {workspace.slug} {month:%Y-%m}: {outcome.count} payslips computed")


def seed(stdout) -> None:
    officer = User.objects.get(email="paie@mutualise.test")
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)  # last month
    for slug, (naf, at_mp, risk_code, leave_fund, brackets) in SETTINGS.items():
        workspace = Workspace.objects.get(slug=slug)
        with scope(workspace=workspace):
            settings, _ = PayrollSettings.objects.update_or_create(workspace=workspace, defaults={
                "siret": workspace.siret, "naf_code": naf, "urssaf_number": "117000001234", "at_mp_rate": at_mp,
                "at_mp_risk_code": risk_code,
                "paid_leave_fund": leave_fund, "collective_agreement": "Convention collective des CAE (démo)",
                "pension_funds": "AGIRC-ARRCO (démo)", "payment_day": 28,
                "dsn_contact_name": "Service paie (démo)", "dsn_contact_email": "paie@example.org",
                "dsn_contact_phone": "0472000000", "urssaf_siret": DEMO_URSSAF_SIRET,
                "agirc_arrco_siret": DEMO_AGIRC_ARRCO_SIRET,
                "debit_iban": "FR7630006000011234567890189", "debit_bic": "AGRIFRPPXXX", **_leave_fund(leave_fund)})
            # The cadres' compulsory provident (1.50 % of tranche A, ANI 17/11/2017) as a contract
            # the DSN declares (S21.G00.15/.70); PRO BTP's in the building-trade CAE.
            Scheme.objects.update_or_create(
                workspace=workspace, settings=settings, kind="provident", applies_to="cadre",
                defaults={"label": "PRO BTP cadres (démo)" if leave_fund else "Prévoyance cadres (démo)",
                          "base": "tranche_a", "employer_rate": Decimal("1.50"),
                          "organisation_code": "P0942" if leave_fund else "P0001",
                          "contract_reference": f"DEMO-PREV-{slug.upper()}"})
            for threshold, rate in brackets:
                ContributionBracket.objects.update_or_create(workspace=workspace, settings=settings, threshold=threshold,
                                                             defaults={"rate": rate})
            month_end = (month + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
            people = [p for p in Entrepreneur.objects.filter(workspace=workspace).order_by("matricule")
                      if p.is_active_on(month_end)]
            for i, person in enumerate(people):
                cadre = i % 5 == 4
                # CAE B's non-cadres are building-trade ETAM or ouvriers (DSN: ouvriers declared 07).
                trade_category = ("ouvrier" if i % 2 else "etam") if leave_fund and not cadre else ""
                Employment.objects.get_or_create(workspace=workspace, entrepreneur=person, defaults={
                    "contract_type": "cesa", "status": "cadre" if cadre else "non_cadre",
                    "job_title": person.trade or "Entrepreneur-salarié", "start_date": person.entry_date,
                    "trade_category": trade_category,
                    # R3243-1 Code du travail: every payslip shows the classification (the run refuses without).
                    "classification": DEMO_CLASSIFICATIONS["cadre" if cadre else trade_category or "non_cadre"]})
            # An entry mid-month: the last person starts a 104-hour contract on the 16th of last month.
            newcomer = people[-1] if len(people) > 2 else None
            if newcomer is not None:
                Entrepreneur.objects.filter(pk=newcomer.pk).update(entry_date=month.replace(day=16))
                Employment.objects.filter(entrepreneur=newcomer).update(
                    start_date=month.replace(day=16), contractual_hours=Decimal("104"))
            leaver = people[1] if len(people) > 2 else None
            if leaver is not None:  # leaving to found their company: a resignation, declared in the DSN (S21.G00.62)
                Employment.objects.filter(entrepreneur=leaver).update(exit_reason="059")
            before = (month - datetime.timedelta(days=1)).replace(day=1)
            if before.year == month.year:
                earlier = [p for p in people if p != newcomer]
                _import_and_run(officer=officer, workspace=workspace, month=before, stdout=stdout,
                                content=_csv(earlier, before, variable=Decimal("1900")))
            _import_and_run(officer=officer, workspace=workspace, month=month, stdout=stdout,
                            content=_csv(people, month, variable=Decimal("5200"), leaver=leaver))
