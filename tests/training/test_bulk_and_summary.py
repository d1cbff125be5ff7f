"""Bulk opening of a pooled session's requests, and the yearly summary (page, xlsx, command)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from tests.training.factories import EnrolmentFactory, FundingRequestFactory, OpcoFactory, SessionFactory
from training.models import FundingRequest
from training.selectors.summary import yearly_summary
from training.services.bulk import funding_requests_bulk_open


def test_bulk_opens_one_request_per_enrolled_workspace_once(world):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a, world.partner_b])
        for _ in range(2):
            EnrolmentFactory(workspace=world.partner_a, session=session)
        EnrolmentFactory(workspace=world.partner_b, session=session)
        opco = OpcoFactory()
        opened = funding_requests_bulk_open(actor=world.users["staff"], session=session, opco=opco)
        assert sorted((r.workspace.slug, r.enrolments.count(), r.cost_pedagogical) for r in opened) == [
            ("cae-a", 2, Decimal("900.00")), ("cae-b", 1, Decimal("450.00"))]  # 450 € per trainee
        assert funding_requests_bulk_open(actor=world.users["staff"], session=session, opco=opco) == []
        assert FundingRequest.objects.count() == 2


def test_bulk_from_the_staff_page(world, clients):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a, world.partner_b])
        EnrolmentFactory(workspace=world.partner_b, session=session)
        opco = OpcoFactory()
    response = clients["staff"].post(reverse("staff:training:session_bulk_requests", args=[session.pk]),
                                     {"opco": opco.pk})
    assert response.status_code == 302
    with scopes_disabled():
        assert list(FundingRequest.objects.values_list("workspace__slug", flat=True)) == ["cae-b"]


def test_yearly_summary_per_workspace_and_opco(world, clients, tmp_path):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a, world.partner_b])
        year = session.starts_on.year
        opco = OpcoFactory(name="Constructys test")
        FundingRequestFactory(workspace=world.partner_a, session=session, opco=opco, state="paid",
                              amount_asked=Decimal("900"), amount_approved=Decimal("800"),
                              amount_paid=Decimal("750.50"))
        FundingRequestFactory(workspace=world.partner_a, session=session, opco=opco, state="cancelled")
        FundingRequestFactory(workspace=world.partner_b, session=session, opco=opco)
    rows = {(r.workspace, r.opco): r for r in yearly_summary(year)}
    a = rows[("CAE A", "Constructys test")]
    assert (a.requests, a.trainees, a.hours, a.paid, a.gap) == (1, 1, Decimal("14"), Decimal("750.50"),
                                                                Decimal("149.50"))
    assert rows[("CAE B", "Constructys test")].paid == 0
    page = clients["staff"].get(reverse("staff:training:summary") + f"?year={year}").content.decode()
    assert "CAE A" in page and "CAE B" in page
    xlsx = clients["staff"].get(reverse("staff:training:summary_xlsx") + f"?year={year}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:2] == ["Espace", "OPCO"] and sheet.max_row == 3
    out = tmp_path / "summary.xlsx"
    call_command("training_summary", "--year", str(year), "--output", str(out))
    assert load_workbook(out).active.max_row == 3
    assert clients["partner_a"].get(reverse("staff:training:summary")).status_code in (403, 404)
