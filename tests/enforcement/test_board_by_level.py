"""The monitoring board groups units one level below the board's unit (a province lists
its counties, a county its departments and townships), so its size follows the tree's
fan-out, not the number of units; a unit's own cases show as 本级; drilling in shows the
next level."""

from datetime import date, timedelta

import pytest

from yifa.enforcement import selectors, services
from yifa.enforcement.models import Case, EnforcementItem, OnTimeRollup

TODAY = date(2026, 11, 28)

pytestmark = pytest.mark.django_db


def _open(world, org, n, *, due_in):
    item = EnforcementItem.objects.get_or_create(org=world.dept_a, code="LEVEL-1", defaults={
        "name": "逐级看板测试事项", "category": "penalty", "legal_basis": "《产品质量法》第四十九条"})[0]
    for i in range(n):
        Case.objects.create(org=org, case_no=f"测级〔2026〕{org.pk}-{i}-{due_in}号", title="逐级看板测试", item=item,
                            party_name="王五", party_kind="individual", filed_on=TODAY - timedelta(days=20),
                            state="investigating", is_open=True, due=TODAY + timedelta(days=due_in),
                            source_case_no=f"LEVEL-{org.pk}-{i}-{due_in}")


def _rows(board):
    return {(r["org"].name, r["own"]): (r["total"], r["red"]) for r in board["by_org"]}


def test_county_board_lists_the_next_level_and_drills_down(world):
    _open(world, world.dept_a, 2, due_in=30)
    _open(world, world.dept_a_unit, 3, due_in=-2)  # overdue, in the department's sub-unit
    _open(world, world.town_a, 1, due_in=30)
    services.rebuild_open_load(TODAY)
    county = selectors.board(world.supervisor, TODAY, org=world.county)
    rows = _rows(county)
    # the sub-unit's cases are counted under its department: one row per branch
    assert rows[(world.dept_a.name, False)] == (5, 3)
    assert rows[(world.town_a.name, False)][0] >= 1
    assert not any(name == world.dept_a_unit.name for name, _ in rows)
    assert county["totals"]["total"] == sum(r["total"] for r in county["by_org"])

    dept = _rows(selectors.board(world.supervisor, TODAY, org=world.dept_a))
    assert dept == {(world.dept_a.name, True): (2, 0), (world.dept_a_unit.name, False): (3, 3)}


def test_on_time_rate_by_branch(world):
    OnTimeRollup.objects.create(org=world.dept_a, month=date(2026, 10, 1), closed=4, on_time=4)
    OnTimeRollup.objects.create(org=world.dept_a_unit, month=date(2026, 10, 1), closed=6, on_time=3)
    rates = {r["org_name"]: (r["closed"], r["rate"]) for r in
             selectors.on_time_by_org(world.supervisor, org=world.county)}
    assert rates[world.dept_a.name] == (10, 70.0)
    assert world.dept_a_unit.name not in rates
    inside = {r["org_name"]: r["rate"] for r in selectors.on_time_by_org(world.supervisor, org=world.dept_a)}
    assert inside == {f"{world.dept_a.name}（本级）": 100.0, world.dept_a_unit.name: 50.0}


def test_outside_the_scope_the_board_stays_at_the_scope(world):
    _open(world, world.dept_b, 1, due_in=30)
    services.rebuild_open_load(TODAY)
    # a department's legal officer asking for the county sees their own department only
    rows = _rows(selectors.board(world.dept_a_legal, TODAY, org=world.county))
    assert all(name in (world.dept_a.name, world.dept_a_unit.name) for name, _ in rows)
