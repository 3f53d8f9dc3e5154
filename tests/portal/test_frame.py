"""Every public page sits in the portal frame: the complaint pages too (no internal product
name), honest wording after a complaint is submitted, the query link carrying the code,
and the site footer (主办单位, ICP 备案号, 网站标识码, 联系方式) from settings, empty ones left out."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from yifa.supervision.complaints.models import Complaint

pytestmark = pytest.mark.django_db

PORTAL_PAGES = ["portal:home", "portal:typical", "portal:advisors", "portal:statistics"]
COMPLAINT_PAGES = ["complaints:public_new", "complaints:public_query"]
INTERNAL_NAME = "依法行政综合管理平台"


def _submit(world, client):
    return client.post(reverse("complaints:public_new"), {
        "subject_unit": world.dept_a.pk, "category": "conduct", "complainant_name": "李四",
        "complainant_phone": "13900001111", "content": "执法人员态度恶劣，辱骂当事人。"}, REMOTE_ADDR="203.0.113.9")


@pytest.fixture
def footer_settings(settings):
    settings.YIFA_PORTAL_SPONSOR = "测试县人民政府办公室"
    settings.YIFA_PORTAL_ICP = "鲁ICP备12345678号"
    settings.YIFA_PORTAL_SITE_CODE = "3712340001"
    settings.YIFA_PORTAL_CONTACT = "0531-12345678"
    return settings


def _footer(body):
    m = re.search(r'<footer[^>]*id="portal-footer"[^>]*>(.*?)</footer>', body, re.S)
    assert m, "no portal footer"
    return m.group(1)


@pytest.mark.parametrize("name", COMPLAINT_PAGES)
def test_complaint_pages_sit_in_the_portal_frame(world, client, name):
    body = client.get(reverse(name)).content.decode()
    assert 'id="portal-nav"' in body and 'id="portal-footer"' in body and "工作人员登录" in body
    assert INTERNAL_NAME not in body
    assert re.search(r"<title>[^<]*法治政府建设公众门户</title>", body)


@pytest.mark.parametrize("name", PORTAL_PAGES + COMPLAINT_PAGES)
def test_footer_on_every_portal_page(world, client, footer_settings, name):
    footer = _footer(client.get(reverse(name)).content.decode())
    for text in ("主办单位：测试县人民政府办公室", "鲁ICP备12345678号", "网站标识码：3712340001", "联系方式：0531-12345678"):
        assert text in footer
    assert 'href="https://beian.miit.gov.cn/"' in footer


def test_footer_leaves_out_what_is_not_set(world, client, settings):
    settings.YIFA_PORTAL_SPONSOR = ""
    settings.YIFA_PORTAL_ICP = "鲁ICP备12345678号"
    settings.YIFA_PORTAL_SITE_CODE = ""
    settings.YIFA_PORTAL_CONTACT = ""
    footer = _footer(client.get(reverse("portal:home")).content.decode())
    assert "ICP 备案号：" in footer
    assert "网站标识码" not in footer and "联系方式" not in footer and "None" not in footer
    # 主办单位 defaults to the county government
    assert f"主办单位：{world.county.name}" in footer


def test_changing_the_footer_changes_the_etag(world, client, settings):
    settings.YIFA_PORTAL_ICP = ""
    first = client.get(reverse("portal:home"))
    settings.YIFA_PORTAL_ICP = "鲁ICP备12345678号"
    again = client.get(reverse("portal:home"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "鲁ICP备12345678号" in again.content.decode()


def test_after_submitting_the_page_says_received_not_registered(world):
    c = Client()
    resp = _submit(world, c)
    assert resp.status_code == 302
    body = c.get(resp["Location"]).content.decode()
    complaint = Complaint.objects.get(complainant_phone="13900001111")
    assert complaint.state == "received"
    assert "已收到，待登记" in body and "已受理" not in body
    assert 'id="portal-footer"' in body and INTERNAL_NAME not in body
    link = re.search(r'<a[^>]*href="([^"]+)"[^>]*id="go-query"', body).group(1)
    assert link == f"{reverse('complaints:public_query')}?code={complaint.query_code}"


def test_query_page_is_prefilled_with_the_code(world, client):
    body = client.get(reverse("complaints:public_query") + "?code=abc123XY").content.decode()
    assert re.search(r'name="query_code" id="id_query_code"[^>]*value="ABC123XY"', body)
    assert re.search(r'id="id_phone_last4"[^>]*autofocus', body)
    junk = client.get(reverse("complaints:public_query") + '?code="><script>').content.decode()
    assert "<script>" not in junk.split("<main", 1)[1].split("</main>", 1)[0]
    plain = client.get(reverse("complaints:public_query")).content.decode()
    assert re.search(r'name="query_code" id="id_query_code"[^>]*value=""', plain)
