"""Reminders for overdue dossiers."""

from __future__ import annotations

from collections import defaultdict

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.models import Dossier
from backoffice.models.dossiers import OPEN_STATUSES
from backoffice.tenancy import staff_wide


def overdue_reminders_send() -> int:
    today = timezone.localdate()
    with staff_wide("reminders go to host staff about dossiers of every workspace"):
        overdue = list(Dossier.objects.filter(status__in=OPEN_STATUSES, due_date__lt=today, assignee__isnull=False)
                       .select_related("assignee", "workspace").order_by("due_date"))
    by_assignee = defaultdict(list)
    for dossier in overdue:
        by_assignee[dossier.assignee].append(dossier)
    sent = 0
    with translation.override("fr"):
        for user, dossiers in by_assignee.items():
            body = render_to_string("backoffice/email/overdue_reminder.txt", {"user": user, "dossiers": dossiers})
            sent += send_mail(_("Mutualise: %(n)d overdue dossiers") % {"n": len(dossiers)}, body, None, [user.email])
    return sent
