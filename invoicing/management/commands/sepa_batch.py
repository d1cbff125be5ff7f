"""python manage.py sepa_batch --due-before YYYY-MM-DD --output FILE.xml

A SEPA direct-debit batch (pain.008.001.02) of the issued invoices due on or before the date
whose customer signed a mandate; those invoices show "debit sent"."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backoffice.tenancy import staff_wide
from invoicing.services.sepa import sepa_batch_create


class Command(BaseCommand):
    help = "Generate a SEPA direct-debit batch (pain.008) for due invoices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--due-before", required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", required=True)

    def handle(self, *args, **options) -> None:
        try:
            due_before = datetime.date.fromisoformat(options["due_before"])
        except ValueError:
            raise CommandError("--due-before: expected a date as YYYY-MM-DD") from None
        try:
            batch = sepa_batch_create(actor=None, due_before=due_before)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if batch is None:
            self.stdout.write("Nothing to collect.")
            return
        Path(options["output"]).write_text(batch.xml, encoding="utf-8")
        with staff_wide("a batch's debits span customers"):
            count = batch.lines.count()
        self.stdout.write(self.style.SUCCESS(f"{options['output']}: {count} debits"))
