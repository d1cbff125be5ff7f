"""python manage.py contribution_reminders [--dry-run]

E-mails every active alumni company the ended periods it has not declared yet (at most once a
month per period; the beat schedule runs it daily). --dry-run lists without sending."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from alumni.services.reminders import contribution_reminders_send


class Command(BaseCommand):
    help = "Remind alumni companies of the revenue they have not declared yet."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the reminders without sending them")

    def handle(self, *args, dry_run: bool = False, **options):
        reminders = contribution_reminders_send(dry_run=dry_run)
        for r in reminders:
            self.stdout.write(f"{r.company.workspace.slug}: {', '.join(str(p) for p in r.periods)} → "
                              f"{', '.join(r.recipients)}")
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(self.style.SUCCESS(f"{len(reminders)} reminder(s) {verb}."))
