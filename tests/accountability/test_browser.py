"""Done-when journey: a lost lawsuit against an enforcement case opens the wrong case
automatically once the first-instance judgment is effective (appeal period passed); the four checks; the 错案问责建议书 (valid docx); a 记过 decision; the officer
flagged as restricted until the end of the 12-month period."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import confirm, login
from tests.conftest import PASSWORD
from yifa.accountability.models import Decision, Litigation, Person, Recommendation, WrongCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lost_lawsuit_to_restricted_officer(world, ecase, live_server, page):
    url = live_server.url
    login(page, live_server, world.supervisor.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{url}/accountability/litigations/new/")
    page.select_option("#id_org", str(world.dept_a.pk))
    page.fill("#id_case_number", "（2026）测0102行初8号")
    page.fill("#id_claimant", "某商贸有限公司")
    page.fill("#id_challenged_act", "行政处罚决定（罚款3万元）")
    page.select_option("#id_enforcement_case", str(ecase.pk))
    page.fill("#id_court_or_organ", "测试县人民法院")
    page.fill("#id_filed_on", "2026-01-05")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#outcome-form")
    lit = Litigation.objects.get(case_number="（2026）测0102行初8号")
    assert lit.enforcement_case == ecase

    page.select_option("#outcome-form select[name=outcome]", "revoked")
    page.fill("#outcome-form input[name=on]", "2026-05-25")
    page.fill("#outcome-form input[name=number]", "（2026）测0102行初8号行政判决书")
    page.click("#save-outcome")
    page.wait_for_selector("#appeal-form")
    assert page.inner_text("#appeal-state") == "上诉期内（未生效）"
    assert not WrongCase.objects.filter(litigation=lit).exists()
    # 15 days end on 9 June with no appeal: the sweep makes the judgment effective on the 10th
    from datetime import date

    from yifa.accountability.services import settle_appeal_periods

    assert settle_appeal_periods(date(2026, 6, 11)) == 1
    page.reload()
    page.wait_for_selector("#wrong-case-link")
    assert page.inner_text("#effective-on") == "2026-06-10"
    assert page.inner_text("#outcome") == "撤销"
    wc = WrongCase.objects.get(litigation=lit)
    page.click("#wrong-case-link a")
    page.wait_for_selector("#wrong-case-state")
    assert page.inner_text("#wrong-case-trigger") == "行政诉讼败诉"
    assert "2026-07-10" in page.inner_text("#backtrack-due")  # accountability.backtrack: 30 days (local default)
    # persons suggested from the case record
    table = page.inner_text("#involvement-table")
    assert "钱执法" in table and "审核员丙" in table and "待确认" in table

    findings = {"decision_procedure": ("0", "集体讨论记录齐全，决策程序合法。", None),
                "enforcement_basis": ("0", "处罚依据准确。", None),
                "evidence": ("1", "现场证据不足。", "缺少现场勘查笔录"),
                "law_application": ("0", "适用法律正确。", None)}
    for kind, (has, text, problem) in findings.items():
        form = f"#check-{kind} form"
        page.fill(f"{form} textarea[name=finding]", text)
        page.select_option(f"{form} select[name=has_problem]", has)
        if problem:
            page.select_option(f"{form} select[name=problem_category] >> nth=0", "evidence")
            page.fill(f"{form} input[name=problem_description] >> nth=0", problem)
        page.fill(f"{form} input[name=on]", "2026-06-20")
        page.click(f"{form} button")
        page.wait_for_selector(f"#check-{kind} .badge")
    assert "缺少现场勘查笔录" in page.inner_text("#check-evidence")

    n = wc.backtrack.involvements.count()
    for _ in range(n):
        form = page.locator("form.confirm-form").filter(has=page.locator("input[name=reasons][value='']")).first
        form.locator("select[name=fault_share]").select_option("direct")
        form.locator("input[name=reasons]").fill("未制作现场勘查笔录即作出处罚决定")
        form.locator("select[name=proposed_method]").select_option(label="政务处分：记过")
        form.locator("button").click()
        page.wait_for_load_state()
    assert "待确认" not in page.inner_text("#involvement-table")
    page.fill("#complete-form textarea[name=summary]", "证据收集不充分导致行政诉讼败诉。")
    page.fill("#complete-form input[name=on]", "2026-06-25")
    page.click("#complete-backtrack")
    confirm(page)
    page.wait_for_selector("#recommend-form")
    assert page.inner_text("#wrong-case-state") == "已倒查待问责"

    page.fill("#recommend-form input[name=authority]", "测试县市场监督管理局党组")
    page.fill("#recommend-form input[name=feedback_due]", "2026-07-31")
    page.fill("#recommend-form input[name=on]", "2026-07-01")
    page.click("#issue-recommendation")
    confirm(page)
    page.wait_for_selector("#recommendation-number")
    rec = Recommendation.objects.get(wrong_case=wc)
    assert rec.doc_number in page.inner_text("#recommendation-number")
    resp = page.request.get(f"{url}/accountability/recommendations/{rec.pk}/download/docx/")
    assert resp.status == 200
    xml = zipfile.ZipFile(io.BytesIO(resp.body())).read("word/document.xml").decode()
    assert "错案问责" in xml and "缺少现场勘查笔录" in xml and "钱执法" in xml

    officer = ecase.o2
    person = Person.objects.get(officer=officer)
    page.goto(f"{url}/accountability/wrong-cases/{wc.pk}/")
    page.select_option("#decision-form select[name=person]", str(person.pk))
    page.select_option("#decision-form select[name=method]", label="政务处分：记过（影响期12个月）")
    page.fill("#decision-form input[name=authority]", "测试县市场监督管理局")
    page.fill("#decision-form input[name=decided_on]", "2026-07-20")
    page.fill("#decision-form input[name=doc_number]", "测市监党〔2026〕9号")
    page.fill("#decision-form input[name=impact_until]", "2027-01-20")  # inconsistent with 12 months: refused
    page.click("#save-decision")
    confirm(page)
    page.wait_for_load_state()
    assert "影响期与问责方式不一致" in page.content()
    assert not Decision.objects.filter(person=person).exists()
    # what was typed is put back into the refused form (yifa.js, once the page has loaded)
    expect(page.locator("#decision-form input[name=doc_number]")).to_have_value("测市监党〔2026〕9号")
    page.select_option("#decision-form select[name=person]", str(person.pk))
    page.select_option("#decision-form select[name=method]", label="政务处分：记过（影响期12个月）")
    page.fill("#decision-form input[name=authority]", "测试县市场监督管理局")
    page.fill("#decision-form input[name=decided_on]", "2026-07-20")
    page.fill("#decision-form input[name=doc_number]", "测市监党〔2026〕9号")
    page.fill("#decision-form input[name=impact_until]", "2027-07-20")
    page.click("#save-decision")
    confirm(page)
    page.wait_for_load_state()
    assert "测市监党〔2026〕9号" in page.inner_text("#decision-list")

    page.goto(f"{url}/accountability/persons/{person.pk}/?on=2026-12-01")
    badge = page.inner_text("#restriction-badge")
    assert "不得晋升职务职级" in badge and "2027-07-20" in badge
    page.goto(f"{url}/accountability/persons/{person.pk}/?on=2027-07-21")
    assert "无问责影响期限制" in page.inner_text("#restriction-badge")

    page.goto(f"{url}/accountability/wrong-cases/{wc.pk}/")
    page.click("#close-wrong-case")
    confirm(page)
    page.wait_for_load_state()
    assert page.inner_text("#wrong-case-state") == "已办结"
