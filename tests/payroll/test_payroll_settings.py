"""A workspace's payroll settings: staff edit, partners read; the SIRET, the contribution brackets
and the schemes are checked; the contribution rule is shown with an example."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry
from backoffice.templatetags.money import format_money, format_percent
from payroll.engine.contribution import Bracket, ContributionScheme
from payroll.models import ContributionBracket, PayrollSettings, Scheme
from payroll.services.settings import contribution_example, payroll_settings_save
from tests.conftest import login
from tests.factories import MembershipFactory, UserFactory, make_siren, make_siret


def tr(message: str, **params) -> str:
    """A message as users read it (in the active language: French once the catalogue has it)."""
    text = gettext(message)
    return text % params if params else text


def member(workspace, role: str):
    return MembershipFactory(workspace=workspace, role=role, user=UserFactory()).user


def settings_of(workspace) -> PayrollSettings | None:
    with scopes_disabled():
        return PayrollSettings.objects.filter(workspace=workspace).first()


def form_data(workspace, **overrides) -> dict:
    data = {
        "siret": make_siret(workspace.siren, 2), "naf_code": "70.22z", "urssaf_number": "117 000 001 234",
        "collective_agreement": "Syntec", "idcc": "1486", "headcount_override": "", "mobility_rate": "1,75", "at_mp_rate": "1,30",
        "payment_day": "28", "pension_funds": "AGIRC-ARRCO", "contribution_base": "revenue",
        "contribution_waiver_months": "6",
        "brackets-TOTAL_FORMS": "3", "brackets-INITIAL_FORMS": "0", "brackets-MIN_NUM_FORMS": "0",
        "brackets-MAX_NUM_FORMS": "20",
        "brackets-0-threshold": "0", "brackets-0-rate": "10",
        "brackets-1-threshold": "35 000", "brackets-1-rate": "8",
        "brackets-2-threshold": "45\u00a0000,00", "brackets-2-rate": "6",
        "schemes-TOTAL_FORMS": "2", "schemes-INITIAL_FORMS": "0", "schemes-MIN_NUM_FORMS": "0",
        "schemes-MAX_NUM_FORMS": "20",
        "schemes-0-kind": "health", "schemes-0-label": "Mutuelle", "schemes-0-applies_to": "all",
        "schemes-0-base": "pmss", "schemes-0-employee_rate": "0,8", "schemes-0-employer_rate": "0,8",
        "schemes-0-employee_fixed": "", "schemes-0-employer_fixed": "",
        "schemes-1-kind": "provident", "schemes-1-label": "Prévoyance cadres", "schemes-1-applies_to": "cadre",
        "schemes-1-base": "tranche_a", "schemes-1-employee_rate": "", "schemes-1-employer_rate": "1,50",
        "schemes-1-employee_fixed": "", "schemes-1-employer_fixed": "",
        "risks-TOTAL_FORMS": "0", "risks-INITIAL_FORMS": "0", "risks-MIN_NUM_FORMS": "0", "risks-MAX_NUM_FORMS": "50",
    }
    data.update(overrides)
    return data


def edit(client, slug="cae-a"):
    return reverse("payroll_settings_edit", args=[slug])


def test_staff_sets_up_settings_schemes_and_brackets_with_french_numbers(world):
    response = login(world.users["staff"]).post(edit("cae-a"), form_data(world.partner_a))
    assert response.status_code == 302, (response.context["form"].errors, response.context["bracket_errors"])
    settings = settings_of(world.partner_a)
    assert settings.naf_code == "7022Z" and settings.urssaf_number == "117000001234"
    assert settings.at_mp_rate == Decimal("1.30") and settings.contribution_waiver_months == 6
    assert settings.headcount_override is None and settings.mobility_rate == Decimal("1.75")
    with scopes_disabled():
        brackets = [(b.threshold, b.rate) for b in ContributionBracket.objects.filter(settings=settings)]
        assert brackets == [(Decimal("0"), Decimal("10")), (Decimal("35000"), Decimal("8")),
                            (Decimal("45000"), Decimal("6"))]
        schemes = {s.label: s for s in Scheme.objects.filter(settings=settings)}
        assert schemes["Mutuelle"].base == "pmss" and schemes["Mutuelle"].employee_rate == Decimal("0.8")
        assert schemes["Prévoyance cadres"].applies_to == "cadre"
        assert schemes["Prévoyance cadres"].employee_rate == Decimal("0")
        (entry,) = AuditEntry.objects.filter(action="payroll.settings_create")
        assert entry.workspace == world.partner_a and "45000 € → 6 %" in entry.changes["brackets"][1]


def test_resaving_the_same_values_writes_no_audit_entry_and_deleting_a_row_works(world):
    client = login(world.users["staff"])
    assert client.post(edit("cae-a"), form_data(world.partner_a)).status_code == 302
    # The edit page pre-fills existing rows; posting them back unchanged is not a change.
    data = form_data(world.partner_a, **{"brackets-INITIAL_FORMS": "3", "schemes-INITIAL_FORMS": "2"})
    assert client.post(edit("cae-a"), data).status_code == 302
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action="payroll.settings_update").exists()
    data["brackets-2-DELETE"] = "on"
    assert client.post(edit("cae-a"), data).status_code == 302
    with scopes_disabled():
        assert ContributionBracket.objects.filter(workspace=world.partner_a).count() == 2
        (entry,) = AuditEntry.objects.filter(action="payroll.settings_update")
        assert list(entry.changes) == ["brackets"]


def test_edit_page_prefills_the_saved_values(world):
    client = login(world.users["staff"])
    client.post(edit("cae-a"), form_data(world.partner_a))
    page = client.get(edit("cae-a")).content.decode()
    assert 'value="35\u00a0000,00"' in page  # localized, and read back by the same field
    assert "Prévoyance cadres" in page


@pytest.mark.parametrize(("overrides", "where", "message", "params"), [
    ({"siret": "12345678901234"}, "siret", "%(value)s is not a valid SIRET (14 digits, Luhn key).",
     {"value": "12345678901234"}),
    ({"naf_code": "ABCDE"}, "naf_code", "A NAF code looks like 7022Z or 70.22Z.", {}),
    ({"idcc": "12"}, "idcc", "The IDCC has four digits.", {}),
    ({"payment_day": "32"}, "payment_day", None, {}),  # Django's "at most 31"
    ({"brackets-0-threshold": "1000"}, "brackets",
     "The first bracket must start at 0 € (a flat rate is one bracket from 0).", {}),
    ({"brackets-2-threshold": "35000"}, "brackets",
     "Thresholds must strictly increase: %(current)s comes after %(previous)s.",
     {"current": format_money(Decimal("35000")), "previous": format_money(Decimal("35000"))}),
    ({"brackets-1-rate": "150"}, "brackets", "A rate is between 0 and 100 %%: %(rate)s is not.",
     {"rate": format_percent(Decimal("150"))}),
    ({"schemes-1-employer_rate": "-1"}, "schemes", "Scheme %(n)s: rates and amounts cannot be negative.", {"n": 2}),
    ({"schemes-0-label": " "}, "schemes", None, {}),  # required by the form
])
def test_validation_messages(world, overrides, where, message, params):
    response = login(world.users["staff"]).post(edit("cae-a"), form_data(world.partner_a, **overrides))
    assert response.status_code == 200
    if where == "brackets":
        errors = response.context["bracket_errors"]
    elif where == "schemes":
        errors = response.context["scheme_errors"] + [str(e) for f in response.context["schemes"] for e in
                                                       f.errors.get("label", [])]
    else:
        errors = response.context["form"].errors.get(where, [])
    assert errors, (response.context["form"].errors, response.context["bracket_errors"])
    if message is not None:
        assert tr(message, **params) in errors
    assert settings_of(world.partner_a) is None  # nothing written


def test_siret_must_belong_to_the_workspace_siren(world):
    foreign = make_siret(make_siren(987654), 1)
    response = login(world.users["staff"]).post(edit("cae-a"), form_data(world.partner_a, siret=foreign))
    assert response.context["form"].errors["siret"] == [tr(
        "This SIRET belongs to SIREN %(other)s, not to the workspace's SIREN %(siren)s.",
        other=foreign[:9], siren=world.partner_a.siren)]


def test_partner_reads_settings_but_cannot_edit(world):
    login(world.users["staff"]).post(edit("cae-a"), form_data(world.partner_a))
    for user in (world.users["partner_a"], member(world.partner_a, "viewer")):
        client = login(user)
        page = client.get(reverse("payroll_settings", args=["cae-a"]))
        assert page.status_code == 200 and "7022Z" in page.content.decode()
        assert edit("cae-a") not in page.content.decode()
        assert client.get(edit("cae-a")).status_code == 403
        assert client.post(edit("cae-a"), form_data(world.partner_a, naf_code="1234A")).status_code == 403
    assert settings_of(world.partner_a).naf_code == "7022Z"


def test_without_settings_the_page_says_so(world):
    page = login(world.users["partner_a"]).get(reverse("payroll_settings", args=["cae-a"]))
    assert page.status_code == 200 and page.context["settings"] is None
    assert tr("This workspace's payroll settings are not filled in yet. The payroll team sets them up (SIRET, URSSAF "
              "account, AT/MP rate, schemes) before the first payslip.") in page.content.decode()


def test_example_shows_the_marginal_computation(world):
    """10 % up to 35 000 €, 8 % to 45 000 €, 6 % above (decreasing brackets, facts file):
    on 50 000 €: 3 500 + 800 + 300 = 4 600 €."""
    login(world.users["staff"]).post(edit("cae-a"), form_data(world.partner_a))
    client = login(world.users["partner_a"])
    example = client.get(reverse("payroll_settings", args=["cae-a"])).context["example"]
    assert example.total == Decimal("4600.00")
    assert [s.contribution for s in example.slices] == [Decimal("3500.00"), Decimal("800.00"), Decimal("300.00")]
    assert example.effective_rate == Decimal("9.20")
    other = client.get(reverse("payroll_settings", args=["cae-a"]), {"amount": "20 000,00"}).context["example"]
    assert other.total == Decimal("2000.00")


def test_contribution_example_agrees_with_the_engine_schedule():
    scheme = ContributionScheme(brackets=(Bracket(Decimal("0"), Decimal("11.5")),
                                          Bracket(Decimal("40000"), Decimal("7.5"))), basis="gross_margin")
    example = contribution_example(scheme, Decimal("41234.57"))
    assert example.total == Decimal("4692.59")  # 40 000 × 11.5 % + 1 234.57 × 7.5 % = 4 600 + 92.59
    assert sum(s.contribution for s in example.slices) == example.total


def test_service_refuses_an_alumni_company(world):
    with scope(workspace=world.alumni_c), pytest.raises(
            ValidationError, match=re.escape(tr("Only a CAE (the host or a partner) has a payroll."))):
        payroll_settings_save(actor=None, workspace=world.alumni_c, brackets=[], schemes=[],
                              siret=world.alumni_c.siret, naf_code="7022Z", urssaf_number="1",
                              at_mp_rate=Decimal("1"))


def test_headcount_help_text_names_its_rule_and_what_it_drives(world):
    form = login(world.users["staff"]).get(edit("cae-a")).context["form"]
    help_text = str(form.fields["headcount_override"].help_text)
    assert "FNAL" in help_text and "L130-1" in help_text and "PEEC" in help_text


def test_the_mobility_commune_and_the_risk_code_are_checked_in_the_form():
    """The versement mobilité's commune is an INSEE code (five characters, Corsica 2A/2B), not a
    postcode; a CARSAT risk code is two digits, a digit or letter, two letters (e.g. 741GA)."""
    from payroll.forms import PayrollSettingsForm

    base = {"siret": "73282932000074", "naf_code": "7022Z", "urssaf_number": "117000001234", "at_mp_rate": "1,30",
            "payment_day": "28", "contribution_base": PayrollSettingsForm.base_fields["contribution_base"].choices[0][0],
            "contribution_waiver_months": "0"}
    assert PayrollSettingsForm({**base, "mobility_commune": "2A004", "at_mp_risk_code": "741GA"}).is_valid()
    form = PayrollSettingsForm({**base, "mobility_commune": "6912", "at_mp_risk_code": "74-GA"})
    assert not form.is_valid()
    assert set(form.errors) == {"mobility_commune", "at_mp_risk_code"}
