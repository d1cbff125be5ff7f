"""The network directory's boundaries: only published fields of opted-in profiles of joined
workspaces cross workspaces; a workspace that has not joined sees nothing and is not listed;
withdrawing removes at once; contact requests reach the person without exposing their address."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from alumni.models import ContactRequest, DirectoryMembership, DirectoryProfile
from alumni.models.directory import PUBLISHED_FIELDS
from alumni.selectors.directory import directory_figures
from backoffice.models import Entrepreneur
from tests.conftest import login
from tests.factories import EntrepreneurFactory, make_nir


def profile(workspace, **fields):
    defaults = {"display_name": f"Profil {workspace.slug}", "trade": "Menuiserie", "skills": "agencement, escaliers",
                "area": "Rhône", "certifications": "RGE", "contact_email": f"secret@{workspace.slug}.test"}
    defaults.update(fields)
    with scopes_disabled():
        return DirectoryProfile.objects.create(workspace=workspace, **defaults)


def join(*workspaces):
    with scopes_disabled():
        for ws in workspaces:
            DirectoryMembership.objects.get_or_create(workspace=ws)


def search(user, slug, **params):
    return login(user).get(reverse("alumni_directory", args=[slug]), params or {"q": ""} | {"trade": "Menuiserie"})


def test_members_of_joined_workspaces_find_published_profiles_only(world):
    join(world.partner_a, world.alumni_c)
    with scopes_disabled():
        person = EntrepreneurFactory(workspace=world.partner_a, nir=make_nir(7), first_name="Léa", last_name="Bois")
    profile(world.partner_a, entrepreneur=person, display_name="Léa Bois")
    profile(world.alumni_c, display_name="SCOP C", trade="Menuiserie", description="Charpente et ossature bois")
    profile(world.partner_b, display_name="Caché B")                                  # B has not joined
    profile(world.partner_a, display_name="Brouillon", published=False)
    response = search(world.users["alumni"], "scop-c", trade="menuiserie")
    results = response.context["results"]
    assert sorted(r["display_name"] for r in results) == ["Léa Bois", "SCOP C"]
    assert all(set(r) == set(PUBLISHED_FIELDS) for r in results)                     # published fields only
    html = response.content.decode()
    for secret in ("secret@cae-a.test", person.nir, "Caché B", "Brouillon"):
        assert secret not in html


def test_a_workspace_that_has_not_joined_sees_nothing(world):
    join(world.partner_a)
    profile(world.partner_a)
    response = search(world.users["partner_b"], "cae-b", trade="Menuiserie")
    assert response.status_code == 200 and response.context.get("results") is None
    assert "Profil cae-a" not in response.content.decode()
    contact = login(world.users["partner_b"]).get(reverse("alumni_contact", args=["cae-b", 1]))
    assert contact.status_code == 404


def test_withdrawing_removes_at_once(world):
    join(world.partner_a, world.alumni_c)
    p = profile(world.partner_a)
    assert search(world.users["alumni"], "scop-c", trade="Menuiserie").context["results"]
    login(world.users["partner_a"]).post(reverse("alumni_directory_membership", args=["cae-a"]), {"join": "0"})
    assert search(world.users["alumni"], "scop-c", trade="Menuiserie").context["results"] == []
    assert login(world.users["alumni"]).post(reverse("alumni_contact", args=["scop-c", p.pk]),
                                             {"message": "Bonjour"}).status_code == 404
    join(world.partner_a)
    login(world.users["partner_a"]).post(reverse("alumni_profile_withdraw", args=["cae-a", p.pk]))
    with scopes_disabled():
        assert not DirectoryProfile.objects.filter(pk=p.pk).exists()


def test_contact_request_is_mailed_without_exposing_the_address(world, django_capture_on_commit_callbacks):
    join(world.partner_a, world.alumni_c)
    p = profile(world.partner_a)
    client = login(world.users["alumni"])
    page = client.get(reverse("alumni_contact", args=["scop-c", p.pk])).content.decode()
    assert "secret@cae-a.test" not in page
    empty = client.post(reverse("alumni_contact", args=["scop-c", p.pk]), {"message": "  "})
    assert empty.status_code == 200 and empty.context["form"].errors
    with scopes_disabled():
        assert not ContactRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("alumni_contact", args=["scop-c", p.pk]), {"message": "Un chantier à Lyon ?"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["secret@cae-a.test"] and message.reply_to == ["c@example.test"]
    assert "Un chantier à Lyon ?" in message.body
    figures = {f["workspace"].slug: f for f in directory_figures()}
    assert (figures["scop-c"]["sent"], figures["cae-a"]["received"]) == (1, 1)


def test_profile_of_an_entrepreneur_is_set_by_their_manager(world):
    join(world.partner_a)
    with scopes_disabled():
        person = EntrepreneurFactory(workspace=world.partner_a)
    response = login(world.users["partner_a"]).post(reverse("alumni_profile_new", args=["cae-a"]), {
        "entrepreneur": person.pk, "display_name": "Léa Bois", "trade": "Électricité", "contact_preference": "email",
        "contact_email": "lea@example.test", "published": "on"})
    assert response.status_code == 302
    with scope(workspace=world.partner_a):
        assert DirectoryProfile.objects.get().entrepreneur == Entrepreneur.objects.get(pk=person.pk)


def test_free_text_search_uses_french_stemming_on_postgresql(world, settings):
    """PostgreSQL: full-text search with the French configuration ("charpentes" finds
    "Charpente"); SQLite: every word must appear (icontains fallback)."""
    join(world.partner_a, world.alumni_c)
    profile(world.partner_a, display_name="Atelier Dupont", trade="Bois", description="Charpente et ossature bois")
    profile(world.alumni_c, display_name="Électricité Martin", trade="Électricité", description="Tableaux")
    is_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    word = "charpentes" if is_pg else "charpente"
    results = search(world.users["alumni"], "scop-c", q=word).context["results"]
    assert [r["display_name"] for r in results] == ["Atelier Dupont"]


def test_stored_search_vector_follows_every_change(world):
    """PostgreSQL keeps the French vector in a column (trigger, GIN index): a profile's new
    words are found and its old ones no longer are, whether saved through the service or by a
    bulk update that bypasses it."""
    from django.db import connection
    from django.db.models import F

    from alumni.services.directory import directory_profile_save
    from tests.conftest import require_or_skip

    require_or_skip(connection.vendor == "postgresql", "PostgreSQL")
    join(world.partner_a, world.alumni_c)
    p = profile(world.partner_a, display_name="Atelier Dupont", trade="Bois", description="Charpente")
    user = world.users["alumni"]
    assert [r["display_name"] for r in search(user, "scop-c", q="charpentes").context["results"]] == ["Atelier Dupont"]
    with scope(workspace=world.partner_a):
        directory_profile_save(actor=world.users["partner_a"], workspace=world.partner_a, profile=p,
                               description="Escaliers sur mesure")
    assert search(user, "scop-c", q="charpente").context["results"] == []
    assert [r["display_name"] for r in search(user, "scop-c", q="escalier").context["results"]] == ["Atelier Dupont"]
    with scopes_disabled():
        DirectoryProfile.objects.filter(pk=p.pk).update(skills="Toitures", display_name=F("display_name"))
    assert [r["display_name"] for r in search(user, "scop-c", q="toiture").context["results"]] == ["Atelier Dupont"]


def test_a_large_cae_sees_its_own_profiles_fifty_at_a_time(world, django_assert_max_num_queries):
    """A CAE of 400 entrepreneurs may list 400 profiles: the page shows them 50 at a time, by name,
    with a constant number of queries."""
    join(world.partner_a)
    with scopes_disabled():
        people = [EntrepreneurFactory(workspace=world.partner_a, nir=make_nir(500 + n)) for n in range(120)]
        DirectoryProfile.objects.bulk_create(
            DirectoryProfile(workspace=world.partner_a, entrepreneur=person, display_name=f"Profil {n:03d}",
                             trade="Menuiserie", contact_email=f"p{n}@cae-a.test") for n, person in enumerate(people))
    client = login(world.users["partner_a"])
    url = reverse("alumni_directory", args=["cae-a"])
    client.get(url)  # warm the session and the menus
    with django_assert_max_num_queries(20):
        first = client.get(url)
    page = first.context["profiles"]
    assert [p.display_name for p in page][:2] == ["Profil 000", "Profil 001"] and len(page) == 50
    assert page.paginator.num_pages == 3 and 'rel="next"' in first.content.decode()
    last = client.get(url, {"page": 3, "trade": "Menuiserie"})
    assert [p.display_name for p in last.context["profiles"]][-1] == "Profil 119"
    assert "trade=Menuiserie&amp;page=2" in last.content.decode()  # the search survives paging
