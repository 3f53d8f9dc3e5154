"""Pages: the list (filters, search, masking, Excel), the detail (deadlines, history, only
the legal next steps), and one form per step; scope and roles."""

from datetime import date

import pytest
from django.urls import reverse

from tests.clock import frozen
from yifa.supervision.foia import services
from yifa.supervision.foia.models import InfoRequest, RequestState

from .helpers import TODAY, new_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def req(world):
    with frozen(TODAY):
        return new_request(world)


def test_list_masks_filters_searches_and_exports(world, client_for, req):
    c = client_for(world.town_a_legal)
    with frozen(TODAY):
        body = c.get(reverse("foia:list")).content.decode()
        assert "政府信息公开申请" in body and "张**" in body and "138****1234" in body
        assert "张三丰" not in body and "13812341234" not in body
        assert "南湖镇" in body and "超期未答复" in body
        assert "北山信息申请人" not in body and "北" + "山镇" not in body.split("inforequest-table")[-1]
        overdue = c.get(reverse("foia:list") + "?overdue=true").content.decode()
        assert "张**" in overdue  # due 2025-10-30, not answered on 2025-12-01
        assert "张**" not in c.get(reverse("foia:list") + "?state=replied").content.decode()
        assert "张**" in c.get(reverse("foia:list") + "?q=财政预算").content.decode()
        assert "张**" not in c.get(reverse("foia:list") + "?q=不存在的内容").content.decode()
        assert "张**" in c.get(reverse("foia:list") + f"?org={world.town_a.pk}&received_after=2025-09-01").content.decode()
        xlsx = c.get(reverse("foia:list") + "?export=xlsx")
    assert xlsx.status_code == 200 and "spreadsheet" in xlsx["Content-Type"]


def test_list_paginates(world, client_for):
    with frozen(TODAY):
        for _ in range(3):
            new_request(world)
        body = client_for(world.town_a_legal).get(reverse("foia:list") + "?per_page=2").content.decode()
    assert "page=2" in body


def test_detail_shows_full_data_deadlines_history_and_legal_steps(world, client_for, req):
    with frozen(TODAY):
        body = client_for(world.town_a_legal).get(reverse("foia:detail", args=[req.pk])).content.decode()
    assert "张三丰" in body and "13812341234" in body
    assert "答复政府信息公开申请" in body and "2025-10-30" in body and "已超期" in body
    assert "《政府信息公开条例》第三十三条" in body
    assert "登记政府信息公开申请" in body  # the history in words
    for op in ("request_correction", "consult", "extend", "reply"):
        assert f'id="step-{op}"' in body
    for op in ("record_correction", "withdraw", "record_opinion", "opinion_lapsed"):
        assert f'id="step-{op}"' not in body


def test_supervisor_reads_without_steps_and_cannot_act(world, client_for, req):
    c = client_for(world.supervisor)
    with frozen(TODAY):
        body = c.get(reverse("foia:detail", args=[req.pk])).content.decode()
        assert "张三丰" in body and 'id="step-' not in body
        assert c.get(reverse("foia:reply", args=[req.pk])).status_code == 403
        assert c.post(reverse("foia:reply", args=[req.pk]), {"reply_type": "disclosed", "text": "予以公开"}).status_code == 403
        assert c.get(reverse("foia:create")).status_code == 403
    assert InfoRequest.objects.get(pk=req.pk).state == RequestState.REGISTERED


def test_another_township_sees_and_does_nothing(world, client_for, req):
    c = client_for(world.town_b_legal)
    with frozen(TODAY):
        assert c.get(reverse("foia:detail", args=[req.pk])).status_code == 404
        assert c.get(reverse("foia:reply", args=[req.pk])).status_code == 404
        assert c.post(reverse("foia:reply", args=[req.pk]), {"reply_type": "disclosed", "text": "予以公开"}).status_code == 404
        assert "张**" not in c.get(reverse("foia:list")).content.decode()
    assert InfoRequest.objects.get(pk=req.pk).state == RequestState.REGISTERED


def test_register_page_and_error_keeps_input(world, client_for):
    c = client_for(world.town_a_legal)
    with frozen(TODAY):
        page = c.get(reverse("foia:create")).content.decode()
        assert "登记政府信息公开申请" in page and "第三十一条" in page
        data = {"org": world.town_a.pk, "channel": "post", "received_on": "2025-12-05", "requester_kind": "citizen",
                "requester_name": "李四海", "requester_phone": "13900001111", "content": "申请公开本镇防汛物资采购合同"}
        resp = c.post(reverse("foia:create"), data)
        body = resp.content.decode()
        assert resp.status_code == 200 and "不能晚于今天" in body
        assert "李四海" in body and "申请公开本镇防汛物资采购合同" in body
        resp = c.post(reverse("foia:create"), {**data, "received_on": "2025-11-28"})
    r = InfoRequest.objects.get(requester_name="李四海")
    assert resp.status_code == 302 and resp["Location"] == reverse("foia:detail", args=[r.pk])
    assert r.channel == "post" and r.received_on == date(2025, 11, 28)


