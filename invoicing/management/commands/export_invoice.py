"""python manage.py export_invoice --number NUMBER --output FILE.pdf

Writes the Factur-X PDF of an issued invoice or credit note (e.g. FA-2026-00042)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backoffice.tenancy import staff_wide
from invoicing.documents.pdf import invoice_pdf
from invoicing.models import Invoice, InvoiceState


class Command(BaseCommand):
    help = "Write the Factur-X PDF of an issued invoice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--number", required=True, help="the invoice number, e.g. FA-2026-00042")
        parser.add_argument("--output", required=True, help="the PDF file to write")

    def handle(self, *args, **options) -> None:
        number = options["number"].strip()
        with staff_wide("an invoice is looked up by its number across customers (command)"):
            invoice = (Invoice.objects.filter(number=number, state=InvoiceState.ISSUED)
                       .select_related("corrects").first())
            if invoice is None:
                raise CommandError(f"--number {number!r}: no issued invoice has this number")
            content = invoice_pdf(invoice)
        output = Path(options["output"])
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"{number}: {len(content)} bytes written to {output}"))
