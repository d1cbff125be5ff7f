"""Training's menus (registries: backoffice/interface.py)."""

from django.utils.translation import gettext_lazy as _

from backoffice.interface import NavGroup, NavItem, register_audit_fields, register_audit_labels, register_nav
from backoffice.roles import Perm


def _employs(workspace) -> bool:
    return workspace.has_entrepreneurs


register_nav(
    NavGroup("training", _("Training"), area="staff", order=30, icon="graduation-cap", items=(
        NavItem(_("Funding deadlines"), "staff:training:home", perm=Perm.TRAINING_VIEW, icon="calendar"),
        NavItem(_("Sessions"), "staff:training:sessions", perm=Perm.TRAINING_VIEW, icon="users",
                active_for=("staff:training:session*", "staff:training:slot_remove", "staff:training:workshop_*")),
        NavItem(_("Courses"), "staff:training:courses", perm=Perm.TRAINING_VIEW, icon="book-open",
                active_for=("staff:training:course_*",)),
        NavItem(_("Training bodies"), "staff:training:bodies", perm=Perm.TRAINING_VIEW, icon="landmark",
                active_for=("staff:training:body_*",)),
        NavItem(_("OPCOs"), "staff:training:opcos", perm=Perm.TRAINING_VIEW, icon="scale",
                active_for=("staff:training:opco_*",)),
        NavItem(_("Catalogue in spreadsheets"), "staff:training:catalogue", perm=Perm.TRAINING_VIEW, icon="upload",
                active_for=("staff:training:catalogue*",)),
        NavItem(_("Yearly summary"), "staff:training:summary", perm=Perm.TRAINING_VIEW, icon="layout-dashboard"),
    )),
    NavGroup("training", _("Training"), area="workspace", order=30, icon="graduation-cap", items=(
        NavItem(_("Sessions"), "training_home", perm=Perm.TRAINING_VIEW, when=_employs, icon="calendar",
                active_for=("training_session*", "training_participants", "training_badges",
                            "training_gathering_attendance", "training_workshop_register",
                            "training_registration_withdraw", "training_enrolment_withdraw")),
        NavItem(_("Funding requests"), "training_requests", perm=Perm.TRAINING_VIEW, when=_employs, icon="upload",
                active_for=("training_request*",)),
    )),
)

register_audit_labels({
    "training.attendance": _("Attendance recorded"),
    "training.enrol": _("Trainee enrolled"),
    "training.enrolment_withdraw": _("Participant withdrawn from a session"),
    "training.waitlist_promote": _("Promoted from the waiting list"),
    "training.workshop_create": _("Workshop added to a gathering"),
    "training.workshop_register": _("Registered in a workshop"),
    "training.workshop_unregister": _("Withdrawn from a workshop"),
    "training.workshop_update": _("Workshop changed"),
    "training.funding_request_move": _("Funding request moved"),
    "training.funding_request_open": _("Funding request opened"),
    "training.session_workspaces": _("Session opened to workspaces"),
    "training.slot_add": _("Half-day added to a session"),
    "training.slot_delete": _("Half-day removed from a session"),
})


register_audit_fields({
    "absent": _("Absent"), "present": _("Present"), "amount_asked": _("Amount asked"), "opco": _("OPCO"),
    "participant": _("Participant"), "session": _("Session"), "slot": _("Half-day"), "trainees": _("Trainees"),
    "waiting": _("On the waiting list"), "workshop": _("Workshop"), "workspaces": _("Workspaces"),
})
