"""A leader opens the dashboard, clicks a figure through to its records and downloads the
annual report draft."""

import io
from datetime import date

import pytest

from tests.browser.helpers import login
from tests.conftest import PASSWORD
from yifa.reports.services import rebuild_rollups
from yifa.supervision.models import Finding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_drilldown_and_report(world, live_server, page):
    today = date.today()
    Finding.objects.create(org=world.dept_a, category="procedure", source="public", description="驾驶舱穿透测试问题",
                           raised_on=today.replace(day=1))
    rebuild_rollups(since=date(today.year, 1, 1), today=today)
    login(page, live_server, world.leader.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/reports/")
    assert "领导驾驶舱" in page.content()
    page.click("#fig-supervisionfindings")
    page.wait_for_load_state()
    assert "驾驶舱穿透测试问题" in page.content()
    page.click("text=驾驶舱穿透测试问题")
    page.wait_for_load_state()
    assert "/supervision/findings/" in page.url
    page.goto(f"{live_server.url}/reports/")
    with page.expect_download() as info:
        page.click("#annual-report")
    path = info.value.path()
    from docx import Document

    doc = Document(io.BytesIO(open(path, "rb").read()))
    assert any("法治政府建设情况报告" in p.text for p in doc.paragraphs)
