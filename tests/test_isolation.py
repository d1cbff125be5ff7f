"""Workspaces never leak: every URL × every persona × foreign objects answers 404/403.

The URL list comes from the resolver, so a new URL is covered automatically; a URL whose
parameters are not described in OBJECT_PARAMS (or a URL that is neither workspace-scoped,
staff-only nor listed as PUBLIC) fails `test_every_url_is_classified`, so nobody can add a
URL without saying how to attack it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from tests.conftest import login

# What each area declares about its URLs (PUBLIC, OBJECT_BUILDERS, OBJECT_PARAMS) lives in
# tests/**/isolation*.py, merged here, so each app registers its own addresses.
PUBLIC: set[str] = set()
OBJECT_BUILDERS: dict[str, Callable] = {}
OBJECT_PARAMS: dict[str, dict[str, str]] = {}
API_PUBLIC: set[str] = set()  # API addresses that need no token (full names, e.g. "api_v1:openapi-json")
for _path in sorted(Path(__file__).parent.rglob("isolation*.py")):
    _module = import_module(".".join(_path.relative_to(Path(__file__).parent.parent).with_suffix("").parts))
    PUBLIC |= getattr(_module, "PUBLIC", set())
    OBJECT_BUILDERS |= getattr(_module, "OBJECT_BUILDERS", {})
    OBJECT_PARAMS |= getattr(_module, "OBJECT_PARAMS", {})
    API_PUBLIC |= getattr(_module, "API_PUBLIC", set())

# The REST API (payroll/api.py) lives under this URL namespace: no /w/ prefix, the bearer token
# decides the workspace. Its addresses are walked with tokens by test_api_isolates_workspaces.
API_NAMESPACE = "api_v1"

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def iter_urls(resolver=None, prefix: str = "", namespace: str | None = None) -> Iterator[tuple[str, str]]:
    """(full name, route) of every named URL pattern in the project."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns and namespace and p.namespace:
                ns = f"{namespace}:{p.namespace}"
            yield from iter_urls(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)


def classify(name: str, route: str) -> str:
    params = set(_PARAM.findall(route))
    if name.startswith("staff:"):
        return "staff"
    if name.startswith(f"{API_NAMESPACE}:"):
        return "api"
    if "workspace" in params:
        return "workspace"
    if name.split(":")[-1] in PUBLIC:
        return "public"
    return "unclassified"


def tenant_urls() -> list[tuple[str, str, str]]:
    return [(name, route, kind) for name, route in iter_urls() if (kind := classify(name, route)) in ("staff", "workspace")]


def test_every_url_is_classified():
    assert OBJECT_BUILDERS and PUBLIC, "no isolation registry found"
    problems = []
    for name, route in iter_urls():
        kind = classify(name, route)
        if kind == "unclassified":
            problems.append(f"{name} ({route}) is neither workspace-scoped, staff-only nor PUBLIC")
        params = set(_PARAM.findall(route)) - {"workspace"}
        if kind in ("workspace", "staff", "api") and params:
            described = OBJECT_PARAMS.get(name.split(":")[-1] if ":" not in name else name, {})
            missing = params - set(described)
            if missing:
                problems.append(f"{name}: parameters {sorted(missing)} not described in OBJECT_PARAMS")
            for kind_name in described.values():
                if kind_name not in OBJECT_BUILDERS:
                    problems.append(f"{name}: no OBJECT_BUILDERS entry for {kind_name!r}")
    assert not problems, "\n".join(problems)


def build_objects(workspaces) -> dict[str, dict[str, int]]:
    with scopes_disabled():
        return {ws.slug: {kind: build(ws) for kind, build in OBJECT_BUILDERS.items()} for ws in workspaces}


def url_for(name: str, route: str, slug: str, objects: dict[str, int]) -> str:
    kwargs = {}
    for param in _PARAM.findall(route):
        if param == "workspace":
            kwargs["workspace"] = slug
        else:
            kwargs[param] = objects[OBJECT_PARAMS[name][param]]
    return reverse(name, kwargs=kwargs)


DENIED = {403, 404}
# A GET on a POST-only address is refused before any lookup (405): it reveals nothing.
DENIED_BY_METHOD = {"get": DENIED | {405}, "post": DENIED}
PERSONAS = {
    # persona: (own workspace attribute, foreign workspace attributes)
    "partner_a": ("partner_a", ["partner_b", "alumni_c", "host"]),
    "partner_b": ("partner_b", ["partner_a", "alumni_c", "host"]),
    "alumni": ("alumni_c", ["partner_a", "partner_b", "host"]),  # not even its origin CAE
    "staff": ("partner_a", []),                                   # staff may enter any workspace
}


