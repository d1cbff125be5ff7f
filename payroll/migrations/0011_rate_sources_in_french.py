"""The rate tables' legal sources in French (payroll/services/rate_sources.py).

0002 loaded payroll/data/rates/*.json into RateTable/RateLine when their sources were in
English; a database migrated since keeps them. This rewrites every stored source that is still
exactly a former English text (copied tables included) and leaves staff-edited ones alone. A
new database loads the French JSON in 0002 and finds nothing to change here."""

from django.db import migrations


def to_french(apps, schema_editor):
    from payroll.services.rate_sources import rate_sources_to_french

    rate_sources_to_french(table_model=apps.get_model("payroll", "RateTable"),
                           line_model=apps.get_model("payroll", "RateLine"))


class Migration(migrations.Migration):
    dependencies = [("payroll", "0010_dsn_contact_and_payment")]
    operations = [migrations.RunPython(to_french, migrations.RunPython.noop)]
