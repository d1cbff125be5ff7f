"""Payroll's menus and status colours (registries: backoffice/interface.py), and the French
names of the rate tables' parameters, bases and conditions (codes of payroll/engine/rates.py)."""

from django.utils.translation import gettext_lazy as _

from backoffice.interface import (
    DashboardPanel,
    NavGroup,
    NavItem,
    register_audit_fields,
    register_audit_labels,
    register_audit_values,
    register_nav,
    register_panel,
    register_tones,
)
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

register_audit_labels({
    "employment.create": _("Employment data created"),
    "employment.update": _("Employment data changed"),
    "employment.iban_reveal": _("IBAN shown"),
    "employment.import": _("Employment data imported"),
    "payroll.declaration_generate": _("Declaration generated"),
    "payroll.journal_export": _("Payroll journal exported"),
    "payroll.payslips_render": _("Payslip PDFs generated"),
    "payroll.payslips_render_start": _("Payslip PDFs requested"),
    "payroll.period_open": _("Payroll month opened"),
    "payroll.period_stage": _("Payroll month moved on"),
    "payroll.rate_line_update": _("Rate line changed"),
    "payroll.rate_table_copy": _("Rate table copied"),
    "payroll.rate_table_update": _("Rate table changed"),
    "payroll.run": _("Payroll computed"),
    "payroll.settings_create": _("Payroll settings created"),
    "payroll.settings_update": _("Payroll settings changed"),
    "payroll.submission_confirm": _("Monthly data confirmed"),
    "payroll.tax_rates_import": _("Withholding tax rates imported"),
    "payroll.exit_documents": _("Exit documents generated"),
    "payroll.submission_confirm_refused": _("Monthly data refused at confirmation"),
    "payroll.submission_upload": _("Monthly data sent"),
    "payroll.submission_validate": _("Monthly data checked"),
    "payroll.template_download": _("Monthly template downloaded"),
})
register_audit_fields({
    "submission": _("Data version"), "rate_table": _("Rate table"), "created": _("Created"),
    "updated": _("Updated"), "unchanged": _("Unchanged"), "deleted": _("Deleted"),
    "inexact_targets": _("Targets not reached exactly"), "not_salaried": _("Not salaried (CAPE)"),
    "rendered": _("PDFs generated"), "zip_rebuilt": _("Zip rebuilt"), "employees": _("Employees"),
    "norm_version": _("Norm version"), "rows": _("Rows"), "version": _("Version"), "superseded": _("Replaces"),
    "source": _("Source"), "via": _("Through"), "file": _("File"), "errors": _("Errors"), "lines": _("Rows"),
    "entrepreneurs_created": _("Entrepreneurs created"), "nirs_recorded": _("Social security numbers recorded"),
    "employments_created": _("Employment data created"), "employments_updated": _("Employment data updated"),
    "classifications_recorded": _("Classifications recorded"),
    "gross": _("Gross"), "brackets": _("Contribution brackets"), "schemes": _("Health and provident schemes"),
})


def _via(value) -> str:
    """How monthly data came in: stored as a free note ("API token <name> (<prefix>…)",
    "import_monthly command", "demo"), shown in words."""
    from django.utils.translation import gettext

    value = value or ""
    if value.startswith("API token "):
        return gettext("API token %(name)s") % {"name": value[len("API token "):]}
    return {"": "—", "import_monthly command": gettext("command line"), "demo": gettext("demo data")}.get(value, value)


register_audit_values("via", _via)
register_audit_values("source", {"upload": _("web page"), "api": _("API")})


# --- Rate tables: what the codes of payroll/engine/rates.py are called on screen ------------
# The engine names parameters, bases and conditions by code (REQUIRED_PARAMS, BASES, CONDITIONS);
# staff read these labels, the code only as a small <code> beside them. A code added there
# needs its label here (tests/payroll/test_rate_tables_ui.py checks every one).
PARAM_LABELS = {
    "PMSS": _("Monthly social security ceiling (PMSS)"),
    "PASS": _("Annual social security ceiling (PASS)"),
    "SMIC_HOURLY": _("Hourly SMIC"),
    "RG_SMIC_HOURLY": _("Hourly SMIC of the general reduction (1 January value)"),
    "LEGAL_MONTHLY_HOURS": _("Legal monthly working time (hours)"),
    "CSG_ALLOWANCE": _("CSG/CRDS allowance for professional expenses (%)"),
    "CSG_ALLOWANCE_CEILINGS": _("CSG/CRDS allowance limit (number of PASS)"),
    "RG_SMIC_MULTIPLE": _("General reduction: pay threshold (number of SMIC)"),
    "RG_T_MIN": _("General reduction: Tmin"),
    "RG_T_DELTA_LT50": _("General reduction: Tdelta, under 50 employees"),
    "RG_T_DELTA_GE50": _("General reduction: Tdelta, 50 employees or more"),
    "RG_POWER": _("General reduction: exponent P"),
}
BASE_LABELS = {
    "total": _("All pay subject to contributions"),
    "tranche_a": _("Tranche A (up to 1 ceiling)"),
    "tranche_2": _("Tranche 2 (from 1 to 8 ceilings)"),
    "up_to_4": _("Up to 4 ceilings"),
    "up_to_8": _("Up to 8 ceilings"),
    "csg": _("CSG/CRDS base"),
    "employer_schemes": _("Employer health and provident contributions"),
}
CONDITION_LABELS = {
    "cadre": _("Cadres only"),
    "above_ceiling": _("Pay above the ceiling"),
    "headcount_lt_11": _("Under 11 employees"),
    "headcount_ge_11": _("11 employees or more"),
    "headcount_lt_50": _("Under 50 employees"),
    "headcount_ge_50": _("50 employees or more"),
    "alsace_moselle": _("Alsace-Moselle only"),
    "not_alsace_moselle": _("Outside Alsace-Moselle"),
    "fixed_term": _("Fixed-term contracts (CDD)"),
    "leave_fund": _("Members of a building-trade paid-leave fund"),
    "gross_le_smic": _("Pay up to %(n)s SMIC"),
    "gross_gt_smic": _("Pay above %(n)s SMIC"),
}


def param_label(name: str) -> str:
    """A parameter's name on screen; an unknown code is shown as it is (the page walk flags it)."""
    return str(PARAM_LABELS.get(name, name))


def base_label(base: str) -> str:
    return str(BASE_LABELS.get(base, base))


def condition_label(condition: str | None) -> str:
    """"gross_le_smic:2.25" -> "Rémunération jusqu'à 2,25 SMIC"; "" -> "—"."""
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import number_format

    if not condition:
        return "—"
    name, _sep, arg = condition.partition(":")
    label = CONDITION_LABELS.get(name)
    if label is None:
        return condition
    try:
        n = number_format(Decimal(arg)) if arg else ""
    except InvalidOperation:
        n = arg
    text = str(label)
    return text % {"n": n} if "%(n)s" in text else text


# Rate-table audit entries name parameters by code ("SMIC_HOURLY": [before, after]).
register_audit_fields({**PARAM_LABELS, "copied_from": _("Copied from"), "payroll.rateline.line": _("Line")})
register_audit_fields({
    "effective_from": _("In force from"), "end": _("End"), "entrepreneurs": _("Entrepreneurs"),
    "expires_on": _("Valid until"), "net_paid": _("Net paid"), "period": _("Period"), "state": _("State"),
    "table": _("Rate table"), "title": _("Title"), "with_nir": _("With a social security number"),
})
