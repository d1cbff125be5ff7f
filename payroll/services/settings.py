"""A workspace's payroll settings: employer identifiers, schemes and the CAE contribution rule.

Each CAE is its own employer. `payroll_settings_save` writes the settings, their health and
provident schemes and the contribution brackets together (all or nothing), checking:
- the SIRET (python-stdnum) belongs to the workspace's SIREN (its first nine digits);
- the NAF code is stored compact (7022Z), the IDCC has four digits (model validators);
- brackets: the first starts at 0 € and thresholds strictly increase (a flat rate is one
  bracket from 0) — the same rule as payroll.engine.contribution.ContributionScheme;
- schemes: a label, a known base, non-negative rates and amounts;
- AT/MP rates per establishment and risk code (L242-5, D242-6-1 CSS): the establishment's
  SIRET belongs to the workspace's SIREN, a risk code of five characters, a rate of 0 to 100 %,
  one row per establishment and code. Rows are kept by (SIRET, code), so an employment that
  points at one keeps it when the rate changes; a removed row leaves its employments on the
  workspace's default rate.

`engine_schemes` and `contribution_scheme` turn the stored rows into the engine's objects;
`contribution_example` shows what the rule gives for an amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.models import Workspace
from backoffice.services.audit import audit_record, diff_fields, snapshot
from backoffice.templatetags.money import format_money, format_percent
from payroll.engine.contribution import Bracket, ContributionScheme, schedule
from payroll.engine.money import HUNDRED, ZERO, cents
from payroll.engine.payslip import Scheme as EngineScheme
from payroll.models import ContributionBracket, PayrollSettings, RiskRate, Scheme
from payroll.models.settings import SchemeKind

SETTINGS_FIELDS = ["siret", "naf_code", "urssaf_number", "collective_agreement", "idcc", "headcount_override",
                   "mobility_rate", "mobility_commune", "at_mp_rate", "at_mp_risk_code", "alsace_moselle", "paid_leave_fund", "leave_fund_name",
                   "leave_fund_number", "leave_fund_dsn_code", "leave_fund_rate", "bad_weather_rate", "payment_day", "pension_funds",
                   "contribution_base", "contribution_waiver_months", "dsn_contact_name", "dsn_contact_email",
                   "dsn_contact_phone", "urssaf_siret", "agirc_arrco_siret", "debit_iban", "debit_bic"]
SCHEME_FIELDS = ["kind", "label", "applies_to", "base", "employee_rate", "employer_rate", "employee_fixed",
                 "employer_fixed", "organisation_code", "contract_reference", "option_code", "population_code"]
SCHEME_DSN_FIELDS = ("organisation_code", "contract_reference", "option_code", "population_code")
# Bases a scheme may use (payroll.engine.payslip.Scheme): slices of the gross, or the full PMSS.
SCHEME_BASES = ("total", "tranche_a", "tranche_2", "pmss")
# "etam" / "ouvrier": building-trade non-cadres of that category (Employment.trade_category), e.g.
# the PRO BTP provident schemes of ETAM and ouvriers.
APPLIES_TO = ("all", "cadre", "non_cadre", "etam", "ouvrier")
RISK_FIELDS = ["siret", "risk_code", "label", "rate"]


def _compact(value: str) -> str:
    return "".join((value or "").split())


def _check_brackets(brackets: list[dict[str, Any]]) -> list[str]:
    """Messages about the brackets as a whole (empty list when they form a valid rule)."""
    if not brackets:
        return []
    problems = []
    thresholds = [b["threshold"] for b in brackets]
    if thresholds[0] != 0:
        problems.append(_("The first bracket must start at 0 € (a flat rate is one bracket from 0)."))
    for previous, current in zip(thresholds, thresholds[1:], strict=False):
        if current <= previous:
            problems.append(_("Thresholds must strictly increase: %(current)s comes after %(previous)s.") % {
                "current": format_money(current), "previous": format_money(previous)})
            break
    for bracket in brackets:
        if not (ZERO <= bracket["rate"] <= HUNDRED):
            problems.append(_("A rate is between 0 and 100 %%: %(rate)s is not.") % {
                "rate": format_percent(bracket["rate"])})
        if bracket["threshold"] < 0:
            problems.append(_("A threshold cannot be negative."))
    return problems


def _check_scheme(number: int, scheme: dict[str, Any]) -> list[str]:
    n = {"n": number}
    problems = []
    if not scheme["label"]:
        problems.append(_("Scheme %(n)s: give it a label.") % n)
    if scheme.get("kind") not in SchemeKind.values:
        problems.append(_("Scheme %(n)s: choose health or provident.") % n)
    if scheme.get("base") not in SCHEME_BASES:
        problems.append(_("Scheme %(n)s: the base is one of %(bases)s.") % {**n, "bases": ", ".join(SCHEME_BASES)})
    if scheme["applies_to"] not in APPLIES_TO:
        problems.append(_("Scheme %(n)s: it applies to everyone, cadres or non-cadres.") % n)
    if any(scheme[name] < 0 for name in ("employee_rate", "employer_rate", "employee_fixed", "employer_fixed")):
        problems.append(_("Scheme %(n)s: rates and amounts cannot be negative.") % n)
    if scheme["employee_rate"] > HUNDRED or scheme["employer_rate"] > HUNDRED:
        problems.append(_("Scheme %(n)s: a rate is at most 100 %%.") % n)
    if scheme["organisation_code"] and not re.fullmatch(r"[A-Z0-9]{4,9}", scheme["organisation_code"]):
        problems.append(_("Scheme %(n)s: the insurer's DSN code is letters and digits, e.g. P0942.") % n)
    if bool(scheme["organisation_code"]) != bool(scheme["contract_reference"]):
        problems.append(_("Scheme %(n)s: give both the insurer's DSN code and the contract reference, or neither.") % n)
    return problems


def _check_risk_rates(workspace: Workspace, rows: list[dict[str, Any]]) -> list[str]:
    problems, seen = [], set()
    for number, row in enumerate(rows, start=1):
        candidate = RiskRate(workspace=workspace, **{k: row[k] for k in RISK_FIELDS})
        try:
            candidate.full_clean(exclude=["workspace", "settings"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems += [_("AT/MP rate %(n)s: %(error)s") % {"n": number, "error": message}
                         for messages in exc.message_dict.values() for message in messages]
        if workspace.siren and row["siret"] and not row["siret"].startswith(workspace.siren):
            problems.append(_("AT/MP rate %(n)s: the SIRET is not an establishment of SIREN %(siren)s.") % {
                "n": number, "siren": workspace.siren})
        key = (row["siret"], row["risk_code"])
        if key in seen:
            problems.append(_("AT/MP rate %(n)s: this establishment and risk code are already listed.") % {"n": number})
        seen.add(key)
    return problems


def _save_risk_rates(workspace: Workspace, settings: PayrollSettings, rows: list[dict[str, Any]]) -> None:
    existing = {(r.siret, r.risk_code): r for r in RiskRate.objects.filter(workspace=workspace)}
    keep = []
    for row in rows:
        current = existing.get((row["siret"], row["risk_code"]))
        if current is None:
            current = RiskRate(workspace=workspace, settings=settings)
        for name in RISK_FIELDS:
            setattr(current, name, row[name])
        current.save()
        keep.append(current.pk)
    RiskRate.objects.filter(workspace=workspace).exclude(pk__in=keep).delete()


def _describe_risk_rates(rows) -> list[str]:
    return sorted(f"{r['siret']} {r['risk_code']} {r['label']}: {_n(r['rate'])} %" for r in rows)


def _scheme_defaults(scheme: dict[str, Any]) -> dict[str, Any]:
    out = {"applies_to": "all", "base": "total", **scheme}
    out["label"] = (out.get("label") or "").strip()
    for name in SCHEME_DSN_FIELDS:
        out[name] = (out.get(name) or "").strip()
    out["organisation_code"] = out["organisation_code"].upper()
    for name in ("employee_rate", "employer_rate", "employee_fixed", "employer_fixed"):
        if out.get(name) is None:
            out[name] = ZERO
    return out


def _n(value) -> str:
    """A Decimal without trailing zeros, so that 1.50 and 1.5000 (after a database round trip) compare equal."""
    value = Decimal(value or 0)
    return format(value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize(), "f")


def _describe_brackets(brackets) -> list[str]:
    return [f"{_n(b['threshold'])} € → {_n(b['rate'])} %" for b in sorted(brackets, key=lambda b: b["threshold"])]


def _describe_schemes(schemes) -> list[str]:
    return sorted(f"{s['kind']} {s['label']} ({s['applies_to']}, {s['base']}): "
                  f"{_n(s['employee_rate'])} % + {_n(s['employee_fixed'])} € / "
                  f"{_n(s['employer_rate'])} % + {_n(s['employer_fixed'])} €"
                  + (f" [{s['organisation_code']} {s['contract_reference']}]" if s.get("organisation_code") else "")
                  for s in schemes)


@transaction.atomic
def payroll_settings_save(*, actor, workspace: Workspace, brackets: list[dict[str, Any]],
                          schemes: list[dict[str, Any]], risk_rates: list[dict[str, Any]] | None = None,
                          **fields) -> PayrollSettings:
    """Create or replace the workspace's payroll settings, schemes and contribution brackets.

    `brackets`: [{"threshold": Decimal, "rate": Decimal}, …] in any order (sorted here);
    `schemes`: [{kind, label, applies_to, base, employee_rate, employer_rate, employee_fixed,
    employer_fixed}, …]. ValidationError by field ("brackets" and "schemes" for the lists)
    and nothing written when a rule fails. Audited "payroll.settings_create"/"…_update"."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"payroll_settings_save() cannot change {sorted(unknown)}")
    errors: dict[str, list] = {}
    if not workspace.has_entrepreneurs:
        errors[NON_FIELD_ERRORS] = [_("Only a CAE (the host or a partner) has a payroll.")]
    fields = dict(fields)
    if "siret" in fields:
        fields["siret"] = _compact(fields["siret"])
    if "naf_code" in fields:
        fields["naf_code"] = _compact(fields["naf_code"]).replace(".", "").upper()
    for name in ("urssaf_number", "idcc", "dsn_contact_phone", "urssaf_siret"):
        if name in fields:
            fields[name] = _compact(fields[name])
    for name in ("debit_iban", "debit_bic"):
        if name in fields:
            fields[name] = _compact(fields[name]).upper()
    for name in ("collective_agreement", "pension_funds", "dsn_contact_name", "dsn_contact_email", "leave_fund_name",
                 "leave_fund_number", "leave_fund_dsn_code"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()

    settings = PayrollSettings.objects.filter(workspace=workspace).first()
    created = settings is None
    if created:
        settings = PayrollSettings(workspace=workspace)
        before: dict[str, Any] = {}
        before_brackets: list[str] = []
        before_schemes: list[str] = []
    else:
        before = snapshot(settings, SETTINGS_FIELDS)
        before_brackets = _describe_brackets(settings.brackets.order_by("threshold").values("threshold", "rate"))
        before_schemes = _describe_schemes(settings.schemes.order_by("pk").values(*SCHEME_FIELDS))
    for name, value in fields.items():
        setattr(settings, name, value)

    try:
        settings.full_clean(exclude=["workspace"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if settings.siret and "siret" not in errors and workspace.siren and not settings.siret.startswith(workspace.siren):
        errors.setdefault("siret", []).append(ValidationError(
            _("This SIRET belongs to SIREN %(other)s, not to the workspace's SIREN %(siren)s.") % {
                "other": settings.siret[:9], "siren": workspace.siren}, code="siren_mismatch"))
    brackets = sorted(brackets, key=lambda b: b["threshold"])
    schemes = [_scheme_defaults(s) for s in schemes]
    if problems := _check_brackets(brackets):
        errors["brackets"] = problems
    scheme_problems = [p for i, s in enumerate(schemes, start=1) for p in _check_scheme(i, s)]
    if scheme_problems:
        errors["schemes"] = scheme_problems
    if risk_rates is not None:
        risk_rates = [{**row, "siret": _compact(row["siret"]) or settings.siret,
                       "risk_code": _compact(row["risk_code"]).replace(".", "").upper(),
                       "label": (row.get("label") or "").strip()} for row in risk_rates]
        if problems := _check_risk_rates(workspace, risk_rates):
            errors["risk_rates"] = problems
    if errors:
        if not created:
            for name, value in before.items():
                setattr(settings, name, value)
        raise ValidationError(errors)

    settings.save()
    ContributionBracket.objects.filter(settings=settings).delete()
    ContributionBracket.objects.bulk_create([
        ContributionBracket(workspace=workspace, settings=settings, threshold=b["threshold"], rate=b["rate"])
        for b in brackets])
    Scheme.objects.filter(settings=settings).delete()
    Scheme.objects.bulk_create([
        Scheme(workspace=workspace, settings=settings, **{k: s[k] for k in SCHEME_FIELDS})
        for s in schemes])

    before_risks = _describe_risk_rates(RiskRate.objects.filter(workspace=workspace).values(*RISK_FIELDS))
    if risk_rates is not None:
        _save_risk_rates(workspace, settings, risk_rates)
        after_risks = _describe_risk_rates(risk_rates)
    else:
        after_risks = before_risks

    changes = diff_fields(before, snapshot(settings, SETTINGS_FIELDS))
    if "debit_iban" in changes:
        changes["debit_iban"] = "changed"  # a bank account is not written in the audit trail
    if after_risks != before_risks:
        changes["risk_rates"] = [before_risks, after_risks]
    after_brackets, after_schemes = _describe_brackets(brackets), _describe_schemes(schemes)
    if after_brackets != before_brackets:
        changes["brackets"] = [before_brackets, after_brackets]
    if after_schemes != before_schemes:
        changes["schemes"] = [before_schemes, after_schemes]
    if created or changes:
        audit_record(actor=actor, workspace=workspace,
                     action="payroll.settings_create" if created else "payroll.settings_update", obj=settings,
                     changes=changes)
    return settings


# --- from the stored rows to the engine -----------------------------------------------------

def engine_schemes(settings: PayrollSettings, status: str, trade_category: str = "") -> tuple[EngineScheme, ...]:
    """The workspace's schemes that apply to a cadre or a non-cadre, as engine Schemes
    (uses the prefetched `settings.schemes` when there is one). A non-cadre of a building-trade
    category ("etam", "ouvrier") also gets that category's schemes (PRO BTP provident)."""
    applies = {"all", status} | ({trade_category} if trade_category and status == "non_cadre" else set())
    return tuple(
        EngineScheme(label=s.label, kind=s.kind, base=s.base, employee_rate=s.employee_rate,
                     employer_rate=s.employer_rate, employee_fixed=s.employee_fixed, employer_fixed=s.employer_fixed)
        for s in sorted(settings.schemes.all(), key=lambda s: (s.kind, s.label, s.pk))
        if s.applies_to in applies)


def contribution_scheme(settings: PayrollSettings, *, flat_rate: Decimal | None = None) -> ContributionScheme | None:
    """The workspace's contribution rule (or an entrepreneur's flat override) for the engine;
    None when no bracket is set."""
    basis = settings.contribution_base
    waiver = settings.contribution_waiver_months
    if flat_rate is not None:
        return ContributionScheme.flat(flat_rate, basis=basis, waiver_months=waiver)
    brackets = sorted(settings.brackets.all(), key=lambda b: b.threshold)
    if not brackets:
        return None
    engine_brackets = [Bracket(b.threshold, b.rate) for b in brackets]
    if engine_brackets[0].start != 0:
        engine_brackets.insert(0, Bracket(Decimal("0"), Decimal("0")))  # nothing owed below the first threshold
    return ContributionScheme(brackets=tuple(engine_brackets), basis=basis, waiver_months=waiver)


@dataclass(frozen=True)
class ExampleSlice:
    start: Decimal
    end: Decimal | None
    rate: Decimal
    amount_in_slice: Decimal
    contribution: Decimal  # to the cent, for display (the total is rounded once, like the engine)


@dataclass(frozen=True)
class ContributionExample:
    amount: Decimal
    slices: tuple[ExampleSlice, ...]
    total: Decimal
    effective_rate: Decimal  # total / amount, in %, two decimals


def contribution_example(scheme: ContributionScheme, amount: Decimal) -> ContributionExample:
    """What the rule owes on a year-to-date `amount`, bracket by bracket (marginal brackets,
    payroll.engine.contribution.schedule; the total is the engine's, rounded to the cent)."""
    slices = []
    brackets = scheme.brackets
    for index, bracket in enumerate(brackets):
        end = brackets[index + 1].start if index + 1 < len(brackets) else None
        top = amount if end is None else min(amount, end)
        inside = max(top - bracket.start, ZERO)
        slices.append(ExampleSlice(start=bracket.start, end=end, rate=bracket.rate, amount_in_slice=cents(inside),
                                   contribution=cents(inside * bracket.rate / HUNDRED)))
    total = cents(schedule(amount, brackets))
    effective = (total * HUNDRED / amount).quantize(Decimal("0.01")) if amount > 0 else ZERO
    return ContributionExample(amount=amount, slices=tuple(slices), total=total, effective_rate=effective)


def leave_fund_input(settings: PayrollSettings) -> dict[str, Any]:
    """The engine's building-trade paid-leave fund fields (PayslipInput.leave_fund…): the fund's
    own rates when the workspace belongs to one, else nothing owed."""
    if not settings.paid_leave_fund:
        return {"leave_fund": False}
    return {"leave_fund": True, "leave_fund_rate": settings.leave_fund_rate, "bad_weather_rate": settings.bad_weather_rate}
