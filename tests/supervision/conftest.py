import pytest


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The deadline engine caches holiday years per process and invalidates on commit; a
    test's transaction is rolled back instead, so another app's test may leave a year
    (e.g. 2027) cached. Our tests rely on 2027 being absent: drop the cache around each."""
    from yifa.deadlines.engine import invalidate_calendar_cache

    invalidate_calendar_cache()
    yield
    invalidate_calendar_cache()
