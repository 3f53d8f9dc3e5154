"""The evaluator's files to score are one grouped to-do per campaign, with the count."""

import pytest

from tests.evaluation.test_services import started
from yifa.core.todos import todo_groups, todos_for
from yifa.supervision.evaluation.selectors import pending_files_for

pytestmark = pytest.mark.django_db


def test_files_to_score_collapse_into_one_row_with_count(world, closed_cases):
    c = started(world, closed_cases)
    n = pending_files_for(world.dept_a_legal).count()
    assert n >= 2
    rows = [t for t in todos_for(world.dept_a_legal) if t.module == "案卷评查"]
    assert len(rows) == 1
    assert rows[0].count == n and f"{n} 份案卷待您评分" in rows[0].title and c.title in rows[0].title
    first = pending_files_for(world.dept_a_legal).order_by("seq").first()
    assert rows[0].url.endswith(f"/files/{first.pk}/")
    group = next(g for g in todo_groups(world.dept_a_legal) if g.title == "案卷评查")
    assert group.total == n and group.normal == n  # the count, not the number of rows
    assert not [t for t in todos_for(world.dept_b_legal) if t.module == "案卷评查"]  # not an evaluator
