"""The meetings pages on the view kit: every list exports the rows in the user's scope
(numbers as numbers, dates as dates), reporting an item done asks first, refused input
is kept."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from tests.clock import frozen
from tests.kit import kept_input, xlsx_rows
from yifa.supervision.meetings import services
from yifa.supervision.meetings.models import ActionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    m = services.record_meeting(actor=world.supervisor, org=world.supervision_office, title="第一季度联席会议",
                                held_on=date(2026, 3, 18), topics="议题一")
    services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_a, title="甲局的议定事项",
                             due=date(2026, 4, 30))
    services.add_action_item(actor=world.supervisor, meeting=m, org=world.dept_b, title="乙局的议定事项",
                             due=date(2026, 4, 30))
    return m


def test_meeting_export_has_numbers_and_dates(world, client_for, meeting):
    rows = xlsx_rows(client_for(world.supervisor).get(reverse("meetings:meeting_list") + "?export=xlsx"))
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == "第一季度联席会议")  # the world holds other meetings too
    assert header[:2] == ["会议名称", "会议日期"]
    assert isinstance(row[1], datetime) and row[1].date() == date(2026, 3, 18)
    assert row[header.index("议定事项")] == 2  # a number cell, not the text "2"


def test_item_export_holds_the_visible_rows_only(world, client_for, meeting):
    url = reverse("meetings:item_list") + "?export=xlsx"
    sup = {r[0] for r in xlsx_rows(client_for(world.supervisor).get(url))[1:]}
    assert {"甲局的议定事项", "乙局的议定事项"} <= sup
    mine = xlsx_rows(client_for(world.dept_a_legal).get(url))
    assert [r[0] for r in mine[1:]] == ["甲局的议定事项"]
    assert isinstance(mine[1][mine[0].index("完成期限")], datetime)
    page = client_for(world.dept_a_legal).get(reverse("meetings:item_list")).content.decode()
    assert 'id="export-link"' in page and "导出 Excel" in page


def test_rule_export_is_scoped(world, client_for):
    services.adopt_rule(actor=world.dept_a_legal, org=world.dept_a, title="甲局公示审核制度",
                        adopted_on=date(2026, 4, 1), doc_number="甲〔2026〕1号", text="制度全文")
    services.adopt_rule(actor=world.dept_b_legal, org=world.dept_b, title="乙局公示审核制度",
                        adopted_on=date(2026, 4, 2), text="制度全文")
    url = reverse("meetings:rule_list") + "?export=xlsx"
    mine = xlsx_rows(client_for(world.dept_a_legal).get(url))
    assert [r[0] for r in mine[1:]] == ["甲局公示审核制度"] and mine[1][1] == "甲〔2026〕1号"
    assert {"甲局公示审核制度", "乙局公示审核制度"} <= {r[0] for r in xlsx_rows(client_for(world.supervisor).get(url))}


def test_reporting_an_item_done_asks_first(world, client_for, meeting):
    item = ActionItem.objects.get(meeting=meeting, org=world.dept_a)
    page = client_for(world.dept_a_legal).get(reverse("meetings:item_detail", args=[item.pk])).content.decode()
    form = page[page.index('id="done-form"') - 200:page.index('id="done-form"') + 200]
    assert 'data-confirm="将报告本议定事项已落实' in form


@frozen(date(2026, 5, 10))
def test_refused_report_keeps_what_was_typed(world, client_for, meeting):
    item = ActionItem.objects.get(meeting=meeting, org=world.dept_a)
    c = client_for(world.dept_a_legal)
    url = reverse("meetings:item_op", args=[item.pk, "done"])
    r = c.post(url, {"note": "已建立公示审核台账", "on": "2026-06-01", "version": item.version})  # after today
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "完成日期不能晚于今天" in page
    kept = kept_input(page)
    assert kept["action"] == url and kept["data"]["note"] == ["已建立公示审核台账"]
    item.refresh_from_db()
    assert item.state == "open"


def test_meeting_form_keeps_input_on_service_error(world, client_for, monkeypatch):
    from yifa.core.errors import DomainError

    def refuse(**kw):
        raise DomainError("同一季度已登记过联席会议。", {"held_on": ["本季度已有会议"]})

    monkeypatch.setattr(services, "record_meeting", refuse)
    r = client_for(world.supervisor).post(reverse("meetings:meeting_create"), {
        "org": world.supervision_office.pk, "title": "我输入的会议名称", "held_on": "2026-03-20",
        "topics": "我输入的议题"})
    page = r.content.decode()
    assert r.status_code == 200 and "同一季度已登记过联席会议" in page and "本季度已有会议" in page
    assert 'value="我输入的会议名称"' in page and "我输入的议题" in page


def test_add_item_refused_in_words_and_kept(world, client_for, meeting):
    c = client_for(world.supervisor)
    url = reverse("meetings:meeting_op", args=[meeting.pk, "add-item"])
    r = c.post(url, {"title": "缺少期限的事项", "org": world.dept_a.pk})
    page = c.get(r["Location"]).content.decode()
    assert "议定事项填写有误：完成期限" in page
    assert kept_input(page)["data"]["title"] == ["缺少期限的事项"]
