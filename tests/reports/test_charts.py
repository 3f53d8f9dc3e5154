"""The dashboard's chart series: read from the rollups, scoped to a unit's subtree; the
unfinished month flagged, an empty month a gap (never 100%), 同比 pairs, a ranking in
order, problem categories and the complaint trend."""

from datetime import date
from decimal import Decimal

import pytest

from yifa.reports import selectors
from yifa.reports.figures import breakdown, figure_by_code
from yifa.reports.models import FigureRollup
from yifa.reports.services import rebuild_rollups
from yifa.supervision.models import Finding

TODAY = date(2026, 11, 18)
ON_TIME = "monitoring.on_time_rate"


def put(org, code, month, value):
    FigureRollup.objects.update_or_create(org=org, code=code, month=month, defaults={"value": Decimal(value)})


def closed(org, month, total, on_time):
    put(org, "monitoring.cases_closed", month, total)
    put(org, "monitoring.closed_on_time", month, on_time)


@pytest.mark.django_db
def test_trend_flags_the_partial_month_and_leaves_empty_months_as_gaps(world):
    closed(world.dept_a, date(2026, 9, 1), 10, 9)
    # October: nothing closed anywhere (no denominator); November (today's month): 2 of 2 so far
    closed(world.dept_a, date(2026, 11, 1), 2, 2)
    closed(world.dept_a, date(2027, 1, 1), 5, 1)  # after today: never shown
    trend = selectors.rate_trend(world.county, ON_TIME, date(2027, 3, 31), TODAY, months=6)
    points = {p["month"]: p for p in trend["points"]}
    assert list(points)[-1] == date(2026, 11, 1) and len(points) == 6
    assert points[date(2026, 9, 1)]["rate"] == Decimal("90.0") and not points[date(2026, 9, 1)]["partial"]
    assert points[date(2026, 10, 1)]["rate"] is None  # a gap, not 100%
    assert points[date(2026, 10, 1)]["denominator"] == 0
    assert points[date(2026, 11, 1)]["partial"] == "本月截至18日"
    assert [p["month"] for p in trend["points"] if p["partial"]] == [date(2026, 11, 1)]
    # the target comes with its source; the floor is below every point and the target
    assert trend["target"].value == Decimal(98) and "98%" in trend["target"].source
    assert trend["floor"] <= 90 - 5 and trend["floor"] % 10 == 0


@pytest.mark.django_db
def test_month_end_is_not_partial(world):
    closed(world.dept_a, date(2026, 11, 1), 2, 1)
    trend = selectors.rate_trend(world.county, ON_TIME, date(2026, 11, 30), date(2026, 11, 30), months=2)
    assert not any(p["partial"] for p in trend["points"])


def test_axis_floor_never_clips():
    assert selectors.axis_floor([Decimal("55.5"), None, Decimal(99)], Decimal(98)) == 50
    assert selectors.axis_floor([Decimal("98.2")], Decimal(98)) == 90
    assert selectors.axis_floor([Decimal(3)]) == 0
    assert selectors.axis_floor([None]) == 0
    for low in (0, 1, 12.5, 60, 85, 99.9, 100):
        assert selectors.axis_floor([low]) <= low - 5 or selectors.axis_floor([low]) == 0


@pytest.mark.django_db
def test_target_can_be_configured(world, settings):
    settings.YIFA_REPORT_TARGETS = {ON_TIME: 95}
    t = selectors.rate_trend(world.county, ON_TIME, date(2026, 11, 30), TODAY, months=2)["target"]
    assert t.value == Decimal(95) and "YIFA_REPORT_TARGETS" in t.source


