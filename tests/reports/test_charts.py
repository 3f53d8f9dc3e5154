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
    assert trend["target"].value == Decimal("98") and "98%" in trend["target"].source
    assert trend["floor"] <= 90 - 5 and trend["floor"] % 10 == 0


@pytest.mark.django_db
def test_month_end_is_not_partial(world):
    closed(world.dept_a, date(2026, 11, 1), 2, 1)
    trend = selectors.rate_trend(world.county, ON_TIME, date(2026, 11, 30), date(2026, 11, 30), months=2)
    assert not any(p["partial"] for p in trend["points"])


def test_axis_floor_never_clips():
    assert selectors.axis_floor([Decimal("55.5"), None, Decimal("99")], Decimal("98")) == 50
    assert selectors.axis_floor([Decimal("98.2")], Decimal("98")) == 90
    assert selectors.axis_floor([Decimal("3")]) == 0
    assert selectors.axis_floor([None]) == 0
    for low in (0, 1, 12.5, 60, 85, 99.9, 100):
        assert selectors.axis_floor([low]) <= low - 5 or selectors.axis_floor([low]) == 0


@pytest.mark.django_db
def test_target_can_be_configured(world, settings):
    settings.YIFA_REPORT_TARGETS = {ON_TIME: 95}
    t = selectors.rate_trend(world.county, ON_TIME, date(2026, 11, 30), TODAY, months=2)["target"]
    assert t.value == Decimal("95") and "YIFA_REPORT_TARGETS" in t.source


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
    assert figure_by_code("supervision.findings.procedure").label == "执法程序"
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
