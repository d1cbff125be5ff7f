"""python manage.py export_payroll_journal --workspace SLUG --period YYYY-MM --output FILE.xlsx

Writes the month's payroll journal (one row per entrepreneur, totals) to FILE.xlsx."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from payroll.management.commands.run_payroll import (
    add_workspace_period_arguments,
    load_period,
    load_workspace,
    parse_period,
)


class Command(BaseCommand):
    help = "Write a month's payroll journal to an xlsx file."

    def add_arguments(self, parser: CommandParser) -> None:
        add_workspace_period_arguments(parser)
        parser.add_argument("--output", required=True, help="the xlsx file to write")

    def handle(self, *args, **options) -> None:
        from payroll.services.runs import payroll_journal_export

        month = parse_period(options["period"])
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise CommandError(f"--output {output}: the file name must end with .xlsx")
        if not output.parent.exists():
            raise CommandError(f"--output {output}: folder {output.parent} does not exist")
        workspace = load_workspace(options["workspace"])
        with scope(workspace=workspace):
            payroll_period = load_period(workspace, month)
            content = payroll_journal_export(actor=None, payroll_period=payroll_period)
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"{workspace.slug} {month:%Y-%m}: journal written to {output}"))
