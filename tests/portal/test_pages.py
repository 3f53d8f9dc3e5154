"""The public portal: every page opens without login, shows what the records say (masked),
sets no cookie, and is cacheable (Cache-Control public + ETag, 304 on a repeat)."""

from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yifa.portal import selectors

from .conftest import make_case

pytestmark = pytest.mark.django_db

PAGES = ["portal:home", "portal:typical", "portal:advisors", "portal:statistics"]


@pytest.mark.parametrize("name", PAGES)
def test_page_opens_without_login_public_cacheable_no_cookie(world, client, name):
    resp = client.get(reverse(name))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "工作人员登录" in body and 'href="/login/"' in body
    assert "退出登录" not in body  # the staff navbar is not there
    cc = resp["Cache-Control"]
    assert "public" in cc and "max-age=600" in cc and "private" not in cc
    assert resp.has_header("ETag")
    assert not resp.cookies, f"cookies set for an anonymous visitor: {list(resp.cookies)}"
    assert "Cookie" not in resp.get("Vary", "")
    # a conditional repeat answers 304 with no body
    again = client.get(reverse(name), HTTP_IF_NONE_MATCH=resp["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert "public" in again["Cache-Control"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_answer_get_and_head_only(world, client, name):
    assert client.head(reverse(name)).status_code == 200
    assert client.post(reverse(name)).status_code == 405


def test_every_portal_view_is_public():
    from django.urls import get_resolver

    for p in get_resolver("yifa.portal.urls").url_patterns:
        assert getattr(p.callback, "public", False), p.name


def test_signed_in_staff_get_private_cache_control(world, client_for):
    resp = client_for(world.supervisor).get(reverse("portal:home"))
    assert resp.status_code == 200
    assert "private" in resp["Cache-Control"] and "public" not in resp["Cache-Control"]
    assert settings.SESSION_COOKIE_NAME in resp.cookies  # why: the session is re-sent on every request


def test_home_shows_latest_masked_decisions(world, client, item):
    for n in range(1, 8):
        make_case(world, item, n, published_on=date(2026, 6, n))
    make_case(world, item, 90, state="pending", title="尚未公示的案由")
    make_case(world, item, 91, state="withdrawn", published_on=date(2026, 6, 20), title="已撤回的案由")
    resp = client.get(reverse("portal:home"))
    body = resp.content.decode()
    # the five newest published, newest first; not the older, unpublished or withdrawn ones
    shown = [n for n in range(1, 8) if f"门户测试案由{n}<" in body]
    assert shown == [3, 4, 5, 6, 7]
    assert body.index("门户测试案由7") < body.index("门户测试案由3")
    assert "尚未公示的案由" not in body and "已撤回的案由" not in body
    # masked through enforcement's masking
    assert "张**" in body and "张三丰" not in body and "13912345678" not in body and "110101199003071234" not in body
    assert reverse("enforcement:public_detail", args=[selectors.latest_decisions(1)[0]["pk"]]) in body
    assert reverse("enforcement:public_list") in body
    # organisations keep their names
    make_case(world, item, 50, published_on=date(2026, 7, 1), party="某某食品有限公司", party_kind="organisation")
    body = client.get(reverse("portal:home")).content.decode()
    assert "某某食品有限公司" in body


def test_home_etag_changes_when_a_decision_is_published(world, client, item):
    first = client.get(reverse("portal:home"))
    make_case(world, item, 1, published_on=date(2026, 6, 1))
    second = client.get(reverse("portal:home"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and "门户测试案由1" in second.content.decode()
    assert second["ETag"] != first["ETag"]


def test_home_empty_sections_say_none(world, client, monkeypatch):
    monkeypatch.setattr(selectors, "TYPICAL_SOURCES", ())
    body = client.get(reverse("portal:home")).content.decode()
    assert body.count("暂无") >= 2  # no decisions, no typical cases


def test_complaint_links_follow_the_complaints_app(world, client, monkeypatch):
    submit = selectors.first_url(*selectors.COMPLAINT_SUBMIT)
    query = selectors.first_url(*selectors.COMPLAINT_QUERY)
    body = client.get(reverse("portal:home")).content.decode()
    for url in (submit, query):
        if url:
            assert f'href="{url}"' in body
    if not (submit or query):
        assert "网上投诉举报暂未开通" in body
    # and if the app answered no URL at all, the page still works
    monkeypatch.setattr(selectors, "url_or_none", lambda *a: None)
    from django.core.cache import cache

    cache.clear()
    body = client.get(reverse("portal:home")).content.decode()
    assert "网上投诉举报暂未开通" in body


def test_home_query_count_does_not_grow_with_rows(world, client, item):
    for n in range(1, 3):
        make_case(world, item, n, published_on=date(2026, 6, n))
    client.get(reverse("portal:home"))  # fills the figures cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("portal:home")).status_code == 200
    for n in range(3, 12):
        make_case(world, item, n, published_on=date(2026, 6, n))
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("portal:home")).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # reads of the shared cache (a table in the embedded default) are not record queries
    records = [q["sql"] for q in few.captured_queries if settings.CACHE_TABLE not in q["sql"]]
    assert len(records) <= 4, records