@pytest.mark.django_db
def test_year_on_year_pairs_each_month_with_the_same_month_last_year(world):
    closed(world.dept_a, date(2025, 10, 1), 10, 8)
    closed(world.dept_a, date(2026, 10, 1), 20, 19)
    closed(world.dept_a, date(2026, 9, 1), 4, 4)  # no September 2025: no comparison
    pairs = selectors.year_on_year(world.county, ON_TIME, date(2026, 11, 30), TODAY, months=12)
    assert len(pairs) == 12 and pairs[-1]["month"] == date(2026, 11, 1) and pairs[-1]["partial"]
    october = next(p for p in pairs if p["month"] == date(2026, 10, 1))
    assert october["prev_month"] == date(2025, 10, 1)
    assert (october["rate"], october["prev_rate"], october["change"]) == (Decimal("95.0"), Decimal("80.0"),
                                                                          Decimal("15.0"))
    september = next(p for p in pairs if p["month"] == date(2026, 9, 1))
    assert september["rate"] == Decimal("100.0") and september["prev_rate"] is None and september["change"] is None


@pytest.mark.django_db
def test_unit_ranking_is_sorted_and_scoped(world):
    month = date(2026, 6, 1)
    closed(world.dept_a, month, 10, 7)
    closed(world.dept_b, month, 10, 9)
    closed(world.town_a_office, month, 4, 4)  # counts for 南湖镇 (its subtree)
    closed(world.town_b, month, 5, 0)
    closed(world.county, month, 1, 1)  # the county's own records: 本级
    rows = selectors.unit_ranking(world.county, ON_TIME, date(2026, 1, 1), date(2026, 12, 31))
    assert [(r["label"], r["rate"]) for r in rows] == [
        ("南湖镇", Decimal("100.0")), ("测试县人民政府（本级）", Decimal("100.0")), ("测试县生态环境局", Decimal("90.0")),
        ("测试县市场监督管理局", Decimal("70.0")), ("北山镇", Decimal("0.0"))]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["org"] == world.town_a
    # a unit's ranking holds only that unit's subtree
    town = selectors.unit_ranking(world.town_a, ON_TIME, date(2026, 1, 1), date(2026, 12, 31))
    assert [r["org"] for r in town] == [world.town_a_office]
    assert selectors.unit_ranking(world.dept_b, ON_TIME, date(2027, 1, 1), date(2027, 12, 31)) == []


@pytest.mark.django_db
def test_problem_categories_from_findings(world):
    for cat, n in (("procedure", 3), ("document", 1)):
        for i in range(n):
            Finding.objects.create(org=world.town_b, category=cat, source="public", description=f"{cat}{i}",
                                   raised_on=date(2026, 5, 1))
    Finding.objects.create(org=world.town_a, category="conduct", source="public", description="南湖",
                           raised_on=date(2026, 5, 1))
    rebuild_rollups(since=date(2026, 1, 1), today=TODAY)
    cats = selectors.categories(world.town_b, "supervision.findings", date(2026, 1, 1), date(2026, 12, 31))
    by = {c["label"]: c["value"] for c in cats}
    assert cats[0]["label"] == "执法程序" and by["执法程序"] >= 3 and by["执法文书"] >= 1
    total = selectors.figure_values(world.town_b, date(2026, 1, 1), date(2026, 12, 31))["supervision.findings"]
    assert sum(by.values()) == total  # the categories add up to the figure
    assert "执法作风" not in by  # 南湖's finding is outside 北山
    assert [c["value"] for c in cats] == sorted((c["value"] for c in cats), reverse=True)
    fig = figure_by_code("supervision.findings.procedure")
    assert (fig.label, fig.short_label) == ("发现问题（执法程序）", "执法程序")
    assert {f.code for f in breakdown("supervision.findings")} >= {"supervision.findings.other"}
    # breakdown figures are not cards of their own on the dashboard
    codes = [v.code for s in selectors.dashboard(world.town_b, date(2026, 1, 1), date(2026, 12, 31))
             for v in s["items"]]
    assert "supervision.findings" in codes and not any(c.startswith("supervision.findings.") for c in codes)


@pytest.mark.django_db
def test_complaint_trend_received_and_closed(world):
    put(world.town_a, "complaints.received", date(2026, 10, 1), 6)
    put(world.town_a, "complaints.closed", date(2026, 10, 1), 5)
    put(world.town_b, "complaints.received", date(2026, 10, 1), 100)
    rows = selectors.monthly_counts(world.town_a, ["complaints.received", "complaints.closed"],
                                    date(2026, 12, 31), TODAY, months=3)
    assert [r["month"] for r in rows] == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert rows[1]["values"] == {"complaints.received": Decimal(6), "complaints.closed": Decimal(5)}
    assert rows[0]["values"]["complaints.received"] == 0 and rows[2]["partial"]


