"""Reminders of training-funding deadlines (what the daily beat task and
`manage.py training_reminders` run).

- Each partner workspace's managers get one e-mail listing its draft requests that are late
  or due to be submitted within REMINDER_DAYS days.
- The host training staff (training officers and administrators) get one digest of every
  workspace's late or due requests, the claims to send included.

A request is reminded at most once a day (`reminded_on`), so running the task twice the same
day sends nothing more. `dry_run` sends and writes nothing and returns the same plan.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.models import Membership
from backoffice.models.users import Role
from backoffice.tenancy import staff_wide
from training.models import FundingRequest
from training.rules import lifecycle

REMINDER_DAYS = 7
CLAIM_STATES = (lifecycle.DONE, lifecycle.ATTENDANCE_COMPLETE)


@dataclass
class Reminder:
    recipients: list[str]
    requests: list[FundingRequest] = field(default_factory=list)
    staff: bool = False


def _due(limit: datetime.date) -> Q:
    return (Q(state=lifecycle.DRAFT, submit_before__lte=limit)
            | Q(state__in=CLAIM_STATES, claim_before__lte=limit))


def due_requests(today: datetime.date, days: int = REMINDER_DAYS) -> list[FundingRequest]:
    """Open requests late or due within `days` (submission of drafts, claims after the course)."""
    limit = today + datetime.timedelta(days=days)
    with staff_wide("the reminder run covers the requests of every workspace"):
        return list(
            FundingRequest.objects.filter(
                _due(limit)).exclude(reminded_on=today)
            .select_related("workspace", "opco", "session__course").order_by("workspace_id", "submit_before", "pk"))


def _emails(memberships) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for workspace_id, email in memberships:
        if email:
            out[workspace_id].append(email)
    return out


def reminders_plan(today: datetime.date) -> list[Reminder]:
    requests = due_requests(today)
    if not requests:
        return []
    workspace_ids = {r.workspace_id for r in requests}
    with staff_wide("managers and host staff of every workspace with a due request"):
        managers = _emails(Membership.objects.filter(workspace_id__in=workspace_ids, role=Role.MANAGER,
                                                     user__is_active=True)
                           .values_list("workspace_id", "user__email").order_by("user__email"))
        staff = sorted(Membership.objects.filter(workspace__kind="host", user__is_active=True,
                                                 role__in=(Role.TRAINING_OFFICER, Role.HOST_ADMIN))
                       .values_list("user__email", flat=True).distinct())
    plan: list[Reminder] = []
    by_workspace: dict[int, list[FundingRequest]] = defaultdict(list)
    for request in requests:
        if request.state == lifecycle.DRAFT:
            by_workspace[request.workspace_id].append(request)
    for workspace_id, items in by_workspace.items():
        recipients = managers.get(workspace_id) or ([items[0].workspace.email] if items[0].workspace.email else [])
        if recipients:
            plan.append(Reminder(recipients=recipients, requests=items))
    if staff:
        plan.append(Reminder(recipients=staff, requests=requests, staff=True))
    return plan


def training_reminders_send(*, today: datetime.date | None = None, dry_run: bool = False) -> list[Reminder]:
    """Send the day's reminders (or, with `dry_run`, only say what would be sent)."""
    today = today or timezone.localdate()
    plan = reminders_plan(today)
    if dry_run or not plan:
        return plan
    with translation.override("fr"):
        for reminder in plan:
            body = render_to_string("training/email/reminder.txt", {"reminder": reminder, "today": today})
            subject = _("Mutualise: %(n)d training funding deadlines") % {"n": len(reminder.requests)}
            send_mail(subject, body, None, reminder.recipients)
    with transaction.atomic(), staff_wide("stamping the reminded requests of every workspace"):
        FundingRequest.objects.filter(pk__in={r.pk for rem in plan for r in rem.requests}).update(reminded_on=today)
    return plan
