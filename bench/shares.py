"""Share registers at federation scale: prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h11 .venv/bin/python bench/shares.py [--quick]

1,000 issuers, 50,000 movements (50 a register: 20 subscriptions, then releases, transfers,
subscriptions and redemptions), one CAE holding shares in every issuer. Prints the time and
the query count of:
1. an issuer's register page (50 movements, 20 associates, warnings and charts);
2. a holder's positions across the 1,000 issuers (its holdings page);
3. an issuer's capital at a past date, and every issuer's capital at a past date (staff list);
4. recording one movement (row lock, whole-register checks, audit).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Timer, report, setup_django, throwaway_database  # noqa: E402

D = datetime.date
START = D(2015, 1, 1)


def build(issuers: int, per_issuer: int):
    from django.db import connection
    from django_scopes import scopes_disabled

    from alumni.models import ShareHolder, ShareIssuer, ShareMovement
    from alumni.services.shares import register_fold
    from backoffice.models import Membership, User, Workspace

    with scopes_disabled():
        holder_ws = Workspace.objects.create(kind="partner", slug="cae-holder", name="CAE détentrice", siren="732829320")
        wss = Workspace.objects.bulk_create([
            Workspace(kind="partner", slug=f"issuer-{i:04d}", name=f"SCOP {i:04d}", siren="732829320")
            for i in range(issuers)])
        iss = ShareIssuer.objects.bulk_create([
            ShareIssuer(workspace=w, legal_form="scop_sarl", created_on=START, initial_nominal=Decimal("100"))
            for w in wss])
        holders_per = 20
        holders = ShareHolder.objects.bulk_create([
            ShareHolder(workspace_id=i.workspace_id, issuer=i, name=f"Associé {k}",
                        category="employee" if k else "coop_outside", holder_workspace=holder_ws if k == 0 else None)
            for i in iss for k in range(holders_per)])
        by_issuer: dict[int, list] = {}
        for h in holders:
            by_issuer.setdefault(h.issuer_id, []).append(h)
        movements = []
        for i in iss:
            hs = by_issuer[i.pk]
            rows = []
            day = START
            for k, h in enumerate(hs):
                rows.append(dict(kind="subscription", holder=h, shares=10, amount=Decimal("1000"),
                                 paid=Decimal("250") if k % 2 else Decimal("1000")))
            n = len(rows)
            k = 0
            while n < per_issuer:
                h = hs[1 + k % (holders_per - 1)]
                step = k % 4
                if step == 0:
                    rows.append(dict(kind="subscription", holder=h, shares=2, amount=Decimal("200"),
                                     paid=Decimal("200")))
                elif step == 1:
                    rows.append(dict(kind="transfer", holder=h, counterparty=hs[0], shares=1, amount=Decimal("100"),
                                     paid=Decimal("100")))
                elif step == 2:
                    rows.append(dict(kind="redemption", holder=h, shares=1, amount=Decimal("100"),
                                     paid=Decimal("100")))
                else:
                    rows.append(dict(kind="subscription", holder=h, shares=1, amount=Decimal("100"),
                                     paid=Decimal("100")))
                n += 1
                k += 1
            for number, row in enumerate(rows, start=1):
                day = day + datetime.timedelta(days=30)
                movements.append(ShareMovement(workspace_id=i.workspace_id, issuer=i, number=number,
                                               effective_date=day, nominal=Decimal("100"), decision="bench",
                                               counterparty=row.pop("counterparty", None), **row))
            i.last_number = len(rows)
        ShareMovement.objects.bulk_create(movements, batch_size=5000)
        for i in iss:
            i.highest_capital = register_fold(i, [m for m in movements if m.issuer_id == i.pk]).highest_capital
        ShareIssuer.objects.bulk_update(iss, ["last_number", "highest_capital"], batch_size=1000)
        user = User.objects.create_user("bench@example.test", "x")
        Membership.objects.create(workspace=holder_ws, user=user, role="manager")
        Membership.objects.create(workspace=wss[0], user=user, role="manager")
    connection.cursor().execute("ANALYZE") if connection.vendor == "postgresql" else None
    return holder_ws, wss[0], iss[0], user, len(movements)


def measure(label, fn, repeat=3):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best = None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries, Timer() as t:
            fn()
        best = t.seconds if best is None else min(best, t.seconds)
    report(label, f"{best * 1000:.0f} ms, {len(queries)} queries")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from django.test import Client
    from django_scopes import scope

    from alumni.selectors.shares import issuers_for_staff
    from alumni.services.shares import movement_record, register_at

    issuers, per = (100, 50) if args.quick else (1000, 50)
    with throwaway_database():
        with Timer() as t:
            holder_ws, issuer_ws, issuer, user, count = build(issuers, per)
        print(f"shares bench: {issuers} issuers, {count} movements (built in {t.seconds:.1f} s)")
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

        def page(url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        page(f"/w/{issuer_ws.slug}/alumni/shares/")  # warm up templates
        measure("1. register page (50 movements, 20 associates)", lambda: page(f"/w/{issuer_ws.slug}/alumni/shares/"))
        measure(f"2. holder's positions in {issuers} issuers (page)",
                lambda: page(f"/w/{holder_ws.slug}/alumni/shares/holdings/"))
        past = D(2017, 6, 30)

        def capital_at():
            with scope(workspace=issuer_ws):
                register_at(issuer, past)
        measure("3a. one issuer's capital at a past date", capital_at)
        measure(f"3b. capital of all {issuers} issuers at a past date", lambda: issuers_for_staff(past))
        holder = None
        with scope(workspace=issuer_ws):
            from alumni.models import ShareHolder
            holder = ShareHolder.objects.filter(issuer=issuer).order_by("pk")[5]
            last = issuer.movements.order_by("-number").first().effective_date

        def record():
            with scope(workspace=issuer_ws):
                movement_record(actor=None, issuer=issuer, kind="subscription", effective_date=last, holder=holder,
                                shares=1, amount=Decimal("100"), paid=Decimal("100"), today=D(2030, 1, 1))
        measure("4. record one movement (lock, whole-register checks, audit)", record)


if __name__ == "__main__":
    main()
