"""A leader's dashboard draws its charts (a canvas each, no script error), and a click on a
chart point opens the list of the records behind it."""

import re
from decimal import Decimal

import pytest

from tests.browser.helpers import login
from tests.conftest import PASSWORD
from yifa.core import clock
from yifa.reports.models import FigureRollup
from yifa.reports.services import add_months, rebuild_rollups
from yifa.supervision.models import Finding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("chart-trend", "chart-yoy", "chart-ranking", "chart-categories", "chart-complaints")


def _settled(page, chart_id):
    """Wait until the chart has finished drawing (ECharts grows its bars and lines for about a
    second; a click computed from the final positions misses a bar still growing)."""
    page.evaluate("""(id) => new Promise((done) => {
        const ch = echarts.getInstanceByDom(document.getElementById(id));
        let timer = setTimeout(done, 1500);
        ch.on('finished', () => { clearTimeout(timer); timer = setTimeout(done, 100); });
    })""", chart_id)


def test_dashboard_charts_render_and_drill_down(world, live_server, page):
    today = clock.today()
    this_month = today.replace(day=1)
    for k in range(14):
        m = add_months(this_month, -k)
        for org, total, on_time in ((world.dept_a, 10, 9), (world.dept_b, 8, 8)):
            for code, v in (("monitoring.cases_closed", total), ("monitoring.closed_on_time", on_time),
                            ("complaints.received", 3), ("complaints.closed", 2)):
                FigureRollup.objects.create(org=org, code=code, month=m, value=Decimal(v))
    Finding.objects.create(org=world.dept_a, category="document", source="public", description="图表穿透文书问题",
                           raised_on=this_month)
    Finding.objects.create(org=world.dept_b, category="procedure", source="public", description="图表穿透程序问题",
                           raised_on=this_month)
    rebuild_rollups(since=this_month, today=today, codes={"supervision.findings.document",
                                                           "supervision.findings.procedure"})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server, world.leader.username, PASSWORD)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/reports/?start={this_month:%Y}-01&end={this_month:%Y-%m}")
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart} canvas", state="attached")
    assert not errors, errors

    # a click on the 执法文书 bar of the problem categories opens that category's findings
    page.locator("#chart-categories").scroll_into_view_if_needed()
    _settled(page, "chart-categories")
    x, y = page.evaluate("""() => {
        const el = document.getElementById('chart-categories');
        const ch = echarts.getInstanceByDom(el);
        const opt = ch.getOption();
        const i = opt.yAxis[0].data.indexOf('执法文书');
        const end = ch.convertToPixel({seriesIndex: 0}, [opt.series[0].data[i], i]);
        const start = ch.convertToPixel({seriesIndex: 0}, [0, i]);
        const box = el.getBoundingClientRect();
        return [box.left + (start[0] + end[0]) / 2, box.top + end[1]];
    }""")
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/reports/figures/supervision\.findings\.document/"))
    assert "图表穿透文书问题" in page.content() and "图表穿透程序问题" not in page.content()

    # a click in the trend's last column opens the cases closed this month (the unfinished month)
    page.go_back()
    page.wait_for_selector("#chart-trend canvas", state="attached")
    page.locator("#chart-trend").scroll_into_view_if_needed()
    _settled(page, "chart-trend")
    x, y = page.evaluate("""() => {
        const el = document.getElementById('chart-trend');
        const ch = echarts.getInstanceByDom(el);
        const n = ch.getOption().xAxis[0].data.length;
        const p = ch.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [n - 1, 95]);
        const box = el.getBoundingClientRect();
        return [box.left + p[0] - 2, box.top + p[1]];
    }""")
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/reports/figures/monitoring\.cases_closed/"))
    assert f"start={this_month:%Y-%m}&end={this_month:%Y-%m}" in page.url
    assert not errors, errors
