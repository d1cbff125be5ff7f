"""Reads of the shareholding registers.

- `get_issuer` / `get_share_holder` / `get_share_movement`: lookups in the style of
  backoffice/selectors/lookups.py (404 for "missing" and "not yours" alike).
- `register_page`: an issuer's register at a date (movements, positions, capital, warnings).
- `holdings_of_workspace`: the one read that crosses workspaces outside the staff area, and why.
- `issuers_for_staff`: every issuer with its capital (staff area).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from alumni.models import College, MovementKind, ShareHolder, ShareIssuer, ShareMovement
from alumni.services.shares import (
    FOLD_FIELDS,
    Position,
    RegisterState,
    Warning,
    _apply,
    college_weights,
    issuer_movements,
    register_fold,
    register_warnings,
)
from backoffice.roles import Perm
from backoffice.selectors.lookups import in_actor_workspace
from backoffice.tenancy import Actor, staff_wide


def require_shares(actor: Actor, perm: Perm = Perm.SHARES_VIEW) -> Actor:
    """The first line of every workspace shares view: a workspace (not the staff area), then `perm`."""
    if actor.workspace is None:
        raise Http404("No workspace")
    actor.require(perm)
    return actor


def find_issuer(actor: Actor) -> ShareIssuer | None:
    """The actor's workspace as an issuer, or None when it has no register yet."""
    return ShareIssuer.objects.filter(workspace=actor.workspace).select_related("workspace").first()


def get_issuer(actor: Actor) -> ShareIssuer:
    issuer = find_issuer(actor)
    if issuer is None:
        raise Http404("This workspace keeps no share register")
    return in_actor_workspace(actor, issuer)


def get_share_holder(actor: Actor, pk: int) -> ShareHolder:
    actor.require(Perm.SHARES_VIEW)
    holder = get_object_or_404(ShareHolder.objects.select_related("issuer", "issuer__workspace", "college"), pk=pk)
    return in_actor_workspace(actor, holder)


def get_share_movement(actor: Actor, pk: int) -> ShareMovement:
    actor.require(Perm.SHARES_VIEW)
    movement = get_object_or_404(ShareMovement.objects.select_related("issuer", "holder", "counterparty"), pk=pk)
    return in_actor_workspace(actor, movement)


@dataclass
class RegisterPage:
    issuer: ShareIssuer
    day: datetime.date
    state: RegisterState
    movements: list[ShareMovement]
    holders: dict[int, ShareHolder]
    colleges: list[College]
    warnings: list[Warning]
    weights: dict[int, object]

    @property
    def lines(self) -> list[tuple[ShareHolder, Position]]:
        """Holders with shares (or unpaid capital) at the date, by name."""
        rows = [(self.holders[hid], p) for hid, p in self.state.positions.items()
                if hid in self.holders and (p.shares or p.unpaid)]
        return sorted(rows, key=lambda r: r[0].name.lower())

    @property
    def floor(self):
        from alumni.services.shares import FLOOR_FRACTION, legal_minimum_capital
        return max(self.state.highest_capital * FLOOR_FRACTION, legal_minimum_capital(self.issuer.legal_form))


def register_page(issuer: ShareIssuer, day: datetime.date) -> RegisterPage:
    """Everything an issuer's register page shows at `day`, in a constant number of queries
    (movements with their holders, holders, colleges): four whatever the register's size."""
    movements = list(ShareMovement.objects.filter(workspace_id=issuer.workspace_id, issuer=issuer,
                                                  effective_date__lte=day)
                     .select_related("holder", "counterparty", "document", "cancels").order_by("number"))
    state = register_fold(issuer, movements, until=day)
    holders = {h.pk: h for h in ShareHolder.objects.filter(workspace_id=issuer.workspace_id, issuer=issuer)
               .select_related("college", "holder_workspace")}
    colleges = list(College.objects.filter(workspace_id=issuer.workspace_id, issuer=issuer))
    return RegisterPage(issuer=issuer, day=day, state=state, movements=movements, holders=holders,
                        colleges=colleges, warnings=register_warnings(issuer, state, holders, colleges),
                        weights=college_weights(issuer, colleges, state, holders) if issuer.is_scic else {})


def capital_history(issuer: ShareIssuer, until: datetime.date) -> list[tuple[datetime.date, object]]:
    """(date, capital after that day's movements) for every day with a movement, up to `until`."""
    state = RegisterState(nominal=issuer.initial_nominal)
    points: dict[datetime.date, object] = {}
    for m in issuer_movements(issuer, until=until):
        _apply(state, m)
        points[m.effective_date] = state.capital
    return sorted(points.items())


def holder_position(holder: ShareHolder, day: datetime.date) -> Position:
    state = register_fold(holder.issuer, issuer_movements(holder.issuer, until=day), until=day)
    return state.positions.get(holder.pk, Position(holder.pk, nominal=state.nominal))


@dataclass
class Holding:
    holder: ShareHolder
    position: Position


