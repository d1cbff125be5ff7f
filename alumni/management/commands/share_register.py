"""python manage.py share_register --issuer SLUG --at YYYY-MM-DD --output FILE.xlsx

Writes an issuer's share register at a date (movements and positions) to FILE.xlsx."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from backoffice.models import Workspace


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at {value!r}: expected a date YYYY-MM-DD") from None


def load_workspace(slug: str) -> Workspace:
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise CommandError(f"no workspace {slug!r}")
    return workspace


class Command(BaseCommand):
    help = "Write an issuer's share register at a date to an xlsx file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--issuer", required=True, help="the issuer workspace's short name")
        parser.add_argument("--at", required=True, help="the date, YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="the xlsx file to write")

    def handle(self, *args, **options) -> None:
        from alumni.models import ShareIssuer
        from alumni.selectors.shares import register_page
        from alumni.services.shares_documents import register_xlsx

        day = parse_day(options["at"])
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise CommandError(f"--output {output}: the file name must end with .xlsx")
        if not output.parent.exists():
            raise CommandError(f"--output {output}: folder {output.parent} does not exist")
        workspace = load_workspace(options["issuer"])
        with scope(workspace=workspace):
            issuer = ShareIssuer.objects.filter(workspace=workspace).first()
            if issuer is None:
                raise CommandError(f"{workspace.slug} keeps no share register")
            page = register_page(issuer, day)
            output.write_bytes(register_xlsx(page))
        self.stdout.write(self.style.SUCCESS(
            f"{workspace.slug} at {day:%Y-%m-%d}: {len(page.movements)} movements, capital {page.state.capital} €, "
            f"written to {output}"))
