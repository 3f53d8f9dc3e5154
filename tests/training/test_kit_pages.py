"""队伍建设 on the view kit: the lists export the rows in the user's scope (hours as
numbers), deleting an attendance asks first, refused input is kept, and the attendance
import offers a template and an error report instead of thousands of rows on screen."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.kit import kept_input, xlsx_rows
from yifa.training.models import Attendance, Training

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(world):
    return Training.objects.create(org=world.dept_a, title="甲局执法文书培训", held_on=date(2026, 3, 1), hours=Decimal("6.5"))


def _xlsx(rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("出勤.xlsx", buf.getvalue())


def test_training_list_export_is_scoped_with_numbers(world, officers, session, client_for):
    Training.objects.create(org=world.dept_b, title="乙局培训", held_on=date(2026, 3, 2), hours=4)
    Attendance.objects.create(training=session, officer=officers["a1"], org=world.dept_a, hours_credited=6.5,
                              held_on=session.held_on)
    rows = xlsx_rows(client_for(world.dept_a_legal).get("/training/sessions/?export=xlsx"))
    header = rows[0]
    mine = [r for r in rows[1:] if r[0] == "甲局执法文书培训"]
    assert mine and not [r for r in rows[1:] if r[0] == "乙局培训"]
    row = mine[0]
    assert row[header.index("学时")] == 6.5 and row[header.index("出席人次")] == 1
    assert isinstance(row[header.index("日期")], datetime)
    assert "乙局培训" in {r[0] for r in xlsx_rows(client_for(world.supervisor).get("/training/sessions/?export=xlsx"))}


def test_officer_list_export_is_scoped_with_hours_as_numbers(world, officers, session, client_for):
    Attendance.objects.create(training=session, officer=officers["a1"], org=world.dept_a, hours_credited=6.5,
                              held_on=session.held_on)
    c = client_for(world.dept_a_legal)
    page = c.get("/training/officers/?year=2026").content.decode()
    assert 'id="export-officers"' in page and "export=xlsx" in page and "导出 Excel" in page
    rows = xlsx_rows(c.get("/training/officers/?year=2026&export=xlsx"))
    header = rows[0]
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"甲一", "甲二", "甲三"}  # department A's officers only
    assert by_name["甲一"][header.index("本年度学时")] == 6.5 and by_name["甲二"][header.index("本年度学时")] == 0
    assert isinstance(by_name["甲一"][header.index("应修学时")], (int, float))
    assert by_name["甲一"][header.index("学时")] in ("是", "否") and by_name["甲一"][header.index("执法证")] == "有效"
    certs = xlsx_rows(c.get("/training/certificates/?export=xlsx"))
    assert certs[0] == header and all(r[2] == world.dept_a.name for r in certs[1:])


def test_deleting_an_attendance_asks_first(world, officers, session, client_for):
    Attendance.objects.create(training=session, officer=officers["a1"], org=world.dept_a, hours_credited=6.5,
                              held_on=session.held_on)
    page = client_for(world.dept_a_legal).get(f"/training/sessions/{session.pk}/").content.decode()
    i = page.index('name="op" value="remove"')
    assert 'data-confirm="将删除甲一的本次出勤记录' in page[i - 300:i]


def test_training_form_keeps_input_when_the_service_refuses(world, client_for):
    r = client_for(world.dept_a_legal).post("/training/sessions/new/", {
        "org": world.dept_a.pk, "title": "我填写的培训名称", "kind": "business", "held_on": "2026-05-06", "hours": "0",
        "location": "三楼会议室"})
    page = r.content.decode()
    assert r.status_code == 200 and "学时应大于 0" in page
    assert 'value="我填写的培训名称"' in page and 'value="三楼会议室"' in page
    assert not Training.objects.filter(title="我填写的培训名称").exists()


def test_requirement_form_keeps_input_when_the_service_refuses(world, client_for):
    r = client_for(world.dept_a_legal).post("/training/requirements/", {"org": world.dept_a.pk, "year": "2026",
                                                                        "hours": "150.5"})
    page = r.content.decode()
    assert r.status_code == 200 and "年度应修学时不能超过 100" in page and 'value="150.5"' in page
    assert client_for(world.officer_a).post("/training/requirements/", {"org": world.dept_a.pk, "year": "2026",
                                                                        "hours": "10"}).status_code == 403


def test_refused_attendance_keeps_the_ticked_persons(world, officers, session, client_for):
    c = client_for(world.dept_a_legal)
    url = f"/training/sessions/{session.pk}/"
    r = c.post(url, {"op": "attendance", "officer": [officers["a1"].pk, officers["a2"].pk], "hours": "99999",
                     "note": "我写的备注"})
    assert r.status_code == 302 and not Attendance.objects.filter(training=session).exists()
    kept = kept_input(c.get(url).content.decode())
    assert kept["action"] == url and kept["data"]["op"] == ["attendance"]
    assert kept["data"]["officer"] == [str(officers["a1"].pk), str(officers["a2"].pk)]
    assert kept["data"]["note"] == ["我写的备注"]


def test_import_template_has_header_example_and_explanation(world, officers, session, client_for):
    c = client_for(world.dept_a_legal)
    page = c.get(f"/training/sessions/{session.pk}/").content.decode()
    assert 'id="import-template-download"' in page
    r = c.get("/training/sessions/import-template.xlsx")
    sheet = xlsx_rows(r)
    assert sheet[0] == ["执法证号", "用户名", "姓名", "出勤", "认定学时", "备注"] and len(sheet) == 2
    notes = xlsx_rows(c.get("/training/sessions/import-template.xlsx"), sheet=1)
    assert notes[0] == ["列", "是否必填", "可填的值"]
    status = next(n for n in notes if n[0] == "出勤")
    assert status[2] == "出席、缺席"
    # the template, filled in, imports
    filled = [sheet[0], ["TRN-A1", None, "甲一", "出席", 4, "示例"]]
    r = c.post(f"/training/sessions/{session.pk}/", {"op": "import", "file": _xlsx(filled)})
    assert r.status_code == 302
    assert Attendance.objects.get(training=session, officer=officers["a1"]).hours_credited == 4


def test_import_shows_twenty_errors_and_offers_the_full_report(world, officers, session, client_for):
    rows = [["执法证号", "姓名", "出勤"], ["TRN-A1", "甲一", "出席"]]
    rows += [[f"NOPE-{i:03d}", "某某", "出席"] for i in range(30)]
    c = client_for(world.dept_a_legal)
    r = c.post(f"/training/sessions/{session.pk}/", {"op": "import", "file": _xlsx(rows)})
    page = r.content.decode()
    assert r.status_code == 400 and "共 30 处错误" in page and "下面列出前 20 处" in page
    table = page[page.index('id="import-errors"'):page.index("</table>", page.index('id="import-errors"'))]
    assert table.count("<tr>") == 1 + 20 and "执法证号“NOPE-000”不存在" in table and "NOPE-020" not in table
    link = page[page.index('id="import-errors-download"') - 200:page.index('id="import-errors-download"')]
    href = link[link.rindex('href="') + 6:]
    href = href[:href.index('"')].replace("&amp;", "&")
    report = xlsx_rows(c.get(href))
    assert report[0] == ["行号", "列", "错误说明"] and len(report) == 31
    assert report[1] == [3, "执法证号", "执法证号“NOPE-000”不存在"] and report[-1][0] == 32
    assert not Attendance.objects.filter(training=session).exists()
    # someone else (even the supervisor over the unit) does not get this person's report
    other = client_for(world.supervisor).get(href)
    assert other["Content-Type"].startswith("text/html") and 'id="import-report-missing"' in other.content.decode()
    assert client_for(world.dept_b_legal).get(href).status_code == 404
