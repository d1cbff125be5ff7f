"""Private documents: never under a public URL, served through a permission check, staff-only
ones hidden from clients, stored under a name that is not the user's, every download audited."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry, Document
from backoffice.models.documents import document_path
from backoffice.services.documents import document_store_generated, document_upload
from tests.conftest import login
from tests.factories import DocumentFactory, DossierFactory

PDF = b"%PDF-1.4\n% test\n"


def pdf(name: str = "file.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def download_url(document) -> str:
    return reverse("document_download", kwargs={"workspace": document.workspace.slug, "pk": document.pk})


@pytest.fixture
def docs(world):
    """CAE A: a public upload on a dossier, a staff-only working file, a generated PDF."""
    with scopes_disabled():
        dossier = DossierFactory(workspace=world.partner_a, title="Payroll April")
        other = DossierFactory(workspace=world.partner_a, title="Training")
        return {
            "dossier": dossier, "other": other,
            "public": DocumentFactory(workspace=world.partner_a, dossier=dossier, title="Variables April"),
            "internal": DocumentFactory(workspace=world.partner_a, dossier=dossier, title="STAFF working file",
                                        internal=True),
            "generated": DocumentFactory(workspace=world.partner_a, dossier=other, title="Certificate",
                                         kind="generated"),
            "foreign": DocumentFactory(workspace=world.partner_b, title="B's file"),
        }


def listed(response) -> set[str]:
    return {d.title for d in response.context["page"].object_list}


# --- No public URL ----------------------------------------------------------------------

def test_private_files_have_no_public_url():
    """Production settings: no MEDIA_URL and a storage without base_url, so a document has no
    URL at all. (tests/settings.py sets a MEDIA_URL for the live server's empty media
    folder, hence the override to the production value.)"""
    from backoffice import settings as production

    assert production.MEDIA_URL is None
    options = production.STORAGES["default"]["OPTIONS"]
    assert "base_url" in options and options["base_url"] is None
    with override_settings(MEDIA_URL=None):
        storage = FileSystemStorage(**options)
        assert storage.base_url is None
        with pytest.raises(ValueError):
            storage.url("ws-1/anything.pdf")
        assert default_storage.base_url is None


def test_a_stored_file_is_not_reachable_by_its_path(world, docs):
    document = docs["public"]
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018 - the private storage raises: there is no URL to give out
    # The private root is not the (test-only, empty) media folder, and no route serves it.
    assert default_storage.location != str(settings.MEDIA_ROOT)
    for path in (f"/{document.file.name}", f"/media/{document.file.name}", f"/private/{document.file.name}"):
        with pytest.raises(Resolver404):
            resolve(path)
        assert login(world.users["staff"]).get(path).status_code == 404
        assert Client().get(path).status_code in (302, 404)


def test_the_stored_path_is_not_derived_from_the_users_file_name(world):
    with scope(workspace=world.partner_a):
        document = document_upload(actor=world.users["partner_a"], workspace=world.partner_a,
                                   upload=pdf("Bulletin DUPONT Jean.pdf"))
    assert re.fullmatch(rf"ws-{world.partner_a.pk}/[0-9a-f]{{32}}\.pdf", document.file.name), document.file.name
    assert "DUPONT" not in document.file.name
    assert document.original_name == "Bulletin DUPONT Jean.pdf"
    assert default_storage.exists(document.file.name)


@pytest.mark.parametrize(("name", "suffix"), [
    ("report.PDF", "pdf"), ("no-extension", "bin"), ("evil.p/../df", "bin"), ("x.thisistoolong", "bin"),
    ("accentué.pdf", "pdf"), ("weird.pdé", "bin"),
])
def test_document_path_keeps_only_a_short_plain_extension(world, name, suffix):
    path = document_path(Document(workspace=world.partner_a), name)
    assert re.fullmatch(rf"ws-{world.partner_a.pk}/[0-9a-f]{{32}}\.{suffix}", path), path


def test_the_download_is_an_attachment_under_the_original_name(world, docs):
    response = login(world.users["partner_a"]).get(download_url(docs["public"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "attestation.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


# --- Internal documents -----------------------------------------------------------------

def test_internal_documents_are_hidden_from_clients(world, docs):
    client = login(world.users["partner_a"])
    assert listed(client.get(reverse("documents", args=["cae-a"]))) == {"Variables April", "Certificate"}
    detail = client.get(reverse("dossier_detail", args=["cae-a", docs["dossier"].pk])).content.decode()
    assert "Variables April" in detail and "STAFF working file" not in detail
    assert client.get(download_url(docs["internal"])).status_code == 404
    home = client.get(reverse("workspace_home", args=["cae-a"])).content.decode()
    assert "STAFF working file" not in home


def test_staff_see_and_download_internal_documents(world, docs):
    client = login(world.users["staff"])
    assert "STAFF working file" in listed(client.get(reverse("documents", args=["cae-a"])))
    assert client.get(download_url(docs["internal"])).status_code == 200


def test_only_staff_can_mark_an_upload_staff_only(world):
    login(world.users["partner_a"]).post(reverse("document_upload", args=["cae-a"]),
                                         {"file": pdf("client.pdf"), "internal": "on"})
    login(world.users["staff"]).post(reverse("document_upload", args=["cae-a"]),
                                     {"file": pdf("staff.pdf"), "internal": "on"})
    with scopes_disabled():
        flags = dict(Document.objects.values_list("original_name", "internal"))
    assert flags == {"client.pdf": False, "staff.pdf": True}


# --- Listing and filters ----------------------------------------------------------------

def test_documents_filter_by_dossier_and_kind(world, docs):
    client = login(world.users["staff"])
    page = reverse("documents", args=["cae-a"])
    assert listed(client.get(page, {"dossier": docs["dossier"].pk})) == {"Variables April", "STAFF working file"}
    assert listed(client.get(page, {"kind": "generated"})) == {"Certificate"}
    assert listed(client.get(page, {"kind": "upload", "dossier": docs["other"].pk})) == set()


def test_documents_filter_cannot_name_a_foreign_dossier(world, docs):
    with scopes_disabled():
        foreign = DossierFactory(workspace=world.partner_b)
    response = login(world.users["partner_a"]).get(reverse("documents", args=["cae-a"]), {"dossier": foreign.pk})
    assert response.status_code == 200
    assert "B's file" not in response.content.decode()
    assert listed(response) == {"Variables April", "Certificate"}  # the bad value is ignored, not used


def test_document_list_queries_do_not_grow_with_the_rows(world, django_assert_max_num_queries):
    with scopes_disabled():
        dossier = DossierFactory(workspace=world.partner_a)
        for _ in range(30):
            DocumentFactory(workspace=world.partner_a, dossier=dossier)
    client = login(world.users["staff"])
    client.get(reverse("documents", args=["cae-a"]))
    with django_assert_max_num_queries(15):
        client.get(reverse("documents", args=["cae-a"]))


# --- Uploads ----------------------------------------------------------------------------

def test_an_upload_whose_content_does_not_match_its_type_is_refused(world):
    response = login(world.users["partner_a"]).post(
        reverse("document_upload", args=["cae-a"]), {"file": pdf("fake.pdf", b"MZ\x90\x00 not a pdf")}, follow=True)
    assert response.status_code == 200
    with scopes_disabled():
        assert not Document.objects.exists()
    assert "fake.pdf" in response.content.decode()


def test_a_document_cannot_be_attached_to_another_workspaces_dossier(world):
    with scopes_disabled():
        foreign = DossierFactory(workspace=world.partner_b)
    with scope(workspace=world.partner_a), pytest.raises(ValueError):
        document_upload(actor=world.users["staff"], workspace=world.partner_a, upload=pdf(), dossier=foreign)
    with scope(workspace=world.partner_a), pytest.raises(ValueError):
        document_store_generated(workspace=world.partner_a, filename="x.pdf", content=PDF,
                                 content_type="application/pdf", title="x", dossier=foreign)


# --- Download audit ---------------------------------------------------------------------

def test_each_download_is_audited(world, docs):
    client = login(world.users["partner_a"])
    client.get(download_url(docs["public"]))
    client.get(download_url(docs["public"]))
    client.get(download_url(docs["internal"]))  # refused: not audited as a download
    with scopes_disabled():
        entries = list(AuditEntry.objects.filter(action="document.download"))
    assert len(entries) == 2
    assert {(e.actor, e.workspace, e.object_id) for e in entries} == {
        (world.users["partner_a"], world.partner_a, str(docs["public"].pk))}


def test_private_storage_never_builds_a_url(world):
    """Even where MEDIA_URL is set (the live server needs one in tests), a stored document has
    no URL: the storage refuses, so only the permission-checked view can serve it."""
    from django.core.files.storage import default_storage

    from backoffice.storage import PrivateStorage

    assert isinstance(default_storage, PrivateStorage)
    with pytest.raises(NotImplementedError):
        default_storage.url("ws-1/anything.pdf")
