"""The view kit on the deadline pages: Excel exports (the scoped tracked deadlines, the
holiday calendar of a year) with dates as dates, 标记完整 asks first, a refused holiday
entry keeps what was typed."""

import re
from datetime import date, datetime

import pytest

from tests.xlsx import sheet_rows
from yifa.deadlines.models import HolidayDay, HolidayKind

pytestmark = pytest.mark.django_db


def test_tracked_export_is_scoped_with_dates(world, client_for):
    rows = sheet_rows(client_for(world.walker_a).get("/deadlines/tracked/?export=xlsx"))
    header, data = rows[0], rows[1:]
    titles = [r[header.index("事项")] for r in data]
    assert world.deadline_a.title in titles and world.deadline_b.title not in titles
    row = data[titles.index(world.deadline_a.title)]
    assert isinstance(row[header.index("起算日")], datetime)
    assert row[header.index("起算日")].date() == world.deadline_a.start


def test_holiday_calendar_export_and_link(world, client_for):
    c = client_for(world.dept_a_legal)
    page = c.get("/deadlines/holidays/?year=2025").content.decode()
    assert 'id="export-link"' in page and "year=2025" in page[page.index('id="export-link"') - 200:]
    rows = sheet_rows(c.get("/deadlines/holidays/?year=2025&export=xlsx"))
    header, data = rows[0], rows[1:]
    assert len(data) == HolidayDay.objects.filter(year=2025).count()
    national_day = next(r for r in data if r[header.index("名称")] == "国庆节")
    assert isinstance(national_day[header.index("日期")], datetime)
    assert all(r[header.index("日期")].year == 2025 for r in data)
    assert {r[header.index("类型")] for r in data} <= set(HolidayKind.labels)  # in words, not codes


def test_marking_a_year_complete_asks_first(world, client_for):
    c = client_for(world.admin)
    assert c.post("/deadlines/holidays/new/", {"date": "2028-03-03", "kind": "holiday", "name": "三月三（本地）",
                                               "source": "本地"}).status_code == 302
    page = c.get("/deadlines/holidays/?year=2028").content.decode()
    form = page[page.index("/deadlines/holidays/2028/complete/"):][:300]
    assert 'data-confirm="将标记 2028 年节假日数据已录入完整' in form


def test_refused_holiday_entry_keeps_the_input(world, client_for):
    c = client_for(world.admin)
    resp = c.post("/deadlines/holidays/new/", {"date": "2028-03-06", "kind": "makeup_workday",
                                               "name": "误录的调休日", "source": "国办发明电（测试）"})
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "调休上班日必须是周六或周日" in body
    assert 'value="误录的调休日"' in body and 'value="国办发明电（测试）"' in body and "2028-03-06" in body
    assert not HolidayDay.objects.filter(date=date(2028, 3, 6)).exists()


def test_rule_export_has_terms_as_numbers_and_scoped_provisions(world, client_for):
    from yifa.deadlines import services
    from yifa.deadlines.models import DeadlineRule

    services.set_rule_override(actor=world.admin, rule=DeadlineRule.objects.get(code="penalty.publicity"),
                               org=world.dept_a, n=20, basis="甲局公示期限特别规定")
    rule = DeadlineRule.objects.get(code="penalty.publicity")
    rows = sheet_rows(client_for(world.dept_a_legal).get("/deadlines/rules/?export=xlsx"))
    header = rows[0]
    row = next(r for r in rows[1:] if r[header.index("名称")] == rule.name)
    assert row[header.index("期限")] == rule.n and isinstance(row[header.index("期限")], int)
    assert row[header.index("计算单位")] == rule.get_unit_display()
    assert "测试县市场监督管理局：20 个" in row[header.index("依据")] and "甲局公示期限特别规定" in row[header.index("依据")]
    assert len(rows) - 1 == DeadlineRule.objects.count()
    other = sheet_rows(client_for(world.dept_b_legal).get("/deadlines/rules/?export=xlsx"))
    assert "甲局公示期限特别规定" not in next(r for r in other[1:] if r[0] == rule.name)[header.index("依据")]
    page = client_for(world.dept_b_legal).get("/deadlines/rules/").content.decode()
    assert 'id="export-link"' in page and f'id="rule-{rule.code}"' in page
    assert "<code>penalty.publicity</code>" not in page  # the code is for administrators only
    assert "<code>penalty.publicity</code>" in client_for(world.admin).get("/deadlines/rules/").content.decode()


def test_holiday_import_offers_a_template_and_a_downloadable_error_report(world, client_for):
    """Every import page: a template to download, and when refused, the first errors on the
    page and the full report (行号、列、错误说明) as a download for the importer only."""
    c = client_for(world.admin)
    page = c.get("/deadlines/holidays/import/").content.decode()
    assert 'href="/deadlines/holidays/import-template.csv"' in page
    template = c.get("/deadlines/holidays/import-template.csv")
    text = template.content.decode("utf-8-sig")
    assert template.status_code == 200 and text.startswith("date,kind,name,source")
    assert "2027-01-01,holiday,元旦" in text
    assert client_for(world.officer_a).get("/deadlines/holidays/import-template.csv").status_code == 403

    lines = ["date,kind,name"] + [f"2031-01-{d:02d},weird,假日{d}" for d in range(1, 26)] + ["2031-13-01,holiday,坏日期"]
    resp = c.post("/deadlines/holidays/import/", {"text": "\n".join(lines), "source": "测试"})
    body = resp.content.decode()
    assert resp.status_code == 200 and "共 26 处错误" in body and "下面列出前 20 处" in body
    assert not HolidayDay.objects.filter(year=2031).exists()
    link = re.search(r'href="([^"]+)" id="import-errors-download"', body).group(1)
    report = c.get(link)
    rows = sheet_rows(report)
    assert rows[0] == ["行号", "列", "错误说明"] and len(rows) == 27
    assert rows[1][:2] == [2, "类型"] and "weird" in rows[1][2]
    assert rows[-1][:2] == [27, "日期"] and "2031-13-01" in rows[-1][2]
    # someone else gets a page in words, not the report
    other = client_for(world.supervisor).get(link)
    assert other.status_code == 200 and "spreadsheetml" not in other.get("Content-Type", "")