def isolation_failures(world, persona: str, objects: dict[str, dict[str, int]],
                       only: set[str] | None = None) -> tuple[list[str], int]:
    """Walk every tenant URL (or only the URL names in `only`) as `persona` with foreign
    workspaces and foreign object ids; return (what answered instead of 403/404, how many
    checks ran). tests/test_isolation_meta.py runs it with the tenancy switched off to
    prove it catches leaks."""
    own_attr, foreign_attrs = PERSONAS[persona]
    own = getattr(world, own_attr)
    other = world.partner_b if own_attr != "partner_b" else world.partner_a
    client = login(world.users[persona])
    failures, checks = [], 0

    for name, route, kind in tenant_urls():
        if only is not None and name not in only:
            continue
        if kind == "staff":
            if persona == "staff":
                continue
            url = url_for(name, route, own.slug, objects[other.slug])
            for method in ("get", "post"):
                checks += 1
                status = getattr(client, method)(url).status_code
                if status not in DENIED_BY_METHOD[method]:
                    failures.append(f"{method.upper()} {url} (staff area) → {status}")
            continue
        # 1. A workspace the persona does not belong to, with that workspace's objects.
        for attr in foreign_attrs:
            foreign = getattr(world, attr)
            url = url_for(name, route, foreign.slug, objects[foreign.slug])
            for method in ("get", "post"):
                checks += 1
                status = getattr(client, method)(url).status_code
                if status not in DENIED_BY_METHOD[method]:
                    failures.append(f"{method.upper()} {url} (foreign workspace {foreign.slug}) → {status}")
        # 2. The persona's own workspace in the address, another workspace's object ids.
        if set(_PARAM.findall(route)) - {"workspace"}:
            url = url_for(name, route, own.slug, objects[other.slug])
            for method in ("get", "post"):
                checks += 1
                status = getattr(client, method)(url).status_code
                if status not in DENIED_BY_METHOD[method]:
                    failures.append(f"{method.upper()} {url} (own workspace, objects of {other.slug}) → {status}")
    return failures, checks


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_url_leaks_across_workspaces(world, persona, record_property):
    objects = build_objects([world.partner_a, world.partner_b, world.alumni_c, world.host])
    failures, checks = isolation_failures(world, persona, objects)
    record_property("checks", checks)
    assert checks > 0
    assert not failures, f"{len(failures)} leaks out of {checks} checks:\n" + "\n".join(failures)


def test_anonymous_is_sent_to_login_everywhere(world, client):
    objects = build_objects([world.partner_a])
    failures = []
    for name, route, _kind in tenant_urls():
        url = url_for(name, route, world.partner_a.slug, objects[world.partner_a.slug])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
                failures.append(f"{method.upper()} {url} → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_urls_with_own_objects_are_reachable(world):
    """Control for the tests above: with its own ids the same address is found (not 404),
    so the 404s above come from the scoping, not from a badly built address."""
    objects = build_objects([world.partner_a])
    client = login(world.users["staff"])
    failures = []
    for name, route, _kind in tenant_urls():
        url = url_for(name, route, world.partner_a.slug, objects[world.partner_a.slug])
        status = client.get(url).status_code
        if status == 404:
            failures.append(f"GET {url} → 404")
    assert not failures, "\n".join(failures)


def test_api_isolates_workspaces(world):
    """The REST API: workspace A's token with workspace B's object ids answers 404 (or 405 for a
    method the address does not take), and every address but the published schema answers 401
    without a token, with an unknown token or with a revoked one. Control: A's token finds A's
    own objects."""
    from django.test import Client
    from django.utils import timezone

    from tests.factories import ApiTokenFactory

    objects = build_objects([world.partner_a, world.partner_b])
    with scopes_disabled():
        token_a = ApiTokenFactory(workspace=world.partner_a)
        revoked = ApiTokenFactory(workspace=world.partner_a, revoked_at=timezone.now())
    client = Client()
    api_urls = [(name, route) for name, route in iter_urls() if classify(name, route) == "api"]
    assert api_urls, "no API address found"
    failures, checked_ids = [], 0
    for name, route in api_urls:
        foreign_url = url_for(name, route, world.partner_b.slug, objects[world.partner_b.slug])
        own_url = url_for(name, route, world.partner_a.slug, objects[world.partner_a.slug])
        for method in ("get", "post"):
            send = getattr(client, method)
            if name not in API_PUBLIC:
                for label, headers in (("no token", {}), ("unknown token", {"HTTP_AUTHORIZATION": "Bearer mut_nope"}),
                                       ("revoked token", {"HTTP_AUTHORIZATION": f"Bearer {revoked.raw}"})):
                    status = send(foreign_url, **headers).status_code
                    if status not in (401, 405):
                        failures.append(f"{method.upper()} {foreign_url} ({label}) → {status}")
            if set(_PARAM.findall(route)):
                checked_ids += 1
                status = send(foreign_url, HTTP_AUTHORIZATION=f"Bearer {token_a.raw}").status_code
                if status not in (404, 405):
                    failures.append(f"{method.upper()} {foreign_url} (token of cae-a, objects of cae-b) → {status}")
        if set(_PARAM.findall(route)):
            status = client.get(own_url, HTTP_AUTHORIZATION=f"Bearer {token_a.raw}").status_code
            if status == 404:
                failures.append(f"GET {own_url} (token of cae-a, its own objects) → 404")
    assert checked_ids > 0
    assert not failures, "\n".join(failures)

