"""Backoffice's menus and status colours (the registries live in backoffice/interface.py)."""

from django.utils.translation import gettext_lazy as _

from backoffice.interface import (
    NavGroup,
    NavItem,
    register_audit_fields,
    register_audit_labels,
    register_audit_values,
    register_nav,
    register_tones,
)
from backoffice.roles import Perm

register_nav(
    # Staff bar: the host's own tools, across workspaces.
    NavGroup("staff", _("Staff area"), area="staff", order=0, icon="layout-dashboard", items=(
        NavItem(_("Dashboard"), "staff:dashboard", perm=Perm.STAFF_AREA, icon="layout-dashboard"),
        NavItem(_("Work queue"), "staff:queue", perm=Perm.STAFF_AREA, icon="inbox"),
        NavItem(_("Workspaces"), "staff:workspaces", perm=Perm.STAFF_AREA, icon="building-2",
                active_for=("staff:workspace_*",)),
        NavItem(_("Audit trail"), "staff:audit", perm=Perm.AUDIT_VIEW, icon="history"),
    )),
    # Workspace bar.
    NavGroup("home", _("Home"), area="workspace", order=0, icon="house", items=(
        NavItem(_("Home"), "workspace_home", perm=Perm.WORKSPACE_VIEW, icon="house"),
    )),
    NavGroup("files", _("Dossiers"), area="workspace", order=10, icon="folder-open", items=(
        NavItem(_("Dossiers"), "dossiers", perm=Perm.DOSSIER_VIEW, icon="folder-open", active_for=("dossier_*",)),
        NavItem(_("Documents"), "documents", perm=Perm.DOCUMENT_VIEW, icon="file-text", active_for=("document_*",)),
    )),
    NavGroup("workspace", _("Administration"), area="workspace", order=90, icon="building-2", items=(
        NavItem(_("Entrepreneurs"), "entrepreneurs", perm=Perm.ENTREPRENEUR_VIEW, icon="users",
                when=lambda ws: ws.has_entrepreneurs, active_for=("entrepreneur_*",)),
        NavItem(_("Service agreement"), "agreements", perm=Perm.AGREEMENT_VIEW, icon="handshake",
                active_for=("agreement_*", "price_line_*")),
        NavItem(_("Billable usage"), "usage", perm=Perm.USAGE_VIEW, icon="receipt"),
        NavItem(_("Members"), "members", perm=Perm.WORKSPACE_VIEW, icon="user-round", active_for=("member_*",)),
    )),
)

register_tones("backoffice.Dossier.status", {
    "new": "info", "in_progress": "progress", "waiting_client": "waiting", "done": "success", "cancelled": "muted",
})

# --- Audit trail: every action and stored key in French (backoffice/interface.py) -----------
register_audit_labels({
    "account.otp_reset": _("Second factor reset"),
    "account.two_factor_enrol": _("Authenticator enrolled"),
    "agreement.create": _("Service agreement created"),
    "agreement.update": _("Service agreement changed"),
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "document.download": _("Document downloaded"),
    "document.generate": _("Document generated"),
    "document.generate_batch": _("Documents generated"),
    "document.upload": _("Document uploaded"),
    "dossier.assign": _("Assignee changed"),
    "dossier.comment": _("Comment added"),
    "dossier.due_date": _("Due date changed"),
    "dossier.open": _("Dossier opened"),
    "dossier.status": _("Status changed"),
    "entrepreneur.create": _("Entrepreneur created"),
    "entrepreneur.nir_reveal": _("Social security number shown"),
    "entrepreneur.update": _("Entrepreneur changed"),
    "member.invitation_accept": _("Invitation accepted"),
    "member.invite": _("Member invited"),
    "member.remove": _("Member removed"),
    "member.role": _("Member's role changed"),
    "price_line.create": _("Price line added"),
    "price_line.delete": _("Price line removed"),
    "price_line.update": _("Price line changed"),
    "workspace.create": _("Workspace created"),
    "workspace.deactivate": _("Workspace deactivated"),
    "workspace.reactivate": _("Workspace reactivated"),
    "workspace.update": _("Workspace changed"),
})
register_audit_fields({
    "dossier": _("Dossier"), "size": _("Size"), "internal": _("Staff only"), "batch": _("Batch"),
    "count": _("Number"), "documents": _("Documents"), "user": _("User"), "role": _("Role"),
    "invitations_withdrawn": _("Invitations withdrawn"), "backup_codes": _("Backup codes"),
    "devices_removed": _("Devices removed"), "field": _("Field"), "email": _("E-mail"),
    "agreement": _("Service agreement"), "name": _("Name"), "is_active": _("Active"),
})


def _msgid(value) -> str:
    """Dossier stages are stored as English msgids (payroll/services/periods.py: stage_label)."""
    from django.utils.translation import gettext

    return gettext(value) if value else "—"


def _role(value) -> str:
    from backoffice.models.users import Role

    return str(Role(value).label) if value in Role.values else str(value)


register_audit_values("backoffice.dossier.stage", _msgid)
register_audit_values("role", _role)
register_audit_values("field", {"nir": _("social security number"), "iban": _("IBAN")})
register_audit_values("backoffice.dossier.kind", {
    "monthly_submission": _("Monthly payroll"), "funding_request": _("Funding request"),
    "alumni_followup": _("Alumni follow-up"),
})

# Keys the back office's services store in audit changes (tests/backoffice/test_interface.py
# checks every literal key of every audit_record call has a label).
register_audit_fields({
    "api_tokens_revoked": _("API tokens revoked"), "assignee": _("Assigned to"), "due_date": _("Due date"),
    "kind": _("Kind"), "new_account": _("New account"), "resent": _("Sent again"), "service": _("Service"),
    "stage": _("Stage"), "status": _("Status"), "from": _("From"), "to": _("To"),
})
