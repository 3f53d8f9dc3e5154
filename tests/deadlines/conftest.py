"""Fixtures of the deadlines tests. The county (`world`) comes from tests/conftest.py."""

import pytest

from yifa.deadlines import engine


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test sees the holiday table as its own transaction left it."""
    engine.invalidate_calendar_cache()
    yield
    engine.invalidate_calendar_cache()


@pytest.fixture(scope="session")
def seeded_calendar(django_db_setup, django_db_blocker):
    """The seeded holiday table of 2023–2026 as an in-memory calendar (no DB in the test)."""
    from yifa.deadlines.models import HolidayDay

    with django_db_blocker.unblock():
        days = {d: (k, n) for d, k, n in
                HolidayDay.objects.filter(year__range=(2023, 2026)).values_list("date", "kind", "name")}
    return engine.Calendar.from_days(days, range(2023, 2027))
