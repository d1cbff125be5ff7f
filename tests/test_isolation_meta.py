"""The isolation walk has teeth: with the tenancy switched off it reports leaks.

tests/test_isolation.py passes when every address answers 403/404 to a foreign persona. A
walk that passes for the wrong reason (badly built addresses, a check that never runs)
would hide a leak. Here the same walk runs with the workspace scoping disabled, as if the
middleware forgot `scope()` and the lookup helpers forgot their workspace check: it must
then report the leaks. Each of the two defences is also shown to hold on its own.
"""

from __future__ import annotations

import inspect

import pytest
from django.http import Http404
from django_scopes import scope, scopes_disabled

from backoffice import middleware
from backoffice.selectors import lookups
from backoffice.tenancy import resolve_actor
from tests import factories
from tests.test_isolation import OBJECT_BUILDERS, build_objects, isolation_failures

WATCHED = {"dossier_detail", "document_download"}


def _no_scope(**_kwargs):
    """Stands in for `django_scopes.scope` in the middleware: every query sees every workspace."""
    return scopes_disabled()


def _no_workspace_check(actor, obj):
    """Stands in for the lookup helpers' own "is it the actor's workspace" check."""
    return obj


@pytest.fixture
def objects(world):
    return build_objects([world.partner_a, world.partner_b, world.alumni_c, world.host])


def test_the_walk_reports_leaks_when_the_tenancy_is_off(world, objects, monkeypatch):
    monkeypatch.setattr(middleware, "scope", _no_scope)
    monkeypatch.setattr(lookups, "in_actor_workspace", _no_workspace_check)
    failures, checks = isolation_failures(world, "partner_a", objects, only=WATCHED)
    assert checks > 0
    leaked = {f for f in failures if "(own workspace, objects of cae-b)" in f}
    for name, obj_kind in (("dossiers", "dossier"), ("documents", "document")):
        pk = objects["cae-b"][obj_kind]
        assert any(f"/w/cae-a/{name}/{pk}/" in f and f.startswith("GET ") and f.endswith("→ 200") for f in leaked), \
            f"the walk did not catch the {obj_kind} leak:\n" + "\n".join(failures)


def test_the_same_walk_is_clean_with_the_tenancy_on(world, objects):
    failures, checks = isolation_failures(world, "partner_a", objects, only=WATCHED)
    assert checks > 0 and failures == []


def test_the_lookup_check_alone_still_stops_foreign_ids(world, objects, monkeypatch):
    """Defence in depth: without the middleware's scope, the helpers' workspace check holds."""
    monkeypatch.setattr(middleware, "scope", _no_scope)
    failures, _checks = isolation_failures(world, "partner_a", objects, only=WATCHED)
    assert failures == []


def test_the_scope_alone_still_stops_foreign_ids(world, objects, monkeypatch):
    """Defence in depth: without the helpers' workspace check, the scope holds."""
    monkeypatch.setattr(lookups, "in_actor_workspace", _no_workspace_check)
    failures, _checks = isolation_failures(world, "partner_a", objects, only=WATCHED)
    assert failures == []


# --- Every lookup helper answers 404 for a foreign id -----------------------------------

def _lookup_helpers():
    return sorted((name, fn) for name, fn in inspect.getmembers(lookups, inspect.isfunction)
                  if name.startswith("get_") and fn.__module__ == lookups.__name__)


def _builder(kind: str):
    """How to make an object of `kind` in a workspace: the isolation registry's builder, or
    else the factory named after it (price_line → PriceLineFactory)."""
    if kind in OBJECT_BUILDERS:
        return OBJECT_BUILDERS[kind]
    factory = getattr(factories, "".join(p.title() for p in kind.split("_")) + "Factory", None)
    if factory is None:
        return None
    return lambda ws: factory(workspace=ws).pk


def test_every_lookup_helper_is_covered():
    assert {"get_dossier", "get_document"} <= {name for name, _fn in _lookup_helpers()}
    missing = []
    for name, fn in _lookup_helpers():
        param = list(inspect.signature(fn).parameters)[1]
        if param == "pk" and _builder(name.removeprefix("get_")) is None:
            missing.append(f"{name}: add an OBJECT_BUILDERS entry {name.removeprefix('get_')!r} to a registry")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("name", [name for name, _fn in _lookup_helpers()])
def test_each_lookup_helper_404s_for_a_foreign_id_inside_a_scope(world, name):
    fn = getattr(lookups, name)
    param = list(inspect.signature(fn).parameters)[1]
    staff_in_a = resolve_actor(world.users["staff"], world.partner_a.slug)  # every right, in CAE A
    assert staff_in_a is not None and staff_in_a.workspace == world.partner_a
    if param == "pk":
        build = _builder(name.removeprefix("get_"))
        with scopes_disabled():
            foreign, own = build(world.partner_b), build(world.partner_a)
        with scope(workspace=world.partner_a):
            with pytest.raises(Http404):
                fn(staff_in_a, foreign)
            assert fn(staff_in_a, own).pk == own  # control: the same helper finds its own
    else:  # a lookup by slug (a workspace): a foreign one is not found from inside a scope
        with scope(workspace=world.partner_a), pytest.raises(Http404):
            fn(staff_in_a, world.partner_b.slug)
