"""The journey: file a general-procedure penalty case, record two officers, the notice,
the legal review and the decision, serve and publish it (the public page shows it
masked), and see it on the monitoring board."""

import pytest

from tests.browser.helpers import login
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(pg, action, on):
    form = pg.locator(f"form.transition-form[data-action='{action}']")
    form.locator("input[name=on]").fill(on)
    form.locator(f"#act-{action}").click()
    pg.wait_for_load_state()


def test_penalty_case_journey(world, lib, live_server, browser, page):  # noqa: F811
    login(page, live_server, world.officer_a.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/enforcement/cases/new/")
    page.select_option("#id_case_type", "penalty")
    page.select_option("#id_procedure", "general")
    page.select_option("#id_item", str(lib.item.pk))
    page.fill("#id_filed_on", "2026-09-21")
    page.fill("#id_title", "销售不合格电线电缆")
    page.fill("#id_party_name", "张三丰")
    page.fill("#id_party_id_no", "110101199001011234")
    page.fill("#id_party_phone", "13812345678")
    page.fill("#id_party_address", "测试县城关街道人民路88号")
    page.select_option("#id_sanction", "fine")
    page.fill("#id_amount", "20000")
    page.select_option("#id_circumstance", "general")
    page.select_option("#id_officers", [str(lib.o1.pk), str(lib.o2.pk)])
    page.click("main form button[type=submit]")
    page.wait_for_selector("#case-state")
    assert page.inner_text("#case-state") == "立案"
    assert "张执法" in page.inner_text("#officers") and "李执法" in page.inner_text("#officers")
    case_url = page.url

    act(page, "investigate", "2026-09-22")
    act(page, "notify", "2026-10-12")
    assert page.inner_text("#case-state") == "告知"
    act(page, "decide", "2026-10-26")  # refused: legal review required
    assert "第五十八条" in page.inner_text("main")
    act(page, "submit_review", "2026-10-20")
    assert page.inner_text("#case-state") == "法制审核"

    legal_ctx = browser.new_context(locale="zh-CN")
    legal = legal_ctx.new_page()
    login(legal, live_server, world.dept_a_legal.username, PASSWORD)
    legal.wait_for_load_state()
    legal.goto(case_url)
    legal.select_option("#review-form select[name=result]", "passed")
    legal.fill("#review-opinion", "事实清楚，证据确凿，同意。")
    legal.click("#review-submit")
    legal.wait_for_load_state()
    assert "同意" in legal.inner_text("#legal-review")
    assert "法制审核意见书" in legal.inner_text("#documents")  # issued through the documents app
    with legal.expect_download() as dl:
        legal.click("#documents a:text('pdf')")
    assert dl.value.suggested_filename.endswith(".pdf")
    legal_ctx.close()

    page.goto(case_url)
    act(page, "decide", "2026-10-26")
    assert page.inner_text("#case-state") == "决定"
    act(page, "serve", "2026-10-27")
    assert page.inner_text("#case-state") == "送达"
    page.click("#publish")
    page.wait_for_load_state()
    assert "已公示" in page.inner_text("#publicity-state")
    act(page, "pay", "2026-10-28")  # 缴纳罚款
    assert page.inner_text("#case-state") == "执行"

    anon_ctx = browser.new_context(locale="zh-CN")
    anon = anon_ctx.new_page()
    anon.goto(f"{live_server.url}/enforcement/public/")
    text = anon.inner_text("#public-table")
    assert "张**" in text and "张三丰" not in text
    anon.click("#public-table a")
    detail = anon.inner_text("#public-detail")
    assert "110101********1234" in detail and "138****5678" in detail and "人民路88号" not in detail
    anon_ctx.close()

    page.goto(f"{live_server.url}/enforcement/monitoring/")
    assert int(page.inner_text("#total-open")) >= 1
    assert "测试县市场监督管理局" in page.inner_text("#by-org")
    page.click("#board-totals a >> nth=0")
    page.wait_for_load_state()
    assert "销售不合格电线电缆" in page.inner_text("#monitoring-cases")


def test_large_import_shows_live_progress(world, lib, live_server, page, settings, tmp_path, monkeypatch):
    """A large file goes to the background; the status page polls until the batch is done.
    (The test database is SQLite in shared-cache memory, where a writer makes other writers
    fail at once instead of waiting: the job starts once the status page is shown, and polls
    refused meanwhile are simply retried by htmx.)"""
    import threading

    from yifa.enforcement import imports

    settings.YIFA_ENFORCEMENT_IMPORT_BACKGROUND_BYTES = 1
    monkeypatch.setattr(imports, "RUNNER", lambda fn, *args: threading.Timer(2.0, fn, args).start())
    rows = ["来源案号,办案单位代码,事项编码,案件类型,立案日期,案由,当事人,罚款金额,执法证号"]
    rows += [f"WEB-{i},T-DA,SCJG-001,行政处罚,2026-08-03,网页导入{i},王五,100,\"T-0001,T-0002\"" for i in range(30)]
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(rows), encoding="utf-8-sig")
    login(page, live_server, world.officer_a.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/enforcement/import/")
    page.select_option("select[name=kind]", "cases")
    page.fill("input[name=source_system]", "web")
    page.set_input_files("input[name=file]", str(path))
    page.click("#import-submit")
    page.wait_for_selector("#batch")
    assert "/enforcement/import/" in page.url and "排队中" in page.inner_text("#batch-state")
    page.wait_for_selector("#batch[data-state=done]", timeout=60000)  # polled by htmx, no reload
    assert "新增 30" in page.inner_text("#batch-progress")
