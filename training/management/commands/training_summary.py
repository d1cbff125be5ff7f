"""Write the yearly training summary (per workspace and OPCO, BPF figures) as xlsx."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from training.exports import summary_xlsx
from training.selectors.summary import yearly_summary


class Command(BaseCommand):
    help = "Write the yearly training summary per workspace and OPCO (BPF figures) as an xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, year: int, output: Path, **options):
        rows = yearly_summary(year)
        output.write_bytes(summary_xlsx(year, rows))
        self.stdout.write(f"{len(rows)} row(s) for {year} written to {output}.")
