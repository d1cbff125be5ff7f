"""Isolation registry of the training URLs: /w/<slug>/training/ (training/urls.py) and the
staff pages /staff/training/ (training/urls_staff.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.training.factories import (
    CourseFactory,
    FundingRequestFactory,
    GatheringFactory,
    OpcoFactory,
    SessionFactory,
    TrainingBodyFactory,
)

PUBLIC: set[str] = set()


def _session(ws) -> int:
    """A private session open to `ws` only: another workspace must not even see it."""
    return SessionFactory(workspaces=[ws], pooled=False).pk


def _gathering(ws):
    """A gathering open to `ws` only, with a workshop, a participant registered in it and one
    on the waiting list (so the pages show every line)."""
    return GatheringFactory(workspaces=[ws], populate=ws)


OBJECT_BUILDERS: dict[str, Callable] = {
    "training_gathering": lambda ws: _gathering(ws).pk,
    "training_workshop": lambda ws: _gathering(ws).workshops.first().pk,
    "training_enrolment": lambda ws: _gathering(ws).enrolments.first().pk,
    "training_workshop_registration": lambda ws: _gathering(ws).workshops.first().registrations.first().pk,
    "training_session": _session,
    "training_request": lambda ws: FundingRequestFactory(workspace=ws, session=SessionFactory(workspaces=[ws])).pk,
    "training_body": lambda ws: TrainingBodyFactory().pk,
    "training_course": lambda ws: CourseFactory().pk,
    "training_opco": lambda ws: OpcoFactory().pk,
    "training_slot": lambda ws: SessionFactory(workspaces=[ws]).slots.first().pk,
}

OBJECT_PARAMS: dict[str, dict[str, str]] = {
    "training_session": {"pk": "training_session"},
    "training_session_enrol": {"pk": "training_session"},
    "training_request_new": {"pk": "training_session"},
    "training_request": {"pk": "training_request"},
    "training_request_move": {"pk": "training_request"},
    "training_request_attendance": {"pk": "training_request"},
    "training_request_documents": {"pk": "training_request"},
    "training_participants": {"pk": "training_gathering"},
    "training_badges": {"pk": "training_gathering"},
    "training_gathering_attendance": {"pk": "training_gathering"},
    "training_workshop_register": {"pk": "training_workshop"},
    "training_registration_withdraw": {"pk": "training_workshop_registration"},
    "training_enrolment_withdraw": {"pk": "training_enrolment"},
    "staff:training:session_figures": {"pk": "training_gathering"},
    "staff:training:workshop_new": {"pk": "training_gathering"},
    "staff:training:workshop_edit": {"pk": "training_workshop"},
    "staff:training:body_edit": {"pk": "training_body"},
    "staff:training:course_edit": {"pk": "training_course"},
    "staff:training:opco_edit": {"pk": "training_opco"},
    "staff:training:session": {"pk": "training_session"},
    "staff:training:session_edit": {"pk": "training_session"},
    "staff:training:session_bulk_requests": {"pk": "training_session"},
    "staff:training:slot_remove": {"pk": "training_slot"},
}
