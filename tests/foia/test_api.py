"""API under /api/v1/supervision/foia/requests/: masked list, full detail, the steps, scope."""

import pytest

from tests.clock import frozen
from yifa.supervision.foia.models import InfoRequest, RequestState

from .helpers import TODAY, new_request

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision/foia/requests/"


def _post(api, url, data):
    return api.post(url, data, content_type="application/json")


def test_list_is_masked_detail_is_full_and_filters(world, client_for):
    with frozen(TODAY):
        r = new_request(world)
        api = client_for(world.supervisor)
        rows = api.get(BASE).json()["results"]
        row = next(x for x in rows if x["id"] == r.pk)
        assert row["requester_name"] == "张**" and row["requester_phone"] == "138****1234" and "content" not in row
        assert row["org"] == world.town_a.pk and row["state_label"] == "办理中" and row["due"] == "2025-10-30"
        detail = api.get(f"{BASE}{r.pk}/").json()
        assert detail["requester_name"] == "张三丰" and detail["content"].startswith("申请公开")
        assert [x["id"] for x in api.get(BASE + "?overdue=true").json()["results"]] == [r.pk]
        assert [x["id"] for x in api.get(BASE + "?q=财政预算执行").json()["results"]][0] == r.pk
        assert api.get(BASE + "?state=replied").json()["results"] == []


def test_register_and_the_whole_process(world, client_for):
    api = client_for(world.town_a_legal)
    with frozen(TODAY):
        resp = _post(api, BASE, {"org": world.town_a.pk, "channel": "online", "received_on": "2025-09-26",
                                 "requester_kind": "legal_person", "requester_name": "南湖建材有限公司",
                                 "requester_phone": "0531-1234567", "content": "申请公开本镇道路工程招标文件"})
        assert resp.status_code == 201, resp.json()
        data = resp.json()
        assert data["requester_name"] == "南湖建材有限公司" and data["due"] == "2025-10-30"
        url = f"{BASE}{data['id']}/"
        steps = [
            ("request-correction", {"what": "请写明工程名称", "correction_due": "2025-10-20", "on": "2025-09-30"},
             "correction_requested"),
            ("record-correction", {"on": "2025-10-09"}, "corrected"),
            ("consult", {"third_party": "甲公司", "on": "2025-10-13"}, "consulting"),
            ("record-opinion", {"opinion": "同意公开", "on": "2025-10-15"}, "corrected"),
            ("extend", {"approver": world.town_a_legal.pk, "reason": "信息量大", "on": "2025-10-20"}, "corrected"),
            ("reply", {"reply_type": "partial", "text": "部分公开", "basis": "《政府信息公开条例》第三十七条",
                       "on": "2025-11-20"}, "replied"),
        ]
        for op, payload, state in steps:
            resp = _post(api, f"{url}{op}/", {**payload, "version": data["version"]})
            assert resp.status_code == 200, (op, resp.json())
            data = resp.json()
            assert data["state"] == state, op
    assert data["extended"] is True and data["on_time"] is True and data["reply_type_label"] == "部分公开"


def test_errors_are_json_in_words(world, client_for):
    with frozen(TODAY):
        r = new_request(world)
        api = client_for(world.town_a_legal)
        resp = _post(api, f"{BASE}{r.pk}/reply/", {"reply_type": "withheld", "text": "不予公开"})
        assert resp.status_code == 400 and "basis" in resp.json()["fields"] and "理由和依据" in resp.json()["message"]
        resp = _post(api, f"{BASE}{r.pk}/record-correction/", {})
        assert resp.status_code == 409 and resp.json()["code"] == "illegal_transition"
        resp = _post(api, f"{BASE}{r.pk}/reply/", {"reply_type": "disclosed", "text": "公开", "version": 99})
        assert resp.status_code == 409 and resp.json()["code"] == "stale_version"
    assert InfoRequest.objects.get(pk=r.pk).state == RequestState.REGISTERED


def test_scope_and_roles(world, client_for):
    with frozen(TODAY):
        r = new_request(world)
        other = client_for(world.town_b_legal)
        assert other.get(f"{BASE}{r.pk}/").status_code == 404
        assert _post(other, f"{BASE}{r.pk}/reply/", {"reply_type": "disclosed", "text": "公开"}).status_code == 404
        assert r.pk not in [x["id"] for x in other.get(BASE).json()["results"]]
        resp = _post(other, BASE, {"org": world.town_a.pk, "channel": "online", "requester_kind": "citizen",
                                   "requester_name": "王五", "requester_phone": "13900001111", "content": "申请公开某某文件"})
        assert resp.status_code == 400 and "org" in resp.json()["fields"]
        sup = client_for(world.supervisor)
        assert sup.get(f"{BASE}{r.pk}/").status_code == 200
        assert _post(sup, f"{BASE}{r.pk}/reply/", {"reply_type": "disclosed", "text": "公开"}).status_code == 403
    assert InfoRequest.objects.get(pk=r.pk).state == RequestState.REGISTERED
    assert not InfoRequest.objects.filter(requester_name="王五").exists()
