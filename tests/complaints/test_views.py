"""Public form and query (no login), staff pages, masking and scope."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from yifa.supervision.complaints import services
from yifa.supervision.complaints.models import Complaint

from .helpers import staff_complaint

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _post(client, world, ip="203.0.113.5", **kw):
    data = {"subject_unit": world.dept_a.pk, "category": "conduct", "complainant_name": "李四",
            "complainant_phone": "13900001111", "content": "执法人员态度恶劣，辱骂当事人。"}
    data.update(kw)
    return client.post(reverse("complaints:public_new"), data, REMOTE_ADDR=ip)


def test_public_form_needs_no_login_and_returns_the_code(world):
    c = Client()
    assert c.get(reverse("complaints:public_new")).status_code == 200
    resp = _post(c, world, attachment=SimpleUploadedFile("照片.png", PNG, content_type="image/png"))
    assert resp.status_code == 302 and resp["Location"] == reverse("complaints:public_done")
    complaint = Complaint.objects.get(complainant_phone="13900001111")
    page = c.get(resp["Location"]).content.decode()
    assert complaint.query_code in page
    assert complaint.attachment_type == "image/png"


def test_public_form_rejects_bad_input_with_field_messages(world, settings):
    c = Client()
    resp = _post(c, world, complainant_phone="12", content="短")
    body = resp.content.decode()
    assert resp.status_code == 400 and "电话号码格式不正确" in body and "至少 10 字" in body
    resp = _post(c, world, subject_unit="999999")
    assert resp.status_code == 400 and "请选择列表中的单位" in resp.content.decode()
    settings.YIFA_COMPLAINT_MAX_UPLOAD_MB = 1
    resp = _post(c, world, attachment=SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 10)))
    assert resp.status_code == 400 and "附件不能超过 1 MB" in resp.content.decode()
    resp = _post(c, world, attachment=SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 binary"))
    assert resp.status_code == 400 and "内容不是PDF" in resp.content.decode()
    assert not Complaint.objects.filter(complainant_phone="13900001111").exists()


def test_public_form_is_rate_limited_per_ip(world, settings):
    settings.YIFA_COMPLAINT_RATE_PER_HOUR = 2
    c = Client()
    assert _post(c, world).status_code == 302
    assert _post(c, world).status_code == 302
    resp = _post(c, world)
    assert resp.status_code == 429 and "提交过于频繁" in resp.content.decode()
    assert _post(c, world, ip="203.0.113.6").status_code == 302  # another address is not affected
    assert Complaint.objects.filter(complainant_phone="13900001111").count() == 3


def test_public_query_flow_shows_status_and_reply_only(world):
    complaint = staff_complaint(world, complainant_name="赵六六", complainant_phone="13766665555")
    services.route(actor=world.supervisor, complaint=complaint, unit=world.dept_a, on=date(2026, 3, 3))
    services.reply(actor=world.dept_a_legal, complaint=complaint, text="经核查，罚款已退还。", on=date(2026, 3, 9))
    c = Client()
    url = reverse("complaints:public_query")
    resp = c.post(url, {"query_code": complaint.query_code, "phone_last4": "0000"})
    assert resp.status_code == 404 and "未查到" in resp.content.decode()
    resp = c.post(url, {"query_code": complaint.query_code.lower(), "phone_last4": "5555"})
    body = resp.content.decode()
    assert resp.status_code == 200 and "经核查，罚款已退还。" in body and "已答复" in body
    assert "赵六六" not in body and "13766665555" not in body and "随意罚款" not in body


def test_lists_and_exports_mask_personal_data_detail_shows_it(world, client_for):
    complaint = staff_complaint(world, complainant_name="张三丰", complainant_phone="13812341234")
    sup = client_for(world.supervisor)
    body = sup.get(reverse("complaints:list")).content.decode()
    assert "张**" in body and "138****1234" in body and "张三丰" not in body and "13812341234" not in body
    detail = sup.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "张三丰" in detail and "13812341234" in detail and "371523199001011234" in detail
    resp = sup.get(reverse("complaints:export"))
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(b"".join(resp.streaming_content))).active
    values = [str(v) for row in ws.iter_rows(values_only=True) for v in row]
    assert "张**" in values and "138****1234" in values and "张三丰" not in values


def test_scope_other_units_see_nothing(world, client_for):
    complaint = staff_complaint(world, unit=world.town_b, complainant_name="钱七七")
    a = client_for(world.town_a_legal)
    assert a.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404
    assert complaint.query_code not in a.get(reverse("complaints:list")).content.decode()
    assert a.post(reverse("complaints:op", args=[complaint.pk, "reject"]), {"reason": "x"}).status_code == 404
    assert a.get(reverse("complaints:attachment", args=[complaint.pk, "attachment"])).status_code == 404
    b = client_for(world.town_b_legal)
    assert b.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 200


def test_staff_pages_need_login_and_role(world, client_for):
    assert Client().get(reverse("complaints:list")).status_code == 302
    assert client_for(world.officer_a).get(reverse("complaints:create")).status_code == 403


def test_staff_entry_and_route_through_pages(world, client_for):
    sup = client_for(world.supervisor)
    resp = sup.post(reverse("complaints:create"), {
        "source": "hotline", "hotline_ticket": "QH-2026-0301", "on": "2026-03-01", "subject_unit": world.dept_a.pk,
        "category": "fine", "complainant_name": "孙八", "complainant_phone": "13612345678",
        "content": "12345 转办：反映某执法队员罚款不开票据。"})
    c = Complaint.objects.get(hotline_ticket="QH-2026-0301")
    assert resp.status_code == 302
    sup.post(reverse("complaints:create"), {
        "source": "hotline", "hotline_ticket": "QH-2026-0301", "on": "2026-03-01", "subject_unit": world.dept_a.pk,
        "category": "fine", "complainant_name": "孙八", "complainant_phone": "13612345678",
        "content": "12345 转办：反映某执法队员罚款不开票据。"})
    assert Complaint.objects.filter(hotline_ticket="QH-2026-0301").count() == 1
    sup.post(reverse("complaints:op", args=[c.pk, "route"]), {"unit": world.dept_a.pk, "on": "2026-03-02",
                                                                "version": c.version})
    c.refresh_from_db()
    assert c.state == "routed" and c.due is not None
    resp = sup.post(reverse("complaints:op", args=[c.pk, "route"]), {"unit": world.dept_a.pk, "on": "2026-03-02"})
    assert resp.status_code == 302  # illegal now: a message, not a crash
    stats = sup.get(reverse("complaints:stats") + "?start=2026-01-01&end=2026-12-31").content.decode()
    assert "12345热线" in stats and world.dept_a.name in stats


def test_list_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    sup = client_for(world.supervisor)
    for i in range(3):
        staff_complaint(world, complainant_phone=f"1381234{i:04d}")
    sup.get(reverse("complaints:list"))
    with django_assert_max_num_queries(12) as ctx:
        sup.get(reverse("complaints:list"))
    few = len(ctx.captured_queries)
    for i in range(3, 15):
        staff_complaint(world, complainant_phone=f"1381234{i:04d}")
    with django_assert_max_num_queries(few):
        sup.get(reverse("complaints:list"))


def test_statistics_export_and_overdue_warning_through_the_deadline_sweep(world, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    from yifa.core.models import Notification
    from yifa.deadlines.models import Warning
    from yifa.deadlines.sweep import sweep_deadlines

    c = staff_complaint(world, source="hotline", hotline_ticket="SW-1")
    c = services.route(actor=world.supervisor, complaint=c, unit=world.dept_a, on=date(2026, 3, 3))
    counts = sweep_deadlines(date(2026, 6, 1))
    assert counts["red_warnings"] >= 1
    assert Warning.objects.filter(deadline__owner_id=str(c.pk), deadline__rule__code="complaint.reply",
                                  level="red").exists()
    assert Notification.objects.filter(recipient=world.dept_a_legal, title__contains=c.query_code).exists()
    resp = client_for(world.supervisor).get(reverse("complaints:stats") + "?start=2026-01-01&end=2026-12-31&format=xlsx")
    wb = load_workbook(BytesIO(b"".join(resp.streaming_content)))
    assert wb.sheetnames == ["汇总", "按来源", "按状态", "按承办单位"]
    rows = list(wb["按来源"].iter_rows(values_only=True))
    assert ("12345热线", 1, 0, 1) in rows
