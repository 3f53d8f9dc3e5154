"""The journey: a supervisor runs an online rule, confirms a clue into a finding, issues an
opinion letter (valid docx); the unit submits a rectification with an evidence photo that
the supervisor opens and accepts."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from tests.browser.helpers import confirm, login
from tests.conftest import PASSWORD
from yifa.enforcement.models import Case, EnforcementItem, Officer
from yifa.supervision.models import Clue, Finding, OpinionLetter

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rule_clue_letter_rectification(world, live_server, browser, page):
    item = EnforcementItem.objects.create(org=world.dept_a, code="SUP-B-1", name="浏览器测试事项", category="penalty",
                                          legal_basis="《测试条例》")
    officers = [Officer.objects.create(org=world.dept_a, name=n, certificate_no=f"SUP-B-{i}",
                                       valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
                for i, n in enumerate(("赵执法", "钱执法"))]
    case = Case.objects.create(org=world.dept_a, case_no="测市监罚〔2026〕7号", title="销售过期食品", item=item,
                               party_name="某超市有限公司", party_kind="organisation", filed_on=date(2026, 3, 1),
                               decided_on=date(2026, 5, 1), sanction="fine", amount=Decimal("80000"),
                               state="decided", source_case_no="SUP-B-7")
    case.officers.set(officers)

    login(page, live_server, world.supervisor.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/supervision/rules/")
    page.click("#run-rules")
    page.wait_for_load_state()
    assert "新增线索" in page.content()
    clue = Clue.objects.get(rule_code="review.missing", case=case)
    page.goto(f"{live_server.url}/supervision/clues/{clue.pk}/")
    page.select_option("#confirm-form select[name=category]", "procedure")
    page.fill("#confirm-form input[name=on]", "2026-10-09")
    page.click("#confirm-clue")
    page.wait_for_selector("#finding-state")
    finding = Finding.objects.get(clues=clue)
    assert "测市监罚〔2026〕7号" in page.content() and finding.org == world.dept_a

    page.goto(f"{live_server.url}/supervision/letters/new/?finding={finding.pk}")
    page.fill("#id_requirements", "立即对该案组织法制审核，并健全重大执法决定法制审核制度。")
    page.fill("#id_on", "2026-10-12")
    page.click("main form button[type=submit]")
    confirm(page)
    page.wait_for_selector("#letter-number")
    letter = OpinionLetter.objects.get(findings=finding)
    assert letter.doc_number in page.inner_text("#letter-number")
    resp = page.request.get(f"{live_server.url}/supervision/letters/{letter.pk}/download/docx/")
    assert resp.status == 200
    xml = zipfile.ZipFile(io.BytesIO(resp.body())).read("word/document.xml").decode()
    assert "行政执法监督意见书" in xml or letter.title in xml

    unit_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    unit = unit_ctx.new_page()
    unit.set_default_timeout(15000)
    try:
        login(unit, live_server, world.dept_a_legal.username, PASSWORD)
        unit.wait_for_load_state()
        unit.goto(f"{live_server.url}/supervision/letters/{letter.pk}/")
        unit.fill("#report-form textarea[name=content]", "已补办法制审核，建立审核台账。")
        unit.click("#submit-report")  # without evidence: refused
        unit.wait_for_load_state()
        assert "佐证" in unit.content()
        unit.fill("#report-form textarea[name=content]", "已补办法制审核，建立审核台账。")
        unit.fill("#report-form textarea[name=evidence]", "法制审核意见书；审核台账")
        unit.fill("#report-form input[name=on]", "2026-10-20")
        unit.set_input_files("#report-form input[name=files]", files=[
            {"name": "审核台账照片.png", "mimeType": "image/png", "buffer": PNG}])
        unit.click("#submit-report")
        unit.wait_for_load_state()
        assert unit.inner_text("#letter-state") == "整改报告待审核"
    finally:
        unit_ctx.close()

    page.goto(f"{live_server.url}/supervision/letters/{letter.pk}/")
    link = page.locator(".evidence-file a", has_text="审核台账照片.png")
    resp = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert resp.status == 200 and resp.body() == PNG
    page.fill("#review-form textarea[name=reason]", "整改到位")
    page.click("#accept-report")
    page.wait_for_load_state()
    assert page.inner_text("#letter-state") == "整改已认可"
