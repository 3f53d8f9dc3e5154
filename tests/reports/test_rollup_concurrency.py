"""Two rollup rebuilds at once (`yifa rollups` beside the sweep, or two sweep runs after a
slow one): the second waits for the first and finds nothing left to write, instead of
failing on the rows the first inserted."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from tests.concurrency import run_at_once
from yifa.enforcement.models import Case, EnforcementItem
from yifa.reports.models import FigureRollup
from yifa.reports.services import rebuild_rollups

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite", reason="concurrent writers need PostgreSQL"),
]
TODAY = date(2026, 11, 28)


def test_a_second_rebuild_waits_for_the_first(world):
    item = EnforcementItem.objects.create(org=world.dept_a, code="ROLLUP-C", name="并发汇总测试事项",
                                          category="penalty", legal_basis="《产品质量法》第四十九条")
    for n, day in enumerate((date(2026, 3, 5), date(2026, 6, 9)), start=1):
        Case.objects.create(org=world.dept_a, case_no=f"测并〔2026〕{n}号", title=f"并发汇总 {n}", item=item,
                            party_name="李四", party_kind="individual", filed_on=day, state="filed",
                            source_case_no=f"ROLLUP-C-{n}")

    def first(gate):
        with transaction.atomic():  # holds its rows uncommitted while the second starts
            counts = rebuild_rollups(since=date(2025, 1, 1), today=TODAY)
            gate.set()
            time.sleep(1.0)
        return counts

    outcome = run_at_once(first, lambda: rebuild_rollups(since=date(2025, 1, 1), today=TODAY),
                          gate=threading.Event())
    assert isinstance(outcome["first"], dict) and outcome["first"]["created"] > 0, outcome
    assert outcome["second"] == {"created": 0, "updated": 0, "deleted": 0}, outcome
    assert FigureRollup.objects.filter(org=world.dept_a, code="monitoring.cases_filed", month=date(2026, 3, 1)).exists()
