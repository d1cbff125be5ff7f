"""python manage.py run_payroll --workspace SLUG --period YYYY-MM

Computes (or recomputes) a workspace's month from its confirmed submission, like the
"Compute the payroll" button; idempotent. The command enters the workspace's scope itself."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backoffice.models import Workspace
from payroll.models import PayrollPeriod


def add_workspace_period_arguments(parser: CommandParser) -> None:
    parser.add_argument("--workspace", required=True, help="the workspace's short name (slug), e.g. cae-a")
    parser.add_argument("--period", required=True, help="the month, as YYYY-MM")


def parse_period(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--period {text!r}: expected a month as YYYY-MM, e.g. 2026-01") from None


def load_workspace(slug: str) -> Workspace:
    workspace = Workspace.objects.filter(slug=slug).first()  # workspaces are not scoped
    if workspace is None:
        raise CommandError(f"--workspace {slug!r}: no such workspace")
    return workspace


def load_period(workspace: Workspace, month: datetime.date) -> PayrollPeriod:
    """Inside the workspace's scope."""
    payroll_period = PayrollPeriod.objects.filter(workspace=workspace, period=month).first()
    if payroll_period is None:
        raise CommandError(f"{workspace.slug} has no payroll month {month:%Y-%m} (no data was sent for it)")
    return payroll_period


class Command(BaseCommand):
    help = "Compute a workspace's payroll for a month (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_workspace_period_arguments(parser)

    def handle(self, *args, **options) -> None:
        from django_scopes import scope

        from payroll.services.periods import PeriodLocked
        from payroll.services.runs import PayrollRunError, payroll_run

        month = parse_period(options["period"])
        workspace = load_workspace(options["workspace"])
        with scope(workspace=workspace):
            payroll_period = load_period(workspace, month)
            try:
                outcome = payroll_run(actor=None, workspace=workspace, period=payroll_period)
            except PeriodLocked:
                raise CommandError(f"{workspace.slug} {month:%Y-%m} was approved: it can no longer be recomputed"
                                   ) from None
            except PayrollRunError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"{workspace.slug} {month:%Y-%m}: {outcome.count} payslips ({outcome.created} new, {outcome.updated} "
            f"changed, {outcome.unchanged} unchanged, {outcome.deleted} removed)"))
        for matricule, target, achieved in outcome.inexact:
            self.stdout.write(self.style.WARNING(f"{matricule}: target {target} not reachable to the cent; "
                                                 f"closest {achieved}"))
