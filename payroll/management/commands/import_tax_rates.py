"""python manage.py import_tax_rates --workspace SLUG FILE.csv

Imports the withholding rates of the tax administration's return (compte rendu métier): one
row per employee, columns nir, taux, date_effet and optionally type (see
payroll/services/tax_rates.py). Every row is checked first; one error and nothing is written."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backoffice.models import Workspace
from payroll.services.tax_rates import tax_rates_import


class Command(BaseCommand):
    help = "Import the withholding rates the tax administration returned (nir, taux, date_effet); all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", required=True, help="the workspace's short name (slug), e.g. cae-a")
        parser.add_argument("file", type=Path, help="the .csv or .xlsx file")

    def handle(self, *args, **options) -> None:
        from django_scopes import scope

        workspace = Workspace.objects.filter(slug=options["workspace"]).first()  # workspaces are not scoped
        if workspace is None:
            raise CommandError(f"--workspace {options['workspace']!r}: no such workspace")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        with scope(workspace=workspace):
            report = tax_rates_import(actor=None, workspace=workspace, file=path, name=path.name)
        for error in report.errors:
            where = f"row {error.row}" if error.row else "file"
            self.stderr.write(f"{where}{', column ' + error.column if error.column else ''}: {error.message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} error(s): nothing was imported")
        self.stdout.write(f"{report.rows} rows: {report.created} rates created, {report.updated} updated.")
