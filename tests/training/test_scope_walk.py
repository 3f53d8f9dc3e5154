"""The generic scoping walk, restricted to this app's pages and endpoints (so that a
failure elsewhere in the shared walk does not hide one here)."""

import re

import pytest
from django.urls import resolve

from tests.core.test_scoping_walk import (api_paths, declared_model, fill, html_routes, objects_of, route_kwargs,
                                          sibling_markers)
from yifa.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_training_pages_are_scoped(world, client_for):
    a, b = client_for(world.walker_a), client_for(world.walker_b)
    markers = sibling_markers(world)
    routes = [(r, p) for r, p in html_routes() if r.startswith("training/")]
    details = 0
    for route, pattern in routes:
        kwargs = route_kwargs(route)
        if not kwargs:
            url = fill(route, "")
            resp = a.get(url)
            assert resp.status_code == 200, url
            if "text/html" in resp.get("Content-Type", ""):
                body = resp.content.decode()
                assert not [m for m in markers if m in body], url
            continue
        model = declared_model(pattern.callback)
        assert model is not None, route
        target = objects_of(model, world.town_b).first()
        url = fill(route, target.pk)
        assert b.get(url).status_code == 200, url
        assert a.get(url).status_code == 404, url
        details += 1
    assert details >= 2


def test_training_api_is_scoped(world, client_for):
    a, b = client_for(world.walker_a), client_for(world.walker_b)
    markers = sibling_markers(world)
    scope = world.walker_a.scope_root.path
    checked = 0
    for path, ops in api_paths(a).items():
        if not path.startswith("/api/v1/training/") or "get" not in ops:
            continue
        params = re.findall(r"\{(\w+)\}", path)
        if not params:
            for suffix in ("", f"?org={world.town_b.pk}"):
                resp = a.get(path + suffix)
                assert resp.status_code < 500
                if resp.status_code != 200:
                    continue
                assert not [m for m in markers if m in resp.content.decode()], path
                data = resp.json()
                rows = data.get("results", []) if isinstance(data, dict) else data
                for row in rows:
                    if isinstance(row, dict) and row.get("org") is not None:
                        assert Organization.objects.get(pk=row["org"]).path.startswith(scope), path
            checked += 1
            continue
        model = declared_model(resolve(re.sub(r"\{\w+\}", "0", path)).func)
        target = objects_of(model, world.town_b).first()
        url = re.sub(r"\{\w+\}", str(target.pk), path)
        assert b.get(url).status_code == 200, url
        assert a.get(url).status_code == 404, url
        checked += 1
    assert checked >= 8
