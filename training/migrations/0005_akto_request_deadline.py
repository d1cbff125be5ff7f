"""AKTO's request deadline, sourced: the file is lodged 30 calendar days before the training
starts (AKTO, « Process de dépôt de contrat en alternance / dossier formation »,
https://www.akto.fr/financer-une-formation/process-de-depot-de-contrat-en-alternance-dossier-formation,
plan de développement des compétences: « Vous devez déposer le dossier auprès d’AKTO 30 jours
calendaires avant le démarrage de l’action de formation »). A value staff already changed is
left alone."""

from django.db import migrations

SEEDED_DAYS = 1
AKTO_DAYS = 30
AKTO_SOURCE = (
    "Dossier à déposer 30 jours calendaires avant le démarrage de l’action de formation (AKTO, page "
    "« Process de dépôt de contrat en alternance / dossier formation », plan de développement des "
    "compétences, akto.fr). Délai de demande de remboursement, plafonds horaires et subrogation non "
    "vérifiés : à compléter par l’équipe d’après les règles de l’OPCO."
)


def forward(apps, schema_editor):
    Opco = apps.get_model("training", "Opco")
    Opco.objects.filter(code="akto", request_days_before=SEEDED_DAYS).update(
        request_days_before=AKTO_DAYS, request_day_count="calendar", source=AKTO_SOURCE)


def backward(apps, schema_editor):
    pass  # the seeded value was a placeholder; nothing to restore


class Migration(migrations.Migration):
    dependencies = [("training", "0004_gatherings")]
    operations = [migrations.RunPython(forward, backward)]
