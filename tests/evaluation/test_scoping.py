"""The generic scoping walk restricted to this app's pages and endpoints (the full walk in
tests/core stops at the first failure of any app): sibling townships see nothing of each
other; evaluators from another unit see the campaign they evaluate and nothing else."""

import re

import pytest
from django.urls import resolve

from tests.core import test_scoping_walk as walk

pytestmark = pytest.mark.django_db
PREFIX = "supervision/evaluation/"


def test_pages_are_scoped(world, client_for):
    a, b = client_for(world.walker_a), client_for(world.walker_b)
    markers = walk.sibling_markers(world)
    details = lists = 0
    for route, pattern in walk.html_routes():
        if not route.startswith(PREFIX):
            continue
        kwargs = walk.route_kwargs(route)
        if not kwargs:
            resp = a.get(walk.fill(route, ""))
            assert resp.status_code < 500
            if resp.status_code == 200:
                leaked = [m for m in markers if m in resp.content.decode()]
                assert not leaked, f"{route}: {leaked}"
            lists += 1
            continue
        if len(kwargs) != 1:
            continue
        model = walk.declared_model(pattern.callback)
        assert model is not None, route
        if walk.is_global(model):
            continue
        target = walk.objects_of(model, world.town_b).first()
        url = walk.fill(route, target.pk)
        assert b.get(url).status_code == 200, url
        assert a.get(url).status_code == 404, url
        details += 1
    assert details >= 3 and lists >= 4


def test_api_is_scoped(world, client_for):
    a, b = client_for(world.walker_a), client_for(world.walker_b)
    markers = walk.sibling_markers(world)
    a_scope = world.walker_a.scope_root.path
    checked = 0
    for path, ops in walk.api_paths(a).items():
        if "/supervision/evaluation/" not in path or "get" not in ops:
            continue
        params = re.findall(r"\{(\w+)\}", path)
        if not params:
            for suffix in ("", f"?org={world.town_b.pk}"):
                resp = a.get(path + suffix)
                assert resp.status_code < 500
                if resp.status_code != 200:
                    continue
                leaked = [m for m in markers if m in resp.content.decode()]
                assert not leaked, f"{path}{suffix}: {leaked}"
                data = resp.json()
                for row in data.get("results", []) if isinstance(data, dict) else data:
                    if isinstance(row, dict) and row.get("org") is not None:
                        from yifa.orgs.models import Organization

                        assert Organization.objects.get(pk=row["org"]).path.startswith(a_scope), path
            checked += 1
            continue
        model = walk.declared_model(resolve(re.sub(r"\{\w+\}", "0", path)).func)
        if walk.is_global(model):
            continue
        target = walk.objects_of(model, world.town_b).first()
        url = re.sub(r"\{\w+\}", str(target.pk), path)
        assert b.get(url).status_code == 200, url
        resp = a.get(url)
        assert resp.status_code == 404 and resp.json()["code"] == "not_found", url
        checked += 1
    assert checked >= 5


def test_evaluator_from_another_unit_sees_only_that_campaign(world, client_for):
    from yifa.supervision.evaluation.models import CampaignEvaluator

    CampaignEvaluator.objects.create(campaign=world.eval_campaign_b, user=world.town_a_legal)
    c = client_for(world.town_a_legal)
    assert c.get(f"/supervision/evaluation/campaigns/{world.eval_campaign_b.pk}/").status_code == 200
    assert c.get(f"/supervision/evaluation/files/{world.eval_file_b.pk}/").status_code == 200
    assert c.get(f"/api/v1/supervision/evaluation/files/{world.eval_file_b.pk}/").status_code == 200
    assert client_for(world.walker_a).get(f"/supervision/evaluation/campaigns/{world.eval_campaign_b.pk}/") \
        .status_code == 404
