"""backoffice/pricing.py: what a price line charges (rate, minimum, cap, progressive brackets),
the validation of a scale, the agreement form for those fields, and usage priced per declaration."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from backoffice.models import PriceLine
from backoffice.pricing import (
    Bracket,
    brackets_check,
    price_line_amount,
    price_line_compute,
    price_line_summary,
    price_usages,
)
from backoffice.selectors.usage import usage_month
from backoffice.services.agreements import price_line_create
from backoffice.services.usage import usage_record
from tests.conftest import login
from tests.factories import ServiceAgreementFactory

D = datetime.date
SCALE = [{"up_to": "50000", "rate": "2"}, {"up_to": "200000", "rate": "1.5"}, {"up_to": None, "rate": "1"}]


def pct(rate="1", minimum=None, cap=None) -> PriceLine:
    return PriceLine(kind="percentage", usage_kind="declared_revenue", rate=Decimal(rate), unit_price=Decimal("0"),
                     minimum=None if minimum is None else Decimal(minimum), cap=None if cap is None else Decimal(cap))


def scale(brackets=SCALE, minimum=None, cap=None) -> PriceLine:
    return PriceLine(kind="brackets", usage_kind="declared_revenue", brackets=brackets, unit_price=Decimal("0"),
                     minimum=None if minimum is None else Decimal(minimum), cap=None if cap is None else Decimal(cap))


# --- rate -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("rate", "revenue", "expected"), [
    ("1", "123456.78", "1234.57"),      # Grap's 1 % of revenue; 1234.5678 → 1234.57
    ("1", "100.50", "1.01"),            # 1.005 → 1.01: half-up at the cent, not banker's rounding
    ("2.5", "1000", "25.00"),
    ("0.125", "8", "0.01"),
    ("1", "0", "0.00"),
])
def test_percentage_is_rate_times_declared_amount_rounded_half_up(rate, revenue, expected):
    amount = price_line_amount(pct(rate), quantity=Decimal(revenue))
    assert amount == Decimal(expected) and str(amount) == expected


def test_per_unit_and_monthly_flat():
    assert price_line_amount(PriceLine(kind="per_unit", unit_price=Decimal("14")), quantity=Decimal("12")) == Decimal("168.00")
    assert price_line_amount(PriceLine(kind="monthly_flat", unit_price=Decimal("120")), quantity=Decimal("3")) == Decimal("360.00")


@pytest.mark.parametrize(("kind", "unit_price", "quantity", "expected"), [
    ("per_unit", "0.333", "3", "1.00"),          # 0.999 → 1.00 (half-up at the cent)
    ("per_unit", "12.345", "1", "12.35"),        # half-up, not banker's rounding
    ("monthly_flat", "120.00", "1", "120.00"),
])
def test_per_unit_and_flat_round_half_up_at_the_cent(kind, unit_price, quantity, expected):
    amount = price_line_amount(PriceLine(kind=kind, unit_price=Decimal(unit_price)), quantity=Decimal(quantity))
    assert amount == Decimal(expected) and str(amount) == expected


def test_floats_are_refused():
    with pytest.raises(TypeError):
        price_line_amount(pct(), quantity=1000.0)


# --- minimum and cap ------------------------------------------------------------------------

def test_minimum_is_charged_when_the_rate_gives_less_even_on_zero_revenue():
    result = price_line_compute(pct("1", minimum="150"), quantity=Decimal("8000"))
    assert (result.computed_cents, result.amount, result.minimum_applied, result.cap_applied) == (
        Decimal("80.00"), Decimal("150.00"), True, False)
    assert price_line_amount(pct("1", minimum="150"), quantity=Decimal("0")) == Decimal("150.00")
    above = price_line_compute(pct("1", minimum="150"), quantity=Decimal("20000"))
    assert (above.amount, above.minimum_applied) == (Decimal("200.00"), False)


def test_cap_limits_what_one_declaration_costs():
    result = price_line_compute(pct("1", minimum="150", cap="5000"), quantity=Decimal("1200000"))
    assert (result.computed_cents, result.amount, result.cap_applied, result.minimum_applied) == (
        Decimal("12000.00"), Decimal("5000.00"), True, False)
    below = price_line_compute(pct("1", cap="5000"), quantity=Decimal("300000"))
    assert (below.amount, below.cap_applied) == (Decimal("3000.00"), False)


# --- brackets (progressive) -----------------------------------------------------------------

@pytest.mark.parametrize(("revenue", "expected"), [
    ("30000", "600.00"),       # 2 % of 30 000
    ("50000", "1000.00"),      # the whole first bracket
    ("120000", "2050.00"),     # 1 000 + 1.5 % × 70 000
    ("500000", "6250.00"),     # 1 000 + 2 250 + 1 % × 300 000
    ("0", "0.00"),
])
def test_brackets_charge_each_slice_at_its_own_rate(revenue, expected):
    result = price_line_compute(scale(), quantity=Decimal(revenue))
    assert result.amount == Decimal(expected)
    assert sum((p.base for p in result.parts), Decimal("0")) == Decimal(revenue)


def test_progressive_brackets_never_jump_at_a_threshold():
    """Why progressive and not "by band" (the whole amount at its band's rate): with bands, one
    more euro above 50 000 € would drop the contribution from 1 000 € to 750,02 € (or, with
    increasing rates, raise it by hundreds of euros). The progressive scale — the method of the
    income-tax scale, art. 197 du CGI — moves by at most the top rate per extra euro."""
    at = price_line_amount(scale(), quantity=Decimal("50000"))
    above = price_line_amount(scale(), quantity=Decimal("50001"))
    assert Decimal("0") <= above - at <= Decimal("0.02")
    by_band = Decimal("50001") * Decimal("1.5") / 100     # what a band scale would charge
    assert abs(by_band - at) > Decimal("200")


def test_brackets_with_minimum_and_cap():
    assert price_line_amount(scale(minimum="800"), quantity=Decimal("30000")) == Decimal("800.00")
    assert price_line_amount(scale(cap="5000"), quantity=Decimal("500000")) == Decimal("5000.00")


@pytest.mark.parametrize("raw", [
    [],
    [{"up_to": "50000", "rate": "2"}],                                   # the last must be open
    [{"up_to": None, "rate": "2"}, {"up_to": None, "rate": "1"}],        # only the last is open
    [{"up_to": "50000", "rate": "2"}, {"up_to": "40000", "rate": "1"}, {"up_to": None, "rate": "1"}],
    [{"up_to": "0", "rate": "2"}, {"up_to": None, "rate": "1"}],
    [{"up_to": None, "rate": "120"}],
    [{"up_to": "abc", "rate": "2"}, {"up_to": None, "rate": "1"}],
])
def test_bad_scales_are_refused(raw):
    with pytest.raises(ValidationError):
        brackets_check(raw)


def test_good_scale_is_parsed():
    assert brackets_check(SCALE)[1] == Bracket(up_to=Decimal("200000"), rate=Decimal("1.5"))


def test_price_usages_prices_each_declaration_on_its_own():
    line = pct("1", minimum="150")
    # Two quarterly declarations of 10 000 €: 150 € each (minimum), not 200 € → 150 € on the sum.
    assert price_usages(line, [Decimal("10000"), Decimal("10000")]) == Decimal("300.00")
    per_unit = PriceLine(kind="per_unit", unit_price=Decimal("0.333"))
    assert price_usages(per_unit, [Decimal("1"), Decimal("2")]) == Decimal("1.00")


def test_summary_reads_in_french_without_code_names(settings):
    settings.LOCALE_PATHS = [settings.BASE_DIR / "locale"]   # the suite runs without the catalogue
    with translation.override("fr"):
        text = price_line_summary(pct("1", minimum="150", cap="5000"))
        assert "declared_revenue" not in text
        assert text == "1\u00a0% du chiffre d'affaires déclaré, minimum 150,00\u00a0€, plafond 5\u00a0000,00\u00a0€"
        assert "declared_revenue" not in price_line_summary(scale())


# --- stored lines: service rules, form, agreement page, month of usage ------------------------

def agreement(workspace, service="alumni"):
    with scopes_disabled():
        return ServiceAgreementFactory(workspace=workspace, service=service, start_date=D(2025, 1, 1))


@pytest.mark.parametrize(("fields", "field"), [
    ({"kind": "per_unit", "usage_kind": "payslip", "unit_price": Decimal("14"), "minimum": Decimal("1")}, "minimum"),
    ({"kind": "percentage", "rate": Decimal("1"), "minimum": Decimal("500"), "cap": Decimal("100")}, "cap"),
    ({"kind": "brackets", "brackets": [{"up_to": "100", "rate": "1"}]}, "brackets"),
    ({"kind": "percentage", "rate": Decimal("1"), "brackets": SCALE}, "brackets"),
])
def test_price_line_service_refuses_inconsistent_lines(world, fields, field):
    a = agreement(world.alumni_c)
    defaults = {"label": "Contribution", "usage_kind": "declared_revenue"}
    with scope(workspace=world.alumni_c), pytest.raises(ValidationError) as exc:
        price_line_create(actor=None, agreement=a, **{**defaults, **fields})
    assert field in exc.value.message_dict


def test_staff_create_a_bracket_line_with_minimum_and_cap_through_the_form(world):
    a = agreement(world.alumni_c)
    client = login(world.users["staff"])
    response = client.post(reverse("price_line_create", args=["scop-c", a.pk]), {
        "kind": "brackets", "label": "Contribution", "usage_kind": "declared_revenue",
        "brackets": "50 000 ; 2\n200 000 ; 1,5\n; 1", "minimum": "150", "cap": "5 000", "vat_rate": "20"})
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        line = PriceLine.objects.get(agreement=a)
    assert line.brackets == [{"up_to": "50000", "rate": "2"}, {"up_to": "200000", "rate": "1.5"},
                             {"up_to": None, "rate": "1"}]
    assert (line.minimum, line.cap) == (Decimal("150.00"), Decimal("5000.00"))
    edit = client.get(reverse("price_line_edit", args=["scop-c", line.pk])).content.decode()
    assert "50000 ; 2" in edit
    page = client.get(reverse("agreements", args=["scop-c"])).content.decode()
    assert "declared_revenue" not in page
    assert "declared revenue by progressive brackets: 2\u00a0% up to 50\u00a0000,00\u00a0€" in page


def test_unreadable_brackets_give_a_french_message_and_write_nothing(world):
    a = agreement(world.alumni_c)
    response = login(world.users["staff"]).post(reverse("price_line_create", args=["scop-c", a.pk]), {
        "kind": "brackets", "label": "Contribution", "usage_kind": "declared_revenue",
        "brackets": "50 000 deux pour cent", "vat_rate": "20"})
    assert response.status_code == 200
    assert "Line 1 is not" in response.content.decode()
    with scopes_disabled():
        assert not PriceLine.objects.filter(agreement=a).exists()


def test_usage_month_prices_declarations_one_at_a_time(world):
    a = agreement(world.alumni_c)
    with scope(workspace=world.alumni_c):
        price_line_create(actor=None, agreement=a, kind="percentage", label="Contribution",
                          usage_kind="declared_revenue", rate=Decimal("1"), minimum=Decimal("150"))
        for ref in ("revenue:2026-01-01:2026-03-31", "revenue:2025-10-01:2025-12-31"):
            usage_record(workspace=world.alumni_c, service="alumni", kind="declared_revenue",
                         quantity=Decimal("10000"), occurred_on=D(2026, 3, 31), reference=ref)
        month = usage_month(workspace=world.alumni_c, month=D(2026, 3, 1))
    (row,) = month.services[0].lines
    assert row.amount == Decimal("300.00") and row.label == "declared revenue"
