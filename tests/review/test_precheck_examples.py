"""The reviewer's loop: dismissed hints and reviewers' own findings become labelled
examples (scoped, audited) that the administrator and the advisor office export in the
corpus format."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from tests.conftest import make_org, make_user
from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError
from yifa.orgs.models import OrgKind, Role
from yifa.review import selectors, services
from yifa.review.models import ExampleSource, PrecheckExample, PrecheckHint

from .conftest import item_fields

pytestmark = pytest.mark.django_db

DRAFT = ("第一条 为规范农家乐经营，制定本办法。\n"
         "第二条 在城区设置户外广告的，须经县城市管理局批准后方可设置。\n"
         "第三条 从事农家乐经营的，须在开业前将菜单报镇政府留存。\n"
         "第四条 本办法由县文旅局负责解释。")
MISSED = "第三条 从事农家乐经营的，须在开业前将菜单报镇政府留存。"
DISMISSED = "第二条 在城区设置户外广告的，须经县城市管理局批准后方可设置。"


def _accepted(w, **extra):
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(draft_text=DRAFT, **extra))
    services.act(item, "accept", actor=w.office_user)
    item.refresh_from_db()
    return item


def _other_county_admin(w):
    county = make_org("T-GOV2", "邻县人民政府", OrgKind.COUNTY, w.city)
    return make_user("t_admin2", county, [Role.ADMIN], "邻县管理员")


def test_dismissing_a_clause_hint_stores_a_none_example_with_the_dismissed_category(office):
    w = office
    item = _accepted(w)
    hint = item.hints.get(rule_code="permit.set")
    services.dismiss_hint(actor=w.duty, hint=hint, reason="上位法已设定该许可")
    ex = PrecheckExample.objects.get(hint=hint)
    assert (ex.label, ex.dismissed_category, ex.source) == ("none", "permit", ExampleSource.DISMISSAL)
    assert ex.text == hint.quote and ex.reason == "上位法已设定该许可"
    assert ex.item == item and ex.org == item.org and ex.created_by == w.duty
    assert AuditEvent.objects.filter(action="review.precheck_example", object_id=str(ex.pk)).exists()


def test_dismissing_a_procedure_hint_stores_no_example(office):
    w = office
    item = _accepted(w)
    hint = PrecheckHint.objects.create(org=item.org, item=item, round=item.round, rule_code="procedure.legal_basis",
                                       category="程序记录缺失", quote="（送审材料）", explanation="未说明制定依据",
                                       basis="国办发〔2018〕37号")
    services.dismiss_hint(actor=w.duty, hint=hint, reason="本文件不涉及公众切身利益")
    assert not PrecheckExample.objects.filter(item=item).exists()


def test_hint_category_of_rule_and_model_codes():
    assert services.hint_category("permit.set") == "permit"
    assert services.hint_category("model.business") == "business"
    assert services.hint_category("procedure.legal_basis") == ""


def test_reviewer_adds_a_finding_on_a_clause_of_the_draft(office):
    w = office
    item = _accepted(w)
    ex = services.add_precheck_finding(actor=w.duty, item=item, category="obligation", quote=MISSED,
                                       note="无依据增加经营者义务")
    assert (ex.label, ex.source, ex.text, ex.created_by) == ("obligation", ExampleSource.REVIEWER_FINDING, MISSED, w.duty)
    event = AuditEvent.objects.get(action="review.precheck_example", object_id=str(ex.pk))
    assert event.reason == "无依据增加经营者义务"


@pytest.mark.parametrize("category, quote, note, field", [
    ("none", MISSED, "x", "category"),
    ("bogus", MISSED, "x", "category"),
    ("obligation", "", "x", "quote"),
    ("obligation", "送审稿里没有的一句话。", "x", "quote"),
    ("obligation", MISSED, " ", "note"),
])
def test_finding_is_refused_when_incomplete_or_not_in_the_draft(office, category, quote, note, field):
    w = office
    item = _accepted(w)
    with pytest.raises(DomainError) as exc:
        services.add_precheck_finding(actor=w.duty, item=item, category=category, quote=quote, note=note)
    assert field in exc.value.fields
    assert not PrecheckExample.objects.filter(item=item).exists()


def test_finding_only_by_the_rounds_reviewer_or_the_office_while_under_review(office):
    w = office
    item = _accepted(w)
    from django.http import Http404

    with pytest.raises(Http404):  # a lawyer not assigned to the item does not see it
        services.add_precheck_finding(actor=w.duty2, item=item, category="fee", quote=MISSED, note="x")
    for outsider in (w.dept_a_legal, w.admin):  # they see it, but do not review it
        with pytest.raises(PermissionDenied):
            services.add_precheck_finding(actor=outsider, item=item, category="fee", quote=MISSED, note="x")
    services.add_precheck_finding(actor=w.office_user, item=item, category="fee", quote=MISSED, note="顾问室补充")
    submitted = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(draft_text=DRAFT))
    with pytest.raises(PermissionDenied):  # not yet accepted: nobody reviews it
        services.add_precheck_finding(actor=w.office_user, item=submitted, category="fee", quote=MISSED, note="x")


def test_finding_on_an_item_out_of_scope_is_not_found(office):
    from django.http import Http404

    w = office
    item = _accepted(w)
    with pytest.raises(Http404):
        services.add_precheck_finding(actor=w.dept_b_legal, item=item, category="fee", quote=MISSED, note="x")


def test_page_form_adds_a_finding_and_shows_it(office, client_for):
    w = office
    item = _accepted(w)
    duty = client_for(w.duty)
    page = duty.get(f"/review/items/{item.pk}/").content.decode()
    assert "补充预审助手未发现的问题条款" in page
    duty.post(f"/review/items/{item.pk}/op/precheck_finding/",
              {"category": "obligation", "quote": MISSED, "note": "无依据增加义务"})
    page = duty.get(f"/review/items/{item.pk}/").content.decode()
    assert "审查人补充发现（1）" in page and "减损权利或增加义务" in page
    # the submitting unit sees the item but gets no form
    assert "补充预审助手未发现的问题条款" not in client_for(w.dept_a_legal).get(f"/review/items/{item.pk}/").content.decode()
    resp = client_for(w.duty2).post(f"/review/items/{item.pk}/op/precheck_finding/",
                                    {"category": "obligation", "quote": MISSED, "note": "x"})
    assert resp.status_code in (403, 404)
    assert PrecheckExample.objects.filter(item=item).count() == 1


def test_api_finding_and_permissions(office, client_for):
    w = office
    item = _accepted(w)
    url = f"/api/v1/review/items/{item.pk}/precheck-finding/"
    body = {"category": "duty", "quote": MISSED, "note": "减少职责"}
    assert client_for(w.dept_b_legal).post(url, body, content_type="application/json").status_code == 404
    assert client_for(w.dept_a_legal).post(url, body, content_type="application/json").status_code == 403
    resp = client_for(w.duty).post(url, dict(body, category="none"), content_type="application/json")
    assert resp.status_code == 400
    resp = client_for(w.duty).post(url, body, content_type="application/json")
    assert resp.status_code == 201 and resp.json()["label"] == "duty" and resp.json()["label_display"] == "增加权力或减少法定职责"


def _with_examples(w):
    item = _accepted(w)
    services.dismiss_hint(actor=w.duty, hint=item.hints.get(rule_code="permit.set"), reason="上位法已设定")
    services.add_precheck_finding(actor=w.duty, item=item, category="obligation", quote=MISSED, note="增加义务")
    return item


def test_export_csv_in_the_corpus_format_page_and_api(office, client_for):
    w = office
    _with_examples(w)
    for url in ("/review/precheck-examples/?export=csv", "/api/v1/review/precheck-examples/export/?fmt=csv"):
        resp = client_for(w.admin).get(url)
        assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(resp.streaming_content).decode("utf-8"))))
        assert list(rows[0]) == ["label", "text", "source", "note"]
        by_source = {r["source"]: r for r in rows if r["text"] in (MISSED, DISMISSED)}
        assert by_source["reviewer_finding"]["label"] == "obligation" and by_source["reviewer_finding"]["text"] == MISSED
        assert by_source["dismissal"]["label"] == "none" and "设定行政许可" in by_source["dismissal"]["note"]


def test_export_xlsx_and_page(office, client_for):
    w = office
    _with_examples(w)
    office_client = client_for(w.office_user)
    total = selectors.precheck_examples(w.office_user).count()  # ours and the townships' (scoping walk objects)
    assert total >= 2
    page = office_client.get("/review/precheck-examples/").content.decode()
    assert "预审样本" in page and f"共 {total} 条" in page and "导出 CSV" in page and MISSED in page
    resp = office_client.get("/api/v1/review/precheck-examples/export/?fmt=xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(resp.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("label", "text", "source", "note") and len(rows) == total + 1
    assert {r[5] for r in rows[1:] if r[1] in (MISSED, DISMISSED)} == {"审查人排除提示", "审查人补充发现"}
    assert client_for(w.admin).get("/api/v1/review/precheck-examples/export/?fmt=pdf").status_code == 400
    listed = client_for(w.admin).get("/api/v1/review/precheck-examples/").json()
    assert len(listed["results"] if isinstance(listed, dict) else listed) == total


def test_only_admin_and_office_may_export(office, client_for):
    w = office
    _with_examples(w)
    for user in (w.duty, w.dept_a_legal, w.leader):
        assert client_for(user).get("/review/precheck-examples/").status_code == 403
        assert client_for(user).get("/api/v1/review/precheck-examples/export/?fmt=csv").status_code == 403
        assert client_for(user).get("/api/v1/review/precheck-examples/").status_code == 403
        with pytest.raises(PermissionDenied):
            selectors.precheck_examples(user)
    assert "precheck-examples-link" in client_for(w.admin).get("/review/").content.decode()
    assert "precheck-examples-link" not in client_for(w.duty).get("/review/").content.decode()


def test_export_is_scoped_to_the_exporters_county(office, client_for):
    w = office
    _with_examples(w)
    admin2 = _other_county_admin(w)
    assert not selectors.precheck_examples(admin2).exists()
    resp = client_for(admin2).get("/api/v1/review/precheck-examples/export/?fmt=csv")
    rows = list(csv.reader(io.StringIO(b"".join(resp.streaming_content).decode("utf-8"))))
    assert rows == [["label", "text", "source", "note"]]
    assert set(selectors.precheck_examples(w.admin).values_list("text", flat=True)) >= {MISSED, DISMISSED}


def test_item_page_marks_model_hints(office, client_for):
    w = office
    clause = "第二条 全县中小学校服统一由县某某服装有限公司供应。"
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a,
                                **item_fields(draft_text="第一条 为规范校服管理，制定本办法。\n" + clause))
    services.act(item, "accept", actor=w.office_user)
    hint = item.hints.get(rule_code="model.business")
    assert hint.category == "指定或限制特定经营者" and "统计模型提示" in hint.explanation and hint.quote == clause
    page = client_for(w.duty).get(f"/review/items/{item.pk}/").content.decode()
    assert "统计模型</span>" in page and "模型判断：" in page
