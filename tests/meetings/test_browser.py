"""Journey: a supervisor records a joint meeting with an action item; the owner unit marks it done."""

import pytest

from tests.browser.helpers import login
from tests.conftest import PASSWORD
from yifa.supervision.meetings.models import ActionItem, JointMeeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_meeting_and_complete_action_item(world, live_server, browser, page):
    login(page, live_server, world.supervisor.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/supervision/meetings/meetings/new/")
    page.select_option("#id_org", str(world.supervision_office.pk))
    page.fill("#id_title", "2026年第三季度行政执法监督联席会议")
    page.fill("#id_held_on", "2026-09-18")
    page.select_option("#id_participants", [str(world.dept_a.pk), str(world.town_a.pk)])
    page.fill("#id_topics", "通报监督检查发现问题\n部署案卷评查")
    page.fill("#id_minutes", "会议研究了监督检查问题整改工作。")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#meeting-title")
    meeting = JointMeeting.objects.get(title="2026年第三季度行政执法监督联席会议")
    assert meeting.quarter == 3
    page.fill("#item-form input[name=title]", "修订重大执法决定法制审核目录")
    page.select_option("#item-form select[name=org]", str(world.dept_a.pk))
    page.fill("#item-form input[name=due]", "2026-10-31")
    page.click("#add-item-btn")
    page.wait_for_load_state()
    assert "修订重大执法决定法制审核目录" in page.inner_text("#item-table")
    item = ActionItem.objects.get(meeting=meeting)

    unit_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    unit = unit_ctx.new_page()
    unit.set_default_timeout(15000)
    try:
        login(unit, live_server, world.dept_a_legal.username, PASSWORD)
        unit.wait_for_load_state()
        assert "修订重大执法决定法制审核目录" in unit.content()  # on the home page's to-do list
        unit.goto(f"{live_server.url}/supervision/meetings/items/{item.pk}/")
        unit.click("#done-btn")  # without a note: refused by the browser's required field, nothing posted
        unit.fill("#done-form textarea[name=note]", "目录已修订并印发执行。")
        unit.fill("#done-form input[name=on]", "2026-10-20")
        unit.click("#done-btn")  # reporting closes the item: the page asks first, in words
        unit.wait_for_selector("#confirm-dialog.show")
        assert "不能再修改" in unit.inner_text("#confirm-dialog-text")
        with unit.expect_navigation():
            unit.click("#confirm-dialog-ok")
        assert unit.inner_text("#item-state").startswith("已落实")
        assert "目录已修订并印发执行。" in unit.inner_text("#item-note")
    finally:
        unit_ctx.close()
    item.refresh_from_db()
    assert item.state == "done" and item.done_by == world.dept_a_legal
    page.goto(f"{live_server.url}/supervision/meetings/meetings/{meeting.pk}/")
    assert "已落实" in page.inner_text("#item-table")
