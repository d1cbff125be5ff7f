"""python manage.py share_positions --holder SLUG --at YYYY-MM-DD

Prints a workspace's positions as a holder in every issuer's register at a date."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from alumni.management.commands.share_register import load_workspace, parse_day


class Command(BaseCommand):
    help = "Print a holder workspace's shares in every issuer at a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--holder", required=True, help="the holder workspace's short name")
        parser.add_argument("--at", required=True, help="the date, YYYY-MM-DD")

    def handle(self, *args, **options) -> None:
        from alumni.selectors.shares import holdings_of_workspace

        day = parse_day(options["at"])
        workspace = load_workspace(options["holder"])
        rows = holdings_of_workspace(workspace, day)
        self.stdout.write(f"{workspace.name} ({workspace.slug}) at {day:%Y-%m-%d}")
        self.stdout.write(f"{'issuer':30} {'shares':>8} {'capital':>12} {'paid up':>12} {'unpaid':>12} {'votes':>5}")
        for row in rows:
            p = row.position
            self.stdout.write(f"{row.holder.issuer.workspace.slug:30} {p.shares:>8} {p.amount:>12} {p.paid:>12} "
                              f"{p.unpaid:>12} {p.votes:>5}")
        if not rows:
            self.stdout.write("no shares in any register")