def _island(html):
    import json
    import re

    m = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert m, "the dashboard renders its chart data block"
    return json.loads(m.group(1))


@pytest.mark.django_db
def test_dashboard_page_carries_every_series(world, client_for):
    from tests.clock import frozen

    closed(world.dept_a, date(2026, 9, 1), 10, 9)
    closed(world.dept_b, date(2026, 9, 1), 4, 2)
    closed(world.dept_a, date(2025, 9, 1), 5, 4)
    closed(world.dept_a, date(2026, 11, 1), 1, 1)
    put(world.town_a, "complaints.received", date(2026, 10, 1), 3)
    put(world.town_a, "complaints.closed", date(2026, 10, 1), 2)
    put(world.town_b, "supervision.findings.procedure", date(2026, 3, 1), 4)
    with frozen(TODAY):
        resp = client_for(world.leader).get("/reports/?start=2026-01&end=2026-11")
    assert resp.status_code == 200
    html = resp.content.decode()
    data = _island(html)
    t = data["trend"]
    assert len(t["months"]) == 36 and t["months"][-1] == "2026年11月"
    assert t["partial"] == 35 and t["partial_label"] == "本月截至18日"
    assert t["rates"][t["months"].index("2026年9月")] == 78.6  # (9+2)/(10+4)
    assert t["rates"][t["months"].index("2026年10月")] is None  # a gap
    assert t["target"]["value"] == 98.0 and t["target"]["source"] and t["floor"] <= 70
    assert "/reports/figures/monitoring.cases_closed/" in t["links"][-1] and "start=2026-11&end=2026-11" in t["links"][-1]
    y = data["yoy"]
    i = y["months"].index("9月")
    assert (y["current"][i], y["previous"][i]) == (78.6, 80.0) and y["previous_titles"][i] == "2025年9月"
    assert "start=2025-09&end=2025-09" in y["previous_links"][i]
    r = data["ranking"]
    assert r["units"] == ["测试县市场监督管理局", "测试县生态环境局"] and r["rates"] == [90.9, 50.0]  # 10/11, 2/4
    assert f"org={world.dept_b.pk}&" in r["links"][1]
    c = data["categories"]
    assert c["labels"][0] == "执法程序" and c["values"][0] == 4.0
    assert "/reports/figures/supervision.findings.procedure/" in c["links"][0]
    q = data["complaints"]
    assert [s["name"] for s in q["series"]] == ["收到投诉举报", "已办结"]
    assert q["series"][0]["values"][q["months"].index("2026年10月")] == 3.0
    # the page explains the target's source and the unfinished month, in words
    assert "98%" in html and "本月截至18日" in html
    for chart in ("chart-trend", "chart-yoy", "chart-ranking", "chart-categories", "chart-complaints"):
        assert f'id="{chart}"' in html


@pytest.mark.django_db
def test_dashboard_series_stay_in_the_users_scope(world, client_for):
    closed(world.town_a_office, date(2026, 6, 1), 3, 3)
    closed(world.town_b, date(2026, 6, 1), 8, 1)
    put(world.town_b, "supervision.findings.conduct", date(2026, 6, 1), 2)
    data = _island(client_for(world.town_a_legal).get("/reports/?start=2026-01&end=2026-11").content.decode())
    assert "北山镇" not in data["ranking"]["units"] and data["ranking"]["rates"] == [100.0]
    assert data["categories"]["labels"] == []
    assert 8.0 not in data["trend"]["denominators"]
    links = [u for s in data.values() for k, v in s.items() if k.endswith("links") for u in v]
    links += [u for s in data["complaints"]["series"] for u in s["links"]]
    assert links and not any(f"org={world.town_b.pk}&" in u or f"org={world.county.pk}&" in u for u in links)


