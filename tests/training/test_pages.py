import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.clock import frozen
from yifa.enforcement.models import Officer
from yifa.training.models import Attendance, Training

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(world):
    return Training.objects.create(org=world.supervision_office, title="全县执法人员培训", held_on=date(2026, 3, 1),
                                   hours=8)


def test_pages_render_for_every_role(world, officers, session, client_for):
    for user in (world.supervisor, world.dept_a_legal, world.town_a_legal, world.officer_a, world.leader):
        c = client_for(user)
        for url in ("/training/", "/training/sessions/", "/training/officers/", "/training/certificates/",
                    "/training/statistics/", "/training/requirements/", "/training/officers/?status=below&year=2025"):
            r = c.get(url)
            assert r.status_code == 200, (user.username, url)
    r = client_for(world.supervisor).get("/training/")
    assert "新登记" not in r.content.decode() and "登记培训" in r.content.decode()
    assert "登记培训" not in client_for(world.officer_a).get("/training/").content.decode()


@frozen(date(2026, 11, 15))  # the officer page shows this year's hours (the session is in 2026)
def test_create_session_and_bulk_attendance_through_pages(world, officers, client_for):
    c = client_for(world.dept_a_legal)
    r = c.post("/training/sessions/new/", {"org": world.dept_a.pk, "title": "执法文书培训", "kind": "business",
                                           "held_on": "2026-05-06", "hours": "30", "location": "会议室"})
    t = Training.objects.get(title="执法文书培训")
    assert r.status_code == 302 and r["Location"] == f"/training/sessions/{t.pk}/"
    page = c.get(f"/training/sessions/{t.pk}/").content.decode()
    assert "甲一" in page and "乙一" not in page  # candidates: own officers only
    r = c.post(f"/training/sessions/{t.pk}/", {"op": "attendance", "officer": [officers["a1"].pk, officers["a2"].pk]})
    assert r.status_code == 302
    assert Attendance.objects.filter(training=t, status="attended").count() == 2
    r = c.post(f"/training/sessions/{t.pk}/", {"op": "attendance", "officer": [officers["b1"].pk]})
    assert Attendance.objects.filter(training=t).count() == 2  # out of scope: refused
    detail = c.get(f"/training/officers/{officers['a1'].pk}/").content.decode()
    assert "执法文书培训" in detail and 'id="officer-hours">30<' in detail


def test_import_errors_shown_per_row(world, officers, session, client_for):
    wb = Workbook()
    ws = wb.active
    ws.append(["执法证号", "姓名", "出勤"])
    ws.append(["TRN-A1", "甲一", "出席"])
    ws.append(["XX-404", "某某", "出席"])
    buf = io.BytesIO()
    wb.save(buf)
    c = client_for(world.supervisor)
    r = c.post(f"/training/sessions/{session.pk}/", {"op": "import",
                                                      "file": SimpleUploadedFile("a.xlsx", buf.getvalue())})
    body = r.content.decode()
    assert r.status_code == 400 and 'id="row-errors"' in body and "执法证号“XX-404”不存在" in body
    assert not Attendance.objects.filter(training=session).exists()


def test_certificate_page_and_invalid_note(world, officers, client_for):
    today = timezone.localdate()
    Officer.objects.filter(pk=officers["a1"].pk).update(valid_to=today - timedelta(days=1))
    Officer.objects.filter(pk=officers["a2"].pk).update(valid_to=today + timedelta(days=20))
    c = client_for(world.dept_a_legal)
    body = c.get("/training/certificates/").content.decode()
    assert "甲一" in body and "甲二" in body and "甲三" not in body
    assert "cert-invalid" in body and "cert-expiring_30" in body and "不能指派" in body
    detail = c.get(f"/training/officers/{officers['a1'].pk}/").content.decode()
    assert 'id="cert-invalid-note"' in detail and "无效" in detail
    assert c.get(f"/training/officers/{officers['b1'].pk}/").status_code == 404
    rows = c.get("/training/officers/?status=expiring_30").content.decode()
    assert "甲二" in rows and "甲一" not in rows


def test_officer_list_has_no_n_plus_one(world, officers, session, client_for):
    c = client_for(world.supervisor)
    c.get("/training/officers/")
    with CaptureQueriesContext(connection) as few:
        c.get("/training/officers/")
    for i in range(25):
        o = Officer.objects.create(org=world.dept_b, name=f"新增{i}", certificate_no=f"NPLUS-{i}",
                                   valid_from=date(2024, 1, 1), valid_to=date(2030, 1, 1))
        Attendance.objects.create(training=session, officer=o, org=o.org, hours_credited=8, held_on=session.held_on)
    with CaptureQueriesContext(connection) as many:
        c.get("/training/officers/")
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as stats:
        c.get("/training/statistics/")
    assert len(stats) < 20


