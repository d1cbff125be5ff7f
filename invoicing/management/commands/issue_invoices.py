"""python manage.py issue_invoices --period YYYY-MM [--dry-run]

The monthly billing run: the month's billable usage of every customer workspace becomes
draft invoices priced by their agreements (staff review and issue them on the invoicing
pages). Rerunning bills only what is new. --dry-run prints what would be billed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from invoicing.services.billing import billing_run


class Command(BaseCommand):
    help = "Turn a month's billable usage into draft invoices (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="the month, as YYYY-MM")
        parser.add_argument("--dry-run", action="store_true", help="print what would be billed, write nothing")

    def handle(self, *args, **options) -> None:
        import datetime

        try:
            period = datetime.datetime.strptime(options["period"].strip(), "%Y-%m").date()
        except ValueError:
            raise CommandError(f"--period {options['period']!r}: expected a month as YYYY-MM, e.g. 2026-01") from None
        report = billing_run(actor=None, period=period, dry_run=options["dry_run"])
        for bill in report.bills:
            if bill.lines or bill.unpriced or bill.error:
                status = bill.error or (f"draft #{bill.invoice.pk}" if bill.invoice else "would bill")
                self.stdout.write(f"{bill.workspace.slug}: {len(bill.lines)} lines, {bill.total_net} € excl. VAT "
                                  f"({status})")
                for label, quantity in bill.unpriced_labels:
                    self.stdout.write(self.style.WARNING(f"  not priced: {label} × {quantity}"))
        verb = "would bill" if report.dry_run else "billed"
        self.stdout.write(self.style.SUCCESS(f"{period:%Y-%m}: {verb} {len(report.drafts)} workspaces, "
                                             f"{report.total_net} € excl. VAT"))
