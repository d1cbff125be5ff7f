"""Training journey in a real browser (issue 9, "Done means": a browser journey of enrolling
and opening a request): a partner manager of CAE A enrols one of its entrepreneurs in a pooled
session shared with CAE B, then opens a funding request for them to the OPCO; CAE B's trainee
is on none of CAE A's pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from tests.browser.test_journeys import _assert_clean, _log_in
from tests.factories import EntrepreneurFactory
from tests.training.factories import EnrolmentFactory, OpcoFactory, SessionFactory
from training.models import Enrolment, FundingRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_manager_enrols_an_entrepreneur_and_opens_a_funding_request(world, live_server, page):
    with scopes_disabled():
        session = SessionFactory(workspaces=[world.partner_a, world.partner_b], title="Travail en hauteur inter-CAE",
                                 seats=6)
        lea = EntrepreneurFactory(workspace=world.partner_a, last_name="Lefebvre", first_name="Léa")
        EnrolmentFactory(workspace=world.partner_b, session=session,
                         entrepreneur=EntrepreneurFactory(workspace=world.partner_b, last_name="Bravo"))
        OpcoFactory(code="constructys", name="Constructys")

    page.set_default_timeout(120_000)   # a loaded machine; the journey itself is short
    _log_in(page, live_server, "a@example.test")
    page.wait_for_url(f"{live_server.url}/w/cae-a/")
    page.goto(f"{live_server.url}/w/cae-a/training/")
    _assert_clean(page)
    page.click("text=Travail en hauteur inter-CAE")
    page.wait_for_url(f"{live_server.url}/w/cae-a/training/sessions/{session.pk}/")
    assert "Bravo" not in page.content()                      # CAE B's trainee stays CAE B's

    page.check(f"input[name=entrepreneurs][value='{lea.pk}']")
    page.click(f"form[action$='/sessions/{session.pk}/enrol/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/w/cae-a/training/sessions/{session.pk}/")
    with scopes_disabled():
        enrolment = Enrolment.objects.get(session=session, entrepreneur=lea)
    assert "Lefebvre" in page.locator("main").inner_text().title()

    page.click(f"a[href='/w/cae-a/training/sessions/{session.pk}/request/']")
    page.wait_for_url(f"{live_server.url}/w/cae-a/training/sessions/{session.pk}/request/")
    assert page.is_checked(f"input[name=enrolments][value='{enrolment.pk}']")
    page.select_option("select[name=opco]", label="Constructys")
    page.fill("input[name=cost_pedagogical]", "450.00")
    page.fill("input[name=cost_travel]", "35.40")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/w/cae-a/training/requests/*/")
    with scopes_disabled():
        funding = FundingRequest.objects.get(session=session, workspace=world.partner_a)
        assert funding.state == "draft" and funding.amount_asked == Decimal("485.40")
        assert list(funding.enrolments.values_list("entrepreneur_id", flat=True)) == [lea.pk]
    text = page.locator("main").inner_text().replace("\u00a0", " ").replace("\u202f", " ")
    assert "Constructys" in text and "485" in text and "Bravo" not in text
    _assert_clean(page)
