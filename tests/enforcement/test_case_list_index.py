"""The case list's default ordering (filed_on, id) has an index that serves it both ways
(a province-wide list's first page is an index walk, not a sort of every case)."""

import pytest
from django.db import connection

from yifa.enforcement.models import Case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("order", [("-filed_on", "-id"), ("filed_on", "id")])
def test_case_list_ordering_walks_the_filed_index(world, order):
    if connection.vendor == "postgresql":
        # a test table of a few rows is cheaper to scan and sort: ask whether the index can
        # serve the ordering, as the planner chooses on a large table
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("SET LOCAL enable_sort = off")
    plan = Case.objects.order_by(*order)[:20].explain()
    assert "enf_case_filed_id" in plan and "TEMP B-TREE" not in plan.upper(), plan
