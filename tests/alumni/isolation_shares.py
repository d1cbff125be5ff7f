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


def _meeting(ws):
    from alumni.models import GeneralMeeting
    from alumni.services.meetings import meeting_convene

    issuer = _issuer(ws)
    _holder_with_shares(ws)
    meeting = GeneralMeeting.objects.filter(issuer=issuer).first()
    if meeting is None:
        with scope(workspace=ws):
            meeting = meeting_convene(
                actor=None, issuer=issuer, kind="ordinary", held_at=datetime.datetime(2025, 6, 1, 18, 0,
                                                                                      tzinfo=datetime.UTC),
                record_date=datetime.date(2025, 5, 1), agenda="Comptes", resolutions=["Approbation des comptes"],
                place="Siège")
    return meeting.pk


def _convocation(ws):
    """`ws` convened, as an associate, to a meeting of another workspace's register."""
    from alumni.models import ConvenedAssociate, ShareHolder
    from alumni.services.meetings import meeting_convene
    from alumni.services.shares import holder_create, movement_record
    from backoffice.models import Workspace

    line = ConvenedAssociate.objects.filter(holder__holder_workspace=ws).first()
    if line is not None:
        return line.pk
    other = Workspace.objects.exclude(pk=ws.pk).exclude(kind="alumni").order_by("pk").first()
    issuer = _issuer(other)
    with scope(workspace=other):
        holder = ShareHolder.objects.filter(issuer=issuer, holder_workspace=ws).first() or holder_create(
            actor=None, issuer=issuer, category="coop_outside", holder_workspace=ws)
        movement_record(actor=None, issuer=issuer, kind="subscription", effective_date=datetime.date(2024, 2, 1),
                        holder=holder, shares=1, amount=Decimal("100"), paid=Decimal("100"))
        meeting = meeting_convene(actor=None, issuer=issuer, kind="ordinary",
                                  held_at=datetime.datetime(2025, 6, 2, 18, 0, tzinfo=datetime.UTC),
                                  record_date=datetime.date(2025, 5, 2), agenda="Comptes",
                                  resolutions=["Approbation"], video_url="https://visio.example.test/ag")
        return ConvenedAssociate.objects.get(meeting=meeting, holder=holder).pk


PUBLIC: set[str] = set()

OBJECT_BUILDERS: dict[str, Callable] = {
    "share_holder": lambda ws: _holder_with_shares(ws).pk,
    "share_movement": _movement,
    "share_meeting": _meeting,
    "share_convocation": _convocation,
}

OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "shares_certificate": {"pk": "share_holder"},
    "shares_movement_cancel": {"pk": "share_movement"},
    "shares_meeting": {"pk": "share_meeting"},
    "shares_meeting_attendance": {"pk": "share_meeting"},
    "shares_meeting_tally": {"pk": "share_meeting"},
    "shares_meeting_convocations": {"pk": "share_meeting"},
    "shares_meeting_send": {"pk": "share_meeting"},
    "shares_meeting_minutes": {"pk": "share_meeting"},
    "shares_convocation": {"pk": "share_convocation"},
}
