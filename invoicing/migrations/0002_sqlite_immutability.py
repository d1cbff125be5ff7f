"""SQLite twin of the PostgreSQL triggers (django-pgtrigger, migration 0001): an issued
invoice, its lines and its usage links refuse UPDATE and DELETE (and new lines), from the
ORM or raw SQL alike. pgtrigger installs nothing on SQLite, so these run only there."""

from django.db import migrations

MESSAGE = "Une facture émise ne peut être ni modifiée ni supprimée (faites un avoir)."

TRIGGERS = {
    "invoicing_issued_invoice_no_update":
        "BEFORE UPDATE ON invoicing_invoice WHEN OLD.state = 'issued'",
    "invoicing_issued_invoice_no_delete":
        "BEFORE DELETE ON invoicing_invoice WHEN OLD.state = 'issued'",
    "invoicing_issued_line_no_insert":
        "BEFORE INSERT ON invoicing_invoiceline WHEN "
        "(SELECT state FROM invoicing_invoice WHERE id = NEW.invoice_id) = 'issued'",
    "invoicing_issued_line_no_update":
        "BEFORE UPDATE ON invoicing_invoiceline WHEN "
        "(SELECT state FROM invoicing_invoice WHERE id = OLD.invoice_id) = 'issued' OR "
        "(SELECT state FROM invoicing_invoice WHERE id = NEW.invoice_id) = 'issued'",
    "invoicing_issued_line_no_delete":
        "BEFORE DELETE ON invoicing_invoiceline WHEN "
        "(SELECT state FROM invoicing_invoice WHERE id = OLD.invoice_id) = 'issued'",
    "invoicing_issued_usage_no_insert":
        "BEFORE INSERT ON invoicing_invoicelineusage WHEN (SELECT i.state FROM invoicing_invoice i "
        "JOIN invoicing_invoiceline l ON l.invoice_id = i.id WHERE l.id = NEW.line_id) = 'issued'",
    "invoicing_issued_usage_no_update":
        "BEFORE UPDATE ON invoicing_invoicelineusage WHEN (SELECT i.state FROM invoicing_invoice i "
        "JOIN invoicing_invoiceline l ON l.invoice_id = i.id WHERE l.id = OLD.line_id) = 'issued'",
    "invoicing_issued_usage_no_delete":
        "BEFORE DELETE ON invoicing_invoicelineusage WHEN (SELECT i.state FROM invoicing_invoice i "
        "JOIN invoicing_invoiceline l ON l.invoice_id = i.id WHERE l.id = OLD.line_id) = 'issued'",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, spec in TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {spec} "
                              f"BEGIN SELECT RAISE(ABORT, '{MESSAGE.replace(chr(39), chr(39) * 2)}'); END")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
