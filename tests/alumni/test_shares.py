"""Share registers: the rules of alumni/services/shares.py (each test names its legal source)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from alumni.models import ShareMovement
from alumni.selectors.shares import holder_position, holdings_of_workspace, register_page
from alumni.services.shares import (
    college_save,
    holder_create,
    issuer_save,
    movement_cancel,
    movement_record,
    register_at,
)

D = datetime.date
TODAY = D(2026, 6, 1)
CREATED = D(2020, 1, 1)


def make_issuer(workspace, *, legal_form="scop_sarl", nominal="100", minimum=1, created=CREATED, years=5):
    with scope(workspace=workspace):
        return issuer_save(actor=None, workspace=workspace, legal_form=legal_form, created_on=created,
                           initial_nominal=Decimal(nominal), minimum_subscription=minimum,
                           unpaid_deadline_years=years, future_days_allowed=0)


def person(issuer, name, category="employee", college=None):
    with scope(workspace=issuer.workspace):
        return holder_create(actor=None, issuer=issuer, category=category, name=name, college=college)


def subscribe(issuer, holder, shares, day, paid=None, today=TODAY):
    with scope(workspace=issuer.workspace):
        amount = register_at(issuer, day).nominal * shares
        return movement_record(actor=None, issuer=issuer, kind="subscription", effective_date=day, holder=holder,
                               shares=shares, amount=amount, paid=amount if paid is None else paid, today=today)


def redeem(issuer, holder, shares, day, today=TODAY):
    with scope(workspace=issuer.workspace):
        nominal = register_at(issuer, day).nominal
        return movement_record(actor=None, issuer=issuer, kind="redemption", effective_date=day, holder=holder,
                               shares=shares, amount=nominal * shares, today=today)


@pytest.fixture
def scop(world):
    return make_issuer(world.alumni_c)


def count(issuer) -> int:
    with scopes_disabled():
        return ShareMovement.objects.filter(issuer=issuer).count()


def test_positions_and_capital_at_past_dates(scop):
    alice, bob = person(scop, "Alice"), person(scop, "Bob")
    subscribe(scop, alice, 10, D(2021, 1, 10), paid=Decimal("250"))
    subscribe(scop, bob, 5, D(2022, 3, 1))
    with scope(workspace=scop.workspace):
        movement_record(actor=None, issuer=scop, kind="release", effective_date=D(2023, 1, 1), holder=alice,
                        amount=Decimal("500"), today=TODAY)
    redeem(scop, bob, 2, D(2024, 1, 1))
    with scope(workspace=scop.workspace):
        at_2021 = register_at(scop, D(2021, 12, 31))
        assert at_2021.capital == Decimal("1000")
        assert at_2021.positions[alice.pk].paid == Decimal("250")
        assert at_2021.positions[alice.pk].unpaid == Decimal("750")
        at_2023 = register_at(scop, D(2023, 6, 1))
        assert at_2023.positions[alice.pk].unpaid == Decimal("250")
        assert at_2023.capital == Decimal("1500")
        now = register_at(scop, TODAY)
        assert now.capital == Decimal("1300")
        assert now.highest_capital == Decimal("1500")
        assert now.positions[bob.pk].shares == 3 and now.positions[bob.pk].votes == 1
        assert holder_position(bob, D(2022, 3, 1)).shares == 5
        assert holder_position(bob, D(2022, 2, 28)).shares == 0
    scop.refresh_from_db()
    assert scop.highest_capital == Decimal("1500") and scop.last_number == 4


def test_floor_boundary_and_refusal_writes_nothing(scop):
    """Loi n° 47-1775, art. 13: the floor is a quarter of the highest capital; at the floor is allowed."""
    alice, bob = person(scop, "Alice"), person(scop, "Bob")
    subscribe(scop, alice, 10, D(2021, 1, 1))
    subscribe(scop, bob, 30, D(2021, 2, 1))           # 40 shares × 100 € = 4 000 €; floor 1 000 €
    redeem(scop, bob, 30, D(2022, 1, 1))              # 1 000 €: exactly the floor
    before = count(scop)
    with pytest.raises(ValidationError) as exc:
        redeem(scop, alice, 1, D(2022, 2, 1))         # 900 € < 1 000 €
    text = " ".join(exc.value.messages)
    assert "1\u00a0000,00" in text and "art. 13" in text
    assert count(scop) == before
    scop.refresh_from_db()
    assert scop.last_number == before


def test_floor_after_a_change_of_nominal(scop):
    """Loi n° 47-1775, art. 13 after a change of nominal value: the floor is in euros, from the highest capital."""
    alice, bob = person(scop, "Alice"), person(scop, "Bob")
    subscribe(scop, alice, 10, D(2021, 1, 1))
    subscribe(scop, bob, 10, D(2021, 1, 2))           # 2 000 €
    with scope(workspace=scop.workspace):
        movement_record(actor=None, issuer=scop, kind="nominal", effective_date=D(2022, 1, 1),
                        nominal=Decimal("200"), today=TODAY)     # 20 × 200 € = 4 000 €: highest 4 000 €
        assert register_at(scop, D(2022, 1, 1)).highest_capital == Decimal("4000")
    with pytest.raises(ValidationError):
        # a share is now worth 200 €: the old nominal is refused (amount ≠ shares × nominal)
        with scope(workspace=scop.workspace):
            movement_record(actor=None, issuer=scop, kind="redemption", effective_date=D(2022, 2, 1), holder=bob,
                            shares=10, amount=Decimal("1000"), today=TODAY)
    redeem(scop, bob, 10, D(2022, 2, 1))              # 2 000 € ≥ 1 000 €
    redeem(scop, alice, 5, D(2022, 3, 1))             # 1 000 €: the floor
    with pytest.raises(ValidationError, match="art. 13"):
        redeem(scop, alice, 1, D(2022, 4, 1))


def test_legal_minimum_of_a_cooperative_sa(world):
    """Facts file: a cooperative SA keeps at least 18 500 € of capital."""
    issuer = make_issuer(world.partner_a, legal_form="scop_sa", nominal="50")
    a, b = person(issuer, "A"), person(issuer, "B")
    subscribe(issuer, a, 370, D(2021, 1, 1))           # 18 500 €
    subscribe(issuer, b, 10, D(2021, 1, 2))            # 19 000 €
    redeem(issuer, b, 10, D(2022, 1, 1))               # 18 500 €: allowed
    subscribe(issuer, b, 1, D(2022, 2, 1))
    with pytest.raises(ValidationError) as exc:
        redeem(issuer, a, 2, D(2022, 3, 1))
    assert "18\u00a0500,00" in " ".join(exc.value.messages)


def test_bad_input_refused_with_nothing_written(world, scop):
    alice, bob = person(scop, "Alice"), person(scop, "Bob")
    other = make_issuer(world.partner_b)
    stranger = person(other, "Stranger")
    subscribe(scop, alice, 10, D(2021, 1, 1))
    before = count(scop)
    cases = [
        dict(kind="subscription", holder=bob, shares=3, amount=Decimal("200"), paid=Decimal("200")),   # ≠ 3 × 100
        dict(kind="subscription", holder=bob, shares=4, amount=Decimal("400"), paid=Decimal("99")),    # < 1/4
        dict(kind="transfer", holder=alice, counterparty=alice, shares=1, amount=Decimal("100")),      # to self
        dict(kind="transfer", holder=alice, counterparty=bob, shares=11, amount=Decimal("1100")),      # > held
        dict(kind="redemption", holder=bob, shares=1, amount=Decimal("100")),                           # holds none
        dict(kind="subscription", holder=stranger, shares=1, amount=Decimal("100"), paid=Decimal("100")),  # other issuer
        dict(kind="subscription", holder=bob, shares=-1, amount=Decimal("-100"), paid=Decimal("0")),
        dict(kind="release", holder=alice, amount=Decimal("10")),                                       # nothing unpaid
    ]
    for case in cases:
        with scope(workspace=scop.workspace), pytest.raises(ValidationError):
            movement_record(actor=None, issuer=scop, effective_date=D(2022, 1, 1), today=TODAY, **case)
    with scope(workspace=scop.workspace):
        with pytest.raises(ValidationError, match="created on|créée le"):
            movement_record(actor=None, issuer=scop, kind="subscription", effective_date=D(2019, 12, 31),
                            holder=bob, shares=1, amount=Decimal("100"), paid=Decimal("100"), today=TODAY)
        with pytest.raises(ValidationError):
            movement_record(actor=None, issuer=scop, kind="subscription", effective_date=D(2026, 6, 2),
                            holder=bob, shares=1, amount=Decimal("100"), paid=Decimal("100"), today=TODAY)
        with pytest.raises(ValidationError):  # before the last movement: the register is chronological
            movement_record(actor=None, issuer=scop, kind="subscription", effective_date=D(2020, 6, 1),
                            holder=bob, shares=1, amount=Decimal("100"), paid=Decimal("100"), today=TODAY)
    assert count(scop) == before


def test_statutory_minimum_subscription(world):
    issuer = make_issuer(world.partner_a, minimum=5)
    bob = person(issuer, "Bob")
    with pytest.raises(ValidationError, match="5"):
        subscribe(issuer, bob, 4, D(2021, 1, 1))
    subscribe(issuer, bob, 5, D(2021, 1, 1))


def test_transfer_moves_unpaid_pro_rata_and_cancellation_reverses(scop):
    alice, bob = person(scop, "Alice"), person(scop, "Bob")
    subscribe(scop, alice, 10, D(2021, 1, 1), paid=Decimal("400"))  # unpaid 600 €
    with scope(workspace=scop.workspace):
        transfer = movement_record(actor=None, issuer=scop, kind="transfer", effective_date=D(2021, 6, 1),
                                   holder=alice, counterparty=bob, shares=5, amount=Decimal("500"), today=TODAY)
        assert transfer.paid == Decimal("200")
        state = register_at(scop, D(2021, 6, 1))
        assert state.positions[bob.pk].unpaid == Decimal("300")
        assert state.positions[alice.pk].unpaid == Decimal("300")
        counter = movement_cancel(actor=None, issuer=scop, movement=transfer, effective_date=D(2021, 7, 1),
                                  today=TODAY)
        assert counter.number == 3 and counter.cancels == transfer
        state = register_at(scop, D(2021, 7, 1))
        assert state.positions[alice.pk].shares == 10 and state.positions[bob.pk].shares == 0
        with pytest.raises(ValidationError):
            movement_cancel(actor=None, issuer=scop, movement=transfer, effective_date=D(2021, 7, 2), today=TODAY)


def test_holder_sees_its_positions_across_issuers_only(world):
    host = make_issuer(world.host, legal_form="scic_sas", nominal="20")
    scop_c = make_issuer(world.alumni_c, nominal="100")
    with scope(workspace=world.host):
        a_in_host = holder_create(actor=None, issuer=host, category="coop_outside", holder_workspace=world.partner_a)
        b_in_host = holder_create(actor=None, issuer=host, category="coop_outside", holder_workspace=world.partner_b)
    with scope(workspace=world.alumni_c):
        a_in_c = holder_create(actor=None, issuer=scop_c, category="coop_outside", holder_workspace=world.partner_a)
    subscribe(host, a_in_host, 50, D(2021, 1, 1))
    subscribe(host, b_in_host, 7, D(2021, 1, 1))
    subscribe(scop_c, a_in_c, 3, D(2021, 1, 1), paid=Decimal("75"))
    rows = holdings_of_workspace(world.partner_a, TODAY)
    assert {(r.holder.issuer.workspace.slug, r.position.shares) for r in rows} == {("mutualise", 50), ("scop-c", 3)}
    assert [r.position.unpaid for r in rows if r.holder.issuer_id == scop_c.pk] == [Decimal("225")]
    assert all(r.holder.holder_workspace_id == world.partner_a.pk for r in rows)


def test_scic_colleges_and_warnings(world):
    """Loi 47-1775 art. 19 septies (three categories) and 19 octies (no college above 50 %)."""
    host = make_issuer(world.host, legal_form="scic_sas", nominal="20")
    with scope(workspace=world.host):
        workers = college_save(actor=None, issuer=host, name="Salariés", weight=Decimal("60"))
        users = college_save(actor=None, issuer=host, name="Bénéficiaires", weight=Decimal("40"))
    w = person(host, "W", "employee", workers)
    subscribe(host, w, 5, D(2021, 1, 1))
    with scope(workspace=world.host):
        page = register_page(host, TODAY)
    messages = " ".join(x.message for x in page.warnings)
    assert "19 septies" in " ".join(x.source for x in page.warnings)
    assert "100" in messages  # the one populated college weighs 100 % of the votes
    u = person(host, "U", "beneficiary", users)
    o = person(host, "O", "other", users)
    subscribe(host, u, 5, D(2021, 1, 2))
    subscribe(host, o, 5, D(2021, 1, 2))
    with scope(workspace=world.host):
        page = register_page(host, TODAY)
    sources = [x.source for x in page.warnings]
    assert "loi n° 47-1775, art. 19 septies" not in sources
    assert "loi n° 47-1775, art. 19 octies" in sources  # 60 % > 50 %


def test_scop_and_outside_caps_warn_with_figures(scop):
    """Loi 47-1775 art. 3 bis (outside ≤ 49 %, non-cooperative outside ≤ 35 % of votes); loi 78-763 art. 5 (SCOP)."""
    e = person(scop, "Employee")
    o1, o2 = person(scop, "Out 1", "outside"), person(scop, "Out 2", "outside")
    subscribe(scop, e, 2, D(2021, 1, 1))
    subscribe(scop, o1, 10, D(2021, 1, 1))
    subscribe(scop, o2, 10, D(2021, 1, 1))
    with scope(workspace=scop.workspace):
        page = register_page(scop, TODAY)
    text = " | ".join(f"{w.message} ({w.source})" for w in page.warnings)
    assert "66,7" in text and "art. 3 bis" in text          # 2 outside votes of 3
    assert "9,1" in text and "78-763, art. 5" in text        # 200 € of 2 200 € capital


def test_unpaid_capital_past_deadline_warns(world):
    issuer = make_issuer(world.partner_a, years=2)
    bob = person(issuer, "Bob")
    subscribe(issuer, bob, 4, D(2021, 1, 1), paid=Decimal("100"))
    with scope(workspace=world.partner_a):
        assert not [w for w in register_page(issuer, D(2022, 12, 31)).warnings if "Bob" in w.message]
        late = [w for w in register_page(issuer, D(2023, 1, 2)).warnings if "Bob" in w.message]
    assert late and "300,00" in late[0].message


# --- pages --------------------------------------------------------------------------------------

def test_register_page_and_documents(world, clients, scop):
    alice = person(scop, "Alice <b>")
    subscribe(scop, alice, 10, D(2021, 1, 10), paid=Decimal("250"))
    client = clients["alumni"]
    page = client.get("/w/scop-c/alumni/shares/?at=2022-01-01")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Alice &lt;b&gt;" in html and "<svg" in html and "1\u00a0000,00" in html
    cert = client.get(f"/w/scop-c/alumni/shares/holders/{alice.pk}/certificate.pdf?at=2022-01-01")
    assert cert.status_code == 200 and cert.content.startswith(b"%PDF")
    assert client.get(f"/w/scop-c/alumni/shares/holders/{alice.pk}/certificate.pdf?at=2021-01-01").status_code == 404
    xlsx = client.get("/w/scop-c/alumni/shares/register.xlsx?at=2022-01-01")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert client.get("/w/scop-c/alumni/shares/register.pdf").content.startswith(b"%PDF")


def test_record_a_movement_through_the_form(world, clients, scop):
    bob = person(scop, "Bob")
    client = clients["alumni"]
    bad = client.post("/w/scop-c/alumni/shares/movements/new/", {
        "kind": "subscription", "effective_date": "2021-01-01", "holder": bob.pk, "shares": "2", "amount": "150",
        "paid": "150"})
    assert bad.status_code == 200 and count(scop) == 0
    assert "2 × 100,00" in bad.content.decode().replace("\u00a0", " ")
    ok = client.post("/w/scop-c/alumni/shares/movements/new/", {
        "kind": "subscription", "effective_date": "2021-01-01", "holder": bob.pk, "shares": "2", "amount": "200",
        "paid": "50", "decision": "Bulletin du 01/01/2021"})
    assert ok.status_code == 302 and count(scop) == 1


def test_movement_posted_with_another_issuers_holder_is_refused(world, clients, scop):
    other = make_issuer(world.partner_b)
    stranger = person(other, "Stranger")
    response = clients["alumni"].post("/w/scop-c/alumni/shares/movements/new/", {
        "kind": "subscription", "effective_date": "2021-01-01", "holder": stranger.pk, "shares": "1",
        "amount": "100", "paid": "100"})
    assert response.status_code == 200 and count(scop) == 0 and count(other) == 0


def test_holdings_page_shows_only_own_lines(world, clients):
    host = make_issuer(world.host, legal_form="scic_sas", nominal="20")
    with scope(workspace=world.host):
        a = holder_create(actor=None, issuer=host, category="coop_outside", holder_workspace=world.partner_a)
        b = holder_create(actor=None, issuer=host, category="coop_outside", holder_workspace=world.partner_b)
    subscribe(host, a, 50, D(2021, 1, 1))
    subscribe(host, b, 7, D(2021, 1, 1))
    html = clients["partner_a"].get("/w/cae-a/alumni/shares/holdings/").content.decode()
    assert "Coopérative Mutualise" in html and ">50<" in html
    assert "CAE B" not in html and ">7<" not in html
    assert clients["partner_a"].get("/w/cae-a/alumni/shares/holdings/statement.pdf?year=2025").content.startswith(b"%PDF")


def test_register_page_query_count_is_constant(world, clients, scop, django_assert_max_num_queries):
    holders = [person(scop, f"H{i}") for i in range(30)]
    for i, h in enumerate(holders):
        subscribe(scop, h, 1 + i % 3, D(2021, 1, 1) + datetime.timedelta(days=i))
    with django_assert_max_num_queries(25):
        assert clients["alumni"].get("/w/scop-c/alumni/shares/").status_code == 200


def test_staff_capital_list_agrees_with_the_register_fold(world, scop):
    """The staff list sums shares in SQL: it must give the fold's capital, nominal changes and cancellations included."""
    from alumni.selectors.shares import issuers_for_staff

    alice, bob = person(scop, "Alice"), person(scop, "Bob")
    subscribe(scop, alice, 10, D(2021, 1, 1))
    m = subscribe(scop, bob, 4, D(2021, 2, 1))
    redeem(scop, alice, 2, D(2021, 3, 1))
    with scope(workspace=scop.workspace):
        movement_record(actor=None, issuer=scop, kind="nominal", effective_date=D(2021, 4, 1), nominal=Decimal("150"),
                        today=TODAY)
        movement_cancel(actor=None, issuer=scop, movement=m, effective_date=D(2021, 5, 1), today=TODAY)
    for day in (D(2021, 2, 15), D(2021, 3, 15), D(2021, 4, 15), D(2021, 5, 15)):
        with scope(workspace=scop.workspace):
            expected = register_at(scop, day).capital
        assert dict((i.pk, c) for i, c in issuers_for_staff(day))[scop.pk] == expected, day
