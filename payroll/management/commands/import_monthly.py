"""python manage.py import_monthly --workspace SLUG --period YYYY-MM FILE

Validates and imports a month's file synchronously, as uploading and confirming it in the
interface would (new employee numbers create entrepreneurs). On any error it prints the errors
by row and column, writes nothing (not even the file) and exits non-zero.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from backoffice.models import Workspace
from payroll.imports.columns import parse_period
from payroll.services.periods import PeriodLocked
from payroll.services.submissions import (
    SubmissionInvalid,
    SubmissionRefused,
    locked_message,
    submission_import,
)


class Command(BaseCommand):
    help = "Validate and import a month's payroll data (xlsx or csv) for a workspace; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="workspace short name (slug)")
        parser.add_argument("--period", required=True, help="month, YYYY-MM")
        parser.add_argument("file", help="the .xlsx or .csv file")

    def handle(self, *args, **options):
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()  # not scoped: it is the scope
        if workspace is None:
            raise CommandError(f"No workspace {options['workspace']!r}.")
        try:
            period = parse_period(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")

        with scope(workspace=workspace), path.open("rb") as handle:
            upload = File(handle, name=path.name)
            try:
                submission = submission_import(actor=None, workspace=workspace, period=period, upload=upload,
                                               via="import_monthly command")
            except PeriodLocked:
                raise CommandError(locked_message(period)) from None
            except SubmissionRefused as exc:
                raise CommandError(exc.message) from None
            except SubmissionInvalid as exc:
                result = exc.result
                for error in result.errors:
                    where = []
                    if error.get("row"):
                        where.append(f"row {error['row']}")
                    if error.get("column"):
                        where.append(f"column {error['column']}")
                    self.stderr.write(f"{', '.join(where) or 'file'}: {error['message']}")
                if result.error_count > len(result.errors):
                    self.stderr.write(f"… and {result.error_count - len(result.errors)} more errors.")
                raise CommandError(f"{result.error_count} error(s) in {path.name}: nothing was imported.") from None

        preview = submission.preview
        self.stdout.write(self.style.SUCCESS(
            f"{workspace.slug} {period:%Y-%m}: version {submission.version} imported, {submission.row_count} rows, "
            f"{preview.get('new_count', 0)} new entrepreneurs, gross {preview.get('totals', {}).get('gross_salary')}."))
