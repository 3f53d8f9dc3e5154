"""The enforcement decision disclosure pages (行政执法决定公示) behave like the public portal:
no cookie for anonymous visitors, Cache-Control public, ETag + 304, the public layout, masked."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from yifa.enforcement.models import Case, EnforcementItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    item = EnforcementItem.objects.create(org=world.dept_a, code="PUBCACHE-1", name="公示缓存测试事项",
                                          category="penalty", legal_basis="《产品质量法》第四十九条")
    return Case.objects.create(
        org=world.dept_a, case_no="测市监罚〔2026〕901号", title="公示缓存测试案由", item=item,
        party_name="张三丰", party_kind="individual", party_id_no="110101199003071234", party_phone="13912345678",
        party_address="测试县南湖镇幸福路88号3单元", facts="当事人张三丰（身份证110101199003071234）销售不合格产品。",
        filed_on=date(2026, 3, 1), decided_on=date(2026, 5, 1), sanction="fine", amount=Decimal("5000"),
        state="decided", publicity_state="published", published_on=date(2026, 5, 6), source_case_no="PUBCACHE-1")


def _urls(case):
    return [reverse("enforcement:public_list"), reverse("enforcement:public_detail", args=[case.pk])]


def test_public_pages_are_cacheable_cookieless_and_use_the_public_layout(world, client, published):
    for url in _urls(published):
        resp = client.get(url)
        assert resp.status_code == 200, url
        cc = resp["Cache-Control"]
        assert "public" in cc and "max-age=600" in cc and "private" not in cc, (url, cc)
        assert resp.has_header("ETag")
        assert not resp.cookies, f"{url} set cookies for an anonymous visitor: {list(resp.cookies)}"
        assert "Set-Cookie" not in str(resp.serialize_headers())
        assert "Cookie" not in resp.get("Vary", "")
        body = resp.content.decode()
        assert 'id="portal-nav"' in body and "工作人员登录" in body  # the portal layout
        assert "退出登录" not in body and "依法行政综合管理平台" not in body  # not the staff navbar
        assert "公示缓存测试案由" in body
        again = client.get(url, HTTP_IF_NONE_MATCH=resp["ETag"])
        assert again.status_code == 304 and again.content == b""
        assert "public" in again["Cache-Control"] and not again.cookies


def test_content_is_still_masked(world, client, published):
    listing = client.get(reverse("enforcement:public_list")).content.decode()
    assert "张**" in listing and "张三丰" not in listing
    detail = client.get(reverse("enforcement:public_detail", args=[published.pk])).content.decode()
    for secret in ("张三丰", "110101199003071234", "13912345678", "幸福路88号"):
        assert secret not in detail, secret
    assert "张**" in detail and "5000" in detail and "《产品质量法》第四十九条" in detail


def test_etag_changes_when_the_data_changes_and_unpublished_is_404(world, client, published):
    url = reverse("enforcement:public_detail", args=[published.pk])
    etag = client.get(url)["ETag"]
    Case.objects.filter(pk=published.pk).update(title="公示缓存测试案由（更正）")
    resp = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert resp.status_code == 200 and resp["ETag"] != etag and "（更正）" in resp.content.decode()
    Case.objects.filter(pk=published.pk).update(publicity_state="withdrawn")
    assert client.get(url).status_code == 404
    assert "公示缓存测试案由" not in client.get(reverse("enforcement:public_list")).content.decode()


def test_search_and_paging_keep_working(world, client, published):
    url = reverse("enforcement:public_list")
    assert "公示缓存测试案由" in client.get(url, {"q": "缓存测试"}).content.decode()
    assert "公示缓存测试案由" not in client.get(url, {"q": "不存在的案由"}).content.decode()
    assert client.get(url, {"q": "不存在的案由"})["ETag"] != client.get(url)["ETag"]
    assert client.get(url, {"page": "x"}).status_code == 200


def test_pages_answer_get_and_head_only(world, client, published):
    for url in _urls(published):
        assert client.head(url).status_code == 200
        assert client.post(url).status_code == 405


def test_signed_in_staff_get_private_cache_control(world, client_for, published):
    resp = client_for(world.supervisor).get(reverse("enforcement:public_list"))
    assert resp.status_code == 200
    assert "private" in resp["Cache-Control"] and "public" not in resp["Cache-Control"]
    assert settings.SESSION_COOKIE_NAME in resp.cookies


def test_list_query_count_does_not_grow_with_rows(world, client, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("enforcement:public_list")
    client.get(url)  # warm the portal's cached site name / links
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(5):
        Case.objects.create(org=world.dept_b if n % 2 else world.dept_a, case_no=f"测罚〔2026〕{950 + n}号",
                            title=f"另一案由{n}", item=published.item, party_name="某公司", party_kind="organization",
                            filed_on=date(2026, 3, 1), decided_on=date(2026, 5, 1), state="decided",
                            publicity_state="published", published_on=date(2026, 5, 7), source_case_no=f"PC-{n}")
    with CaptureQueriesContext(connection) as six:
        body = client.get(url).content.decode()
    assert "另一案由4" in body
    assert len(six) == len(one), [q["sql"] for q in six.captured_queries]
