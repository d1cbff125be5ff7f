"""List pages keep a constant number of queries whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.training.factories import FundingRequestFactory, SessionFactory


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add(world, n):
    with scopes_disabled():
        for _ in range(n):
            session = SessionFactory(workspaces=[world.partner_a, world.partner_b])
            FundingRequestFactory(workspace=world.partner_a, session=session)


@pytest.mark.parametrize(("persona", "name", "args"), [
    ("partner_a", "training_home", ["cae-a"]),
    ("partner_a", "training_requests", ["cae-a"]),
    ("staff", "staff:training:home", []),
    ("staff", "staff:training:sessions", []),
])
def test_lists_keep_a_constant_query_count(world, clients, persona, name, args):
    url = reverse(name, args=args)
    _add(world, 2)
    small = _queries(clients[persona], url)
    _add(world, 6)
    assert _queries(clients[persona], url) == small
