"""python manage.py render_payslips --workspace SLUG --period YYYY-MM

Renders the month's payslip PDFs (only those whose content changed) and the zip, in the
foreground; the same work as the Celery batch. Idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from payroll.management.commands.run_payroll import (
    add_workspace_period_arguments,
    load_period,
    load_workspace,
    parse_period,
)


class Command(BaseCommand):
    help = "Render a month's payslip PDFs and their zip (unchanged payslips are skipped)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_workspace_period_arguments(parser)
        parser.add_argument("--chunk-size", type=int, default=50, help="payslips per committed chunk")

    def handle(self, *args, **options) -> None:
        from payroll.services.payslips import payslips_render

        month = parse_period(options["period"])
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1")
        workspace = load_workspace(options["workspace"])
        with scope(workspace=workspace):
            payroll_period = load_period(workspace, month)

            def progress(done: int, total: int) -> None:
                self.stdout.write(f"{done}/{total}")

            try:
                outcome = payslips_render(actor=None, workspace=workspace, payroll_period=payroll_period,
                                          chunk_size=options["chunk_size"], progress=progress)
            except ValueError as exc:
                raise CommandError(f"{workspace.slug} {month:%Y-%m}: {exc}; run run_payroll first") from None
        self.stdout.write(self.style.SUCCESS(
            f"{workspace.slug} {month:%Y-%m}: {outcome.rendered} rendered, {outcome.unchanged} unchanged, "
            f"zip {'rebuilt' if outcome.zip_rebuilt else 'unchanged'}"))
