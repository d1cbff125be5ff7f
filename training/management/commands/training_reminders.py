"""E-mail the day's training-funding reminders (what the daily beat task runs)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from training.services.reminders import training_reminders_send


class Command(BaseCommand):
    help = "E-mail reminders of training funding requests late or due within 7 days."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send and write nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        plan = training_reminders_send(dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for reminder in plan:
            self.stdout.write(f"{verb} to {', '.join(reminder.recipients)}: {len(reminder.requests)} request(s) "
                              f"({', '.join(f'#{r.pk}' for r in reminder.requests[:20])}"
                              f"{'…' if len(reminder.requests) > 20 else ''})")
        self.stdout.write(f"{len(plan)} e-mail(s) {verb}.")