def test_exports_are_xlsx(world, officers, session, client_for):
    Attendance.objects.create(training=session, officer=officers["a1"], org=world.dept_a, hours_credited=8,
                              held_on=session.held_on)
    c = client_for(world.supervisor)
    r = c.get("/training/statistics/?year=2026&format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "单位" and rows[-1][0] == "合计"
    dept = next(r for r in rows if r[0] == world.dept_a.name)
    assert dept[3] == 1 and dept[5] == 8 and dept[6] == 3
    r = c.get(f"/training/officers/export.xlsx?year=2026&org={world.dept_a.pk}&status=below")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    names = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["甲一", "甲三", "甲二"]
    r = client_for(world.dept_b_legal).get("/training/officers/export.xlsx")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert {row[2] for row in ws.iter_rows(min_row=2, values_only=True)} == {world.dept_b.name}


def test_requirement_page(world, client_for):
    c = client_for(world.supervisor)
    r = c.post("/training/requirements/", {"org": world.county.pk, "year": 2026, "hours": "72"})
    assert r.status_code == 302
    assert "72.0" in c.get("/training/requirements/").content.decode()
    assert client_for(world.officer_a).post("/training/requirements/", {"org": world.dept_a.pk, "year": 2026,
                                                                         "hours": "1"}).status_code == 403


def test_session_list_has_no_n_plus_one(world, officers, client_for):
    c = client_for(world.supervisor)
    Training.objects.create(org=world.dept_a, title="第一期", held_on=date(2026, 2, 1), hours=4)
    c.get("/training/sessions/")
    with CaptureQueriesContext(connection) as few:
        c.get("/training/sessions/")
    for i in range(20):
        t = Training.objects.create(org=world.dept_b, title=f"第{i}期", held_on=date(2026, 3, 1), hours=4)
        Attendance.objects.create(training=t, officer=officers["b1"], org=world.dept_b, hours_credited=4,
                                  held_on=t.held_on)
    with CaptureQueriesContext(connection) as many:
        body = c.get("/training/sessions/").content.decode()
    assert len(many) == len(few) and "第19期" in body


def test_todo_for_certificates_expiring_within_30_days(world, officers):
    from yifa.core.todos import todos_for

    Officer.objects.filter(pk=officers["a2"].pk).update(valid_to=timezone.localdate() + timedelta(days=10))
    mine = [t for t in todos_for(world.dept_a_legal) if t.module == "队伍建设"]
    assert len(mine) == 1 and mine[0].title.startswith("1 名执法人员")
    assert not [t for t in todos_for(world.dept_b_legal) if t.module == "队伍建设"]
    assert not [t for t in todos_for(world.officer_a) if t.module == "队伍建设"]


def test_edit_session_page(world, officers, session, client_for):
    c = client_for(world.supervisor)
    assert c.get(f"/training/sessions/{session.pk}/edit/").status_code == 200
    r = c.post(f"/training/sessions/{session.pk}/edit/", {
        "org": world.supervision_office.pk, "title": "更正后的培训", "kind": "law", "held_on": "2026-03-02",
        "hours": "8", "version": session.version})
    assert r.status_code == 302
    session.refresh_from_db()
    assert session.title == "更正后的培训" and session.version == 2
    r = c.post(f"/training/sessions/{session.pk}/edit/", {
        "org": world.supervision_office.pk, "title": "过期编辑", "kind": "law", "held_on": "2026-03-02",
        "hours": "8", "version": 1})
    assert r.status_code == 200 and "已被他人修改" in r.content.decode()
    assert client_for(world.leader).get(f"/training/sessions/{session.pk}/edit/").status_code == 403


def test_sessions_newest_first(world, client_for):
    Training.objects.create(org=world.dept_a, title="较早的培训", held_on=date(2024, 2, 1), hours=4)
    Training.objects.create(org=world.dept_a, title="最近的培训", held_on=date(2026, 9, 1), hours=4)
    c = client_for(world.dept_a_legal)
    for url in ("/training/", "/training/sessions/"):
        body = c.get(url).content.decode()
        assert body.index("最近的培训") < body.index("较早的培训"), url
