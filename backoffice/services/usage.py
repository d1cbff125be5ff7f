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
