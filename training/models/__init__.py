from training.models.funding import (
    Attendance,
    Enrolment,
    FundingRequest,
    FundingRequestEvent,
    RequestState,
    WorkshopRegistration,
)
from training.models.reference import Course, DayCount, Modality, Opco, PriceBasis, TrainingBody
from training.models.sessions import HalfDay, Session, Slot, Workshop

__all__ = [
    "Attendance", "Course", "DayCount", "Enrolment", "FundingRequest", "FundingRequestEvent", "HalfDay", "Modality",
    "Opco", "PriceBasis", "RequestState", "Session", "Slot", "TrainingBody", "Workshop", "WorkshopRegistration",
]
