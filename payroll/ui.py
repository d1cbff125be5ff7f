"""Payroll's menus and status colours (registries: backoffice/interface.py)."""

from django.utils.translation import gettext_lazy as _

from backoffice.interface import DashboardPanel, NavGroup, NavItem, register_nav, register_panel, register_tones
from backoffice.roles import Perm


def _employs(workspace) -> bool:
    return workspace.has_entrepreneurs


register_nav(
    NavGroup("payroll", _("Payroll"), area="staff", order=20, icon="wallet", items=(
        NavItem(_("Payroll dashboard"), "staff:payroll:dashboard", perm=Perm.PAYROLL_VIEW, icon="layout-dashboard"),
        NavItem(_("Rate tables"), "staff:payroll:rate_tables", perm=Perm.PAYROLL_VIEW, icon="scale",
                active_for=("staff:payroll:rate_*",)),
    )),
    NavGroup("payroll", _("Payroll"), area="workspace", order=20, icon="wallet", items=(
        NavItem(_("Monthly data"), "payroll_home", perm=Perm.PAYROLL_VIEW, when=_employs, icon="upload",
                active_for=("payroll_submission_*", "payroll_template")),
        NavItem(_("Payroll months"), "payroll_periods", perm=Perm.PAYROLL_VIEW, when=_employs, icon="calendar",
                active_for=("payroll_period*", "payroll_payslip*", "payroll_declaration_download")),
        NavItem(_("Employment data"), "payroll_people", perm=Perm.PAYROLL_VIEW, when=_employs, icon="users",
                active_for=("payroll_person*", "payroll_people_*")),
        NavItem(_("Payroll settings"), "payroll_settings", perm=Perm.PAYROLL_VIEW, when=_employs, icon="settings",
                active_for=("payroll_settings_*",)),
        NavItem(_("Simulation"), "payroll_simulation", perm=Perm.PAYROLL_SIMULATE, when=_employs, icon="calculator"),
        NavItem(_("API tokens"), "payroll_api_tokens", perm=Perm.API_TOKEN_MANAGE, when=_employs, icon="key-round",
                active_for=("payroll_api_token_*",)),
    )),
)

register_tones("payroll.PayrollPeriod.stage", {
    "awaiting": "waiting", "received": "info", "checked": "info", "computed": "progress",
    "approved": "success", "delivered": "success",
})
register_tones("payroll.MonthlySubmission.state", {
    "uploaded": "info", "validating": "progress", "invalid": "danger", "valid": "success",
    "confirmed": "success", "superseded": "muted", "failed": "danger",
})


def _overview(actor) -> dict:
    from payroll.selectors.dashboard import payroll_overview_context

    return payroll_overview_context()


# The payroll officer lands on the staff dashboard: it opens with every CAE's recent months.
register_panel(DashboardPanel("payroll", template="payroll/_dashboard_panel.html", context=_overview,
                              perm=Perm.PAYROLL_VIEW, order=10))
