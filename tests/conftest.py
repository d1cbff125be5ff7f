"""Personas and worlds shared by the whole suite.

Personas: host staff (administrator, TOTP-verified), a manager of partner CAE A, a manager
of partner CAE B, a user of alumni company C (spun off from A), and an anonymous visitor.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory

REQUIRE_SERVICES = os.environ.get("MUTUALISE_REQUIRE_SERVICES") == "1"


def require_or_skip(available: bool, what: str) -> None:
    """Skip a test whose server is missing, unless CI demands every service (then fail)."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (MUTUALISE_REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


@dataclass
class World:
    host: object
    partner_a: object
    partner_b: object
    alumni_c: object
    users: dict = field(default_factory=dict)


@pytest.fixture
def world(db) -> World:
    with scopes_disabled():
        host = WorkspaceFactory(slug="mutualise", kind="host", name="Coopérative Mutualise")
        partner_a = WorkspaceFactory(slug="cae-a", name="CAE A")
        partner_b = WorkspaceFactory(slug="cae-b", name="CAE B")
        alumni_c = WorkspaceFactory(slug="scop-c", kind="alumni", name="SCOP C", origin=partner_a)
        users = {
            "staff": MembershipFactory(workspace=host, role="host_admin",
                                       user=UserFactory(email="staff@example.test")).user,
            "partner_a": MembershipFactory(workspace=partner_a, role="manager",
                                           user=UserFactory(email="a@example.test")).user,
            "partner_b": MembershipFactory(workspace=partner_b, role="manager",
                                           user=UserFactory(email="b@example.test")).user,
            "alumni": MembershipFactory(workspace=alumni_c, role="manager",
                                        user=UserFactory(email="c@example.test")).user,
        }
    return World(host, partner_a, partner_b, alumni_c, users)


def login(user, *, verified: bool = True) -> Client:
    """A test client logged in as `user`; host staff also pass the TOTP check if `verified`."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if verified:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def clients(world) -> dict[str, Client]:
    out = {name: login(user) for name, user in world.users.items()}
    out["anonymous"] = Client()
    return out


@pytest.fixture(autouse=True)
def _forget_uncommitted_files():
    """A test's transaction never commits (no on_commit): the files it wrote stay "pending" in
    backoffice.storage; forget them so a later transactional test does not delete them."""
    from backoffice import storage

    storage._local.pending = []
    yield
    storage._local.pending = []


@pytest.fixture
def issued_invoices_cleanup(transactional_db):
    """For a transactional test that issues invoices: afterwards, remove them before the
    database is flushed. On SQLite the flush DELETEs rows and the immutability triggers
    (invoicing/migrations/0002) refuse it, so they are dropped for the clean-up and put back;
    PostgreSQL's flush TRUNCATEs, which the row triggers do not see."""
    yield
    from django.apps import apps
    from django.db import connection, transaction

    if connection.vendor != "sqlite":
        return
    from importlib import import_module

    triggers = import_module("invoicing.migrations.0002_sqlite_immutability")
    with connection.schema_editor() as editor:
        triggers.drop(None, editor)
    try:
        # Every invoicing table at once, in one transaction: SQLite checks the foreign keys at
        # commit (Django declares them DEFERRABLE INITIALLY DEFERRED).
        with transaction.atomic(), connection.cursor() as cursor:
            for model in apps.get_app_config("invoicing").get_models():
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
    finally:
        with connection.schema_editor() as editor:
            triggers.create(None, editor)
