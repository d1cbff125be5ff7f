"""The attendance grid both attendance pages post (a funding request's, a gathering's): one
checkbox `p_<enrolment>_<slot>` per trainee and half-day, the half-days as `slot` fields."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from training.services.attendance import attendance_record_grid


def save_grid(request, *, actor, session, enrolments) -> str:
    """Record the posted grid for `actor`'s workspace; "" when saved, else the French error."""
    try:
        marks = {int(slot_id): {e.pk: f"p_{e.pk}_{slot_id}" in request.POST for e in enrolments}
                 for slot_id in request.POST.getlist("slot")}
    except ValueError:
        return _("This half-day does not exist in the session.")
    if not (marks and enrolments):
        return _("Nothing to record.")
    try:
        attendance_record_grid(actor=request.user, workspace=actor.workspace, session=session, marks=marks)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def grid_rows(enrolments, slots, present: set[tuple[int, int]]) -> list:
    """(enrolment, [(slot, ticked), …]) per trainee, for the template."""
    return [(e, [(s, (e.pk, s.pk) in present) for s in slots]) for e in enrolments]
