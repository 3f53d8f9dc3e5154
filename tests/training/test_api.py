import io
from datetime import date

import pytest
from openpyxl import Workbook

from yifa.enforcement.models import Officer
from yifa.training.models import Attendance, Training

pytestmark = pytest.mark.django_db
API = "/api/v1/training"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_session_attendance_and_hours_over_the_api(world, officers, client_for):
    c = client_for(world.supervisor)
    r = post(c, f"{API}/sessions/", {"org": world.supervision_office.pk, "title": "行政处罚法培训", "kind": "law",
                                     "held_on": "2026-04-01", "hours": "40", "targets": [world.dept_a.pk]})
    assert r.status_code == 201, r.content
    tid = r.json()["id"]
    r = post(c, f"{API}/sessions/{tid}/attendance/", {"entries": [
        {"officer": officers["a1"].pk}, {"officer": officers["a2"].pk, "hours": "30"},
        {"officer": officers["a3"].pk, "status": "absent"}]})
    assert r.status_code == 200 and r.json() == {"created": 3, "updated": 0}
    t2 = post(c, f"{API}/sessions/", {"org": world.supervision_office.pk, "title": "警示教育", "kind": "warning",
                                      "held_on": "2026-06-01", "hours": "24"}).json()["id"]
    post(c, f"{API}/sessions/{t2}/attendance/", {"entries": [{"officer": officers["a1"].pk}]})
    rows = {o["id"]: o for o in c.get(f"{API}/officers/?year=2026&org={world.dept_a.pk}").json()["results"]}
    a1, a2, a3 = rows[officers["a1"].pk], rows[officers["a2"].pk], rows[officers["a3"].pk]
    assert (a1["hours_done"], a1["hours_required"], a1["meets"]) == ("64.0", "60.0", True)
    assert (a2["hours_done"], a2["meets"], a3["hours_done"]) == ("30.0", False, "0.0")
    below = c.get(f"{API}/officers/?year=2026&status=below&org={world.dept_a.pk}").json()["results"]
    assert {o["id"] for o in below} == {officers["a2"].pk, officers["a3"].pk}
    hist = c.get(f"{API}/officers/{officers['a1'].pk}/history/").json()
    assert [a["training_title"] for a in hist["attendances"]] == ["警示教育", "行政处罚法培训"]
    assert hist["yearly"][0]["year"] == 2026 and hist["yearly"][0]["hours"] == 64
    stats = {r["org"]: r for r in c.get(f"{API}/statistics/?year=2026").json()}
    assert stats[world.dept_a.pk]["meeting"] == 1 and stats[world.dept_a.pk]["officers"] == 3
    assert stats[world.dept_a.pk]["completion_rate"] == 33.3
    m = c.get(f"{API}/metrics/?org={world.dept_a.pk}&start=2026-01-01&end=2026-12-31&drilldown=officers_below").json()
    assert m["officers"] == 3 and m["officers_meeting"] == 1 and len(m["records"]) == 2
    att = c.get(f"{API}/attendances/?officer={officers['a1'].pk}").json()["results"]
    assert len(att) == 2 and all(a["org"] == world.dept_a.pk for a in att)


def test_api_errors_use_the_documented_format(world, officers, client_for):
    c = client_for(world.supervisor)
    t = Training.objects.create(org=world.supervision_office, title="培训", held_on=date(2026, 3, 1), hours=4)
    r = post(c, f"{API}/sessions/{t.pk}/attendance/", {"entries": [{"officer": officers["a1"].pk, "hours": "9"}]})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid" and "本批全部未登记" in body["message"]
    assert body["fields"]["rows"][0]["message"].startswith("认定学时不能超过")
    r = post(c, f"{API}/sessions/", {"org": world.supervision_office.pk, "title": "x", "held_on": "2026-01-01",
                                     "hours": "0"})
    assert r.status_code == 400 and "hours" in r.json()["fields"]
    assert c.get(f"{API}/metrics/?drilldown=bogus").status_code == 400
    assert c.get(f"{API}/metrics/?start=2026-13-01").status_code == 400


