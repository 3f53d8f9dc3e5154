"""The view kit on the accountability pages: Excel export of the lists (scoped rows,
numbers and dates as such), phone card labels, confirm dialogs on the irreversible acts,
the 移除 of a confirmed person kept on the page and in the history, input kept on error."""

import io
import json
from datetime import date, datetime

from openpyxl import load_workbook

from yifa.accountability import services
from yifa.accountability.models import Involvement, Method, Person, WrongCase
from yifa.core.xlsx import XLSX

from .test_services import _do_backtrack


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


def test_litigation_export_scoped_with_dates(world, client_for, lost):
    rows = _sheet(client_for(world.dept_a_legal).get("/accountability/litigations/?export=xlsx"))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["案号", "被告单位", "原告"]
    assert [r[0] for r in data] == [lost.case_number]
    filed = data[0][header.index("立案日期")]
    assert isinstance(filed, datetime) and filed.date() == date(2025, 4, 1)  # a date cell, not text
    assert data[0][header.index("负责人出庭")] in ("是", "否", None)
    # another department's legal officer: the list and its export hold none of it
    other = _sheet(client_for(world.dept_b_legal).get("/accountability/litigations/?export=xlsx"))
    assert all(lost.case_number not in (r[0] or "") for r in other[1:])


def test_export_follows_the_filter(world, client_for, lost):
    c = client_for(world.supervisor)
    wc = WrongCase.objects.get(litigation=lost)
    assert [r[0] for r in _sheet(c.get("/accountability/wrong-cases/?export=xlsx"))[1:]].count(wc.title) == 1
    rows = _sheet(c.get("/accountability/wrong-cases/?state=closed&export=xlsx"))
    assert wc.title not in [r[0] for r in rows[1:]]


def test_person_export_counts_are_numbers(world, client_for, lost):
    wc = WrongCase.objects.get(litigation=lost)
    _do_backtrack(world, wc)
    person = Person.objects.get(user=world.officer_a)
    services.record_decision(actor=world.supervisor, person=person, method=Method.objects.get(code="sanction_demerit"),
                             authority="测试县市场监督管理局", decided_on=date(2026, 1, 5), doc_number="测纪2号",
                             wrong_case=wc, impact_until=date(2027, 1, 5))
    rows = _sheet(client_for(world.supervisor).get("/accountability/persons/?export=xlsx"))
    row = next(r for r in rows[1:] if r[0] == person.name)
    assert row[rows[0].index("问责次数")] == 1 and isinstance(row[rows[0].index("问责次数")], int)


def test_list_page_has_export_link_card_labels_and_empty_state(world, client_for, lost):
    c = client_for(world.supervisor)
    page = c.get("/accountability/litigations/").content.decode()
    assert 'id="export-link"' in page and "export=xlsx" in page
    assert "table-cards" in page and 'data-label="案号"' in page
    empty = c.get("/accountability/litigations/?q=不存在的案号&case_number=不存在").content.decode()
    assert "没有符合查询条件的记录" in empty and "清除查询条件" in empty


def test_irreversible_buttons_ask_first(world, client_for, lost):
    wc = WrongCase.objects.get(litigation=lost)
    page = client_for(world.supervisor).get(f"/accountability/wrong-cases/{wc.pk}/").content.decode()
    for form_id in ("withdraw-form", "complete-form"):
        tag = page[page.index(f'id="{form_id}"') - 200:page.index(f'id="{form_id}"') + 200]
        assert "data-confirm=" in tag, form_id
    remove = page[page.index("'remove'") if "'remove'" in page else page.index("/op/remove/"):][:400]
    assert "data-confirm=\"将把" in remove
    assert 'id="close-wrong-case"' in page and "将办结本错案" in page


def test_removed_person_stays_visible_and_in_history(world, client_for, lost):
    wc = WrongCase.objects.get(litigation=lost)
    bt = wc.backtrack
    inv = bt.involvements.select_related("person").first()
    services.confirm_involvement(actor=world.supervisor, involvement=inv, fault_share="direct", reasons="未全面取证")
    services.record_check(actor=world.supervisor, backtrack=bt, kind="evidence", has_problem=True,
                          finding="证据不充分", problems=[("evidence", "缺少现场勘查笔录")], on=date(2025, 8, 5))
    c = client_for(world.supervisor)
    r = c.post(f"/accountability/wrong-cases/{wc.pk}/op/remove/", {"involvement": inv.pk, "reason": "已调离，不在岗"})
    assert r.status_code == 302
    inv.refresh_from_db()
    assert inv.is_removed and inv.removed_by == world.supervisor and not inv.confirmed
    page = c.get(f"/accountability/wrong-cases/{wc.pk}/").content.decode()
    row = page[page.index(f'id="inv-{inv.pk}"'):][:600]
    assert inv.person.name in row and "已移除" in row and "监督员甲" in row and "已调离，不在岗" in row
    timeline = page[page.index('id="timeline"'):]
    # the backtrack's 四查 checks and person changes are in the wrong case's history, in words
    for words in ("记录倒查（四查）结论", "确认责任人员", "移除责任人员"):
        assert words in timeline, words
    assert "accountability.backtrack" not in timeline
    # removed persons neither block completion nor can be confirmed again; they may be added anew
    assert not bt.involvements.filter(confirmed=False, removed_at__isnull=True).filter(pk=inv.pk).exists()
    assert inv.person.user is not None
    services.add_involvement(actor=world.supervisor, backtrack=bt, role="handler", user=inv.person.user)
    assert Involvement.objects.filter(backtrack=bt, person=inv.person).count() == 2  # the removed row stays


def test_refused_action_keeps_the_input(world, client_for, lost):
    wc = WrongCase.objects.get(litigation=lost)
    c = client_for(world.supervisor)
    r = c.post(f"/accountability/wrong-cases/{wc.pk}/op/check/", {
        "kind": "evidence", "has_problem": "1", "finding": "证据不充分（待补）", "problem_category": ["evidence"],
        "problem_description": [""]})  # a problem found but none described: refused
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "发现问题时请逐条填写问题及类别" in page
    block = page[page.index('id="kept-input"'):]
    kept = json.loads(block[block.index(">") + 1:block.index("</script>")])
    assert kept["action"] == f"/accountability/wrong-cases/{wc.pk}/op/check/"
    assert kept["data"]["finding"] == ["证据不充分（待补）"] and kept["data"]["kind"] == ["evidence"]
    assert 'id="kept-input"' not in c.get(r["Location"]).content.decode()  # once


def test_form_view_keeps_input_on_service_error(world, client_for, lost):
    c = client_for(world.supervisor)
    r = c.post("/accountability/sessions/new/", {"org": world.dept_a.pk, "kind": "warning", "title": "警示教育会",
                                                 "held_on": "2031-01-01", "attendees": "3"})
    assert r.status_code == 200  # re-rendered, not redirected
    assert "警示教育会" in r.content.decode()
