"""The journey: an assessor enters the last missing manual score, computes the period and
sees the ranking; a unit's breakdown links through to the records behind a score."""

from datetime import date
from decimal import Decimal

import pytest

from tests.assessment.helpers import closed_case, manual_indicators, new_period
from tests.browser.helpers import login
from tests.conftest import PASSWORD
from yifa.assessment import services
from yifa.assessment.models import ManualScore, UnitResult

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_assessor_scores_computes_and_drills_down(world, live_server, page):
    closed_case(world.dept_a, on_time=True, closed_on=date(2025, 5, 1))
    p = new_period(world)
    manual = manual_indicators(p)
    last = manual[-1]
    for ind in manual:
        for u in services.assessed_units(p):
            if (ind, u) == (last, world.dept_a):
                continue
            services.set_manual_score(actor=world.supervisor, period=p, indicator=ind, org=u,
                                      score=services.points_of(ind) * Decimal("0.8"), evidence="台账齐全")
    services.compute_period(actor=world.supervisor, period=p)

    login(page, live_server, world.supervisor.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/assessment/periods/{p.pk}/")
    missing = page.inner_text("#missing-scores")
    assert world.dept_a.name in missing and last.name in missing
    page.click(f"#missing-scores a:has-text('{last.name}')")
    page.wait_for_selector("#score-form")
    page.fill("#score-form input[name=score]", "4.5")
    page.fill("#score-form textarea[name=evidence]", "主要负责人已述法，年度报告按时报送")
    page.click("#save-score")
    page.wait_for_load_state()
    assert ManualScore.objects.get(indicator=last, org=world.dept_a).score == Decimal("4.50")

    page.goto(f"{live_server.url}/assessment/periods/{p.pk}/")
    page.click("#compute-btn")
    page.wait_for_selector("#ranking")
    assert page.locator("#missing-scores").count() == 0
    ranking = page.inner_text("#ranking")
    assert "后三名" in ranking
    first = UnitResult.objects.get(period=p, rank=1)
    assert first.org.name in page.inner_text("#ranking tbody tr:first-child")

    page.click(f"#ranking tr[data-org='{world.dept_a.name}'] a.result-link")
    page.wait_for_selector("#score-table")
    assert "得分 = 分值 ×" in page.inner_text("#score-table")
    row = page.locator("#score-table tr", has_text="执法案件按时办结率")
    row.locator("a.drilldown").click()
    page.wait_for_selector("#record-table")
    assert "考核测试案件" in page.inner_text("#record-table")
    page.click("#record-table a")
    page.wait_for_load_state()
    assert "/enforcement/cases/" in page.url