STEPS = [
    ("request_correction", {"what": "请写明年度", "correction_due": "2025-10-20", "on": "2025-09-30"},
     RequestState.CORRECTION_REQUESTED, "需补正的事项"),
    ("consult", {"third_party": "南湖建材公司", "on": "2025-10-13"}, RequestState.CONSULTING, "第三方"),
    ("extend", None, RequestState.REGISTERED, "批准人"),
    ("reply", {"reply_type": "disclosed", "text": "予以公开", "on": "2025-10-20"}, RequestState.REPLIED, "答复类型"),
]


@pytest.mark.parametrize("op,data,state,label", STEPS)
def test_step_pages_render_and_act(world, client_for, req, op, data, state, label):
    c = client_for(world.town_a_legal)
    url = reverse(f"foia:{op}", args=[req.pk])
    if data is None:
        data = {"approver": world.town_a_legal.pk, "reason": "信息量大", "on": "2025-10-27"}
    with frozen(TODAY):
        page = c.get(url).content.decode()
        assert label in page and "南湖镇" in page
        resp = c.post(url, {**data, "version": req.version})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    r = InfoRequest.objects.get(pk=req.pk)
    assert r.state == state and r.version == req.version + 1


def test_reply_form_error_keeps_input(world, client_for, req):
    c = client_for(world.town_a_legal)
    with frozen(TODAY):
        resp = c.post(reverse("foia:reply", args=[req.pk]),
                      {"reply_type": "withheld", "text": "经审查，属于内部事务信息。", "version": req.version})
    body = resp.content.decode()
    assert resp.status_code == 200 and "须说明理由和依据" in body and "经审查，属于内部事务信息。" in body
    assert 'value="withheld" selected' in body
    assert InfoRequest.objects.get(pk=req.pk).state == RequestState.REGISTERED


def test_stale_form_is_refused(world, client_for, req):
    c = client_for(world.town_a_legal)
    with frozen(TODAY):
        resp = c.post(reverse("foia:reply", args=[req.pk]), {"reply_type": "disclosed", "text": "予以公开",
                                                           "version": req.version + 1})
    assert resp.status_code == 200 and "已被他人修改" in resp.content.decode()


def _corrections(world, req):
    with frozen(TODAY):
        return services.request_correction(actor=world.town_a_legal, info_request=req, what="请写明年度",
                                           correction_due=date(2025, 10, 20), on=date(2025, 9, 30))


@pytest.mark.parametrize("op,data,state", [
    ("record_correction", {"on": "2025-10-15"}, RequestState.CORRECTED),
    ("withdraw", {"on": "2025-10-21"}, RequestState.WITHDRAWN),
])
def test_correction_step_pages(world, client_for, req, op, data, state):
    r = _corrections(world, req)
    c = client_for(world.town_a_legal)
    with frozen(TODAY):
        detail = c.get(reverse("foia:detail", args=[r.pk])).content.decode()
        assert f'id="step-{op}"' in detail and "请写明年度" in detail
        assert "收到补正申请" in c.get(reverse(f"foia:{op}", args=[r.pk])).content.decode() or op == "withdraw"
        resp = c.post(reverse(f"foia:{op}", args=[r.pk]), {**data, "version": r.version})
    assert resp.status_code == 302 and InfoRequest.objects.get(pk=r.pk).state == state


@pytest.mark.parametrize("op,data,when", [
    ("record_opinion", {"opinion": "同意公开", "on": "2025-10-20"}, TODAY),
    ("opinion_lapsed", {}, TODAY),
])
def test_third_party_step_pages(world, client_for, req, op, data, when):
    with frozen(TODAY):
        r = services.consult(actor=world.town_a_legal, info_request=req, third_party="南湖建材公司",
                             on=date(2025, 10, 13))
    c = client_for(world.town_a_legal)
    with frozen(when):
        detail = c.get(reverse("foia:detail", args=[r.pk])).content.decode()
        assert f'id="step-{op}"' in detail and "暂停计算" in detail
        assert "第三方" in c.get(reverse(f"foia:{op}", args=[r.pk])).content.decode()
        resp = c.post(reverse(f"foia:{op}", args=[r.pk]), {**data, "version": r.version})
    assert resp.status_code == 302 and InfoRequest.objects.get(pk=r.pk).state == RequestState.REGISTERED


def test_todo_shows_the_reply_due(world):
    from yifa.core.todos import todos_for

    with frozen(TODAY):
        req = new_request(world, on=date(2025, 11, 25))
        titles = [t.title for t in todos_for(world.town_a_legal)]
        assert any("答复政府信息公开申请" in t and req.number in t for t in titles)
        assert not any("南湖镇" in t.title for t in todos_for(world.town_b_legal))


def test_todo_when_the_third_party_period_passed(world):
    from yifa.core.todos import todos_for

    with frozen(TODAY):
        req = new_request(world)
        services.consult(actor=world.town_a_legal, info_request=req, third_party="甲公司", on=date(2025, 10, 13))
        titles = [t.title for t in todos_for(world.town_a_legal)]
    assert any("第三方提出意见的期限已过" in t and req.number in t for t in titles)


def test_list_and_api_queries_do_not_grow_with_rows(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(world.town_a_legal)

    def count():
        with CaptureQueriesContext(connection) as q1:
            c.get(reverse("foia:list"))
        with CaptureQueriesContext(connection) as q2:
            c.get("/api/v1/supervision/foia/requests/")
        return len(q1), len(q2)

    with frozen(TODAY):
        new_request(world)
        few = count()
        for _ in range(5):
            new_request(world)
        assert count() == few
