"""Alumni menus (registries: backoffice/interface.py). Add this app's groups and audit labels here."""

from django.utils.translation import gettext_lazy as _

from backoffice.interface import (
    DashboardPanel,
    NavGroup,
    NavItem,
    register_audit_fields,
    register_audit_labels,
    register_entrepreneur_facts,
    register_nav,
    register_panel,
)
from backoffice.roles import Perm


def _is_alumni(workspace) -> bool:
    return workspace.kind == "alumni"


register_nav(
    NavGroup("alumni", _("Alumni"), area="staff", order=35, icon="briefcase", items=(
        NavItem(_("Alumni companies"), "staff:alumni:companies", perm=Perm.ALUMNI_MANAGE, icon="building-2",
                active_for=("staff:alumni:company_*",)),
        NavItem(_("Contributions ledger"), "staff:alumni:ledger", perm=Perm.ALUMNI_MANAGE, icon="chart-column"),
        NavItem(_("Directory figures"), "staff:alumni:directory", perm=Perm.ALUMNI_MANAGE, icon="search"),
        NavItem(_("Import from a spreadsheet"), "staff:alumni:import", perm=Perm.ALUMNI_MANAGE, icon="upload"),
    )),
    NavGroup("alumni", _("Services"), area="workspace", order=35, icon="briefcase", items=(
        NavItem(_("Services portal"), "alumni_home", perm=Perm.ALUMNI_VIEW, when=_is_alumni, icon="house",
                active_for=("alumni_declare", "alumni_service_request", "alumni_company", "alumni_task_add")),
        NavItem(_("Contributions"), "alumni_contributions", perm=Perm.ALUMNI_VIEW, icon="coins",
                active_for=("alumni_declaration_correct",)),
        NavItem(_("Network directory"), "alumni_directory", perm=Perm.DIRECTORY_USE, icon="search",
                active_for=("alumni_directory_*", "alumni_profile_*", "alumni_contact")),
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
    "alumni.declaration.import": _("Past declaration imported"),
    "directory.contact_request": _("Directory contact request sent"),
    "directory.join": _("Workspace joined the directory"),
    "directory.withdraw": _("Withdrawn from the directory"),
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


def _founding_facts(entrepreneur):
    from alumni.selectors.companies import founding_facts

    return founding_facts(entrepreneur)


register_entrepreneur_facts(_founding_facts)


def _contributions_panel(actor) -> dict:
    from alumni.views.staff import dashboard_charts

    return dashboard_charts()


# Contributions due vs paid, per month and per service, as charts (server-rendered SVG).
register_panel(DashboardPanel("alumni_contributions", template="alumni/_dashboard_panel.html",
                              context=_contributions_panel, perm=Perm.ALUMNI_MANAGE, order=40))


register_audit_fields({
    "abstentions": _("Abstentions"), "against": _("Against"), "for": _("For"), "amount": _("Amount"),
    "category": _("Category of associate"), "college": _("College"), "contribution": _("Contribution"),
    "convened": _("Convened"), "represented": _("Represented"), "present": _("Present"), "date": _("Date"),
    "founders": _("Founders"), "from_workspace": _("From the workspace"), "holder": _("Holder"),
    "origin": _("Origin CAE"), "period": _("Period"), "periods": _("Periods"), "reason": _("Reason"),
    "record_date": _("Record date"), "revenue": _("Revenue"), "sent": _("Sent"),
    "settled_outside": _("Paid before Mutualise"), "shares": _("Shares"), "weight": _("Weight"),
    "without_email": _("Without an e-mail address"),
})
