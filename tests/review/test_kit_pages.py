"""The view kit on the review pages: Excel exports hold the visible rows only (numbers and
dates as such), irreversible buttons ask first, and a refused form or action keeps what
the person typed (the adoption form keeps every selection and reason)."""

import json
from datetime import date, datetime

import pytest

from tests.xlsx import sheet_rows
from yifa.review import services
from yifa.review.models import Adoption, AdvisorType, ItemState, LegalAdvisor, ReviewItem

from .conftest import item_fields
from .test_workflow import review_to_issue

pytestmark = pytest.mark.django_db


def _kept(page):
    block = page[page.index('id="kept-input"'):]
    return json.loads(block[block.index(">") + 1:block.index("</script>")])


def test_item_export_is_scoped_with_numbers_and_dates(office, client_for):
    w = office
    services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(title="甲局导出文件"))
    services.submit_item(actor=w.dept_b_legal, org=w.dept_b, **item_fields(title="乙局导出文件"))
    rows = sheet_rows(client_for(w.dept_a_legal).get("/review/?export=xlsx"))
    header, data = rows[0], rows[1:]
    assert [r[header.index("事项名称")] for r in data] == ["甲局导出文件"]
    assert isinstance(data[0][header.index("轮次")], int)
    assert isinstance(data[0][header.index("报送日期")], datetime)
    assert data[0][header.index("状态")] == ItemState.SUBMITTED.label  # in words, not the code
    other = sheet_rows(client_for(w.dept_b_legal).get("/review/?export=xlsx"))
    assert [r[header.index("事项名称")] for r in other[1:]] == ["乙局导出文件"]
    # the filter narrows the export like the page
    assert sheet_rows(client_for(w.dept_a_legal).get("/review/?q=不存在的名称&export=xlsx"))[1:] == []


def test_list_pages_link_the_export_and_say_when_empty(office, client_for):
    c = client_for(office.office_user)
    for url in ("/review/", "/review/advisors/"):
        page = c.get(url).content.decode()
        assert 'id="export-link"' in page and "export=xlsx" in page, url
        assert "table-cards" in page, url
    empty = c.get("/review/?q=不存在的名称").content.decode()
    assert "清除查询条件" in empty


def test_advisor_export_is_scoped_with_dates(office, client_for):
    w = office
    LegalAdvisor.objects.create(org=w.dept_b, name="乙局顾问", advisor_type=AdvisorType.GOVERNMENT_LAWYER,
                                contract_start=date(2025, 1, 1), contract_end=date(2026, 12, 31))
    rows = sheet_rows(client_for(w.office_user).get("/review/advisors/?export=xlsx"))
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == "乙局顾问")
    assert isinstance(row[header.index("聘期结束")], datetime) and row[header.index("聘期结束")].date() == date(2026, 12, 31)
    assert row[header.index("县顾问团")] == "否"
    names = [r[0] for r in sheet_rows(client_for(w.dept_a_legal).get("/review/advisors/?export=xlsx"))[1:]]
    assert "乙局顾问" not in names


def test_irreversible_buttons_ask_first(office, client_for):
    w = office
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields())
    page = client_for(w.dept_a_legal).get(f"/review/items/{item.pk}/").content.decode()
    form = page[page.index(f"/review/items/{item.pk}/op/withdraw/"):][:300]
    assert 'data-confirm="将撤回本审查事项' in form
    services.act(item, "accept", actor=w.office_user)
    page = client_for(w.duty).get(f"/review/items/{item.pk}/").content.decode()
    recuse = page[page.index(f"/review/items/{item.pk}/op/recuse/"):][:300]
    assert 'data-confirm="将回避本事项' in recuse
    returned = page[page.index(f"/review/items/{item.pk}/op/return_revision/"):][:300]
    assert 'data-confirm="将退回报送单位修改' in returned


def test_refused_adoption_keeps_every_selection_and_reason(office, client_for):
    w = office
    item = review_to_issue(w, services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields()))
    assert item.state == ItemState.OPINION_ISSUED
    s1, s2, s3 = services.letter_suggestions(item)
    c = client_for(w.dept_a_legal)
    url = f"/review/items/{item.pk}/op/adoption/"
    assert f'action="{url}"' in c.get(f"/review/items/{item.pk}/").content.decode()
    # the second answer is 未采纳 without a reason: nothing is saved, every answer is kept
    r = c.post(url, {f"adoption_{s1.pk}": Adoption.ADOPTED, f"reason_{s1.pk}": "已删除该审批",
                     f"adoption_{s2.pk}": Adoption.REJECTED, f"reason_{s2.pk}": "",
                     f"adoption_{s3.pk}": Adoption.PARTIAL, f"reason_{s3.pk}": "施行日期待常务会议确定"})
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "部分采纳或未采纳须说明理由" in page and services.clause_text(s2) in page
    kept = _kept(page)
    assert kept["action"] == url
    assert kept["data"][f"adoption_{s1.pk}"] == [Adoption.ADOPTED]
    assert kept["data"][f"adoption_{s2.pk}"] == [Adoption.REJECTED]
    assert kept["data"][f"adoption_{s3.pk}"] == [Adoption.PARTIAL]
    assert kept["data"][f"reason_{s3.pk}"] == ["施行日期待常务会议确定"]
    for s in (s1, s2, s3):
        s.refresh_from_db()
        assert s.adoption == ""  # all or nothing
    # with the reason given, all three are saved
    r = c.post(url, {f"adoption_{s1.pk}": Adoption.ADOPTED, f"adoption_{s2.pk}": Adoption.REJECTED,
                     f"reason_{s2.pk}": "上位法另有规定", f"adoption_{s3.pk}": Adoption.PARTIAL,
                     f"reason_{s3.pk}": "施行日期待常务会议确定"})
    assert "已保存 3 条建议的采纳情况" in c.get(r["Location"]).content.decode()
    assert {s.adoption for s in services.letter_suggestions(ReviewItem.objects.get(pk=item.pk))} == {
        Adoption.ADOPTED, Adoption.REJECTED, Adoption.PARTIAL}


def test_refused_resubmission_keeps_the_typed_form(office, client_for):
    w = office
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(drafting_explanation=""))
    assert item.state == ItemState.RETURNED
    c = client_for(w.dept_a_legal)
    data = {**item_fields(title="改过的标题：城区户外广告设置管理办法", drafting_explanation="新写的起草说明"),
            "version": item.version + 7}  # someone else saved in between: refused as stale
    r = c.post(f"/review/items/{item.pk}/resubmit/", data)
    assert r.status_code == 200
    body = r.content.decode()
    assert "改过的标题：城区户外广告设置管理办法" in body and "新写的起草说明" in body
    assert 'class="alert alert-danger"' in body
    assert ReviewItem.objects.get(pk=item.pk).round == 1


def test_unit_only_forms_refuse_others(office, client_for):
    w = office
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(drafting_explanation=""))
    assert client_for(w.office_user).get("/review/items/new/").status_code == 403
    assert client_for(w.dept_b_legal).get(f"/review/items/{item.pk}/resubmit/").status_code == 404
    assert client_for(w.dept_a_legal).post("/review/rota/", {"advisor": 1, "date": "2026-01-05"}).status_code == 403
