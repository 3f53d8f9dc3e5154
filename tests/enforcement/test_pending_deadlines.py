"""A case filed when its deadline reaches a year without holiday data: the case is filed,
the deadline is not guessed, and the sweep starts it once the year has been entered."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from yifa.deadlines.selectors import deadlines_for_owner
from yifa.enforcement import services
from yifa.enforcement.sweep import sweep_publicity

pytestmark = pytest.mark.django_db


def test_pending_filing_deadline_started_by_sweep(world, lib):
    from yifa.deadlines.services import add_holiday_days

    case = services.file_case(actor=world.officer_a, org=world.dept_a, item=lib.item,
                              filed_on=timezone.localdate(), title="近期立案", party_name="周九",
                              officers=[lib.o1, lib.o2])
    assert case.pending_deadlines and "2027" in case.pending_deadlines[0]
    case.refresh_from_db()
    assert case.due is None and not deadlines_for_owner(case).exists()
    assert sweep_publicity(timezone.localdate())["pending_deadlines_started"] == 0  # still no 2027 data
    add_holiday_days(actor=world.admin, rows=[{"date": date(2027, 1, 1), "kind": "holiday", "name": "元旦",
                                               "source": "测试"}], complete_years=[2027])
    assert sweep_publicity(timezone.localdate())["pending_deadlines_started"] >= 1
    case.refresh_from_db()
    assert case.due_rule == "penalty.decision" and case.due > timezone.localdate() + timedelta(days=80)
    assert sweep_publicity(timezone.localdate())["pending_deadlines_started"] == 0  # idempotent


def test_todo_lists_my_red_case(world, lib):
    from yifa.core.todos import todos_for

    services.file_case(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=date(2026, 8, 3),
                       title="我的超期案件", party_name="吴十", officers=[lib.o1, lib.o2])
    todos = [t for t in todos_for(world.officer_a) if t.module == "行政执法"]
    assert todos and todos[0].level == "red" and "我的超期案件" in todos[0].title
