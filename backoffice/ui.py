"""Backoffice's menus and status colours (the registries live in backoffice/interface.py)."""

from django.utils.translation import gettext_lazy as _

from backoffice.interface import NavGroup, NavItem, register_nav, register_tones
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