def test_api_import_attendance(world, officers, client_for):
    c = client_for(world.dept_a_legal)
    t = Training.objects.create(org=world.dept_a, title="内部培训", held_on=date(2026, 3, 1), hours=4)
    wb = Workbook()
    ws = wb.active
    ws.append(["执法证号", "姓名", "出勤"])
    ws.append(["TRN-A1", "甲一", "出席"])
    ws.append(["TRN-B1", "乙一", "出席"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "a.xlsx"
    buf.seek(0)
    r = c.post(f"{API}/sessions/{t.pk}/import/", {"file": buf})
    assert r.status_code == 400, r.json()
    assert r.json()["fields"]["rows"][0]["row"] == 3
    assert not Attendance.objects.filter(training=t).exists()


def test_api_scope(world, officers, client_for):
    t_a = Training.objects.create(org=world.dept_a, title="市场局内部培训", held_on=date(2026, 3, 1), hours=4)
    Attendance.objects.create(training=t_a, officer=officers["a1"], org=world.dept_a, hours_credited=4,
                              held_on=t_a.held_on)
    b = client_for(world.dept_b_legal)
    assert b.get(f"{API}/sessions/{t_a.pk}/").status_code == 404
    assert b.get(f"{API}/officers/{officers['a1'].pk}/").status_code == 404
    assert b.get(f"{API}/officers/{officers['a1'].pk}/history/").status_code == 404
    r = post(b, f"{API}/sessions/{t_a.pk}/attendance/", {"entries": [{"officer": officers["b1"].pk}]})
    assert r.status_code == 404
    ids = {o["id"] for o in b.get(f"{API}/officers/").json()["results"]}
    assert ids == {officers["b1"].pk, officers["b2"].pk}
    assert b.get(f"{API}/officers/?org={world.dept_a.pk}").json()["results"] == []
    assert b.get(f"{API}/metrics/?org={world.dept_a.pk}").status_code == 400
    assert {r["org"] for r in b.get(f"{API}/statistics/?org={world.dept_a.pk}").json()} <= {world.dept_b.pk}
    # department B cannot record its officers on department A's session even with the id
    assert not Attendance.objects.filter(officer=officers["b1"]).exists()
    # the supervision office sees the county
    s = client_for(world.supervisor)
    assert s.get(f"{API}/sessions/{t_a.pk}/").status_code == 200
    county_ids = {o["id"] for o in s.get(f"{API}/officers/?page_size=200").json()["results"]}
    assert {o.pk for o in officers.values()} <= county_ids
    # an officer reads but cannot write
    o = client_for(world.officer_a)
    assert o.get(f"{API}/sessions/{t_a.pk}/").status_code == 200
    r = post(o, f"{API}/sessions/", {"org": world.dept_a.pk, "title": "x", "held_on": "2026-01-01", "hours": "2"})
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"


def test_requirement_api(world, officers, client_for):
    c = client_for(world.supervisor)
    r = post(c, f"{API}/requirements/", {"org": world.county.pk, "year": 2026, "hours": "48"})
    assert r.status_code == 201
    row = [o for o in c.get(f"{API}/officers/?org={world.dept_a.pk}&year=2026").json()["results"]][0]
    assert row["hours_required"] == "48.0"
    assert post(client_for(world.dept_b_legal), f"{API}/requirements/",
                {"org": world.dept_a.pk, "year": 2026, "hours": "10"}).status_code == 400
    assert Officer.objects.count() >= 6


def test_patch_session(world, officers, client_for):
    c = client_for(world.supervisor)
    t = Training.objects.create(org=world.supervision_office, title="培训", held_on=date(2026, 3, 1), hours=4)
    r = c.patch(f"{API}/sessions/{t.pk}/", {"title": "改名后的培训", "hours": "5", "version": 1},
                content_type="application/json")
    assert r.status_code == 200 and r.json()["title"] == "改名后的培训" and r.json()["version"] == 2
    r = c.patch(f"{API}/sessions/{t.pk}/", {"title": "再改", "version": 1}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "stale_version"
    r = client_for(world.dept_b_legal).patch(f"{API}/sessions/{t.pk}/", {"title": "x"},
                                             content_type="application/json")
    assert r.status_code == 404
