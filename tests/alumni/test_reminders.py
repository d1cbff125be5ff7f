"""contribution_reminders and alumni_checkin: who is reminded, once, and --dry-run sends nothing."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django_scopes import scopes_disabled

from alumni.models import CheckIn, DeclarationReminder
from backoffice.models import Dossier


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_contribution_reminders_once_per_period_and_dry_run(world, company):
    dry = run("contribution_reminders", "--dry-run")
    assert "scop-c:" in dry and "c@example.test" in dry and not mail.outbox
    with scopes_disabled():
        assert not DeclarationReminder.objects.exists()
    run("contribution_reminders")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["c@example.test"]
    assert "/w/scop-c/alumni/declare/" in mail.outbox[0].body
    run("contribution_reminders")                 # the next day's beat: nothing new within 30 days
    assert len(mail.outbox) == 1
    with scopes_disabled():
        DeclarationReminder.objects.update(last_sent_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    run("contribution_reminders")
    assert len(mail.outbox) == 2


def test_checkin_opens_one_dossier_per_company_and_year(world, company):
    assert "would send" in run("alumni_checkin", "--year", "2026", "--dry-run") and not mail.outbox
    run("alumni_checkin", "--year", "2026")
    run("alumni_checkin", "--year", "2026")
    with scopes_disabled():
        assert CheckIn.objects.filter(workspace=world.alumni_c, year=2026).count() == 1
        dossier = Dossier.objects.get(workspace=world.alumni_c, kind="alumni_checkin")
    assert dossier.due_date is not None and len(mail.outbox) == 1
