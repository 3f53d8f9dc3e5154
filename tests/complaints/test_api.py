
import pytest

from yifa.supervision.complaints.models import Complaint

from .helpers import staff_complaint

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision/complaints/complaints/"


def test_api_list_is_masked_detail_is_full(world, client_for):
    c = staff_complaint(world, complainant_name="张三丰", complainant_phone="13812341234")
    api = client_for(world.supervisor)
    rows = api.get(BASE).json()["results"]
    row = next(r for r in rows if r["id"] == c.pk)
    assert row["complainant_name"] == "张**" and row["complainant_phone"] == "138****1234"
    assert row["complainant_id_no"] == "371523********1234"
    assert "content" not in row
    detail = api.get(f"{BASE}{c.pk}/").json()
    assert detail["complainant_name"] == "张三丰" and detail["complainant_phone"] == "13812341234"


def test_api_filters_search_and_pagination(world, client_for):
    a = staff_complaint(world, source="hotline", hotline_ticket="API-1")
    staff_complaint(world, source="visit")
    api = client_for(world.supervisor)
    assert [r["id"] for r in api.get(BASE + "?source=hotline").json()["results"]] == [a.pk]
    assert [r["id"] for r in api.get(BASE + "?q=API-1").json()["results"]] == [a.pk]
    page = api.get(BASE + "?page_size=1").json()
    assert len(page["results"]) == 1 and page["count"] >= 2 and page["next"]


def test_api_create_is_idempotent_and_process(world, client_for):
    api = client_for(world.supervisor)
    payload = {"source": "hotline", "hotline_ticket": "API-77", "subject_unit": world.dept_a.pk, "category": "fine",
               "complainant_name": "周九", "complainant_phone": "13512345678", "content": "反映执法人员乱罚款的问题。",
               "on": "2026-03-02"}
    r1 = api.post(BASE, payload, content_type="application/json")
    r2 = api.post(BASE, payload, content_type="application/json")
    assert r1.status_code == 201 and r2.status_code == 200 and r1.json()["id"] == r2.json()["id"]
    pk = r1.json()["id"]
    bad = api.post(BASE, {**payload, "hotline_ticket": "API-78", "complainant_phone": "abc"},
                   content_type="application/json")
    assert bad.status_code == 400 and "complainant_phone" in bad.json()["fields"]
    r = api.post(f"{BASE}{pk}/route/", {"unit": world.dept_a.pk, "on": "2026-03-03"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "routed"
    r = api.post(f"{BASE}{pk}/route/", {"unit": world.dept_a.pk}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    unit = client_for(world.dept_a_legal)
    r = unit.post(f"{BASE}{pk}/reply/", {"reply": "已核查处理。", "on": "2026-03-10", "version": 1},
                  content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "stale_version"
    r = unit.post(f"{BASE}{pk}/reply/", {"reply": "已核查处理。", "on": "2026-03-10"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "replied"
    r = api.post(f"{BASE}{pk}/to-finding/", {"category": "substance", "on": "2026-03-11"},
                 content_type="application/json")
    assert r.status_code == 200 and r.json()["finding"]
    r = api.post(f"{BASE}{pk}/close/", {"on": "2026-03-12"}, content_type="application/json")
    assert r.json()["state"] == "closed"
    stats = api.get("/api/v1/supervision/complaints/statistics/?start=2026-01-01&end=2026-12-31").json()
    assert stats["summary"]["closed"] == 1 and stats["summary"]["to_finding"] == 1


def test_api_scope(world, client_for):
    c = staff_complaint(world, unit=world.town_b)
    a = client_for(world.town_a_legal)
    assert a.get(f"{BASE}{c.pk}/").status_code == 404
    assert a.post(f"{BASE}{c.pk}/reject/", {"reason": "x"}, content_type="application/json").status_code == 404
    assert c.pk not in [r["id"] for r in a.get(BASE).json()["results"]]
    r = a.post(BASE, {"source": "visit", "subject_unit": world.town_b.pk, "category": "fine",
                      "complainant_name": "周九", "complainant_phone": "13512345678",
                      "content": "反映执法人员乱罚款的问题。"}, content_type="application/json")
    assert r.status_code == 400 and "subject_unit" in r.json()["fields"]
    assert not Complaint.objects.filter(subject_unit=world.town_b, complainant_name="周九").exists()


def test_public_api_submit_and_query_without_login(world, settings):
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    settings.YIFA_COMPLAINT_RATE_PER_HOUR = 1
    anon = Client(enforce_csrf_checks=True)
    payload = {"subject_unit": world.dept_a.pk, "category": "fine", "complainant_name": "吴十",
               "complainant_phone": "13322224444", "content": "执法人员罚款后不开具票据。"}
    r = anon.post("/api/v1/supervision/complaints/public/submit/", payload, content_type="application/json")
    assert r.status_code == 201, r.content
    code = r.json()["query_code"]
    r = anon.post("/api/v1/supervision/complaints/public/submit/", payload, content_type="application/json")
    assert r.status_code == 429 and r.json()["code"] == "throttled" and "提交过于频繁" in r.json()["message"]
    bad = anon.post("/api/v1/supervision/complaints/public/query/", {"query_code": code, "phone_last4": "12"},
                    content_type="application/json")
    assert bad.status_code == 400 and "phone_last4" in bad.json()["fields"]
    r = anon.post("/api/v1/supervision/complaints/public/query/", {"query_code": code, "phone_last4": "4444"},
                  content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "received" and "吴十" not in r.content.decode()
    r = anon.post("/api/v1/supervision/complaints/public/query/", {"query_code": code, "phone_last4": "0000"},
                  content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    cache.clear()
