"""Chasing missing revenue declarations and the yearly check-in, for every alumni company.

Both cross workspaces on purpose (a command or the beat schedule acts for the host): each
company is then handled inside its own scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from alumni.models import AlumniCompany, CheckIn, CompanyStatus, DeclarationReminder
from alumni.services.declarations import Period, open_periods
from backoffice.models import Membership, Role, Service
from backoffice.services.audit import audit_record
from backoffice.services.dossiers import dossier_open
from backoffice.services.invitations import default_base_url
from backoffice.tenancy import staff_wide

REMINDER_INTERVAL = datetime.timedelta(days=30)
CHECKIN_KIND = "alumni_checkin"


@dataclass
class Reminder:
    company: AlumniCompany
    periods: list[Period]
    recipients: list[str]


def _companies(statuses) -> list[AlumniCompany]:
    with staff_wide("reminders and check-ins go to every alumni company"):
        return list(AlumniCompany.objects.filter(status__in=statuses, workspace__is_active=True)
                    .select_related("workspace").order_by("workspace__name"))


def _managers(workspace) -> list[str]:
    return sorted(Membership.objects.filter(workspace=workspace, role=Role.MANAGER, user__is_active=True)
                  .values_list("user__email", flat=True))


def contribution_reminders_send(*, today: datetime.date | None = None, dry_run: bool = False) -> list[Reminder]:
    """E-mail the managers of each active company the ended periods it has not declared yet,
    at most once every REMINDER_INTERVAL per period (safe to run daily, or twice)."""
    today = today or timezone.localdate()
    now = timezone.now()
    out = []
    for company in _companies([CompanyStatus.ACTIVE]):
        with scope(workspace=company.workspace):
            due = []
            last = {r.period_start: r for r in DeclarationReminder.objects.filter(workspace=company.workspace)}
            for period in open_periods(company, today=today):
                sent = last.get(period.start)
                if sent is None or now - sent.last_sent_at >= REMINDER_INTERVAL:
                    due.append(period)
            recipients = _managers(company.workspace)
            if not due or not recipients:
                continue
            out.append(Reminder(company, due, recipients))
            if dry_run:
                continue
            with transaction.atomic():
                for period in due:
                    reminder, created = DeclarationReminder.objects.get_or_create(
                        workspace=company.workspace, period_start=period.start, defaults={"last_sent_at": now})
                    if not created:
                        reminder.last_sent_at, reminder.count = now, reminder.count + 1
                        reminder.save(update_fields=["last_sent_at", "count"])
                audit_record(actor=None, workspace=company.workspace, action="alumni.declaration.reminder",
                             changes={"periods": [str(p) for p in due]})
            url = default_base_url().rstrip("/") + reverse("alumni_declare", args=[company.workspace.slug])
            with translation.override("fr"):
                body = _("Hello,\n\nThe revenue of %(periods)s is still to be declared for %(company)s. "
                         "Declare it here (you will see the contribution before confirming):\n%(url)s\n\n"
                         "The Mutualise team") % {"periods": ", ".join(str(p) for p in due),
                                                   "company": company.workspace.name, "url": url}
                send_mail(_("Revenue to declare"), body, None, recipients)
    return out


def checkin_send(*, year: int, dry_run: bool = False) -> list[tuple[AlumniCompany, list[str], bool]]:
    """The yearly check-in of every company in creation or active: a dossier in the work queue
    ("Annual check-in YEAR", due in 30 days) and an e-mail to its managers asking for revenue,
    headcount and needs. Once per company and year: (company, recipients, already sent)."""
    out = []
    for company in _companies([CompanyStatus.ACTIVE, CompanyStatus.IN_CREATION]):
        with scope(workspace=company.workspace):
            recipients = _managers(company.workspace)
            already = CheckIn.objects.filter(workspace=company.workspace, year=year).exists()
            out.append((company, recipients, already))
            if dry_run or already:
                continue
            with transaction.atomic():
                checkin = CheckIn.objects.create(workspace=company.workspace, year=year)
                with translation.override("fr"):
                    dossier = dossier_open(actor=None, workspace=company.workspace, service=Service.ALUMNI,
                                           kind=CHECKIN_KIND, subject=checkin,
                                           title=_("Annual check-in %(year)s") % {"year": year},
                                           due_date=timezone.localdate() + datetime.timedelta(days=30))
            if recipients:
                url = default_base_url().rstrip("/") + reverse("dossier_detail",
                                                               args=[company.workspace.slug, dossier.pk])
                with translation.override("fr"):
                    body = _("Hello,\n\nOnce a year we take news of %(company)s: your revenue for %(year)s, your "
                             "headcount, and what you need from the cooperative. Answer in this dossier:\n"
                             "%(url)s\n\nThe Mutualise team") % {"company": company.workspace.name, "year": year,
                                                                "url": url}
                    send_mail(_("Annual check-in %(year)s") % {"year": year}, body, None, recipients)
    return out
