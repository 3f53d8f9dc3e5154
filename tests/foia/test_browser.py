"""Journey: a township's legal officer registers a request received by post and replies
to it; a reply 不予公开 without its reason and basis is refused with the input kept."""

import pytest

from tests.browser.helpers import login
from tests.conftest import PASSWORD
from yifa.supervision.foia.models import InfoRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_then_reply(world, live_server, page):
    from yifa.core import clock

    today = clock.today()
    login(page, live_server, world.town_a_legal.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/supervision/foia/")
    assert "政府信息公开申请" in page.inner_text("h1")
    page.click("#create-link")
    page.select_option("#id_org", str(world.town_a.pk))
    page.select_option("#id_channel", "post")
    page.fill("#id_received_on", today.isoformat())
    page.select_option("#id_requester_kind", "citizen")
    page.fill("#id_requester_name", "刘小红")
    page.fill("#id_requester_phone", "13900008888")
    page.fill("#id_content", "申请公开本镇防汛物资采购合同及验收记录")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#inforequest-state")
    r = InfoRequest.objects.get(requester_name="刘小红")
    assert page.inner_text("#inforequest-state") == "办理中" and r.received_on == today
    assert "答复政府信息公开申请" in page.inner_text("#inforequest-deadlines")

    page.click("#step-reply")
    page.select_option("#id_reply_type", "withheld")
    page.fill("#id_text", "经审查，您申请的信息属于内部事务信息。")
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".alert-danger")
    assert "须说明理由和依据" in page.inner_text(".alert-danger")
    assert page.input_value("#id_text") == "经审查，您申请的信息属于内部事务信息。"
    page.fill("#id_basis", "《政府信息公开条例》第十六条第一款")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#inforequest-reply")
    assert page.inner_text("#inforequest-state") == "已答复"
    assert "不予公开" in page.inner_text("#inforequest-reply")
    r.refresh_from_db()
    assert r.state == "replied" and r.on_time is True
