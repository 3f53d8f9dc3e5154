"""The board's daily rebuild while a case is being filed: the rebuild waits for the filing
to commit and then counts it, instead of failing on the row the filing created or losing
its counts (found when a sweep part rebuilt the board beside another unit's part that
started a case's deadlines)."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from tests.concurrency import run_at_once
from yifa.enforcement import services
from yifa.enforcement.models import Officer

from .test_rollup_documents_steps import _case, direct_counts, rollup_counts

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite serialises writers for the whole database: there is no race to exercise there
    pytest.mark.skipif(connection.vendor == "sqlite", reason="concurrent writers need PostgreSQL"),
]


def test_rebuild_beside_a_filing_waits_for_it_and_counts_it(world, lib):
    day = date(2026, 11, 28)
    o3 = Officer.objects.create(org=world.dept_a, name="赵执法", certificate_no="T-0004", valid_from=date(2024, 1, 1),
                                valid_to=date(2028, 12, 31))
    _case(world, lib, source_case_no="A-1", officers=[lib.o1, lib.o2])
    services.rebuild_open_load(day)

    def file_second(gate):
        # updates the unit's, the item's and 张执法's rows and creates 赵执法's, then holds
        # its transaction open while the rebuild starts
        with transaction.atomic():
            _case(world, lib, source_case_no="A-2", officers=[lib.o1, o3])
            gate.set()
            time.sleep(1.0)
        return "ok"

    def rebuild():
        services.rebuild_open_load(day)
        return "ok"

    outcome = run_at_once(file_second, rebuild, gate=threading.Event())
    assert outcome == {"first": "ok", "second": "ok"}
    assert rollup_counts() == direct_counts(day)