@pytest.mark.django_db
def test_a_chart_link_opens_the_records_of_that_point(world, client_for):
    Finding.objects.create(org=world.town_b, category="document", source="public", description="文书不规范的问题",
                           raised_on=date(2026, 5, 6))
    Finding.objects.create(org=world.town_b, category="procedure", source="public", description="程序违法的问题",
                           raised_on=date(2026, 5, 6))
    rebuild_rollups(since=date(2026, 1, 1), today=TODAY)
    c = client_for(world.supervisor)
    data = _island(c.get("/reports/?start=2026-01&end=2026-11").content.decode())
    link = data["categories"]["links"][data["categories"]["labels"].index("执法文书")]
    page = c.get(link).content.decode()
    assert "文书不规范的问题" in page and "程序违法的问题" not in page
    assert "发现问题（执法文书）" in page  # the list says what it is a list of


def _workbook(resp):
    import io

    from openpyxl import load_workbook

    body = b"".join(resp.streaming_content) if resp.streaming else resp.content
    return load_workbook(io.BytesIO(body))


@pytest.mark.django_db
def test_excel_export_stores_numbers_as_numbers_and_months_as_dates(world, client_for):
    from datetime import datetime

    from tests.clock import frozen

    closed(world.dept_a, date(2026, 9, 1), 8, 7)
    closed(world.dept_a, date(2025, 9, 1), 4, 2)
    put(world.town_a, "supervision.findings", date(2026, 9, 1), 3)
    put(world.town_a, "supervision.findings_corrected", date(2026, 9, 1), 2)
    put(world.town_a, "supervision.findings.procedure", date(2026, 9, 1), 3)
    put(world.town_a, "complaints.received", date(2026, 9, 1), 5)
    with frozen(TODAY):
        wb = _workbook(client_for(world.leader).get("/reports/export.xlsx?start=2026-01&end=2026-11"))
    rows = {r[1]: r for r in wb["指标"].iter_rows(min_row=2, values_only=True)}
    on_time = rows["按时办结率"]
    assert on_time[2] == pytest.approx(0.875) and on_time[4] == 7 and on_time[5] == 8
    assert isinstance(rows["发现问题"][2], (int, float)) and rows["发现问题"][2] == 3
    assert rows["发现问题"][4] is None  # no "" text in a number column
    cells = {c.row: c for c in wb["指标"]["C"]}
    rate_cell = next(c for r, c in cells.items() if wb["指标"].cell(r, 2).value == "按时办结率")
    assert rate_cell.data_type == "n" and rate_cell.number_format == "0.0%"
    # every number column of every sheet holds numbers, never text like "87.5%"
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    assert not cell.value.rstrip("%").replace(".", "").isdigit(), (ws.title, cell.coordinate)
    trend = list(wb["按时办结率走势"].iter_rows(min_row=2))
    sept = next(r for r in trend if r[0].value == datetime(2026, 9, 1))
    assert sept[0].is_date and sept[3].value == pytest.approx(0.875) and sept[3].number_format == "0.0%"
    assert trend[-1][4].value == "本月截至18日，当月尚未结束"
    assert next(r for r in trend if r[0].value == datetime(2026, 10, 1))[3].value is None  # a gap, not 100%
    yoy = next(r for r in wb["按时办结率同比"].iter_rows(min_row=2, values_only=True) if r[0] == datetime(2026, 9, 1))
    assert yoy[1:5] == (pytest.approx(0.875), datetime(2025, 9, 1), pytest.approx(0.5), pytest.approx(37.5))
    assert next(iter(wb["单位排名"].iter_rows(min_row=2, values_only=True)))[:3] == (1, "测试县市场监督管理局", 8)
    assert list(wb["发现问题类别"].iter_rows(min_row=2, values_only=True)) == [("执法程序", 3)]
    about = dict(wb["说明"].iter_rows(min_row=2, values_only=True))
    assert about["统计期间起"] == datetime(2026, 1, 1) and about["按时办结率目标值"] == pytest.approx(0.98)
