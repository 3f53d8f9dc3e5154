"""An officer's case appears once on the home page — the case's own to-do, in words, with
the urgency of its tracked deadlines — not again as a bare deadline with a rule code."""

from datetime import date

import pytest

from yifa.core import clock
from yifa.core.todos import todos_for
from yifa.deadlines.models import TrackedDeadline
from yifa.enforcement import services

pytestmark = pytest.mark.django_db


def test_case_and_its_deadlines_are_one_todo_in_words(world, lib):
    case = services.file_case(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=date(2026, 8, 3),
                              title="销售过期食品", party_name="吴十", officers=[lib.o1, lib.o2])
    deadlines = TrackedDeadline.objects.filter(owner_type="enforcement.case", owner_id=str(case.pk),
                                               handler=world.officer_a)
    assert deadlines.exists()  # the deadlines provider has rows for this case too
    todos = [t for t in todos_for(world.officer_a) if case.case_no in t.title or "销售过期食品" in t.title]
    assert len(todos) == 1
    t = todos[0]
    assert t.module == "行政执法" and t.url.endswith(f"/enforcement/cases/{case.pk}/")
    assert "吴十" in t.title and "销售过期食品" in t.title and "." not in t.title.split("：")[-1]
    case.refresh_from_db()
    days = (clock.today() - case.due).days
    assert t.level == "red" and t.when == f"已超期 {days} 天"


def test_a_deadline_without_its_record_todo_still_shows(world, lib):
    case = services.file_case(actor=world.officer_a, org=world.dept_a, item=lib.item, filed_on=date(2026, 8, 3),
                              title="无证经营", party_name="郑十一", officers=[lib.o1, lib.o2])
    # the case is handed to another officer; the deadline still names officer_a
    from yifa.enforcement.models import Case

    Case.objects.filter(pk=case.pk).update(handler=world.dept_a_legal)
    mine = [t for t in todos_for(world.officer_a) if "无证经营" in t.title]
    assert mine and all(t.module == "法定期限" for t in mine)
