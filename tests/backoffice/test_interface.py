"""The header's menus, the workspace switcher and status colours come from one registry
(backoffice/interface.py) that each app extends in its `ui` module."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template

from backoffice.interface import TONES, nav_groups, registered_tones, tone_of
from backoffice.models import Dossier

pytestmark = pytest.mark.django_db


def _menus(html: str, bar: str) -> list[str]:
    """The link targets inside the header bar of class `bar`."""
    block = re.search(rf'<nav class="container-fluid {bar}".*?</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', block.group(0)) if block else []


def test_partner_sees_its_workspace_menus_and_no_staff_bar(clients):
    html = clients["partner_a"].get("/w/cae-a/").content.decode()
    links = _menus(html, "wsbar")
    assert "/w/cae-a/dossiers/" in links and "/w/cae-a/payroll/" in links and "/w/cae-a/agreement/" in links
    assert "/w/cae-a/payroll/simulation/" in links
    assert not any(link.startswith("/staff/") for link in _menus(html, "bar"))
    assert "/w/cae-a/usage/" not in links  # billable usage is for host staff


def test_alumni_company_has_no_payroll_menu(clients):
    links = _menus(clients["alumni"].get("/w/scop-c/").content.decode(), "wsbar")
    assert "/w/scop-c/dossiers/" in links
    assert not any("/payroll/" in link for link in links)


def test_staff_see_staff_bar_and_the_workspace_switcher(clients):
    html = clients["staff"].get("/w/cae-a/payroll/").content.decode()
    top = _menus(html, "bar")
    assert {"/staff/", "/staff/queue/", "/staff/workspaces/", "/staff/payroll/rates/"} <= set(top)
    assert "/w/cae-b/" in top  # switcher lists other workspaces, not the current one
    assert "/w/cae-a/" not in top
    # The current page is marked in its menu.
    assert re.search(r'href="/w/cae-a/payroll/" aria-current="page"', html)


def test_a_partner_switcher_lists_only_its_own_workspaces(clients):
    html = clients["partner_a"].get("/w/cae-a/").content.decode()
    assert "/w/cae-b/" not in html
    assert 'class="dropdown switcher"' not in html  # one workspace: nothing to switch to


def test_every_registered_group_has_items_and_known_tones():
    for area in ("staff", "workspace"):
        for group in nav_groups(area):
            assert group.items, group.key
    for key, tones in registered_tones().items():
        assert set(tones.values()) <= set(TONES), key


def test_status_badge_uses_the_registered_tone(world):
    dossier = Dossier(workspace=world.partner_a, status="waiting_client")
    html = Template('{% load ui %}{% status_badge d "status" %}').render(Context({"d": dossier}))
    assert html.startswith('<span class="badge tone-waiting">')
    assert tone_of("backoffice.Dossier.status", "done") == "success"
    assert tone_of("backoffice.Dossier.status", "unknown") == "neutral"


def test_header_costs_a_constant_number_of_queries(clients, world, django_assert_max_num_queries):
    from tests.factories import WorkspaceFactory
    from django_scopes import scopes_disabled

    clients["staff"].get("/staff/")  # warm
    with django_assert_max_num_queries(40) as ctx:
        clients["staff"].get("/staff/")
    before = len(ctx.captured_queries)
    with scopes_disabled():
        for i in range(20):
            WorkspaceFactory(slug=f"extra-{i}", name=f"Extra {i}")
    with django_assert_max_num_queries(before):
        clients["staff"].get("/staff/")