def holdings_of_workspace(workspace, day: datetime.date) -> list[Holding]:
    """The workspace's positions as a holder in every issuer's register at `day`.

    Crosses workspaces on purpose: a holder's shares are written in the registers of the
    companies it holds shares in (their workspaces). Only the rows naming this workspace as
    the holder, and the movements that touch them, are read; nothing of other holders is
    returned. Three queries whatever the number of issuers."""
    with staff_wide("a holder reads its own lines in other issuers' registers"):
        holders = list(ShareHolder.objects.filter(holder_workspace=workspace)
                       .select_related("issuer", "issuer__workspace", "college"))
        if not holders:
            return []
        ids = [h.pk for h in holders]
        issuer_ids = {h.issuer_id for h in holders}
        movements = list(ShareMovement.objects.filter(issuer_id__in=issuer_ids, effective_date__lte=day)
                         .filter(Q(holder_id__in=ids) | Q(counterparty_id__in=ids)
                                 | Q(kind=MovementKind.NOMINAL_CHANGE)
                                 | Q(kind=MovementKind.CANCELLATION, reverses=MovementKind.NOMINAL_CHANGE))
                         .order_by("issuer_id", "number").values_list(*FOLD_FIELDS, "issuer_id", named=True))
    states = {h.issuer_id: RegisterState(nominal=h.issuer.initial_nominal) for h in holders}
    for m in movements:
        _apply(states[m.issuer_id], m)
    out = []
    for h in holders:
        state = states[h.issuer_id]
        out.append(Holding(h, state.positions.get(h.pk, Position(h.pk, nominal=state.nominal))))
    return sorted(out, key=lambda x: x.holder.issuer.workspace.name.lower())


def issuers_for_staff(day: datetime.date) -> list[tuple[ShareIssuer, object]]:
    """Every issuer with its capital at `day` (staff area), in two queries whatever the number
    of movements: the shares outstanding summed in SQL with the same signs as the register fold
    (alumni.services.shares._effects), times the nominal value in force at `day` (the last
    change of nominal, or its cancellation, up to that day)."""
    kind, reverses = "movements__kind", "movements__reverses"
    signed = Case(
        When(**{kind: MovementKind.SUBSCRIPTION}, then=F("movements__shares")),
        When(**{kind: MovementKind.REDEMPTION}, then=-F("movements__shares")),
        When(**{kind: MovementKind.CANCELLATION, reverses: MovementKind.SUBSCRIPTION}, then=-F("movements__shares")),
        When(**{kind: MovementKind.CANCELLATION, reverses: MovementKind.REDEMPTION}, then=F("movements__shares")),
        default=Value(0), output_field=IntegerField())
    with staff_wide("the staff list of every workspace's share register"):
        issuers = list(ShareIssuer.objects.select_related("workspace").annotate(
            outstanding=Coalesce(Sum(signed, filter=Q(movements__effective_date__lte=day)), 0))
            .order_by("workspace__name"))
        nominal = dict(ShareMovement.objects.filter(effective_date__lte=day)
                       .filter(Q(kind=MovementKind.NOMINAL_CHANGE)
                               | Q(kind=MovementKind.CANCELLATION, reverses=MovementKind.NOMINAL_CHANGE))
                       .order_by("issuer_id", "number").values_list("issuer_id", "nominal"))
    return [(i, i.outstanding * nominal.get(i.pk, i.initial_nominal)) for i in issuers]


# --- general meetings -------------------------------------------------------------------------

def get_meeting(actor: Actor, pk: int):
    from alumni.models import GeneralMeeting

    actor.require(Perm.SHARES_VIEW)
    meeting = get_object_or_404(GeneralMeeting.objects.select_related("issuer", "issuer__workspace"), pk=pk)
    return in_actor_workspace(actor, meeting)


def issuer_meetings(issuer: ShareIssuer):
    from alumni.models import GeneralMeeting

    return GeneralMeeting.objects.filter(workspace_id=issuer.workspace_id, issuer=issuer).order_by("-held_at")


def convocations_of_workspace(workspace) -> list:
    """The meetings this workspace is convened to as an associate of other issuers.

    Crosses workspaces on purpose: a meeting belongs to its issuer; the convened workspace
    reads its own convocation lines only (never the other associates')."""
    from alumni.models import ConvenedAssociate

    with staff_wide("a holder reads the meetings it is convened to in other issuers"):
        return list(ConvenedAssociate.objects.filter(holder__holder_workspace=workspace)
                    .select_related("meeting", "meeting__issuer__workspace", "holder", "college")
                    .order_by("-meeting__held_at"))


def get_convocation(actor: Actor, pk: int):
    """One convocation line of the actor's workspace (404 for "missing" and "not yours" alike)."""
    from alumni.models import ConvenedAssociate

    actor.require(Perm.SHARES_VIEW)
    if actor.workspace is None:
        raise Http404
    with staff_wide("a holder reads its own convocation in another issuer's meeting"):
        line = (ConvenedAssociate.objects.filter(pk=pk, holder__holder_workspace=actor.workspace)
                .select_related("meeting", "meeting__issuer", "meeting__issuer__workspace", "holder", "college")
                .first())
        if line is None:
            raise Http404
        resolutions = list(line.meeting.resolutions.all())
    return line, resolutions
