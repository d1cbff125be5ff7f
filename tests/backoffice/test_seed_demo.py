from django.core.management import call_command
from django_scopes import scopes_disabled

from backoffice.models import Dossier, DossierStatus, Entrepreneur, User, Workspace


def test_seed_demo_is_idempotent_and_covers_every_dossier_status(db):
    call_command("seed_demo")
    with scopes_disabled():
        counts = (Workspace.objects.count(), User.objects.count(), Entrepreneur.objects.count(), Dossier.objects.count())
        call_command("seed_demo")
        assert (Workspace.objects.count(), User.objects.count(), Entrepreneur.objects.count(),
                Dossier.objects.count()) == counts
        assert set(Dossier.objects.values_list("status", flat=True)) == set(DossierStatus.values)
    assert set(Workspace.objects.values_list("kind", flat=True)) == {"host", "partner", "alumni"}
    for email in ("support@mutualise.test", "gestion@cae-a.test", "gestion@cae-b.test", "contact@scop-c.test"):
        assert User.objects.get(email=email).check_password("demo")


def test_seeded_nirs_agree_with_birth_dates(db):
    """Décret 82-103 art. 4: NIR digits 2–3 are the birth year, 4–5 the birth month."""
    call_command("seed_demo")
    with scopes_disabled():
        people = list(Entrepreneur.objects.exclude(nir=""))
    assert people
    for person in people:
        assert person.nir[1:3] == f"{person.birth_date.year % 100:02d}", person
        assert person.nir[3:5] == f"{person.birth_date.month:02d}", person
