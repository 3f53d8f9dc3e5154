"""Odd query parameters never make a page fail: every HTML page without a path argument
(discovered from the URL conf, never listed here) is fetched with huge, negative,
non-numeric and unknown values in the parameters lists use; the answer is a page or a
400, never a 500. Integers beyond ±2**53 are a 400 everywhere (core middleware), and a
JSON body nested too deep is a 400 on the API."""

import pytest

from tests.core.test_scoping_walk import SKIP_PREFIXES, route_kwargs, walk_patterns

pytestmark = pytest.mark.django_db

PARAMS = ("page", "org", "handler", "item", "officer", "year", "status", "state", "q", "start", "end", "kind",
          "category", "month", "per_page", "page_size", "sort", "rule", "campaign", "period", "level", "source",
          "trigger", "unit", "type")
VALUES = ("999999999999999999999", str(2 ** 40), "-1", "abc", "987654321", "", "%00", "2026-13-45")


def list_pages():
    for route, pattern in walk_patterns():
        if route.startswith(SKIP_PREFIXES) or route.startswith("api/") or route_kwargs(route):
            continue
        yield "/" + route.lstrip("^").rstrip("$").replace("\\Z", "")


def test_odd_query_parameters_never_fail_a_page(world, client_for):
    c = client_for(world.walker_a)
    c.raise_request_exception = False
    pages = sorted(set(list_pages()))
    assert len(pages) > 30
    failures = []
    for url in pages:
        for value in VALUES:
            resp = c.get(url, {name: value for name in PARAMS})
            if resp.status_code >= 500:
                failures.append(f"{url}?…={value} → {resp.status_code}")
    assert not failures, "\n".join(failures)


def test_huge_integers_are_a_400_on_pages_and_api(world, client_for):
    c = client_for(world.supervisor)
    for url in ("/enforcement/?page=999999999999999999999",
                "/enforcement/monitoring/cases/?handler=99999999999999999999",
                "/deadlines/tracked/?page=999999999999999999999"):
        resp = c.get(url)
        assert resp.status_code == 400 and "超出范围" in resp.content.decode(), url
    resp = c.get("/api/v1/enforcement/cases/?org=99999999999999999999")
    assert resp.status_code == 400 and resp.json()["code"] == "invalid_parameter" and "org" in resp.json()["fields"]


def test_json_nested_too_deep_is_a_400(world, client_for):
    resp = client_for(world.supervisor).post("/api/v1/enforcement/cases/", "[" * 5000 + "]" * 5000,
                                             content_type="application/json")
    assert resp.status_code == 400
    assert set(resp.json()) == {"code", "message", "fields"}
