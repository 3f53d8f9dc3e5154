"""Browser journeys: a supervisor escalates an overdue letter to a 行政执法监督决定书 (valid
docx) and the unit sees it among its to-dos; the statistics drill down to the findings;
a typical case appears on the public page without login."""

import io
import zipfile
from datetime import date

import pytest

from tests.browser.helpers import confirm, login
from tests.conftest import PASSWORD
from yifa.supervision import services
from yifa.supervision.models import SupervisionDecision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_escalate_statistics_typical(world, live_server, browser, page):
    finding = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="publicity",
                                     description="处罚决定逾期未公示（浏览器测试）", on=date(2026, 8, 28))
    letter = services.issue_letter(actor=world.supervisor, findings=[finding], requirements="限期公示。",
                                   on=date(2026, 9, 1))
    assert letter.due < date(2026, 11, 28)  # overdue now

    login(page, live_server, world.supervisor.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/supervision/letters/{letter.pk}/")
    assert "已届满" in page.inner_text("#escalate-form")
    page.select_option("#escalate-form select[name=kind]", "correct")
    page.fill("#escalate-form textarea[name=requirements]", "责令于三十日内完成公示并报告。")
    page.click("#escalate-btn")
    confirm(page)
    page.wait_for_selector("#decision-number")
    dec = SupervisionDecision.objects.get(letter=letter)
    assert dec.doc_number in page.inner_text("#decision-number")
    resp = page.request.get(f"{live_server.url}/supervision/decisions/{dec.pk}/download/docx/")
    assert resp.status == 200
    xml = zipfile.ZipFile(io.BytesIO(resp.body())).read("word/document.xml").decode()
    assert "责令于三十日内完成公示并报告" in xml
    page.goto(f"{live_server.url}/supervision/letters/{letter.pk}/")
    assert page.inner_text("#letter-state") == "已升级"
    assert "已升级为行政执法监督决定书" in page.inner_text("#letter-decision")

    # mark the finding typical with a public summary
    page.goto(f"{live_server.url}/supervision/findings/{finding.pk}/")
    page.check("#typical")
    page.fill("#mark-form textarea[name=public_summary]", "某局处罚决定逾期未公示，经监督决定责令纠正。联系人电话13812345678。")
    page.click("#mark-btn")
    page.wait_for_selector("#finding-typical")

    # statistics → drill down to the findings of the unit
    page.goto(f"{live_server.url}/supervision/statistics/?start=2026-01-01&end=2026-11-28&org={world.dept_a.pk}")
    assert page.inner_text("#stat-findings") == "1"
    page.click("#stat-findings")
    page.wait_for_selector("#finding-table")
    assert "处罚决定逾期未公示" in page.inner_text("#finding-table")

    # the unit sees the decision among its to-dos
    unit_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    unit = unit_ctx.new_page()
    unit.set_default_timeout(15000)
    try:
        login(unit, live_server, world.dept_a_legal.username, PASSWORD)
        unit.wait_for_load_state()
        unit.goto(f"{live_server.url}/")
        assert dec.doc_number in unit.content()
    finally:
        unit_ctx.close()

    # the public page, without login
    anon_ctx = browser.new_context(locale="zh-CN")
    anon = anon_ctx.new_page()
    try:
        anon.goto(f"{live_server.url}/supervision/typical/")
        text = anon.inner_text("#typical-list")
        assert "逾期未公示" in text and "13812345678" not in text and "138****5678" in text
    finally:
        anon_ctx.close()
