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
    from django_scopes import scopes_disabled

    from tests.factories import WorkspaceFactory

    clients["staff"].get("/staff/")  # warm
    with django_assert_max_num_queries(40) as ctx:
        clients["staff"].get("/staff/")
    before = len(ctx.captured_queries)
    with scopes_disabled():
        for i in range(20):
            WorkspaceFactory(slug=f"extra-{i}", name=f"Extra {i}")
    with django_assert_max_num_queries(before):
        clients["staff"].get("/staff/")


APPS = ("backoffice", "payroll", "training", "alumni", "invoicing")


def _audit_actions_in_code() -> set[str]:
    """Every literal audit action ("app.verb") written next to `action=` in the apps' code."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = set()
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line in path.read_text().splitlines():
                if "action=" in line and "add_argument" not in line:
                    found |= set(re.findall(r'"([a-z_]+\.[a-z_]+)"', line))
    return found


def test_every_audit_action_has_a_french_label():
    """The audit trail shows words, never "payroll.run": each app registers its actions in its
    ui.py (register_audit_labels)."""
    from backoffice.interface import audit_registered_actions

    actions = _audit_actions_in_code()
    assert "payroll.run" in actions and "dossier.status" in actions  # the scan finds them
    missing = sorted(actions - audit_registered_actions())
    assert not missing, f"register French labels for these audit actions: {missing}"


def _audit_change_keys_in_code() -> dict[str, set[str]]:
    """The literal keys of every `audit_record(..., changes={...})` in the apps' code."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found: dict[str, set[str]] = {}
    for app in ("backoffice", "payroll", "training", "alumni", "invoicing"):
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = getattr(node, "func", None)
                if not isinstance(node, ast.Call) or getattr(name, "id", getattr(name, "attr", "")) != "audit_record":
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "changes" and isinstance(keyword.value, ast.Dict):
                        for key in keyword.value.keys:
                            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                                found.setdefault(key.value, set()).add(str(path.relative_to(root)))
    return found


def test_every_audit_change_key_has_a_french_label():
    """What an audit entry stores in `changes` shows under a label: an unregistered key would
    show as the English word of the code ("Amount", "Overpayment"). Each app registers the keys
    its services store in its ui.py (register_audit_fields)."""
    from backoffice.interface import _AUDIT_FIELDS

    keys = _audit_change_keys_in_code()
    assert "rendered" in keys and "overpayment" in keys  # the scan finds them
    registered = {name.rsplit(".", 1)[-1] for name in _AUDIT_FIELDS}
    missing = {key: sorted(paths) for key, paths in keys.items() if key not in registered}
    assert not missing, f"register French labels (register_audit_fields) for these audit keys: {missing}"


def test_audit_trail_shows_labels_and_french_values(clients, world, settings):
    from django.conf import settings as django_settings
    from django.utils import translation

    settings.LOCALE_PATHS = [django_settings.BASE_DIR / "locale"]  # the French catalogue on
    from django_scopes import scopes_disabled

    from backoffice.models import AuditEntry
    from backoffice.selectors.dossiers import action_label, readable_changes

    with scopes_disabled():
        entry = AuditEntry.objects.create(workspace=world.partner_a, action="dossier.status",
                                          object_type="backoffice.dossier", object_id="1",
                                          changes={"status": ["new", "in_progress"], "stage": ["Computed", "Approved by the partner"],
                                                   "count": "2600.00"})
    with translation.override("fr"):
        assert action_label("dossier.status") == "Statut modifié"
        lines = {line.field: (line.old, line.new) for line in readable_changes(entry)}
    assert lines["Statut"] == ("Nouveau", "En cours")
    assert lines["Étape"] == ("Calculée", "Approuvée par le partenaire")
    assert lines["Nombre"][1] == "2\u00a0600,00"
    html = clients["staff"].get("/staff/audit/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    visible = re.sub(r"<[^>]+>", " ", html.split("<main")[1])  # text, not option values
    assert "dossier.status" not in visible and "Statut modifié" in visible
