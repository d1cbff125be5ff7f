"""python manage.py import_employment --workspace SLUG FILE.xlsx [--check]

Imports entrepreneurs' employment data from a spreadsheet, like the "Import" page: every row is
checked first and, when there is no error, all are written in one transaction (nothing
otherwise). `--check` only validates. The command enters the workspace's scope itself; the
audit entries carry no user (an automatic action)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backoffice.models import Workspace
from payroll.services.employment import employment_import, read_xlsx


class Command(BaseCommand):
    help = "Import employment data (contract, status, hours, IBAN…) from an xlsx file; all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", required=True, help="the workspace's short name (slug), e.g. cae-a")
        parser.add_argument("file", type=Path, help="the .xlsx file (columns: see the import page)")
        parser.add_argument("--check", action="store_true", help="validate only, write nothing")

    def handle(self, *args, **options) -> None:
        from django_scopes import scope

        workspace = Workspace.objects.filter(slug=options["workspace"]).first()  # workspaces are not scoped
        if workspace is None:
            raise CommandError(f"--workspace {options['workspace']!r}: no such workspace")
        if not workspace.has_entrepreneurs:
            raise CommandError(f"{workspace.slug} is not a CAE: it has no payroll")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        with path.open("rb") as upload, scope(workspace=workspace):
            report = employment_import(actor=None, workspace=workspace, rows=read_xlsx(upload),
                                       dry_run=options["check"])
        for error in report.errors:
            where = f"row {error.row}" if error.row else "file"
            self.stderr.write(f"{where}{', ' + error.column if error.column else ''}: {error.message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} error(s): nothing was imported")
        verb = "would be" if options["check"] else "were"
        self.stdout.write(f"{report.rows} rows: {report.created} {verb} created, {report.updated} updated, "
                          f"{report.unchanged} unchanged.")
