"""Training menus and audit labels (registries: backoffice/interface.py)."""

from django.utils.translation import gettext_lazy as _

from backoffice.interface import NavGroup, NavItem, register_audit_labels, register_nav
from backoffice.roles import Perm


def _cae(workspace) -> bool:
    return workspace.has_entrepreneurs


register_nav(
    NavGroup("training", _("Training"), area="workspace", order=30, icon="graduation-cap", items=(
        NavItem(_("Training"), "training_home", perm=Perm.TRAINING_VIEW, when=_cae, icon="graduation-cap",
                active_for=("training_*",)),
    )),
    NavGroup("training", _("Training"), area="staff", order=30, icon="graduation-cap", items=(
        NavItem(_("Training"), "staff:training:home", perm=Perm.STAFF_AREA, icon="graduation-cap",
                active_for=("staff:training:*",)),
    )),
)

register_audit_labels({
    "training.attendance": _("Attendance recorded"),
    "training.enrol": _("Enrolment recorded"),
    "training.funding_request_move": _("Funding request moved on"),
    "training.funding_request_open": _("Funding request opened"),
    "training.session_workspaces": _("Session opened to workspaces"),
    "training.slot_add": _("Session slot added"),
    "training.slot_delete": _("Session slot removed"),
})
