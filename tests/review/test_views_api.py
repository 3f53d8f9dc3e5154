"""Pages and API of the review app: scoping, uploads by content, the 409 refusal, the
opinion endpoint's conflict, Excel export/import."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from yifa.review import services
from yifa.review.models import ItemState, LegalAdvisor, ReviewItem, Suggestion, Tier

from .conftest import item_fields

pytestmark = pytest.mark.django_db

OPINION = {"authority": "主体适格", "procedure": "程序合法", "content": "第二条须删除", "conclusion": "agree_modified",
           "suggestions": [{"quote": "须经县城市管理局批准", "suggestion": "删除审批", "basis": "《行政许可法》第十七条"}]}


def docx_bytes(text="第一条 本办法适用于全县。第二条 违反本办法的，处一千元罚款。"):
    import docx

    d = docx.Document()
    for line in text.split("。"):
        if line:
            d.add_paragraph(line + "。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_submit_page_with_docx_extracts_text_and_hints(office, client_for, media):
    c = client_for(office.dept_a_legal)
    data = item_fields(draft_text="")
    data["org"] = office.dept_a.pk
    data["draft_file"] = SimpleUploadedFile("草案.pdf", docx_bytes())  # a Word file named .pdf is refused
    resp = c.post("/review/items/new/", data)
    assert resp.status_code == 200 and "文件内容与扩展名不符" in resp.content.decode()
    assert not ReviewItem.objects.filter(title=data["title"]).exists()
    data["draft_file"] = SimpleUploadedFile("草案.docx", docx_bytes())
    resp = c.post("/review/items/new/", data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    item = ReviewItem.objects.get(title=data["title"])
    assert "处一千元罚款" in item.draft_text and item.drafts.get(round=1).file_kind == "docx"
    assert item.hints.filter(rule_code="penalty.set").exists()
    page = c.get(f"/review/items/{item.pk}/").content.decode()
    assert "处一千元罚款" in page and "行政处罚法" in page


def test_upload_checked_by_content_and_size(office, client_for, media, settings):
    c = client_for(office.dept_a_legal)
    data = item_fields(org=office.dept_a.pk)
    data["draft_file"] = SimpleUploadedFile("草案.docx", b"MZ\x90\x00 not a document")
    resp = c.post("/review/items/new/", data)
    assert resp.status_code == 200 and "文件内容与扩展名不符" in resp.content.decode()
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("hello.txt", "x")
    data["draft_file"] = SimpleUploadedFile("草案.docx", fake.getvalue())
    assert "文件内容与扩展名不符" in c.post("/review/items/new/", data).content.decode()
    settings.YIFA_REVIEW_MAX_UPLOAD_MB = 0
    data["draft_file"] = SimpleUploadedFile("草案.pdf", b"%PDF-1.4 tiny")
    assert "超过大小限制" in c.post("/review/items/new/", data).content.decode()
    assert not ReviewItem.objects.filter(title=data["title"]).exists()  # nothing half-saved


def test_api_journey_refusal_and_conflict(office, client_for, media):
    w = office
    unit, duty, expert, boss = (client_for(u) for u in (w.dept_a_legal, w.duty, w.expert, w.office_user))
    resp = unit.post("/api/v1/review/items/", {**item_fields(), "org": w.dept_a.pk}, content_type="application/json")
    assert resp.status_code == 201, resp.json()
    item = resp.json()
    assert item["state"] == "submitted" and any(h["rule_code"] == "permit.set" for h in item["hints"])
    url = f"/api/v1/review/items/{item['id']}/"
    # a lawyer sees nothing before assignment
    assert duty.get(url).status_code == 404
    resp = boss.post(url + "transitions/", {"action": "accept", "version": item["version"]}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "first_review"
    version = resp.json()["version"]
    # skipping a tier is refused
    resp = boss.post(url + "opinions/", {**OPINION, "tier": "final_review"}, content_type="application/json")
    assert resp.status_code == 409 and resp.json()["code"] == "illegal_transition"
    resp = duty.post(url + "opinions/", {**OPINION, "tier": "first_review", "version": version},
                     content_type="application/json")
    assert resp.status_code == 201, resp.json()
    # the same tier again with the old version: conflict, not a second opinion
    resp = duty.post(url + "opinions/", {**OPINION, "tier": "first_review", "version": version},
                     content_type="application/json")
    assert resp.status_code == 409
    assert expert.post(url + "opinions/", {**OPINION, "tier": "second_review"},
                       content_type="application/json").status_code == 201
    assert boss.post(url + "opinions/", {**OPINION, "tier": "final_review", "short_reason": "议程紧急"},
                     content_type="application/json").status_code == 201
    detail = unit.get(url).json()
    assert detail["state"] == "opinion_issued" and detail["letter_number"]
    # clearing before adoption answers: 409 with the reason
    resp = unit.post(url + "transitions/", {"action": "clear"}, content_type="application/json")
    assert resp.status_code == 409 and "采纳" in resp.json()["message"]
    for s in Suggestion.objects.filter(opinion__item_id=item["id"]):
        resp = unit.post(url + "adoption/", {"suggestion": s.pk, "adoption": "adopted"}, content_type="application/json")
        assert resp.status_code == 200
    resp = unit.post(url + "transitions/", {"action": "clear"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["state"] == "cleared"
    # the unit downloads the 意见书 (valid docx with the conclusion)
    resp = unit.get(f"/review/items/{item['id']}/letter/docx/")
    assert resp.status_code == 200
    data = b"".join(resp.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "修改后同意" in z.read("word/document.xml").decode()
    # the sibling department cannot see or download it
    other = client_for(w.dept_b_legal)
    assert other.get(url).status_code == 404
    assert other.get(f"/review/items/{item['id']}/letter/docx/").status_code == 404


def test_sibling_cannot_act_and_lists_are_scoped(office, client_for):
    w = office
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(title="甲局专有文件"))
    b = client_for(w.dept_b_legal)
    assert "甲局专有文件" not in b.get("/review/").content.decode()
    assert b.post(f"/review/items/{item.pk}/op/withdraw/", {"reason": "x"}).status_code == 404
    assert b.post(f"/api/v1/review/items/{item.pk}/transitions/", {"action": "withdraw", "reason": "x"},
                  content_type="application/json").status_code == 404
    assert "甲局专有文件" in client_for(w.supervisor).get("/review/").content.decode()


def test_item_and_statistics_exports(office, client_for):
    w = office
    services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(title="导出测试文件"))
    c = client_for(w.office_user)
    resp = c.get("/review/?export=xlsx")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    assert any("导出测试文件" in str(row) for row in wb.active.iter_rows(values_only=True))
    resp = c.get("/review/statistics/?export=xlsx")
    assert resp.status_code == 200
    assert "按审级" in load_workbook(io.BytesIO(b"".join(resp.streaming_content))).sheetnames
    assert c.get("/review/statistics/").status_code == 200
    assert c.get("/api/v1/review/statistics/?year=99999").status_code == 400


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "类型", "律师事务所/院校", "服务单位代码", "县顾问团", "聘期开始", "聘期结束", "状态"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("顾问.xlsx", buf.getvalue())


def test_advisor_import_all_or_nothing_and_export(office, client_for):
    w = office
    c = client_for(w.office_user)
    before = LegalAdvisor.objects.count()
    bad = _xlsx([["张三", "执业律师", "甲所", "T-DA", "否", "2025-01-01", "2026-12-31", "在聘"],
                 ["", "律师", "乙所", "NOPE", "否", "bad", "", "在聘"]])
    body = c.post("/review/advisors/import/", {"file": bad}).content.decode()
    assert "<td>3</td>" in body and "姓名不能为空" in body and "NOPE" in body
    assert LegalAdvisor.objects.count() == before
    good = _xlsx([["张三", "执业律师", "甲所", "T-DA", "否", "2025-01-01", "2026-12-31", "在聘"],
                  ["李四", "法学专家", "清州大学", "T-GWS", "是", None, None, "在聘"]])
    assert c.post("/review/advisors/import/", {"file": good}).status_code == 302
    assert LegalAdvisor.objects.count() == before + 2
    resp = c.get("/review/advisors/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(resp.streaming_content))).active.iter_rows(values_only=True))
    assert any("李四" in str(r) for r in rows)
    # a department legal officer cannot maintain advisors
    assert client_for(w.dept_a_legal).get("/review/advisors/new/").status_code == 403


def test_advisor_api_scope_and_create(office, client_for):
    w = office
    c = client_for(w.office_user)
    resp = c.post("/api/v1/review/advisors/", {"org": w.dept_a.pk, "name": "王五", "advisor_type": "government_lawyer"},
                  content_type="application/json")
    assert resp.status_code == 201, resp.json()
    pk = resp.json()["id"]
    assert client_for(w.dept_a_legal).get(f"/api/v1/review/advisors/{pk}/").status_code == 200
    assert client_for(w.dept_b_legal).get(f"/api/v1/review/advisors/{pk}/").status_code == 404
    resp = c.patch(f"/api/v1/review/advisors/{pk}/", {"status": "terminated", "version": 99},
                   content_type="application/json")
    assert resp.status_code == 409


def test_recuse_and_dismiss_hint_pages(office, client_for):
    w = office
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields())
    services.act(item, "accept", actor=w.office_user)
    duty = client_for(w.duty)
    page = duty.get(f"/review/items/{item.pk}/").content.decode()
    assert "提交初审（坐班律师）意见" in page and "须经县城市管理局批准" in page
    hint = item.hints.get(rule_code="permit.set")
    duty.post(f"/review/items/{item.pk}/op/dismiss_hint/", {"hint": hint.pk, "reason": "上位法已有规定"})
    hint.refresh_from_db()
    assert hint.dismissed and hint.dismiss_reason == "上位法已有规定"
    duty.post(f"/review/items/{item.pk}/op/recuse/", {"reason": "曾代理该局诉讼"})
    item.refresh_from_db()
    assert item.current_assignment().reviewer == w.duty2 and item.state == ItemState.FIRST_REVIEW
    assert item.current_tier == Tier.FIRST


def test_resubmit_page_starts_new_round(office, client_for, media):
    w = office
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(drafting_explanation=""))
    assert item.state == ItemState.RETURNED and "未提交起草说明" in item.intake_problems[0]
    c = client_for(w.dept_a_legal)
    page = c.get(f"/review/items/{item.pk}/").content.decode()
    assert "未提交起草说明" in page and "resubmit-link" in page
    data = {**item_fields(drafting_explanation="补充的起草说明"), "version": item.version}
    resp = c.post(f"/review/items/{item.pk}/resubmit/", data)
    assert resp.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED and item.round == 2 and item.intake_problems == []
    body = c.get("/review/statistics/").content.decode()
    assert "合法性审查初审（坐班律师）" in body and "5 个工作日" in body
    assert "review.first_review" not in body  # the rule by name (its code only for administrators)


def test_advisor_import_template_and_error_report(office, client_for):
    """The advisor import offers its template (header, example, 填写说明) and, when refused,
    the first errors on the page and the full report (行号、列、错误说明) to download."""
    import re

    c = client_for(office.office_user)
    page = c.get("/review/advisors/import/").content.decode()
    assert 'href="/review/advisors/import-template.xlsx"' in page
    resp = c.get("/review/advisors/import-template.xlsx")
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content) if resp.streaming else resp.content))
    header, example = list(wb.worksheets[0].iter_rows(values_only=True))[:2]
    assert header[:3] == ("姓名", "类型", "律师事务所/院校") and example[0] == "张三"
    notes = [r for r in wb["填写说明"].iter_rows(values_only=True)]
    assert ("类型", "必填", "执业律师、法学专家、公职律师") in notes or any(r[0] == "类型" and r[1] == "必填" for r in notes)
    assert client_for(office.dept_a_legal).get("/review/advisors/import-template.xlsx").status_code == 403

    before = LegalAdvisor.objects.count()
    rows = [["", "律师", "乙所", "NOPE", "否", "bad", "", "在聘"] for _ in range(12)]
    body = c.post("/review/advisors/import/", {"file": _xlsx(rows)}).content.decode()
    assert LegalAdvisor.objects.count() == before
    assert "共 48 处错误" in body and "下面列出前 20 处" in body
    link = re.search(r'href="([^"]+)" id="import-errors-download"', body).group(1)
    got = c.get(link)
    report = list(load_workbook(io.BytesIO(b"".join(got.streaming_content) if got.streaming else got.content))
                  .active.iter_rows(values_only=True))
    assert report[0] == ("行号", "列", "错误说明") and len(report) == 49
    assert report[1][:2] == (2, "姓名") and any(r[1] == "聘期开始" and "bad" in r[2] for r in report[1:])
