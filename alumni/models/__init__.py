from alumni.models.meetings import (  # noqa: F401
    Attendance,
    ConvenedAssociate,
    GeneralMeeting,
    Majority,
    MeetingKind,
    Resolution,
    ResolutionTally,
)
from alumni.models.shares import (  # noqa: F401
    AssociateCategory,
    College,
    LegalForm,
    MovementKind,
    ShareHolder,
    ShareIssuer,
    ShareMovement,
)
