"""Journey: a member of the public files a complaint and follows it with the query code;
in between, the supervisor routes it and the unit replies."""

from datetime import timedelta

import pytest

from tests.browser.helpers import login
from tests.conftest import PASSWORD
from yifa.supervision.complaints.models import Complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_files_and_follows_a_complaint(world, live_server, browser, page):
    from django.core.cache import cache

    cache.clear()
    page.goto(f"{live_server.url}/supervision/complaints/public/")
    page.select_option("#id_subject_unit", str(world.dept_a.pk))
    page.select_option("#id_category", "fine")
    page.fill("#id_complainant_name", "刘小红")
    page.fill("#id_complainant_phone", "1390000")  # malformed: refused with a field message
    page.fill("#id_content", "2026年2月执法人员在我店检查时罚款500元，未出具任何处罚文书。")
    page.click("#submit-complaint")
    page.wait_for_selector(".field-error")
    assert "电话号码格式不正确" in page.inner_text("[data-field=complainant_phone]")
    page.fill("#id_complainant_phone", "13900008888")
    page.click("#submit-complaint")
    page.wait_for_selector("#query-code")
    code = page.inner_text("#query-code").strip()
    complaint = Complaint.objects.get(query_code=code)
    assert complaint.state == "received" and complaint.complainant_name == "刘小红"

    # received some months ago (routing now would reach into a year without holiday data)
    received = complaint.received_on.replace(month=3, day=2)
    Complaint.objects.filter(pk=complaint.pk).update(received_on=received)

    assert "已收到，待登记" in page.inner_text("h1")
    page.click("#go-query")
    assert page.input_value("#id_query_code") == code  # the link carries the code
    page.fill("#id_phone_last4", "8888")
    page.click("#query-btn")
    page.wait_for_selector("#query-state")
    assert page.inner_text("#query-state") == "已接收"

    staff_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff = staff_ctx.new_page()
    staff.set_default_timeout(15000)
    try:
        login(staff, live_server, world.supervisor.username, PASSWORD)
        staff.wait_for_load_state()
        staff.goto(f"{live_server.url}/supervision/complaints/list/")
        assert "刘*" in staff.inner_text("#complaint-table") and "刘小红" not in staff.inner_text("#complaint-table")
        staff.goto(f"{live_server.url}/supervision/complaints/{complaint.pk}/")
        assert staff.inner_text("#complainant-name") == "刘小红"
        staff.select_option("#route-form select[name=unit]", str(world.dept_a.pk))
        staff.fill("#route-form input[name=on]", (received + timedelta(days=1)).isoformat())
        staff.click("#route-btn")
        staff.wait_for_load_state()
        assert staff.inner_text("#complaint-state") == "已转办"
        staff.context.clear_cookies()
        login(staff, live_server, world.dept_a_legal.username, PASSWORD)
        staff.wait_for_load_state()
        staff.goto(f"{live_server.url}/supervision/complaints/{complaint.pk}/")
        staff.fill("#reply-form textarea[name=reply]", "经核查，执法人员未按规定出具文书，已责令退还罚款并批评教育。")
        staff.fill("#reply-form input[name=on]", (received + timedelta(days=10)).isoformat())
        staff.click("#reply-btn")
        staff.wait_for_load_state()
        assert staff.inner_text("#complaint-state") == "已答复"
    finally:
        staff_ctx.close()

    page.goto(f"{live_server.url}/supervision/complaints/public/query/")
    page.fill("#id_query_code", code)
    page.fill("#id_phone_last4", "8888")
    page.click("#query-btn")
    page.wait_for_selector("#query-reply")
    assert "已责令退还罚款" in page.inner_text("#query-reply")
    assert page.inner_text("#query-state") == "已答复"
    assert "刘小红" not in page.content()
