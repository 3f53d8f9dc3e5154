from datetime import date

import pytest
from django.urls import reverse

from yifa.supervision.meetings import services
from yifa.supervision.meetings.models import ActionItem

pytestmark = pytest.mark.django_db


def test_pages_scope_and_overdue_badge(world, client_for):
    m = services.record_meeting(actor=world.supervisor, org=world.supervision_office, title="测试县联席会议",
                                held_on=date(2026, 3, 18), topics="议题一")
    item = services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_a, title="逾期的测试事项",
                                    due=date(2026, 4, 30))
    sup = client_for(world.supervisor)
    body = sup.get(reverse("meetings:item_list") + "?overdue=true").content.decode()
    assert "逾期的测试事项" in body and "（逾期）" in body
    assert "逾期的测试事项" in sup.get(reverse("meetings:home")).content.decode()
    assert sup.get(reverse("meetings:meeting_detail", args=[m.pk])).status_code == 200
    dept_b = client_for(world.dept_b_legal)
    assert dept_b.get(reverse("meetings:item_detail", args=[item.pk])).status_code == 404
    assert "逾期的测试事项" not in dept_b.get(reverse("meetings:item_list")).content.decode()
    unit = client_for(world.dept_a_legal)
    resp = unit.post(reverse("meetings:item_op", args=[item.pk, "done"]), {"note": "已完成", "on": "2026-05-03"})
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.state == "done"
    detail = unit.get(reverse("meetings:item_detail", args=[item.pk])).content.decode()
    assert "逾期完成" in detail and "已完成" in detail


def test_todo_for_owner_unit(world):
    from yifa.core.todos import todos_for

    m = services.record_meeting(actor=world.supervisor, org=world.supervision_office, title="测试县联席会议",
                                held_on=date(2026, 3, 18), topics="议题一")
    services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_a, title="部门待办事项",
                             due=date(2026, 4, 30))
    assert any("部门待办事项" in t.title for t in todos_for(world.dept_a_legal))
    assert not any("部门待办事项" in t.title for t in todos_for(world.town_a_legal))


def test_rule_create_page(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    unit = client_for(world.dept_a_legal)
    resp = unit.post(reverse("meetings:rule_create"), {
        "org": world.dept_a.pk, "title": "行政执法公示审核制度", "adopted_on": "2026-04-01", "doc_number": "测〔2026〕1号",
        "attachment": SimpleUploadedFile("制度.pdf", b"%PDF-1.4 x")})
    assert resp.status_code == 302
    from yifa.supervision.meetings.models import AdoptedRule

    r = AdoptedRule.objects.get(title="行政执法公示审核制度")
    assert unit.get(reverse("meetings:rule_download", args=[r.pk, "attachment"])).status_code == 200
    assert client_for(world.dept_b_legal).get(reverse("meetings:rule_download", args=[r.pk, "attachment"])).status_code == 404
    resp = unit.post(reverse("meetings:rule_create"), {"org": world.dept_a.pk, "title": "x", "adopted_on": "2026-04-01",
                                                       "finding": 999999, "text": "x"})
    assert resp.status_code == 200 and "监督问题不存在或不在您的范围内" in resp.content.decode()


def test_item_list_query_count(world, client_for, django_assert_max_num_queries):
    m = services.record_meeting(actor=world.supervisor, org=world.supervision_office, title="测试县联席会议",
                                held_on=date(2026, 3, 18), topics="议题一")
    sup = client_for(world.supervisor)
    for i in range(3):
        services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_a, title=f"事项{i}",
                                 due=date(2026, 4, 30), owner=world.dept_a_legal)
    sup.get(reverse("meetings:item_list"))
    with django_assert_max_num_queries(15) as ctx:
        sup.get(reverse("meetings:item_list"))
    few = len(ctx.captured_queries)
    for i in range(3, 15):
        services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_b, title=f"事项{i}",
                                 due=date(2026, 4, 30), owner=world.dept_b_legal)
    with django_assert_max_num_queries(few):
        sup.get(reverse("meetings:item_list"))
    with django_assert_max_num_queries(few):
        sup.get(reverse("meetings:meeting_list"))
    assert ActionItem.objects.filter(meeting=m).count() == 15


def test_minutes_edit_conflict_is_refused(world, client_for):
    m = services.record_meeting(actor=world.supervisor, org=world.supervision_office, title="测试县联席会议",
                                held_on=date(2026, 3, 18), topics="议题一")
    sup = client_for(world.supervisor)
    sup.post(reverse("meetings:meeting_op", args=[m.pk, "minutes"]), {"minutes": "第一版纪要", "version": m.version})
    resp = sup.post(reverse("meetings:meeting_op", args=[m.pk, "minutes"]), {"minutes": "过期版本的纪要",
                                                                              "version": m.version}, follow=True)
    m.refresh_from_db()
    assert m.minutes == "第一版纪要" and "已被他人修改" in resp.content.decode()
