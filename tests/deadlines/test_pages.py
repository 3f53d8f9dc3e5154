"""Holiday calendar and rule pages: everyone reads, administrators write (audited)."""

from datetime import date

import pytest

from yifa.audit.models import AuditEvent
from yifa.deadlines import engine
from yifa.deadlines.models import DeadlineRuleOverride, HolidayDay, HolidayYear

pytestmark = pytest.mark.django_db


def test_pages_render_for_any_signed_in_user(world, client_for):
    c = client_for(world.officer_a)
    for url in ("/deadlines/", "/deadlines/calculator/", "/deadlines/rules/", "/deadlines/holidays/",
                "/deadlines/holidays/?year=2025", "/deadlines/tracked/"):
        resp = c.get(url, follow=True)
        assert resp.status_code == 200, url
    html = c.get("/deadlines/holidays/?year=2025").content.decode()
    assert "国庆节" in html and "2025-09-28" in html
    html = c.get("/deadlines/rules/").content.decode()
    assert "normative.review" in html and "本地默认值" in html


def test_non_admins_cannot_write(world, client_for):
    c = client_for(world.dept_a_legal)
    for url in ("/deadlines/holidays/new/", "/deadlines/holidays/import/", "/deadlines/rules/overrides/new/"):
        assert c.get(url).status_code == 403, url
    assert c.post("/deadlines/holidays/2025/complete/").status_code == 403


def test_admin_enters_a_year_through_the_page(world, client_for):
    c = client_for(world.admin)
    assert c.get("/deadlines/holidays/import/").status_code == 200
    csv_text = "2027-01-01,休,元旦\n2027-02-20,班,春节调休上班\n"
    resp = c.post("/deadlines/holidays/import/", {"text": csv_text, "source": "国办发明电（测试）", "complete": "on"})
    assert resp.status_code == 302
    assert HolidayYear.objects.get(year=2027).complete
    assert set(HolidayDay.objects.filter(year=2027).values_list("source", flat=True)) == {"国办发明电（测试）"}
    assert engine.compute("permit.materials_notice", date(2027, 1, 4)).due == date(2027, 1, 11)
    # the same again is refused, with the reason shown
    resp = c.post("/deadlines/holidays/import/", {"text": csv_text, "complete": "on"})
    assert resp.status_code == 200 and "已有记录" in resp.content.decode()
    assert AuditEvent.objects.filter(action="holidays.import", actor=world.admin).count() == 1


def test_admin_adds_a_single_local_day_and_marks_a_year(world, client_for):
    c = client_for(world.admin)
    resp = c.post("/deadlines/holidays/new/", {"date": "2028-03-03", "kind": "holiday", "name": "三月三（本地）",
                                               "source": "本地"})
    assert resp.status_code == 302
    assert not HolidayYear.objects.get(year=2028).complete
    with pytest.raises(engine.MissingHolidayData, match="2028"):
        engine.compute("penalty.service", date(2028, 3, 1), strict=True)
    # provisional meanwhile: the local day already entered counts
    assert engine.compute("penalty.service", date(2028, 3, 1)).provisional
    # a year without any make-up working day: warned, nothing marked until confirmed
    resp = c.post("/deadlines/holidays/2028/complete/")
    assert resp.status_code == 302 and resp["Location"].endswith("?year=2028&confirm=1")
    assert not HolidayYear.objects.get(year=2028).complete
    page = c.get(resp["Location"]).content.decode()
    assert "没有任何调休上班日" in page and 'id="confirm-no-makeup"' in page
    assert c.post("/deadlines/holidays/2028/complete/", {"confirm_no_makeup": "1"}).status_code == 302
    assert HolidayYear.objects.get(year=2028).complete
    assert engine.compute("penalty.service", date(2028, 3, 1)).due == date(2028, 3, 13)  # 3/3 skipped
    resp = c.post("/deadlines/holidays/new/", {"date": "2028-03-06", "kind": "makeup_workday", "name": "x",
                                               "source": "本地"})
    assert "调休上班日必须是周六或周日" in resp.content.decode()


def test_admin_sets_an_override_through_the_page(world, client_for):
    c = client_for(world.admin)
    resp = c.post("/deadlines/rules/overrides/new/", {"rule": "penalty.publicity", "org": world.dept_a.pk, "n": 20,
                                                      "basis": "《市场监督管理行政处罚信息公示规定》第九条"})
    assert resp.status_code == 302
    assert DeadlineRuleOverride.objects.get().n == 20
    html = c.get("/deadlines/rules/").content.decode()
    assert "第九条" in html
    html = c.get("/deadlines/calculator/", {"rule": "penalty.publicity", "start": "2025-06-10",
                                            "org": world.dept_a.pk}).content.decode()
    assert "2025-07-08" in html and "本单位特别规定" in html


def test_tracked_detail_shows_timeline(world, client_for):
    c = client_for(world.walker_a)
    html = c.get(f"/deadlines/tracked/{world.deadline_a.pk}/").content.decode()
    assert "南湖镇处罚决定公示" in html and "开始计算期限" in html and "超期" in html
    assert "deadline.start" not in html  # the history says what happened in words
