"""python manage.py alumni_checkin --year YYYY [--dry-run]

Sends the yearly check-in (revenue, headcount, needs) to every active alumni company: a dossier
in the staff work queue and an e-mail to its managers. Once per company and year."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from alumni.services.reminders import checkin_send


class Command(BaseCommand):
    help = "Send the yearly check-in to every active alumni company."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int, help="the year the check-in is about, e.g. 2026")
        parser.add_argument("--dry-run", action="store_true", help="list the companies without sending anything")

    def handle(self, *args, year: int, dry_run: bool = False, **options):
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise CommandError(f"--year {year}: give a year between 2000 and next year")
        results = checkin_send(year=year, dry_run=dry_run)
        for company, recipients, already in results:
            state = "already sent" if already else ("would send" if dry_run else "sent")
            self.stdout.write(f"{company.workspace.slug}: {state} → {', '.join(recipients) or 'no manager'}")
        new = sum(1 for _c, _r, already in results if not already)
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(self.style.SUCCESS(f"{new} check-in(s) {verb}."))
