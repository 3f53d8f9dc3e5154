import pytest
from django.urls import reverse

from yifa.orgs.models import Organization, User

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    resp = client.get(reverse("login"))
    assert resp.status_code == 200
    assert "依法行政综合管理平台" in resp.content.decode() and "登录" in resp.content.decode()


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(reverse("orgs:org_list"))["Location"].startswith("/login/")
    resp = client.get("/api/v1/me/")
    assert resp.status_code in (401, 403) and resp.json()["code"] in ("not_authenticated", "permission_denied")


def test_org_list_shows_scope_with_pagination_and_search(world, client_for):
    c = client_for(world.supervisor)
    body = c.get(reverse("orgs:org_list"), {"q": "南湖"}).content.decode()
    assert "南湖镇" in body and "北山镇" not in body


def test_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    c = client_for(world.admin)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("orgs:user_list")).status_code == 200


def test_admin_creates_unit_through_the_form(world, client_for):
    c = client_for(world.admin)
    resp = c.post(reverse("orgs:org_create"), {"name": "县审计局", "code": "T-SJ", "kind": "department",
                                               "parent": world.county.pk, "is_active": "on"})
    assert resp.status_code == 302, resp.content.decode()[:500]
    org = Organization.objects.get(code="T-SJ")
    detail = c.get(reverse("orgs:org_detail", args=[org.pk])).content.decode()
    assert "新建单位" in detail and "org.create" not in detail  # the record's timeline, in words


def test_form_errors_are_shown_in_chinese(world, client_for):
    c = client_for(world.admin)
    resp = c.post(reverse("orgs:org_create"), {"name": "错", "code": "T-X", "kind": "township",
                                               "parent": world.dept_a.pk})
    assert resp.status_code == 200 and "不能设在" in resp.content.decode()


def test_non_admin_cannot_open_edit_page(world, client_for):
    resp = client_for(world.supervisor).get(reverse("orgs:org_edit", args=[world.dept_a.pk]))
    assert resp.status_code == 403 and "权限" in resp.content.decode()


def test_admin_creates_account_with_roles(world, client_for):
    c = client_for(world.admin)
    resp = c.post(reverse("orgs:user_create"), {
        "username": "newofficer", "display_name": "新执法员", "org": world.dept_a.pk, "roles": ["officer"],
        "password": "Yifa@Strong-2026", "is_active": "on"})
    assert resp.status_code == 302
    assert User.objects.get(username="newofficer").roles == {"officer"}


def test_api_me_and_units(world, client_for):
    c = client_for(world.dept_a_legal)
    me = c.get("/api/v1/me/").json()
    assert me["org"] == world.dept_a_unit.pk and me["roles"] == ["department_legal_officer"]
    units = c.get("/api/v1/orgs/units/").json()
    assert {u["id"] for u in units["results"]} == {world.dept_a.pk, world.dept_a_unit.pk}
    assert all("org" in u and "id" in u for u in units["results"])


def test_api_out_of_scope_is_404_in_error_format(world, client_for):
    resp = client_for(world.dept_a_legal).get(f"/api/v1/orgs/users/{world.dept_b_legal.pk}/")
    assert resp.status_code == 404
    assert resp.json() == {"code": "not_found", "message": resp.json()["message"], "fields": {}}


def test_api_malformed_input_is_400_with_fields(world, client_for):
    c = client_for(world.admin)
    resp = c.get("/api/v1/orgs/units/", {"kind": "no-such-kind"})
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "invalid" and "kind" in body["fields"]
    resp = c.post("/api/v1/auth/token/", {"username": ""}, content_type="application/json")
    assert resp.status_code == 400 and "password" in resp.json()["fields"]


def test_api_token_auth(world, client):
    resp = client.post("/api/v1/auth/token/", {"username": "t_admin", "password": "Yifa@Test-2026"},
                       content_type="application/json")
    assert resp.status_code == 200
    token = resp.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["username"] == "t_admin"


def test_error_pages_are_chinese(world, client_for):
    resp = client_for(world.admin).get("/no-such-page/")
    assert resp.status_code == 404 and "页面不存在" in resp.content.decode()


def test_api_docs_are_served_without_a_cdn(world, client_for):
    body = client_for(world.admin).get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn" not in body.lower() and "unpkg" not in body.lower()
    schema = client_for(world.admin).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/orgs/units/" in schema["paths"] and "/api/v1/me/" in schema["paths"]
