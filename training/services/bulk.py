"""Bulk: staff open, in one action, the funding request of every workspace enrolled in a
pooled session (one request per workspace, with all its trainees), each filled from the
session: pedagogical costs from the course price (per trainee, or the group price shared by
head across the whole session, rounded half up to the cent)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope

from backoffice.models import Workspace
from backoffice.tenancy import staff_wide
from training.models import Enrolment, FundingRequest, Opco, PriceBasis, Session
from training.rules import lifecycle
from training.services.funding import funding_request_open

CENT = Decimal("0.01")


def pedagogical_cost(session: Session, trainees: int, total_trainees: int) -> Decimal:
    course = session.course
    if course.price_basis == PriceBasis.PER_GROUP:
        return (course.price * trainees / max(total_trainees, 1)).quantize(CENT, rounding=ROUND_HALF_UP)
    return (course.price * trainees).quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def funding_requests_bulk_open(*, actor, session: Session, opco: Opco) -> list[FundingRequest]:
    """One draft request per enrolled workspace that has no open request for the session yet.
    All or nothing: one workspace refused (e.g. an uncertified body) and none is opened."""
    if session.is_gathering or session.course_id is None:
        raise ValidationError(_("A gathering is not funded by an OPCO: no funding request for it."))
    with staff_wide("staff open the requests of every workspace enrolled in a pooled session"):
        by_workspace: dict[int, list[int]] = defaultdict(list)
        for workspace_id, enrolment_id in Enrolment.objects.filter(session=session).values_list("workspace_id", "pk"):
            by_workspace[workspace_id].append(enrolment_id)
        covered = set(FundingRequest.objects.filter(session=session, state__in=lifecycle.OPEN)
                      .values_list("workspace_id", flat=True))
    total = sum(len(ids) for ids in by_workspace.values())
    opened = []
    for workspace in Workspace.objects.filter(pk__in=set(by_workspace) - covered).order_by("name"):
        ids = by_workspace[workspace.pk]
        with scope(workspace=workspace):
            opened.append(funding_request_open(actor=actor, workspace=workspace, session=session, opco=opco,
                                               enrolment_ids=ids,
                                               cost_pedagogical=pedagogical_cost(session, len(ids), total)))
    return opened
