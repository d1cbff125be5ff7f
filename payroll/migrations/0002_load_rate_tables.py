from django.db import migrations


def load(apps, schema_editor):
    from payroll.services.rates import rate_tables_import

    rate_tables_import(table_model=apps.get_model("payroll", "RateTable"),
                       line_model=apps.get_model("payroll", "RateLine"))


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
