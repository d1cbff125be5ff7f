"""Alumni menus (registries: backoffice/interface.py). Add this app's groups and audit labels here."""

from django.utils.translation import gettext_lazy as _

from backoffice.interface import NavGroup, NavItem, register_audit_labels, register_nav
from backoffice.roles import Perm


def _alumni_company(workspace) -> bool:
    return workspace.kind == "alumni"


register_nav(
    NavGroup("alumni", _("Services portal"), area="workspace", order=35, icon="briefcase", items=(
        NavItem(_("Services portal"), "alumni_home", perm=Perm.ALUMNI_VIEW, when=_alumni_company, icon="briefcase",
                active_for=("alumni_declare", "alumni_contributions", "alumni_declaration_correct",
                            "alumni_service_request", "alumni_company", "alumni_task_add")),
        NavItem(_("Directory"), "alumni_directory", perm=Perm.DIRECTORY_USE, icon="search",
                active_for=("alumni_directory_*",)),
    )),
    NavGroup("alumni", _("Alumni"), area="staff", order=35, icon="briefcase", items=(
        NavItem(_("Alumni"), "staff:alumni:companies", perm=Perm.STAFF_AREA, icon="briefcase",
                active_for=("staff:alumni:*",)),
    )),
    NavGroup("shares", _("Shares"), area="workspace", order=40, icon="chart-pie", items=(
        NavItem(_("Share register"), "shares_register", perm=Perm.SHARES_VIEW, icon="book-open",
                active_for=("shares_settings", "shares_college_new", "shares_holder_new", "shares_movement_*",
                            "shares_register_*", "shares_certificate")),
        NavItem(_("Our holdings"), "shares_holdings", perm=Perm.SHARES_VIEW, icon="coins",
                active_for=("shares_holdings_*",)),
        NavItem(_("General meetings"), "shares_meetings", perm=Perm.SHARES_VIEW, icon="users",
                active_for=("shares_meeting*", "shares_convocation")),
    )),
    NavGroup("shares", _("Shares"), area="staff", order=40, icon="chart-pie", items=(
        NavItem(_("Share issuers"), "staff:shares:issuers", perm=Perm.STAFF_AREA, icon="landmark"),
    )),
)

register_audit_labels({
    "alumni.company.create": _("Alumni company created"),
    "alumni.company.update": _("Alumni company changed"),
    "alumni.declaration.correct": _("Revenue declaration corrected"),
    "alumni.declaration.create": _("Revenue declared"),
    "alumni.declaration.reminder": _("Declaration reminder sent"),
    "directory.contact_request": _("Contact request sent"),
    "directory.join": _("Joined the directory"),
    "directory.profile.save": _("Directory profile saved"),
    "directory.profile.withdraw": _("Directory profile withdrawn"),
    "directory.withdraw": _("Left the directory"),
    "meeting.attendance": _("Meeting attendance recorded"),
    "meeting.convene": _("General meeting convened"),
    "meeting.convocations_sent": _("Convocations sent"),
    "meeting.tally": _("Meeting votes counted"),
    "shares.subscription": _("Shares subscribed"),
    "shares.release": _("Unpaid capital released"),
    "shares.transfer": _("Shares transferred"),
    "shares.redemption": _("Shares redeemed"),
    "shares.nominal": _("Nominal value changed"),
    "shares.cancellation": _("Share movement cancelled"),
    "shares.college_save": _("College saved"),
    "shares.holder_create": _("Shareholder added"),
    "shares.issuer_save": _("Share issuer settings saved"),
})
