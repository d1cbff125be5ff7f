from alumni.models.companies import (  # noqa: F401
    AlumniCompany,
    CheckIn,
    CompanyLegalForm,
    CompanyStatus,
    DeclarationFrequency,
    Founder,
)
from alumni.models.declarations import DeclarationReminder, RevenueDeclaration  # noqa: F401
from alumni.models.directory import (  # noqa: F401
    ContactPreference,
    ContactRequest,
    DirectoryMembership,
    DirectoryProfile,
    DirectorySearch,
)
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
