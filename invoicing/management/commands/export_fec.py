"""python manage.py export_fec --year YYYY --output DIR

Writes the host's FEC for the year as DIR/<SIREN>FEC<YYYY>1231.txt (LPF art. A47 A-1)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from invoicing.exports.accounting import fec_export


class Command(BaseCommand):
    help = "Write the FEC (fichier des écritures comptables) of the host's sales for a year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", required=True, help="a directory")

    def handle(self, *args, **options) -> None:
        output = Path(options["output"])
        if not output.is_dir():
            raise CommandError(f"--output {output}: not a directory")
        name, content = fec_export(options["year"])
        (output / name).write_bytes(content)
        lines = content.count(b"\n") - 1
        self.stdout.write(self.style.SUCCESS(f"{output / name}: {lines} entry lines"))
