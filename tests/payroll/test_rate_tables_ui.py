"""Staff pages of the shared rate tables: list, lines with their source, audited edits that the
engine then uses, and a new table copied from the latest."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from backoffice.models import AuditEntry
from payroll.models import RateLine, RateTable
from payroll.services.simulation import payslip_simulate
from tests.conftest import login
from tests.factories import MembershipFactory, PayrollSettingsFactory, UserFactory

JANUARY_2026 = datetime.date(2026, 1, 1)


def tr(message: str, **params) -> str:
    """A message as users read it (in the active language: French once the catalogue has it)."""
    text = gettext(message)
    return text % params if params else text


def staff_member(world, role: str):
    return MembershipFactory(workspace=world.host, role=role, user=UserFactory()).user


def table(day: datetime.date) -> RateTable:
    return RateTable.objects.get(effective_from=day)


def line(day: datetime.date, code: str) -> RateLine:
    return RateLine.objects.get(table__effective_from=day, code=code)


def line_data(rate_line: RateLine, **overrides) -> dict:
    data = {"label": rate_line.label, "employee_rate": str(rate_line.employee_rate).replace(".", ","),
            "employer_rate": "" if rate_line.employer_rate is None else str(rate_line.employer_rate).replace(".", ","),
            "source": rate_line.source}
    data.update(overrides)
    return data


def simulate(world, period=JANUARY_2026):
    with scope(workspace=world.partner_a):
        return payslip_simulate(workspace=world.partner_a, period=period, mode="gross", amount=Decimal("2500"))


def audit(action: str) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action=action).select_related("workspace").order_by("id"))


def test_list_is_by_effective_date_newest_first(world):
    response = login(staff_member(world, "payroll_officer")).get(reverse("staff:payroll:rate_tables"))
    assert response.status_code == 200
    dates = [t.effective_from for t in response.context["tables"]]
    assert dates == sorted(dates, reverse=True) and JANUARY_2026 in dates


def test_detail_shows_each_line_with_its_legal_source(world):
    csa = line(JANUARY_2026, "csa")
    body = login(world.users["staff"]).get(reverse("staff:payroll:rate_table", args=[csa.table_id])).content.decode()
    assert csa.label in body and csa.source in body
    assert reverse("staff:payroll:rate_line_edit", args=[csa.pk]) in body


def test_an_edited_rate_changes_the_computed_line_and_is_audited(world):
    """CSA (contribution solidarité autonomie) 0.30 % of gross (L14-10-4 CASF): raised to 0.50 %
    by staff, the next computation for that month uses it."""
    with scopes_disabled():
        PayrollSettingsFactory(workspace=world.partner_a)
    assert simulate(world).payslip.line("csa").employer_amount == Decimal("7.50")
    csa = line(JANUARY_2026, "csa")
    officer = staff_member(world, "payroll_officer")
    response = login(officer).post(reverse("staff:payroll:rate_line_edit", args=[csa.pk]),
                                   line_data(csa, employer_rate="0,50"))
    assert response.status_code == 302
    assert line(JANUARY_2026, "csa").employer_rate == Decimal("0.50")
    assert simulate(world).payslip.line("csa").employer_amount == Decimal("12.50")  # 2 500 × 0.50 %
    (entry,) = audit("payroll.rate_line_update")
    assert entry.workspace == world.host and entry.actor == officer
    assert entry.changes["employer_rate"] == ["0.3000", "0.50"]
    assert entry.changes["table"] == "2026-01-01" and entry.changes["line"] == csa.label


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"employer_rate": "-1"}, "employer_rate", "A rate cannot be negative (0 when there is none)."),
    ({"employer_rate": ""}, "employer_rate",
     "Only the AT/MP and versement mobilité lines take each workspace's own employer rate; give a rate (0 when there is none)."),
    ({"source": "  "}, "source", "Every rate needs its legal source (article, decree, URSSAF page)."),
    ({"employee_rate": "1,23456"}, "employee_rate", None),  # Django's "at most 4 decimals"
])
def test_line_validation_messages(world, overrides, field, message):
    rate_line = line(JANUARY_2026, "csa")
    response = login(world.users["staff"]).post(reverse("staff:payroll:rate_line_edit", args=[rate_line.pk]),
                                                line_data(rate_line, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors.get(field, [])
    assert errors, response.context["form"].errors
    if message is not None:
        assert tr(message) in errors
    assert line(JANUARY_2026, "csa").employer_rate == rate_line.employer_rate
    assert audit("payroll.rate_line_update") == []


def test_the_at_mp_line_keeps_an_empty_employer_rate(world):
    at_mp = line(JANUARY_2026, "at_mp")
    response = login(world.users["staff"]).post(reverse("staff:payroll:rate_line_edit", args=[at_mp.pk]),
                                                line_data(at_mp, label="Accidents du travail (AT/MP)"))
    assert response.status_code == 302
    assert line(JANUARY_2026, "at_mp").employer_rate is None


def test_a_new_table_for_2027_is_copied_then_its_parameters_edited(world):
    with scopes_disabled():
        PayrollSettingsFactory(workspace=world.partner_a)
    latest = RateTable.objects.order_by("-effective_from").first()
    client = login(world.users["staff"])
    response = client.post(reverse("staff:payroll:rate_table_new"), {
        "source": latest.pk, "effective_from": "2027-01-01", "title": "Taux 2027"})
    assert response.status_code == 302
    new = table(datetime.date(2027, 1, 1))
    assert new.lines.count() == latest.lines.count() and new.params == latest.params
    (copy_entry,) = audit("payroll.rate_table_copy")
    assert copy_entry.workspace == world.host and copy_entry.changes["copied_from"] == str(latest.effective_from)

    data = {"title": "Taux 2027"}
    for name, entry in new.params.items():
        data[f"value_{name}"] = entry["value"].replace(".", ",")
        data[f"source_{name}"] = entry.get("source", "")
    data["value_PMSS"] = "4 100"
    data["source_PMSS"] = "Arrêté 2027 (hypothetical)"
    assert client.post(reverse("staff:payroll:rate_table_edit", args=[new.pk]), data).status_code == 302
    assert table(datetime.date(2027, 1, 1)).params["PMSS"] == {"value": "4100", "source": "Arrêté 2027 (hypothetical)"}
    assert simulate(world, datetime.date(2027, 3, 1)).payslip.ceiling == Decimal("4100.00")
    assert simulate(world).payslip.ceiling == Decimal("4005.00")  # January 2026 keeps its table
    (entry,) = audit("payroll.rate_table_update")
    assert entry.changes["PMSS"][1].startswith("4100")


@pytest.mark.parametrize(("day", "message"), [
    ("2026-01-01", "A table already applies from %(date)s: edit it instead."),
    ("2027-01-15", "A table applies from the first day of a month."),
])
def test_copy_refuses_a_taken_or_mid_month_date(world, day, message):
    latest = RateTable.objects.order_by("-effective_from").first()
    response = login(world.users["staff"]).post(reverse("staff:payroll:rate_table_new"), {
        "source": latest.pk, "effective_from": day})
    assert response.status_code == 200
    expected = tr(message, date=date_format(datetime.date.fromisoformat(day), "SHORT_DATE_FORMAT")) \
        if "%(date)s" in message else tr(message)
    assert response.context["form"].errors["effective_from"] == [expected]
    assert audit("payroll.rate_table_copy") == []


def test_a_parameter_the_engine_cannot_use_is_refused(world):
    target = table(JANUARY_2026)
    data = {"title": target.title}
    for name, entry in target.params.items():
        data[f"value_{name}"] = entry["value"]
        data[f"source_{name}"] = entry.get("source", "")
    data["value_PMSS"] = "-5"
    response = login(world.users["staff"]).post(reverse("staff:payroll:rate_table_edit", args=[target.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert table(JANUARY_2026).params["PMSS"]["value"] == "4005"


def test_rights(world):
    csa = line(JANUARY_2026, "csa")
    urls = [reverse("staff:payroll:rate_tables"), reverse("staff:payroll:rate_table", args=[csa.table_id]),
            reverse("staff:payroll:rate_line_edit", args=[csa.pk]),
            reverse("staff:payroll:rate_table_edit", args=[csa.table_id]), reverse("staff:payroll:rate_table_new")]
    # Partners never reach the staff area.
    for persona in ("partner_a", "alumni"):
        client = login(world.users[persona])
        for url in urls:
            assert client.get(url).status_code == 404
        assert client.post(urls[2], line_data(csa, employer_rate="9")).status_code == 404
    # A training officer is staff but has no payroll rights.
    training = login(staff_member(world, "training_officer"))
    for url in urls:
        assert training.get(url).status_code == 403
    assert training.post(urls[2], line_data(csa, employer_rate="9")).status_code == 403
    # Host admin and payroll officer may edit.
    for user in (world.users["staff"], staff_member(world, "payroll_officer")):
        assert login(user).get(urls[2]).status_code == 200
    assert line(JANUARY_2026, "csa").employer_rate == Decimal("0.30")
