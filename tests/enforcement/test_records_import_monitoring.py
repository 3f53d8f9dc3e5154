"""Full-process records, bulk intake, the monitoring board and the API."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clock import frozen
from yifa.core.errors import DomainError
from yifa.core.sweep import run_all
from yifa.deadlines.models import Warning
from yifa.enforcement import imports, selectors, services
from yifa.enforcement.models import Case, ProcessRecord

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _case(world, lib, **kw):
    base = dict(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=date(2026, 8, 3), title="案由甲",
                party_name="李四", officers=[lib.o1, lib.o2])
    base.update(kw)
    return services.file_case(**base)


def test_record_upload_hash_limits_and_tamper(world, lib, settings, client_for):
    case = _case(world, lib)
    rec = services.add_record(actor=world.officer_a, case=case, upload=SimpleUploadedFile("现场.png", PNG))
    assert rec.kind == "photo" and rec.size == len(PNG) and len(rec.sm3) == 64 and rec.step == "filed"
    assert services.verify_record(rec)
    with pytest.raises(DomainError, match="不允许的文件类型"):
        services.add_record(actor=world.officer_a, case=case, upload=SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 10))
    settings.YIFA_ENFORCEMENT_MAX_UPLOAD_MB = 0
    with pytest.raises(DomainError, match="大小限制"):
        services.add_record(actor=world.officer_a, case=case, upload=SimpleUploadedFile("b.png", PNG))
    # download only through the permission-checked view; tampering is detected
    c = client_for(world.officer_a)
    resp = c.get(f"/enforcement/records/{rec.pk}/")
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == PNG
    assert client_for(world.dept_b_legal).get(f"/enforcement/records/{rec.pk}/").status_code == 404
    with open(rec.file.path, "ab") as f:
        f.write(b"x")
    assert not services.verify_record(ProcessRecord.objects.get(pk=rec.pk))
    assert "不一致" in c.get(f"/enforcement/records/{rec.pk}/verify/").content.decode()


def _csv(rows):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["来源案号", "办案单位代码", "事项编码", "案件类型", "立案日期", "案由", "当事人", "罚款金额", "执法证号"])
    w.writerows(rows)
    return SimpleUploadedFile("cases.csv", buf.getvalue().encode("utf-8-sig"))


def test_import_all_or_nothing_and_idempotent(world, lib):
    good = ["SYS-1", "T-DA", "SCJG-001", "行政处罚", "2026-08-03", "无照经营", "王五", "1000", "T-0001,T-0002"]
    bad1 = ["SYS-2", "T-DB", "SCJG-001", "行政处罚", "2026-08-03", "案由", "赵六", "x", ""]
    bad2 = ["SYS-3", "T-DA", "NOPE", "飞行", "2026-13-01", "", "钱七", "1", "T-9999"]
    batch = imports.import_file(actor=world.officer_a, kind="cases", source_system="scjg",
                                upload=_csv([good, bad1, bad2]))
    imported = Case.objects.filter(source_system="scjg")
    assert batch.state == "failed" and not imported.exists()
    rows = {(e["row"], e["field"]) for e in batch.errors}
    assert (3, "办案单位代码") in rows and (3, "罚款金额") in rows
    assert {(4, "事项编码"), (4, "案件类型"), (4, "立案日期"), (4, "案由"), (4, "执法证号")} <= rows
    batch = imports.import_file(actor=world.officer_a, kind="cases", source_system="scjg", upload=_csv([good]))
    assert batch.created == 1 and imported.count() == 1
    good[5] = "无照经营（更正）"
    batch = imports.import_file(actor=world.officer_a, kind="cases", source_system="scjg", upload=_csv([good]))
    assert batch.updated == 1 and imported.get().title == "无照经营（更正）"
    assert imported.get().officers.count() == 2


def test_import_officers_xlsx(world, lib):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["执法证号", "姓名", "单位代码", "有效期起", "有效期至"])
    ws.append(["N-1", "新执法员", "T-DA", date(2026, 1, 1), date(2028, 1, 1)])
    buf = io.BytesIO()
    wb.save(buf)
    batch = imports.import_file(actor=world.dept_a_legal, kind="officers", source_system="excel",
                                upload=SimpleUploadedFile("o.xlsx", buf.getvalue()))
    assert batch.created == 1, batch.errors


def test_json_import_api(world, lib, client_for):
    c = client_for(world.officer_a)
    row = {"source_case_no": "API-1", "org_code": "T-DA", "item_code": "SCJG-001", "case_type": "penalty",
           "filed_on": "2026-08-03", "title": "接口案件", "party_name": "孙八"}
    resp = c.post("/api/v1/enforcement/cases/import/", {"source_system": "dept", "rows": [row, {**row,
                  "source_case_no": "API-2", "filed_on": "bad"}]}, content_type="application/json")
    assert resp.status_code == 400 and resp.json()["fields"]["rows"][0]["row"] == 3
    assert not Case.objects.filter(source_system="dept").exists()
    resp = c.post("/api/v1/enforcement/cases/import/", {"source_system": "dept", "rows": [row]},
                  content_type="application/json")
    assert resp.status_code == 200 and resp.json()["created"] == 1


def test_api_transitions_guard_and_stale(world, lib, client_for):
    case = _case(world, lib, officers=[lib.o1])
    c = client_for(world.officer_a)
    resp = c.post(f"/api/v1/enforcement/cases/{case.pk}/transitions/", {"action": "investigate", "on": "2026-08-04"},
                  content_type="application/json")
    assert resp.status_code == 409 and "第四十二条" in resp.json()["message"]
    resp = c.patch(f"/api/v1/enforcement/cases/{case.pk}/", {"officers": [lib.o1.pk, lib.o2.pk], "version": 1},
                   content_type="application/json")
    assert resp.status_code == 200 and resp.json()["version"] == 2
    resp = c.patch(f"/api/v1/enforcement/cases/{case.pk}/", {"facts": "后来者", "version": 1},
                   content_type="application/json")
    assert resp.status_code == 409 and resp.json()["code"] == "stale_version"
    resp = c.post(f"/api/v1/enforcement/cases/{case.pk}/transitions/", {"action": "investigate", "on": "2026-08-04"},
                  content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "investigating"
    assert client_for(world.dept_b_legal).get(f"/api/v1/enforcement/cases/{case.pk}/").status_code == 404


@frozen(date(2026, 11, 28))  # the pages count red/normal relative to today
def test_board_overdue_red_with_warning_and_drilldown(world, lib, client_for):
    overdue = _case(world, lib, filed_on=date(2026, 8, 3), title="超期案件")  # penalty.decision due 2026-11-02
    _case(world, lib, filed_on=date(2026, 9, 28), title="正常案件")  # due 2026-12-28
    today = date(2026, 11, 28)
    assert selectors.board(world.dept_a_legal, today)["totals"] == {"total": 2, "red": 1, "yellow": 0, "normal": 1}
    board = selectors.board(world.supervisor, today)
    assert board["totals"]["red"] == 1
    assert board["by_org"][0]["org"] == world.dept_a and board["by_org"][0]["red"] == 1
    assert selectors.board(world.dept_b_legal, today)["totals"]["total"] == 0
    run_all(today)
    w = Warning.objects.get(deadline__owner_id=str(overdue.pk), level="red")
    from yifa.core.models import Notification

    assert Notification.objects.filter(recipient=world.officer_a, level="red").exists()
    assert Notification.objects.filter(recipient=world.supervisor, level="red").exists()
    assert Notification.objects.filter(recipient=world.dept_a_legal, level="red").exists()
    c = client_for(world.supervisor)
    page = c.get("/enforcement/monitoring/").content.decode()
    assert 'id="total-red">1<' in page
    drill = c.get("/enforcement/monitoring/cases/?status=red").content.decode()
    assert "超期案件" in drill and "正常案件" not in drill
    detail = c.get(f"/enforcement/cases/{overdue.pk}/").content.decode()
    assert "due-red" in detail and "红牌" in detail
    api = c.get("/api/v1/enforcement/monitoring/").json()
    assert api["totals"]["red"] == 1


def test_library_pages_and_export(world, lib, client_for):
    c = client_for(world.dept_a_legal)
    for url in ("/enforcement/", "/enforcement/bodies/", "/enforcement/officers/", "/enforcement/items/",
                f"/enforcement/items/{lib.item.pk}/", f"/enforcement/officers/{lib.o1.pk}/",
                "/enforcement/import/", "/enforcement/cases/new/", "/enforcement/officers/new/"):
        assert c.get(url).status_code == 200, url
    resp = c.get("/enforcement/export/officer.xlsx")
    assert resp.status_code == 200
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    names = [r[1] for r in wb.active.iter_rows(values_only=True)]
    assert "张执法" in names and "北山测试执法员" not in names
    resp = c.post(f"/enforcement/items/{lib.item.pk}/edit/", {
        "org": world.dept_a.pk, "code": "SCJG-001", "name": "销售不合格产品的处罚", "category": "penalty",
        "legal_basis": "《产品质量法》第四十九条", "is_active": "on", "version": 1,
        "benchmarks": "minor,0,1000,轻微\ngeneral,1000,20000,一般"})
    assert resp.status_code == 302
    assert lib.item.benchmarks.get(level="general").max_amount == Decimal("20000")


def test_list_queries_are_bounded(world, lib, client_for, django_assert_max_num_queries):
    for i in range(15):
        _case(world, lib, title=f"案{i}", source_case_no=f"Q{i}")
    c = client_for(world.supervisor)
    with django_assert_max_num_queries(20):
        assert c.get("/enforcement/").status_code == 200
    with django_assert_max_num_queries(25):
        assert c.get("/enforcement/monitoring/").status_code == 200


def test_board_trend_marks_the_current_month_and_does_not_clip(world, client_for):
    """The monitoring trend: the month not yet over says so in its label, and the y-axis is
    not fixed at 60% (a 40% month would be cut off): the script derives the floor from the data."""
    import json
    import re

    from yifa.enforcement.models import OnTimeRollup

    OnTimeRollup.objects.create(org=world.dept_a, month=date(2026, 10, 1), closed=10, on_time=4)
    OnTimeRollup.objects.create(org=world.dept_a, month=date(2026, 11, 1), closed=4, on_time=4)
    with frozen(date(2026, 11, 20)):
        page = client_for(world.supervisor).get("/enforcement/monitoring/").content.decode()
    raw = re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(json.loads(raw))
    assert data["months"] == ["2026-10", "2026-11（本月至今）"]
    assert data["rates"] == [40.0, 100.0]
    assert "data-min" not in page


def test_certificate_shown_is_recorded_from_the_case_page(world, lib, client_for):
    """事中公示: the case page records that the officers showed their certificates (a date
    between filing and today), audited; a date before filing is refused in words."""
    from yifa.audit.models import AuditEvent

    case = _case(world, lib, filed_on=date(2026, 8, 3))
    c = client_for(world.officer_a)
    page = c.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'id="certificate-form"' in page
    with frozen(date(2026, 9, 1)):
        resp = c.post(f"/enforcement/cases/{case.pk}/", {"op": "certificate_shown", "on": "2026-08-01",
                                                         "version": case.version}, follow=True)
        assert "不能早于立案" in resp.content.decode()
        case.refresh_from_db()
        assert not case.certificate_shown
        c.post(f"/enforcement/cases/{case.pk}/", {"op": "certificate_shown", "on": "2026-08-04",
                                                  "version": case.version})
        page = c.get(f"/enforcement/cases/{case.pk}/").content.decode()
    case.refresh_from_db()
    assert case.certificate_shown and case.certificate_shown_on == date(2026, 8, 4)
    assert AuditEvent.objects.filter(action="case.certificate_shown", object_id=str(case.pk)).exists()
    assert 'id="certificate-shown"' in page and "2026年8月4日" in page
    # another unit's officer cannot reach the case at all
    assert client_for(world.dept_b_legal).post(f"/enforcement/cases/{case.pk}/", {"op": "certificate_shown",
                                                                              "on": "2026-08-05"}).status_code == 404


def test_prior_disclosure_is_recorded_and_listed_in_scope(world, client_for):
    """事前公开: a legal officer records what the unit published (audited); the list shows
    the records in the user's scope only, and exports them."""
    from yifa.audit.models import AuditEvent
    from yifa.enforcement.models import PriorDisclosure

    c = client_for(world.dept_a_legal)
    assert 'id="id_published_on"' in c.get("/enforcement/disclosures/new/").content.decode()
    refused = c.post("/enforcement/disclosures/new/", {"org": world.dept_a.pk, "published_on": "2026-11-02",
                                                       "url": "http://gov.example/gs"})
    assert refused.status_code == 200 and "请至少勾选一项" in refused.content.decode()
    assert 'value="http://gov.example/gs"' in refused.content.decode()  # the input is kept
    resp = c.post("/enforcement/disclosures/new/", {"org": world.dept_a.pk, "published_on": "2026-11-02",
                                                    "items": "on", "bases": "on", "procedures": "on",
                                                    "url": "http://gov.example/gs"})
    assert resp.status_code == 302
    rec = PriorDisclosure.objects.get(org=world.dept_a)
    assert rec.items_published and rec.procedures_published and rec.published_on == date(2026, 11, 2)
    assert AuditEvent.objects.filter(action="prior_disclosure.record").exists()
    assert "测试县市场监督管理局" in c.get("/enforcement/disclosures/").content.decode()
    # another department neither sees it nor may record for a unit outside its scope
    other = client_for(world.dept_b_legal)
    assert "测试县市场监督管理局" not in other.get("/enforcement/disclosures/").content.decode()
    bad = other.post("/enforcement/disclosures/new/", {"org": world.dept_a.pk, "published_on": "2026-11-02",
                                                       "items": "on"})
    assert bad.status_code == 200 and PriorDisclosure.objects.count() == 1
    # an officer may read but not record
    assert client_for(world.officer_a).get("/enforcement/disclosures/new/").status_code == 403
    export = c.get("/enforcement/disclosures/?export=xlsx")
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
