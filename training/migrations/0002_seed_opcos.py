"""Seed the OPCOs a CAE meets, each value with its source. Only what is sourced is filled in;
the rest stays at "before the course starts" / unknown, and staff complete it (audited) once
checked against the OPCO's current rules. Facts file: shared/domain/training-opco.md."""

from django.db import migrations

FACTS = "shared/domain/training-opco.md"
BEFORE_START = f"Request before the course starts ({FACTS} §2)."
UNVERIFIED = "Claim deadline, hourly ceilings and subrogation not verified: staff to complete from the OPCO's rules."

OPCOS = [
    # (code, name, who it covers, request days before start, source)
    ("constructys", "Constructys", "Building and public works companies", 15,
     f"Request at least 15 calendar days before the start ({FACTS} §2: 'Constructys (building trades) "
     f"asks at least 15 days before'). {UNVERIFIED}"),
    ("akto", "AKTO", "Labour-intensive services (temporary work, cleaning, hotels, restaurants…)", 1,
     f"{BEFORE_START} {UNVERIFIED}"),
    ("opco-ep", "OPCO EP", "Companies of proximity (crafts, liberal professions, local services)", 1,
     f"{BEFORE_START} {UNVERIFIED}"),
    ("atlas", "Atlas", "Financial services and consulting", 1, f"{BEFORE_START} {UNVERIFIED}"),
    ("uniformation", "Uniformation", "Social economy (cooperatives, associations, mutuals)", 1,
     f"{BEFORE_START} {UNVERIFIED}"),
    ("ocapiat", "Ocapiat", "Agriculture, fishing, agri-food and territories", 1, f"{BEFORE_START} {UNVERIFIED}"),
    ("fafcea", "FAFCEA", "Non-salaried building-trade workers (craftsmen)", 1,
     f"Non-salaried building-trade workers depend on FAFCEA, not Constructys ({FACTS}, last line). "
     f"{BEFORE_START} {UNVERIFIED}"),
]


def seed(apps, schema_editor):
    Opco = apps.get_model("training", "Opco")
    for code, name, scope_note, days, source in OPCOS:
        Opco.objects.update_or_create(code=code, defaults={
            "name": name, "scope_note": scope_note, "request_days_before": days, "request_day_count": "calendar",
            "source": source})


def unseed(apps, schema_editor):
    apps.get_model("training", "Opco").objects.filter(code__in=[o[0] for o in OPCOS]).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
