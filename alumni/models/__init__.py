from alumni.models.shares import (  # noqa: F401
    AssociateCategory,
    College,
    LegalForm,
    MovementKind,
    ShareHolder,
    ShareIssuer,
    ShareMovement,
)
