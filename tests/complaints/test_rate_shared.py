"""Rate limits of the public complaint forms live in a cache every worker process shares (the
database cache in the embedded default), so neither another process nor a restart resets them."""

import pytest
from django.conf import settings
from django.core.cache import caches

from yifa.supervision.complaints import services

pytestmark = pytest.mark.django_db


def _forget_process_memory():
    """What a restart or another worker process has: no per-process cache contents."""
    from django.core.cache.backends import locmem

    locmem._caches.clear()
    locmem._expire_info.clear()
    locmem._locks.clear()


def test_the_default_cache_is_shared_not_per_process_memory():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    assert "locmem" not in backend and "dummy" not in backend


def test_submission_limit_survives_a_restart_and_is_seen_by_another_connection(world, settings):
    settings.YIFA_COMPLAINT_RATE_PER_HOUR = 3
    ip = "203.0.113.7"
    for _ in range(3):
        services.check_rate(ip)
        services.note_attempt(ip)
    _forget_process_memory()
    # a second cache connection (another worker process) reads the same counter …
    other = caches.create_connection("default")
    assert other.get("complaints:submit:" + ip) == 3
    # … and the limit still holds after the process forgot everything it had in memory
    with pytest.raises(services.RateLimited):
        services.check_rate(ip)
    services.check_rate("203.0.113.8")  # another address is unaffected


def test_counter_written_by_one_connection_limits_the_other(world, settings):
    settings.YIFA_COMPLAINT_QUERY_RATE_PER_HOUR = 2
    ip = "203.0.113.9"
    other = caches.create_connection("default")
    other.set("complaints:query:" + ip, 2, 3600)  # another worker counted two failures
    with pytest.raises(services.RateLimited):
        services.check_rate(ip, "query")
