"""Isolation registry of the training URLs: /w/<slug>/training/ (training/urls.py) and the
staff pages /staff/training/ (training/urls_staff.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.training.factories import (
    CourseFactory,
    FundingRequestFactory,
    OpcoFactory,
    SessionFactory,
    TrainingBodyFactory,
)

PUBLIC: set[str] = set()


def _session(ws) -> int:
    """A private session open to `ws` only: another workspace must not even see it."""
    return SessionFactory(workspaces=[ws], pooled=False).pk


OBJECT_BUILDERS: dict[str, Callable] = {
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
    "staff:training:body_edit": {"pk": "training_body"},
    "staff:training:course_edit": {"pk": "training_course"},
    "staff:training:opco_edit": {"pk": "training_opco"},
    "staff:training:session": {"pk": "training_session"},
    "staff:training:session_edit": {"pk": "training_session"},
    "staff:training:session_bulk_requests": {"pk": "training_session"},
    "staff:training:slot_remove": {"pk": "training_slot"},
}
