"""The journey: an evaluator opens a sampled file, sees the objective items pre-filled from
the case data, records a veto item (未告知陈述申辩权), submits, and sees the file graded
不合格 — also on the campaign's per-unit results."""

import threading
from datetime import date

import pytest

from tests.browser.helpers import confirm, hold_back_static, login
from tests.conftest import PASSWORD
from yifa.supervision.evaluation import services
from yifa.supervision.evaluation.models import EvaluationFile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_evaluator_scores_file_with_veto_item(world, closed_cases, live_server, page):
    c = services.create_campaign(actor=world.supervisor, org=world.supervision_office, title="浏览器评查活动",
                                 period_start=date(2026, 1, 1), period_end=date(2026, 10, 31),
                                 targets=[(world.dept_a, "count", 16)], evaluators=[world.dept_a_legal])
    c = services.sample(actor=world.supervisor, campaign=c, seed=2026)
    services.campaign_transition(actor=world.supervisor, campaign=c, action="start")
    f = EvaluationFile.objects.get(campaign=c, case=closed_cases["late"])

    login(page, live_server, world.dept_a_legal.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/supervision/evaluation/")
    page.click(f"#pending-files a[href='/supervision/evaluation/files/{f.pk}/']")
    page.wait_for_selector("#score-form")
    assert "客观项建议" in page.inner_text("#sug-P4")  # late case: pre-filled from the case data
    page.check("#sug-P4 input[value=confirm]")
    assert page.is_checked("#ded-P4") and page.input_value("#pts-P4") == "5.0"
    page.check("#sug-P6 input[value=reject]")
    page.fill("#sug-P6 input[placeholder=排除理由]", "纸质卷宗中附有执法记录仪视频光盘")
    page.check("#ded-P2")  # veto: 未告知当事人陈述、申辩权
    page.fill("#item-P2 input[placeholder=问题说明]", "处罚告知书未载明陈述、申辩权利")
    page.fill("#ded-W1 >> xpath=../.. >> input.pts", "2")
    page.check("#ded-W1")
    page.click("#submit-score")
    confirm(page)  # submitting fixes the grade: the dialog asks first
    page.wait_for_selector("#file-grade")
    assert page.inner_text("#file-grade") == "不合格"
    assert page.inner_text("#file-state") == "已评定"
    assert "93" in page.inner_text("#file-score")  # 100 − 5 − 2, failed by the veto item all the same
    problems = page.inner_text("#problem-table")
    assert "未告知当事人陈述" in problems and "否决项" in problems and "超过法定期限办案" in problems
    f.refresh_from_db()
    assert f.grade == "fail" and f.veto and f.score == 93

    page.goto(f"{live_server.url}/supervision/evaluation/campaigns/{c.pk}/")
    assert page.inner_text("#total-fail") == "1" and page.inner_text("#total-problems") == "3"


def test_a_confirmed_form_asks_even_while_the_page_is_still_loading(world, closed_cases, live_server,
                                                                    page, monkeypatch):
    """yifa.js is loaded in <head>, so its submit listener is there before any form: a click
    on 开始评分 while Bootstrap (the last scripts) is still loading asks first (the browser's
    own dialog until Bootstrap is there) and 取消 sends nothing."""
    c = services.create_campaign(actor=world.supervisor, org=world.supervision_office, title="加载中确认",
                                 period_start=date(2026, 1, 1), period_end=date(2026, 10, 31),
                                 targets=[(world.dept_a, "count", 16)], evaluators=[world.dept_a_legal])
    c = services.sample(actor=world.supervisor, campaign=c, seed=2026)
    login(page, live_server, world.supervisor.username, PASSWORD)
    page.wait_for_load_state()
    released = threading.Event()  # Bootstrap arrives when the test says so, not after a guessed time
    hold_back_static(page, monkeypatch, "/bootstrap.bundle.min.js", until=released)
    asked = []
    page.on("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    try:
        page.goto(f"{live_server.url}/supervision/evaluation/campaigns/{c.pk}/", wait_until="commit")
        page.wait_for_selector("#start-btn", state="attached")
        loading = page.evaluate("document.readyState")
        page.evaluate("document.getElementById('start-btn').click()")  # not a Playwright click: no wait
    finally:
        released.set()
    page.wait_for_load_state("load")
    assert loading == "loading"
    assert asked and asked[0].startswith("将开始评分")
    c.refresh_from_db()
    assert c.state == "sampled"  # 取消: nothing was sent
