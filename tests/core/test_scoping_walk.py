"""The generic scoping walk.

Every page in the URL conf and every endpoint in the OpenAPI schema is fetched by users
of two sibling townships. Pages and endpoints are discovered, never listed here, so what
later apps add is walked too. The test fails on any cross-visibility:
- a detail URL (one id in the path) must answer 404 for the sibling's object while its
  owner gets it (positive control) — every such URL must declare its model (a view's
  `model`, a function view's `scoped_model`, a viewset's `queryset`), or the walk fails;
- reference data the same for everyone (a model with `global_reference = True`, such as
  deadline rules or the holiday calendar) is exempt from the detail check;
- public pages (a view with `public = True`: no login, published and masked records) are
  exempt; their masking is tested by their app;
- a list page or list endpoint must not show the names of the sibling's units, people or
  records, and API rows must all belong to the caller's scope, also when the caller asks
  for the sibling's unit with `?org=`.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from yifa.orgs.models import Organization

SKIP_PREFIXES = ("admin/", "api/schema", "api/docs", "static/", "logout/", "login/", "__")
ID_KWARGS = {"pk", "id"}


def walk_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk_patterns(p, route)
        elif isinstance(p, URLPattern):
            yield route, p


def route_kwargs(route):
    return re.findall(r"<(?:(\w+):)?(\w+)>", route)


def fill(route, value):
    route = re.sub(r"<(?:\w+:)?\w+>", str(value), route)
    return "/" + route.lstrip("^").rstrip("$").replace("\\Z", "")


def declared_model(callback):
    view_class = getattr(callback, "view_class", None)
    if view_class is not None and getattr(view_class, "model", None) is not None:
        return view_class.model
    cls = getattr(callback, "cls", None)  # DRF viewsets / APIViews
    if cls is not None and getattr(cls, "queryset", None) is not None:
        return cls.queryset.model
    return getattr(callback, "scoped_model", None)


def is_public(callback):
    view_class = getattr(callback, "view_class", None)
    return bool(getattr(callback, "public", False) or getattr(view_class, "public", False))


def html_routes():
    out = []
    for route, pattern in walk_patterns():
        if route.startswith(SKIP_PREFIXES) or route.startswith("api/"):
            continue
        if "(?P<format>" in route or "\\.(?P" in route:
            continue
        out.append((route, pattern))
    return out


def api_paths(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    return schema["paths"]


def sibling_markers(world):
    """Strings that only the sibling (B) subtree's records carry."""
    markers = set()
    for org in Organization.objects.filter(path__startswith=world.town_b.path):
        markers.add(org.name)
    from yifa.orgs.models import User

    for u in User.objects.filter(org__path__startswith=world.town_b.path):
        markers.add(u.display_name)
    markers.update(world.get("b_markers", ()))
    return {m for m in markers if m}


def objects_of(model, org):
    manager = model._default_manager
    assert hasattr(manager, "in_subtree"), (
        f"{model.__name__} is not scoped (no ScopedManager): scope it, or mark it `global_reference = True` "
        "if it is the same for everyone (rules, calendars)")
    return manager.in_subtree(org)


def is_global(model):
    return bool(getattr(model, "global_reference", False))


@pytest.mark.django_db
def test_every_html_page_is_scoped(world, client_for):
    a, b = client_for(world.walker_a), client_for(world.walker_b)
    markers = sibling_markers(world)
    checked_details, checked_lists = [], []
    missing_model = []
    for route, pattern in html_routes():
        kwargs = route_kwargs(route)
        if is_public(pattern.callback):
            continue  # public pages (no login) show published, masked records of every unit by design
        if not kwargs:
            url = fill(route, "")
            resp = a.get(url)
            assert resp.status_code < 500, f"{url} → {resp.status_code}"
            if resp.status_code == 200 and "text/html" in resp.get("Content-Type", ""):
                body = resp.content.decode()
                leaked = [m for m in markers if m in body]
                assert not leaked, f"{url} shows the sibling unit's records to walker_a: {leaked}"
            checked_lists.append(url)
            continue
        names = {name for _, name in kwargs}
        if len(kwargs) != 1 or not names & ID_KWARGS:
            continue  # non-id routes (e.g. slugs) are covered by their apps' own tests
        model = declared_model(pattern.callback)
        if model is None:
            missing_model.append(route)
            continue
        if is_global(model):
            continue
        target = objects_of(model, world.town_b).first()
        assert target is not None, f"no {model.__name__} in the sibling unit: add one in its app's testing.py"
        url = fill(route, target.pk)
        assert b.get(url).status_code == 200, f"positive control: walker_b cannot open own {url}"
        assert a.get(url).status_code == 404, f"walker_a sees walker_b's {model.__name__} at {url}"
        checked_details.append(url)
    assert not missing_model, f"detail URLs without a declared model (the walk cannot check them): {missing_model}"
    assert checked_details and checked_lists


@pytest.mark.django_db
def test_every_api_endpoint_is_scoped(world, client_for):
    a, b = client_for(world.walker_a), client_for(world.walker_b)
    markers = sibling_markers(world)
    a_scope = world.walker_a.scope_root.path
    paths = api_paths(a)
    assert paths, "the OpenAPI schema lists no paths"
    checked = 0
    for path, ops in paths.items():
        if "get" not in ops:
            continue
        params = re.findall(r"\{(\w+)\}", path)
        if not params:
            for suffix in ("", f"?org={world.town_b.pk}"):
                resp = a.get(path + suffix)
                assert resp.status_code < 500, f"{path}{suffix} → {resp.status_code}"
                if resp.status_code != 200:
                    continue
                # an endpoint may answer a file (a streamed CSV export): its text is checked too
                raw = b"".join(resp.streaming_content) if resp.streaming else resp.content
                body = raw.decode("utf-8", "replace")
                leaked = [m for m in markers if m in body]
                assert not leaked, f"{path}{suffix} leaks {leaked}"
                if "json" not in resp.get("Content-Type", ""):
                    continue
                data = resp.json()
                rows = data.get("results", []) if isinstance(data, dict) else data
                for row in rows if isinstance(rows, list) else []:
                    if isinstance(row, dict) and "org" in row and row["org"] is not None:
                        org = Organization.objects.get(pk=row["org"])
                        assert org.path.startswith(a_scope), f"{path}{suffix} returns a row of {org.name}"
            checked += 1
            continue
        if len(params) != 1:
            continue
        probe = re.sub(r"\{\w+\}", "0", path)
        match = resolve(probe)
        model = declared_model(match.func)
        assert model is not None, f"{path}: no queryset/model declared"
        if is_global(model):
            continue
        target = objects_of(model, world.town_b).first()
        assert target is not None, f"no {model.__name__} in the sibling unit for {path}"
        url = re.sub(r"\{\w+\}", str(target.pk), path)
        assert b.get(url).status_code == 200, f"positive control failed for {url}"
        resp = a.get(url)
        assert resp.status_code == 404, f"walker_a sees walker_b's {model.__name__} at {url}"
        assert resp.json()["code"] == "not_found"
        checked += 1
    assert checked >= 3
