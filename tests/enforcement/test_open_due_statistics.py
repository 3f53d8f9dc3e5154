"""PostgreSQL keeps joint statistics on (is_open, due): without them the planner multiplies
two fully correlated selectivities and counts a province's overdue list by sorting every
overdue case (migration 0020)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="extended statistics are PostgreSQL's"),
]


def test_the_cases_carry_joint_statistics_on_is_open_and_due():
    with connection.cursor() as cur:
        cur.execute("""
            SELECT s.stxkind, array(SELECT a.attname FROM unnest(s.stxkeys) k
                                    JOIN pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = k ORDER BY a.attname)
            FROM pg_statistic_ext s WHERE s.stxname = 'enf_case_open_due'
              AND s.stxrelid = 'enforcement_case'::regclass""")
        rows = cur.fetchall()
    assert len(rows) == 1
    kinds, columns = rows[0]
    assert "m" in kinds  # most common values: estimates of is_open AND due < x together
    assert columns == ["due", "is_open"]
