"""Cases whose deadlines reach a year without a holiday notice: filed, accepted, seized and
served in late December with provisional deadlines (never refused, never dropped); the
case's own due columns follow the recomputation when the year is entered; the sweep's
catch-up starts what cases recorded before this rule still lack. The clock is frozen at
20 December of the seeded calendar's last complete year, not the real date."""

from datetime import date
from decimal import Decimal

import pytest

from tests.clock import frozen, last_complete_year
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.enforcement import services
from yifa.enforcement.models import Case
from yifa.enforcement.sweep import sweep_publicity

pytestmark = pytest.mark.django_db


@pytest.fixture
def december():
    day = date(last_complete_year(), 12, 20)
    with frozen(day):
        yield day


def _file(world, lib, **kw):
    data = dict(actor=world.officer_a, org=world.dept_a, item=lib.item, title="近期立案", party_name="周九",
                officers=[lib.o1, lib.o2])
    data.update(kw)
    return services.file_case(**data)


def test_filing_in_december_starts_a_provisional_deadline_that_follows_the_notice(world, lib, december, client_for):
    from yifa.deadlines.services import add_holiday_days

    case = _file(world, lib)
    case.refresh_from_db()
    (d,) = deadlines_for_owner(case)
    assert d.rule.code == "penalty.decision" and d.provisional and d.waiting_for_year == december.year + 1
    assert (case.due, case.due_provisional) == (d.due, True)
    officer = client_for(world.officer_a)
    assert "暂定" in officer.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "暂定" in officer.get("/enforcement/").content.decode()
    assert officer.get(f"/api/v1/enforcement/cases/{case.pk}/").json()["due_provisional"] is True
    board = client_for(world.supervisor).get("/enforcement/monitoring/").content.decode()
    assert 'id="board-provisional"' in board and "届满日为暂定" in board
    drill = client_for(world.supervisor).get("/enforcement/monitoring/cases/?provisional=1").content.decode()
    assert case.case_no in drill and "暂定" in drill
    # the year is entered (a test fixture, not a real notice): the provisional due day becomes a day off
    provisional_due = d.due
    saturday = next(date(d.due.year, 2, n) for n in range(14, 21) if date(d.due.year, 2, n).weekday() == 5)
    add_holiday_days(actor=world.admin, complete_years=[d.due.year], rows=[
        {"date": provisional_due, "kind": "holiday", "name": "测试假日", "source": "测试"},
        {"date": saturday, "kind": "makeup_workday", "name": "测试调休", "source": "测试"}])
    case.refresh_from_db()
    d.refresh_from_db()
    assert not d.provisional and d.due > provisional_due
    assert (case.due, case.due_provisional) == (d.due, False)


def test_acceptance_seizure_and_service_in_december_are_never_refused(world, lib, december):
    permit = _file(world, lib, case_type="permit", title="许可申请")
    services.move_case(permit, "accept", actor=world.officer_a)
    assert deadlines_for_owner(permit).get(rule__code="permit.decision").provisional

    seizure = _file(world, lib, case_type="coercion", title="查封")
    services.move_case(seizure, "seize", actor=world.officer_a)
    assert deadlines_for_owner(seizure).get(rule__code="coercion.seizure").provisional

    fine = _file(world, lib, title="罚款案", filed_on=date(december.year, 11, 2), sanction="fine",
                 amount=Decimal("5000"))
    services.move_case(fine, "investigate", actor=world.officer_a, on=date(december.year, 11, 3))
    services.move_case(fine, "notify", actor=world.officer_a, on=date(december.year, 11, 20))
    services.move_case(fine, "decide", actor=world.officer_a, on=date(december.year, 12, 10))
    services.move_case(fine, "serve", actor=world.officer_a, on=december)
    payment = deadlines_for_owner(fine).get(rule__code="penalty.payment")  # 15 CD into January: never skipped
    assert payment.provisional and payment.due.year == december.year + 1


def test_sweep_catches_up_cases_recorded_without_their_deadlines(world, lib, december):
    filed = _file(world, lib, title="旧数据：缺少办案期限")
    served = _file(world, lib, title="旧数据：缺少缴纳期限", filed_on=date(december.year, 11, 2), sanction="fine",
                   amount=Decimal("5000"))
    for step, day in (("investigate", 3), ("notify", 20)):
        services.move_case(served, step, actor=world.officer_a, on=date(december.year, 11, day))
    services.move_case(served, "decide", actor=world.officer_a, on=date(december.year, 12, 10))
    services.move_case(served, "serve", actor=world.officer_a, on=december)
    # as a case recorded before provisional deadlines existed would be: no deadline at all
    deadlines_for_owner(filed).delete()
    deadlines_for_owner(served).filter(rule__code="penalty.payment").delete()
    Case.objects.filter(pk=filed.pk).update(due=None, yellow_from=None, due_rule="")
    assert sweep_publicity(december)["pending_deadlines_started"] >= 2  # (the world has scoping cases too)
    assert deadlines_for_owner(filed).get(rule__code="penalty.decision").provisional
    assert deadlines_for_owner(served).get(rule__code="penalty.payment").provisional
    filed.refresh_from_db()
    assert filed.due is not None and filed.due_provisional
    assert sweep_publicity(december)["pending_deadlines_started"] == 0  # idempotent


def test_todo_lists_my_red_case(world, lib):
    from yifa.core.todos import todos_for

    services.file_case(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=date(2026, 8, 3),
                       title="我的超期案件", party_name="吴十", officers=[lib.o1, lib.o2])
    todos = [t for t in todos_for(world.officer_a) if t.module == "行政执法"]
    assert todos and todos[0].level == "red" and "我的超期案件" in todos[0].title
