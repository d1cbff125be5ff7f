"""Isolation registry of the share-register URLs (alumni/urls_shares.py, alumni/urls_staff_shares.py).

Each workspace gets its own register (issuer), an associate holding shares and a movement, so
that a foreign holder's certificate or a foreign movement's cancellation answers 404."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django_scopes import scope


def _issuer(ws):
    from alumni.models import ShareIssuer
    from alumni.services.shares import issuer_save

    existing = ShareIssuer.objects.filter(workspace=ws).first()
    if existing is not None:
        return existing
    with scope(workspace=ws):
        return issuer_save(actor=None, workspace=ws, legal_form="scop_sarl", created_on=datetime.date(2020, 1, 1),
                           initial_nominal=Decimal("100"))


def _holder_with_shares(ws):
    from alumni.models import ShareHolder
    from alumni.services.shares import holder_create, movement_record

    issuer = _issuer(ws)
    holder = ShareHolder.objects.filter(issuer=issuer).first()
    if holder is None:
        with scope(workspace=ws):
            holder = holder_create(actor=None, issuer=issuer, category="employee", name=f"Associé {ws.slug}")
            movement_record(actor=None, issuer=issuer, kind="subscription", effective_date=datetime.date(2024, 1, 1),
                            holder=holder, shares=5, amount=Decimal("500"), paid=Decimal("500"))
    return holder


def _movement(ws):
    from alumni.models import ShareMovement

    holder = _holder_with_shares(ws)
    return ShareMovement.objects.filter(holder=holder).first().pk


PUBLIC: set[str] = set()

OBJECT_BUILDERS: dict[str, Callable] = {
    "share_holder": lambda ws: _holder_with_shares(ws).pk,
    "share_movement": _movement,
}

OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "shares_certificate": {"pk": "share_holder"},
    "shares_movement_cancel": {"pk": "share_movement"},
}
