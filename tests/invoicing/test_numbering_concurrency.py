"""Gapless numbering under concurrency (CGI annex II art. 242 nonies A: a continuous
sequence): 20 drafts issued by 20 threads at once on PostgreSQL get 20 consecutive numbers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django_scopes import scopes_disabled

from invoicing.models import Invoice
from invoicing.services.invoices import invoice_issue
from tests.conftest import require_or_skip
from tests.invoicing.conftest import make_draft

N = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_issues_have_no_gap_and_no_duplicate(world):
    require_or_skip(connection.vendor == "postgresql", "PostgreSQL (row locks)")
    drafts = [make_draft(world.partner_a if i % 2 else world.partner_b) for i in range(N)]
    barrier = threading.Barrier(N)
    errors: list[BaseException] = []

    def issue(pk: int) -> None:
        try:
            with scopes_disabled():
                draft = Invoice.objects.get(pk=pk)
                barrier.wait()
                invoice_issue(actor=None, invoice=draft)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d.pk,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with scopes_disabled():
        sequences = sorted(Invoice.objects.values_list("sequence", flat=True))
        numbers = set(Invoice.objects.values_list("number", flat=True))
    assert sequences == list(range(1, N + 1))
    assert len(numbers) == N
