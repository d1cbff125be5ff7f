"""Recording billable usage. Any app calls `usage_record` when it performs a billable act."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from backoffice.models import Service, Usage, Workspace


@transaction.atomic
def usage_record(*, workspace: Workspace, service: str, kind: str, quantity: Decimal, occurred_on: datetime.date,
                 reference: str, description: str = "") -> Usage:
    """Record (or update) one billable act. Idempotent on (workspace, kind, reference): running
    the same payroll or batch twice updates the record instead of billing twice."""
    if not isinstance(quantity, Decimal):
        raise TypeError("quantity must be a Decimal")
    if service not in Service.values:
        raise ValueError(f"unknown service {service!r}")
    if not kind or not reference:
        raise ValueError("usage needs a kind and a reference")
    usage, _created = Usage.objects.update_or_create(
        workspace=workspace, kind=kind, reference=reference,
        defaults={"service": service, "quantity": quantity, "occurred_on": occurred_on, "description": description},
    )
    return usage


@transaction.atomic
def usage_record_many(*, workspace: Workspace, service: str, kind: str, occurred_on: datetime.date,
                      items: list[tuple[str, Decimal, str]], batch_size: int = 1000) -> int:
    """Record many acts of one kind at once — `items` are (reference, quantity, description) —
    with the same idempotence as `usage_record` (an upsert on the unique key), without one
    round trip per act (a federation payroll run bills 12,000 payslips)."""
    if service not in Service.values:
        raise ValueError(f"unknown service {service!r}")
    if not kind or any(not reference for reference, _q, _d in items):
        raise ValueError("usage needs a kind and a reference")
    if any(not isinstance(quantity, Decimal) for _r, quantity, _d in items):
        raise TypeError("quantity must be a Decimal")
    Usage.objects.bulk_create(
        [Usage(workspace=workspace, service=service, kind=kind, quantity=quantity, occurred_on=occurred_on,
               reference=reference, description=description) for reference, quantity, description in items],
        batch_size=batch_size, update_conflicts=True, unique_fields=["workspace", "kind", "reference"],
        update_fields=["service", "quantity", "occurred_on", "description"])
    return len(items)
