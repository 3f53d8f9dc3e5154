"""Assessment services: weights, formulas, missing scores, closing, ranking, interviews."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.assessment.helpers import closed_case, extra_departments, manual_indicators, new_period, score_all
from yifa.assessment import formulas, metrics, services
from yifa.assessment.metrics import MetricResult
from yifa.assessment.models import Category, Indicator, MetricSnapshot, PeriodState, UnitResult
from yifa.audit.models import AuditEvent
from yifa.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_new_period_is_calendar_year_with_default_tree(world):
    p = new_period(world)
    assert (p.start, p.end) == (date(2025, 1, 1), date(2025, 12, 31))
    tree = services.tree_of(p)
    assert services.tree_errors(tree) == []
    sup = next(c for c in tree if c.name == "监督结果")
    assert sup.weight == Decimal("20")
    units = {u.pk for u in services.assessed_units(p)}
    assert units == {world.dept_a.pk, world.dept_b.pk, world.town_a.pk, world.town_b.pk}
    assert AuditEvent.objects.filter(action="assessment.period.create", object_id=str(p.pk)).exists()


def test_only_supervisors_create_periods(world):
    with pytest.raises(PermissionDenied):
        services.create_period(actor=world.dept_a_legal, org=world.county, year=2025)
    with pytest.raises(PermissionDenied):  # a township's supervisor role does not reach the county
        services.create_period(actor=world.walker_a, org=world.county, year=2025)


def test_weights_must_sum_to_100_per_level(world):
    p = new_period(world)
    tree = services.tree_of(p)
    cats = {c.pk: str(c.weight) for c in tree}
    first = tree[0]
    cats[first.pk] = str(first.weight - 5)
    with pytest.raises(DomainError) as exc:
        services.set_weights(actor=world.supervisor, period=p, categories=cats, indicators={})
    assert "一级指标权重合计为 95%，应为 100%" in exc.value.message
    assert Category.objects.get(pk=first.pk).weight == first.weight  # nothing saved
    ind = first.indicators.all()[0]
    with pytest.raises(DomainError) as exc:
        services.set_weights(actor=world.supervisor, period=p, categories={}, indicators={ind.pk: str(ind.weight - 10)})
    assert f"一级指标“{first.name}”下各二级指标权重合计为 90%，应为 100%" in exc.value.message
    # a rebalance that sums to 100 at both levels is saved
    second = tree[1]
    cats = {first.pk: str(first.weight + 5), second.pk: str(second.weight - 5)}
    services.set_weights(actor=world.supervisor, period=p, categories=cats, indicators={})
    assert Category.objects.get(pk=first.pk).weight == first.weight + 5
    # computing is refused while the tree is off (a new category with weight 0 keeps it valid)
    services.add_category(actor=world.supervisor, period=p, name="新增指标")
    p.refresh_from_db()
    assert any("下没有二级指标" in e for e in services.tree_errors(services.tree_of(p)))
    with pytest.raises(DomainError):
        services.compute_period(actor=world.supervisor, period=p)


def test_formulas():
    r = MetricResult(value=Decimal("0.8"), numerator=8, denominator=10)
    assert formulas.score("rate", {}, Decimal("10"), r)[0] == Decimal("8.00")
    # threshold: 95% full, 60% zero, linear between → (0.8-0.6)/(0.35) = 0.5714 → 5.71
    assert formulas.score("threshold", {"target": "0.95", "floor": "0.6"}, Decimal("10"), r)[0] == Decimal("5.71")
    assert formulas.score("threshold", {"target": "0.95", "floor": "0.6"}, Decimal("10"),
                          MetricResult(value=Decimal("0.99")))[0] == Decimal("10.00")
    assert formulas.score("threshold", {"target": "0.95", "floor": "0.6"}, Decimal("10"),
                          MetricResult(value=Decimal("0.5")))[0] == Decimal("0.00")
    # deduction with a floor of 0
    assert formulas.score("deduction", {"per_item": "2"}, Decimal("10"), MetricResult(value=Decimal(3)))[0] == 4
    assert formulas.score("deduction", {"per_item": "2"}, Decimal("10"), MetricResult(value=Decimal(9)))[0] == 0
    # no records: full marks by default, zero when so configured
    empty = MetricResult(value=None, numerator=0, denominator=0)
    assert formulas.score("rate", {}, Decimal("10"), empty)[0] == 10
    assert formulas.score("rate", {"empty": "zero"}, Decimal("10"), empty)[0] == 0
    assert "得分 = 分值 × 按时办结率" in formulas.describe("rate", {}, "按时办结率")
    assert "扣 2 分" in formulas.describe("deduction", {"per_item": "2"}, "错案件数")
    with pytest.raises(DomainError):
        formulas.validate("threshold", {"target": "0.5", "floor": "0.6"})


def test_on_time_metric_counts_closed_cases_with_drilldown(world):
    closed_case(world.dept_a, on_time=True, closed_on=date(2025, 3, 1))
    closed_case(world.dept_a, on_time=False, closed_on=date(2025, 4, 1))
    closed_case(world.dept_a, on_time=False, closed_on=date(2024, 12, 1))  # another period
    r = metrics.compute("enforcement.on_time_rate", world.dept_a, date(2025, 1, 1), date(2025, 12, 31))
    assert (r.numerator, r.denominator, r.value) == (1, 2, Decimal("0.5"))
    assert r.drilldown_url.startswith("/assessment/metrics/records/?metric=enforcement.on_time_rate")
    rows = metrics.get("enforcement.on_time_rate").records(world.dept_a, date(2025, 1, 1), date(2025, 12, 31))
    assert [x["counted"] for x in rows] == [True, False]
    assert metrics.compute("enforcement.on_time_rate", world.dept_b, date(2025, 1, 1), date(2025, 12, 31)).value is None


def test_external_metric_absent_is_unavailable_never_a_number():
    fn, res = metrics._lazy("yifa.no_such_app.selectors", "whatever_metrics", "某模块")
    assert fn is None and not res.available and res.value is None
    assert "暂不可用" in res.reason
    data, res = metrics._fetch("yifa.assessment.formulas", "no_such_function", "某模块", None, None, None, ())
    assert data is None and "尚未提供" in res.reason
    assert metrics.compute("no.such.metric", None, None, None).available is False


def test_unavailable_metric_waits_for_a_manual_score(world, monkeypatch):
    p = new_period(world)
    monkeypatch.setattr(metrics.REGISTRY["review.adoption_rate"], "compute",
                        lambda org, s, e: MetricResult.unavailable("暂不可用：测试"))
    score_all(world, p, {})
    res = services.evaluate(p)
    assert not res["complete"]
    assert all([i.metric_code for i in r["missing"]] == ["review.adoption_rate"] for r in res["units"])
    ind = Indicator.objects.get(category__period=p, metric_code="review.adoption_rate")
    for u in services.assessed_units(p):
        services.set_manual_score(actor=world.supervisor, period=p, indicator=ind, org=u, score="10",
                                  evidence="线下材料")
    assert services.evaluate(p)["complete"]
    # an available metric cannot be overridden by hand
    other = Indicator.objects.get(category__period=p, metric_code="enforcement.on_time_rate")
    with pytest.raises(DomainError):
        services.set_manual_score(actor=world.supervisor, period=p, indicator=other, org=world.dept_a, score="1",
                                  evidence="x")


def test_manual_score_validation(world):
    p = new_period(world)
    ind = manual_indicators(p)[0]
    points = services.points_of(ind)
    with pytest.raises(DomainError) as exc:
        services.set_manual_score(actor=world.supervisor, period=p, indicator=ind, org=world.dept_a,
                                  score=points + 1, evidence="x")
    assert "得分应在" in exc.value.message
    with pytest.raises(DomainError):
        services.set_manual_score(actor=world.supervisor, period=p, indicator=ind, org=world.dept_a, score="1",
                                  evidence="  ")
    with pytest.raises(DomainError):  # the county supervision office is not an assessed unit
        services.set_manual_score(actor=world.supervisor, period=p, indicator=ind, org=world.supervision_office,
                                  score="1", evidence="x")
    with pytest.raises(PermissionDenied):
        services.set_manual_score(actor=world.leader, period=p, indicator=ind, org=world.dept_a, score="1",
                                  evidence="x")


def test_missing_manual_scores_are_listed_not_totalled(world):
    p = new_period(world)
    manual = manual_indicators(p)
    services.set_manual_score(actor=world.supervisor, period=p, indicator=manual[0], org=world.dept_a, score="4",
                              evidence="已评")
    summary = services.compute_period(actor=world.supervisor, period=p)
    assert not summary["complete"]
    assert summary["missing"] == 4 * len(manual) - 1
    a = UnitResult.objects.get(period=p, org=world.dept_a)
    assert a.total is None and a.rank is None and a.missing_count == len(manual) - 1
    missing = [s.indicator for s in a.scores.filter(missing=True)]
    assert missing == manual[1:]
    assert not UnitResult.objects.filter(period=p, bottom=True).exists()


def test_ranking_and_bottom_three(world):
    extra = extra_departments(world, 2)  # six units
    p = new_period(world)
    order = [world.dept_a, world.dept_b, world.town_a, world.town_b] + extra
    shares = {u.pk: Decimal("1") - Decimal("0.1") * i for i, u in enumerate(order)}
    score_all(world, p, shares)
    services.compute_period(actor=world.supervisor, period=p)
    results = {r.org_id: r for r in UnitResult.objects.filter(period=p)}
    # (other apps' test records in the sibling townships move their platform scores too)
    ranked = sorted(results.values(), key=lambda r: r.rank)
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5, 6]
    assert [r.total for r in ranked] == sorted((r.total for r in ranked), reverse=True)
    assert {r.org_id for r in ranked if r.bottom} == {r.org_id for r in ranked[3:]}
    # the manual scores alone order the departments without records: 第1局 above 第2局
    assert results[extra[0].pk].total > results[extra[1].pk].total
    # the total is the sum of the indicator scores, each with its drill-down where computed
    r = results[world.dept_a.pk]
    assert r.total == sum(s.score for s in r.scores.all())
    assert r.scores.filter(source="metric").exclude(drilldown_url="").exists()


def test_rank_ties_share_a_rank_and_the_bottom_boundary():
    class O:
        def __init__(self, p):
            self.path = p

    rows = [{"org": O(str(i)), "total": Decimal(t), "missing": []} for i, t in enumerate([90, 80, 80, 70, 70, 60])]
    services.rank_units(rows, True)
    assert [r["rank"] for r in rows] == [1, 2, 2, 4, 4, 6]
    assert [r["bottom"] for r in rows] == [False, False, False, True, True, True]
    rows = [{"org": O(str(i)), "total": Decimal(t), "missing": []} for i, t in enumerate([90, 80, 70, 70, 70])]
    services.rank_units(rows, True)
    assert [r["bottom"] for r in rows] == [False, False, True, True, True]


def test_closed_period_recomputes_to_the_same_result(world):
    for d in (1, 2, 3):
        closed_case(world.dept_a, on_time=True, closed_on=date(2025, 3, d))
    closed_case(world.dept_a, on_time=False, closed_on=date(2025, 4, 1))
    p = new_period(world)
    score_all(world, p, {world.dept_b.pk: Decimal("0.5")})
    with pytest.raises(PermissionDenied):
        services.close_period(actor=world.leader, period=p)
    services.close_period(actor=world.supervisor, period=p)
    p.refresh_from_db()
    assert p.state == PeriodState.CLOSED and set(p.frozen_units) == {world.dept_a.pk, world.dept_b.pk,
                                                                      world.town_a.pk, world.town_b.pk}
    snap = MetricSnapshot.objects.get(period=p, org=world.dept_a, metric_code="enforcement.on_time_rate")
    assert (snap.numerator, snap.denominator) == (3, 4)
    before = {r.org_id: (r.total, r.rank) for r in UnitResult.objects.filter(period=p)}
    scores_before = sorted(UnitResult.objects.get(period=p, org=world.dept_a).scores.values_list("indicator",
                                                                                                 "score"))
    # the records change after closing: three more late cases for dept_a
    for m in (5, 6, 7):
        closed_case(world.dept_a, on_time=False, closed_on=date(2025, m, 1))
    live = metrics.compute("enforcement.on_time_rate", world.dept_a, p.start, p.end)
    assert live.denominator == 7
    services.compute_period(actor=world.supervisor, period=p)
    after = {r.org_id: (r.total, r.rank) for r in UnitResult.objects.filter(period=p)}
    assert after == before
    assert sorted(UnitResult.objects.get(period=p, org=world.dept_a).scores.values_list("indicator", "score")) == \
        scores_before
    # and frozen inputs cannot be edited
    ind = manual_indicators(p)[0]
    with pytest.raises(DomainError):
        services.set_manual_score(actor=world.supervisor, period=p, indicator=ind, org=world.dept_a, score="1",
                                  evidence="x")
    with pytest.raises(DomainError):
        services.set_weights(actor=world.supervisor, period=p, categories={}, indicators={})
    # control: an open period over the same year sees the new records
    p2 = services.create_period(actor=world.supervisor, org=world.county, start=p.start, end=p.end, name="对照")
    score_all(world, p2, {world.dept_b.pk: Decimal("0.5")})
    services.compute_period(actor=world.supervisor, period=p2)
    assert UnitResult.objects.get(period=p2, org=world.dept_a).total < before[world.dept_a.pk][0]


def test_close_refused_while_scores_are_missing(world):
    p = new_period(world)
    with pytest.raises(DomainError) as exc:
        services.close_period(actor=world.supervisor, period=p)
    assert "仍有评分缺失" in exc.value.message and world.dept_a.name in exc.value.message
    p.refresh_from_db()
    assert p.state == PeriodState.OPEN


def test_interviews_only_for_the_bottom_three(world):
    extra = extra_departments(world, 2)
    p = new_period(world)
    order = [world.dept_a, world.dept_b, world.town_a, world.town_b] + extra
    score_all(world, p, {u.pk: Decimal("1") - Decimal("0.1") * i for i, u in enumerate(order)})
    services.compute_period(actor=world.supervisor, period=p)
    bottom = UnitResult.objects.filter(period=p, bottom=True).select_related("org").first().org
    top = UnitResult.objects.get(period=p, rank=1).org
    with pytest.raises(DomainError):
        services.record_interview(actor=world.supervisor, period=p, org=top, held_on=date(2026, 1, 20),
                                  interviewers="副县长", unit_head="张局长", summary="约谈")
    iv = services.record_interview(actor=world.supervisor, period=p, org=bottom, held_on=date(2026, 1, 20),
                                   interviewers="副县长", unit_head="张局长", summary="指出问题",
                                   follow_up="限期整改", follow_up_due=date(2026, 2, 20))
    assert iv.org == bottom
    assert AuditEvent.objects.filter(action="assessment.interview.record", object_id=str(iv.pk)).exists()
    with pytest.raises(DomainError):
        services.record_interview(actor=world.supervisor, period=p, org=bottom, held_on=date(2026, 1, 20),
                                  interviewers="副县长", unit_head="张局长", summary="x",
                                  follow_up_due=date(2026, 1, 1))


def test_todos_for_interviews(world):
    from tests.conftest import make_user
    from yifa.assessment.todos import assessment_todos
    from yifa.orgs.models import Role

    extra = extra_departments(world, 2)
    p = new_period(world)
    order = [world.dept_a, world.dept_b, world.town_a, world.town_b] + extra
    score_all(world, p, {u.pk: Decimal("1") - Decimal("0.1") * i for i, u in enumerate(order)})
    services.compute_period(actor=world.supervisor, period=p)
    bottom = [r.org for r in UnitResult.objects.filter(period=p, bottom=True).select_related("org")]
    titles = [t.title for t in assessment_todos(world.supervisor)]
    assert sorted(titles) == sorted(f"待约谈：{o.name}（{p.name}排名后三位）" for o in bottom)
    head = make_user("t_bottom_head", bottom[0], [Role.OFFICER], "后三名单位负责人")
    assert len(assessment_todos(head)) == 1
    services.record_interview(actor=world.supervisor, period=p, org=bottom[0], held_on=date(2026, 1, 20),
                              interviewers="副县长", unit_head="张局长", summary="约谈")
    assert len(assessment_todos(world.supervisor)) == len(bottom) - 1
    assert assessment_todos(head) == []


def test_add_and_update_indicators_validate_formula_against_metric(world):
    p = new_period(world)
    cat = services.tree_of(p)[0]
    with pytest.raises(DomainError):  # deduction only fits a count metric
        services.add_indicator(actor=world.supervisor, category=cat, name="x", kind="metric",
                               metric_code="enforcement.on_time_rate", formula="deduction", params={"per_item": "1"})
    with pytest.raises(DomainError):
        services.add_indicator(actor=world.supervisor, category=cat, name="x", kind="metric",
                               metric_code="no.such", formula="rate")
    ind = services.add_indicator(actor=world.supervisor, category=cat, name="投诉按时答复", kind="metric",
                                 metric_code="complaints.on_time_rate", formula="threshold",
                                 params={"target": "0.9", "floor": "0.5"})
    assert ind.weight == 0 and ind.params == {"empty": "full", "target": "0.9", "floor": "0.5"}
    assert services.tree_errors(services.tree_of(p)) == []  # weight 0 keeps the sums
    services.update_indicator(actor=world.supervisor, indicator=ind, name="改为人工", kind="manual")
    ind.refresh_from_db()
    assert (ind.kind, ind.formula, ind.metric_code) == ("manual", "manual", "")
