"""A workspace's payroll settings: read (everyone with Perm.PAYROLL_VIEW), edit (host payroll
staff, Perm.PAYROLL_SETTINGS_MANAGE), with the schemes and the CAE contribution rule."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.roles import Perm
from payroll.forms import (
    BracketFormSet,
    ContributionExampleForm,
    PayrollSettingsForm,
    RiskRateFormSet,
    SchemeFormSet,
    formset_rows,
)
from payroll.selectors.headcount import workspace_headcount
from payroll.selectors.people import payroll_settings_of, require_payroll
from payroll.services.settings import (
    RISK_FIELDS,
    SCHEME_FIELDS,
    SETTINGS_FIELDS,
    contribution_example,
    contribution_scheme,
    payroll_settings_save,
)

EXAMPLE_AMOUNT = Decimal("50000")


def payroll_settings(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_payroll(request.actor)
    settings = payroll_settings_of(actor.workspace)
    example_form = ContributionExampleForm(request.GET or None, initial={"amount": EXAMPLE_AMOUNT})
    amount = example_form.cleaned_data["amount"] if example_form.is_valid() else EXAMPLE_AMOUNT
    example = None
    if settings is not None and (scheme := contribution_scheme(settings)) is not None:
        example = contribution_example(scheme, max(amount, Decimal("0")))
    headcount = workspace_headcount(actor.workspace, timezone.localdate().year, settings) if settings else None
    return render(request, "payroll/settings.html", {
        "settings": settings, "headcount": headcount, "brackets": list(settings.brackets.all()) if settings else [],
        "schemes": list(settings.schemes.all()) if settings else [],
        "risk_rates": list(settings.risk_rates.all()) if settings else [],
        "example": example, "example_form": example_form,
    })


def _initial(settings) -> tuple[dict, list[dict], list[dict], list[dict]]:
    if settings is None:
        return {"payment_day": 28, "contribution_waiver_months": 0, "mobility_rate": Decimal("0")}, [], [], []
    initial = {name: getattr(settings, name) for name in SETTINGS_FIELDS}
    brackets = [{"threshold": b.threshold, "rate": b.rate} for b in settings.brackets.all()]
    schemes = [{name: getattr(s, name) for name in SCHEME_FIELDS} for s in settings.schemes.all()]
    risks = [{name: getattr(r, name) for name in RISK_FIELDS} for r in settings.risk_rates.all()]
    return initial, brackets, schemes, risks


def payroll_settings_edit(request: HttpRequest, workspace: str) -> HttpResponse:
    actor = require_payroll(request.actor, Perm.PAYROLL_SETTINGS_MANAGE)
    settings = payroll_settings_of(actor.workspace)
    initial, bracket_rows, scheme_rows, risk_rows = _initial(settings)
    data = request.POST if request.method == "POST" else None
    form = PayrollSettingsForm(data, initial=initial)
    brackets = BracketFormSet(data, initial=bracket_rows, prefix="brackets")
    schemes = SchemeFormSet(data, initial=scheme_rows, prefix="schemes")
    risks = RiskRateFormSet(data, initial=risk_rows, prefix="risks")
    service_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid() & brackets.is_valid() & schemes.is_valid() & risks.is_valid():
        try:
            payroll_settings_save(actor=request.user, workspace=actor.workspace, brackets=formset_rows(brackets),
                                  schemes=formset_rows(schemes), risk_rates=formset_rows(risks),
                                  **form.cleaned_settings())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field in ("brackets", "schemes", "risk_rates"):
                    service_errors[field] = errors
                else:
                    form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Payroll settings saved."))
            return redirect("payroll_settings", workspace=workspace)
    return render(request, "payroll/settings_form.html", {
        "form": form, "brackets": brackets, "schemes": schemes, "risks": risks, "settings": settings,
        "bracket_errors": service_errors.get("brackets", []), "scheme_errors": service_errors.get("schemes", []),
        "risk_errors": service_errors.get("risk_rates", []),
        "workspace_siren": actor.workspace.siren,
    })
