"""The contributions ledger: balances, days overdue, staff filters, xlsx export, constant queries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from alumni.models import AlumniCompany, RevenueDeclaration
from alumni.selectors.ledger import staff_ledger, workspace_ledger
from tests.conftest import login
from tests.factories import WorkspaceFactory

D = datetime.date


def add(workspace, year, revenue, contribution):
    with scopes_disabled():
        RevenueDeclaration.objects.create(workspace=workspace, period_start=D(year, 1, 1), period_end=D(year, 12, 31),
                                          revenue=Decimal(revenue), contribution=Decimal(contribution),
                                          usage_reference=f"revenue:{year}")


def test_workspace_ledger_balances_and_days_overdue(company):
    add(company.workspace, 2024, "50000", "500")
    add(company.workspace, 2025, "80000", "800")
    with scope(workspace=company.workspace):
        ledger = workspace_ledger(company.workspace)
    assert (ledger.row.declared, ledger.row.due, ledger.row.balance) == (
        Decimal("130000"), Decimal("1300"), Decimal("1300"))
    assert ledger.row.invoiced == 0 and ledger.row.paid == 0   # nothing invoiced (tests/alumni/test_ledger_billing.py)
    # The oldest unpaid contribution fell due on 30 January 2025 (period end + 30 days).
    assert ledger.row.days_overdue(D(2025, 2, 9)) == 10
    assert ledger.row.days_overdue(D(2025, 1, 30)) == 0
    assert [y for y, _d, _c in ledger.by_year] == [2024, 2025]


def test_staff_ledger_filters_exports_and_keeps_constant_queries(world, company, django_assert_max_num_queries):
    add(company.workspace, 2025, "80000", "800")
    with scopes_disabled():
        for i in range(5):
            ws = WorkspaceFactory(slug=f"scop-x{i}", kind="alumni", name=f"SCOP X{i}", origin=world.partner_b)
            AlumniCompany.objects.create(workspace=ws, legal_form="sas", status="active")
            add(ws, 2025, "10000", "100")
    with django_assert_max_num_queries(12):
        rows = staff_ledger(year=2025, today=D(2026, 11, 29))
    assert len(rows) == 8                      # 6 alumni companies and the 2 partner CAEs
    assert len(staff_ledger(year=2025, who="alumni", today=D(2026, 11, 29))) == 6
    assert [r.workspace.slug for r in staff_ledger(origin="cae-a", year=2025, today=D(2026, 11, 29))] == [
        "cae-a", "scop-c"]
    client = login(world.users["staff"])
    response = client.get(reverse("staff:alumni:ledger"), {"year": "2025", "who": "alumni"})
    assert response.status_code == 200 and "<svg" in response.content.decode()
    export = client.get(reverse("staff:alumni:ledger"), {"year": "2025", "format": "xlsx", "who": "alumni"})
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Workspace" and len(rows) == 7
    assert ("SCOP C", "CAE A", "Active", 80000, 800) == tuple(rows[1][:5])
    assert client.get(reverse("staff:alumni:ledger")).status_code == 200
    assert login(world.users["partner_a"]).get(reverse("staff:alumni:ledger")).status_code == 404


def test_staff_ledger_pages_keep_filters_and_export_everything(world, company):
    """The page shows 50 rows at a time, with links that keep the filters; the export holds every
    row of the filtered ledger, names that look like formulas neutralised."""
    from alumni.views.staff import LEDGER_PAGE_SIZE

    with scopes_disabled():
        for i in range(LEDGER_PAGE_SIZE + 5):
            ws = WorkspaceFactory(slug=f"scop-p{i:02d}", kind="alumni", name=f"=SCOP P{i:02d}", origin=world.partner_b)
            AlumniCompany.objects.create(workspace=ws, legal_form="sas", status="active")
            add(ws, 2025, "10000", "100")
    client = login(world.users["staff"])
    first = client.get(reverse("staff:alumni:ledger"), {"year": "2025", "origin": "cae-b", "who": "alumni"})
    assert len(first.context["rows"]) == LEDGER_PAGE_SIZE
    assert first.context["totals"]["due"] == Decimal("5500")          # every row, not only the page
    assert "origin=cae-b" in first.context["query"] and "page=2" in first.content.decode()
    second = client.get(reverse("staff:alumni:ledger"), {"year": "2025", "origin": "cae-b", "who": "alumni",
                                                          "page": "2"})
    assert [r.workspace.name for r, _d in second.context["rows"]] == [f"=SCOP P{i:02d}" for i in range(50, 55)]
    beyond = client.get(reverse("staff:alumni:ledger"), {"year": "2025", "origin": "cae-b", "who": "alumni",
                                                          "page": "999"})
    assert beyond.context["page"].number == 2                    # bounded: the last page
    export = client.get(reverse("staff:alumni:ledger"), {"year": "2025", "origin": "cae-b", "format": "xlsx",
                                                         "who": "alumni", "page": "2"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == LEDGER_PAGE_SIZE + 5 + 1
    assert rows[1][0] == "'=SCOP P00"
