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
