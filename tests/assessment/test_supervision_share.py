"""The supervision share (20%) counts problems found, not only how many were fixed: a unit
with many problems all fixed does not score the same as a clean unit. The formula is data
with its rationale, copied with the tree."""

from datetime import date
from decimal import Decimal

import pytest

from tests.assessment.helpers import new_period
from yifa.assessment import metrics, services
from yifa.supervision import services as sup

pytestmark = pytest.mark.django_db


def _supervision_rows(result, org):
    row = next(r for r in result["units"] if r["org"] == org)
    return {s["indicator"].name: s for s in row["scores"] if s["indicator"].category.name == "监督结果"}


def test_problems_found_and_fixed_still_cost_points(world):
    w = world
    # dept_a: four problems in 2025 (one raised over the National Day week), all corrected; dept_b: none
    for i, day in enumerate((date(2025, 3, 3), date(2025, 5, 6), date(2025, 9, 30), date(2025, 10, 8))):
        f = sup.raise_finding(actor=w.supervisor, org=w.dept_a, category="procedure", description=f"问题{i}", on=day)
        sup.correct_finding(actor=w.dept_a_legal, finding=f, evidence="已整改", on=day)
    assert metrics.compute("supervision.findings_raised", w.dept_a, date(2025, 1, 1), date(2025, 12, 31)).value == 4
    period = new_period(w)
    result = services.evaluate(period)
    a, b = _supervision_rows(result, w.dept_a), _supervision_rows(result, w.dept_b)
    # fixing everything gives full marks on the two correction indicators for both …
    for name in ("监督发现问题整改率", "监督意见书整改率"):
        assert a[name]["score"] == b[name]["score"] == a[name]["points"]
    # … but the problems found cost dept_a 4 × 0.5 of the 8 points of "监督发现问题扣分"
    assert a["监督发现问题扣分"]["points"] == Decimal("8.00")
    assert a["监督发现问题扣分"]["score"] == Decimal("6.00") and b["监督发现问题扣分"]["score"] == Decimal("8.00")
    assert sum(r["score"] for r in a.values()) < sum(r["score"] for r in b.values())
    # the formula is data, with its rationale, and a copied period keeps both
    ind = next(i for c in services.tree_of(period) for i in c.indicators.all() if i.name == "监督发现问题扣分")
    assert (ind.formula, ind.params) == ("deduction", {"per_item": "0.5"})
    assert "得分相同" in ind.rationale
    copy = services.create_period(actor=w.supervisor, org=w.county, year=2026, copy_from=period)
    again = next(i for c in services.tree_of(copy) for i in c.indicators.all() if i.name == "监督发现问题扣分")
    assert again.rationale == ind.rationale and again.params == ind.params


def test_tree_page_shows_the_rationale(world, client_for):
    period = new_period(world)
    html = client_for(world.supervisor).get(f"/assessment/periods/{period.pk}/indicators/").content.decode()
    assert "计分依据" in html and "监督结果占考核分值的20%" in html
