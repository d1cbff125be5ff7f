"""Seed the OPCOs a CAE meets, each value with its source. Only what is sourced is filled in;
the rest stays at "before the course starts" / unknown, and staff complete it (audited) once
checked against the OPCO's current rules. Facts file: shared/domain/training-opco.md."""

from django.db import migrations

# Data shown to staff, so in French. The rule's source is the project's facts file on OPCO
# funding (shared/domain/training-opco.md, §2 and its last line), named in words on screen.
FACTS = "fiche « Financement de la formation par les OPCO » du projet"
BEFORE_START = f"Demande à déposer avant le début de la formation ({FACTS}, §2)."
UNVERIFIED = ("Délai de demande de remboursement, plafonds horaires et subrogation non vérifiés : "
              "à compléter par l’équipe d’après les règles de l’OPCO.")

OPCOS = [
    # (code, name, who it covers, request days before start, source)
    ("constructys", "Constructys", "Entreprises du bâtiment et des travaux publics", 15,
     f"Demande au moins 15 jours calendaires avant le début ({FACTS}, §2 : « Constructys (bâtiment) "
     f"demande au moins 15 jours avant »). {UNVERIFIED}"),
    ("akto", "AKTO", "Services à forte intensité de main-d’œuvre (intérim, propreté, hôtellerie, restauration…)", 1,
     f"{BEFORE_START} {UNVERIFIED}"),
    ("opco-ep", "OPCO EP", "Entreprises de proximité (artisanat, professions libérales, services de proximité)", 1,
     f"{BEFORE_START} {UNVERIFIED}"),
    ("atlas", "Atlas", "Services financiers et conseil", 1, f"{BEFORE_START} {UNVERIFIED}"),
    ("uniformation", "Uniformation", "Économie sociale (coopératives, associations, mutuelles)", 1,
     f"{BEFORE_START} {UNVERIFIED}"),
    ("ocapiat", "Ocapiat", "Agriculture, pêche, agroalimentaire et territoires", 1, f"{BEFORE_START} {UNVERIFIED}"),
    ("fafcea", "FAFCEA", "Travailleurs non salariés du bâtiment (artisans)", 1,
     f"Les travailleurs non salariés du bâtiment relèvent du FAFCEA, non de Constructys ({FACTS}, "
     f"dernière ligne). {BEFORE_START} {UNVERIFIED}"),
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
