from backoffice.models.agreements import PriceLine, Service, ServiceAgreement
from backoffice.models.api import ApiToken
from backoffice.models.audit import AuditEntry
from backoffice.models.documents import Document
from backoffice.models.dossiers import Dossier, DossierComment, DossierStatus
from backoffice.models.entrepreneurs import Entrepreneur
from backoffice.models.usage import Usage
from backoffice.models.users import Invitation, Membership, Role, User
from backoffice.models.workspaces import Workspace, WorkspaceKind

__all__ = [
    "ApiToken", "AuditEntry", "Document", "Dossier", "DossierComment", "DossierStatus", "Entrepreneur",
    "Invitation", "Membership", "PriceLine", "Role", "Service", "ServiceAgreement", "Usage",
    "User", "Workspace", "WorkspaceKind",
]
