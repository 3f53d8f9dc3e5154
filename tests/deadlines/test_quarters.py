"""Quarterly duties fall due on the quarter's last working day, counted back over rest days
and public holidays with the holiday table."""

from datetime import date

import pytest

from yifa.deadlines import quarters

pytestmark = pytest.mark.django_db


def test_last_working_day_counts_back_over_holidays_and_weekends():
    # 2023 Q3 ends on Saturday 30 September, inside the Mid-Autumn/National Day break that
    # began on Friday 29 September: the last working day is Thursday 28 September
    assert quarters.last_working_day(2023, 3) == date(2023, 9, 28)
    # 2024 Q2 ends on a Sunday: Friday 28 June
    assert quarters.last_working_day(2024, 2) == date(2024, 6, 28)
    # 2025 Q3 ends on a Tuesday, a working day before the holiday: itself
    assert quarters.last_working_day(2025, 3) == date(2025, 9, 30)


def test_missing_quarters():
    today = date(2023, 9, 1)
    got = quarters.missing(today, held=set())
    assert [(m.year, m.quarter, m.past, m.due) for m in got] == [(2023, 2, True, date(2023, 6, 30)),
                                                               (2023, 3, False, date(2023, 9, 28))]
    assert got[1].label == "2023年第三季度"
    # early in a quarter only the last one is reminded of; a held quarter never
    assert [(m.year, m.quarter) for m in quarters.missing(date(2023, 7, 3), set())] == [(2023, 2)]
    assert quarters.missing(date(2023, 9, 1), {(2023, 2), (2023, 3)}) == []
    # across the year: in January the fourth quarter of the year before
    assert [(m.year, m.quarter) for m in quarters.missing(date(2024, 1, 10), set())] == [(2023, 4)]
