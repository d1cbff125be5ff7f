"""Request deadlines of FAFCEA and Atlas from their own published pages.

- FAFCEA (fafcea.com, « Ma demande en pratique »): « Mon dossier complet parvient au FAFCEA en
  un seul envoi, 3 mois maximum avant et jusqu’au jour de début de ma formation. Au-delà, le
  FAFCEA ne pourrait pas prendre en compte ma demande ; C’est la date de réception de mon dossier
  par le FAFCEA qui est prise en compte ». The last day the file may reach FAFCEA is the first day
  of the course: 0 calendar days before the start (the seeded 1 was a placeholder).
- Atlas (opco-atlas.fr, « Critères de financement », branche Bureaux d’études, critères 2024):
  « Les dossiers doivent être déposés avant le début de la formation. » No number of days is
  given: the value stays 1 (the day before, the project's reading of "before the start"); only
  the source now names Atlas's page instead of the project's facts file.

Claim deadlines stay unknown for both. A row staff already changed (value or source) is left
alone."""

from django.db import migrations

SEEDED_DAYS = 1
# The seeded source of both rows (0002_seed_opcos), to recognise a row nobody edited.
_FACTS = "fiche « Financement de la formation par les OPCO » du projet"
_BEFORE_START = f"Demande à déposer avant le début de la formation ({_FACTS}, §2)."
_UNVERIFIED = ("Délai de demande de remboursement, plafonds horaires et subrogation non vérifiés : "
               "à compléter par l’équipe d’après les règles de l’OPCO.")
SEEDED_ATLAS_SOURCE = f"{_BEFORE_START} {_UNVERIFIED}"
SEEDED_FAFCEA_SOURCE = (f"Les travailleurs non salariés du bâtiment relèvent du FAFCEA, non de Constructys ({_FACTS}, "
                        f"dernière ligne). {_BEFORE_START} {_UNVERIFIED}")

FAFCEA_URL = "https://www.fafcea.com/je-m-informe/le-fafcea/edito-du-president-du-fafcea.html?id=17"
FAFCEA_DAYS = 0
FAFCEA_SOURCE = (
    "Dossier complet à faire parvenir au FAFCEA au plus tard le jour du début de la formation, "
    "la date de réception faisant foi (FAFCEA, page « Ma demande en pratique », " + FAFCEA_URL + " : "
    "« Mon dossier complet parvient au FAFCEA en un seul envoi, 3 mois maximum avant et jusqu’au jour "
    "de début de ma formation. Au-delà, le FAFCEA ne pourrait pas prendre en compte ma demande » ; "
    "« C’est la date de réception de mon dossier par le FAFCEA qui est prise en compte »). Page non datée : "
    "à revérifier. Les travailleurs non salariés du bâtiment relèvent du FAFCEA, non de Constructys "
    f"({_FACTS}, dernière ligne). {_UNVERIFIED}"
)

ATLAS_URL = "https://www.opco-atlas.fr/criteres-financement.html?branche=214"
ATLAS_SOURCE = (
    "Demande à déposer avant le début de la formation (Atlas, page « Critères de financement », branche "
    "Bureaux d’études, critères 2024, " + ATLAS_URL + " : « Les dossiers doivent être déposés avant le début "
    "de la formation. »). La page ne fixe pas de nombre de jours : la veille du début est la lecture retenue, "
    f"non vérifiée pour les autres branches d’Atlas. {_UNVERIFIED}"
)


def forward(apps, schema_editor):
    Opco = apps.get_model("training", "Opco")
    Opco.objects.filter(code="fafcea", request_days_before=SEEDED_DAYS, source=SEEDED_FAFCEA_SOURCE).update(
        request_days_before=FAFCEA_DAYS, request_day_count="calendar", source=FAFCEA_SOURCE)
    Opco.objects.filter(code="atlas", request_days_before=SEEDED_DAYS, source=SEEDED_ATLAS_SOURCE).update(
        request_day_count="calendar", source=ATLAS_SOURCE)


def backward(apps, schema_editor):
    Opco = apps.get_model("training", "Opco")
    Opco.objects.filter(code="fafcea", request_days_before=FAFCEA_DAYS, source=FAFCEA_SOURCE).update(
        request_days_before=SEEDED_DAYS, source=SEEDED_FAFCEA_SOURCE)
    Opco.objects.filter(code="atlas", source=ATLAS_SOURCE).update(source=SEEDED_ATLAS_SOURCE)


class Migration(migrations.Migration):
    dependencies = [("training", "0005_akto_request_deadline")]
    operations = [migrations.RunPython(forward, backward)]
