"""Gapless register numbering under concurrent writes (PostgreSQL: row lock on the issuer's counter).

On SQLite the database serialises writers by itself, so the test only means something on
PostgreSQL: it is skipped elsewhere unless MUTUALISE_REQUIRE_SERVICES=1 (then it fails)."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django_scopes import scope, scopes_disabled

from alumni.models import ShareMovement
from alumni.services.shares import holder_create, issuer_save, movement_record
from tests.conftest import require_or_skip
from tests.factories import WorkspaceFactory

WRITERS = 24


@pytest.mark.django_db(transaction=True)
def test_parallel_movements_are_numbered_without_gap():
    require_or_skip(connection.vendor == "postgresql", "PostgreSQL")
    with scopes_disabled():
        ws = WorkspaceFactory(slug="scop-concurrent", kind="host", name="SCOP concurrente")
    with scope(workspace=ws):
        issuer = issuer_save(actor=None, workspace=ws, legal_form="scop_sas", created_on=datetime.date(2020, 1, 1),
                             initial_nominal=Decimal("10"))
        holders = [holder_create(actor=None, issuer=issuer, category="employee", name=f"H{i}") for i in range(WRITERS)]
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(holder):
        try:
            barrier.wait(timeout=30)
            with scope(workspace=ws):
                movement_record(actor=None, issuer=issuer, kind="subscription",
                                effective_date=datetime.date(2024, 1, 1), holder=holder, shares=3,
                                amount=Decimal("30"), paid=Decimal("30"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(h,)) for h in holders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    with scopes_disabled():
        numbers = sorted(ShareMovement.objects.filter(issuer=issuer).values_list("number", flat=True))
        issuer.refresh_from_db()
    assert numbers == list(range(1, WRITERS + 1))
    assert issuer.last_number == WRITERS
    assert issuer.highest_capital == Decimal("30") * WRITERS
