"""Report reads on a read replica, with read-your-writes for the user who just wrote.

Active only when `DATABASE_REPLICA_URL` is set (settings then add the `replica` alias, this
router and `ReplicaPinMiddleware`); without it nothing here changes where a query goes.

Which reads go to the replica — an opt-in per view, never a guess:
- A view decorated with `@replica_reads` (the leader dashboard, its drill-down and export,
  the annual report, statistics pages and their exports, every portal page through
  `portal.caching.public_page`) runs its ORM reads on the replica. Code outside a view (a
  command, a task) may use `with report_reads():`.
- Only yifa's own domain tables are read there. Sessions, users, role assignments, API
  tokens, login-failure records, the cache table and every non-yifa app stay on the primary:
  authentication and permissions are never judged on data a few seconds old.
- A read inside a transaction on the primary stays on the primary (it must see what the
  transaction wrote).

Read-your-writes: a request that writes (any method other than GET/HEAD/OPTIONS/TRACE, or
any ORM write of a domain table, whatever the method) gets a cookie `yifa_primary` that
pins that browser to the primary for `YIFA_REPLICA_PIN_SECONDS` (default 10 s, above the
replica's normal lag); within the same request a write pins the rest of it at once. The
cookie holds only an expiry time: a client that forges it merely reads from the primary.

A replica that cannot be reached does not take the reports down: `run_report` (behind
`@replica_reads` and the portal's pages) runs a report that failed on a connection error once
more on the primary, and skips an unreachable replica for 30 s. Lag beyond the pin window is
not measured: a report may be that many seconds old.

Writes never go to the replica: `db_for_write` is always the primary; migrations run only
on the primary; relations between objects of the two aliases are allowed (same data).
Raw SQL through `django.db.connection` is the primary's as before.
"""

import contextvars
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "yifa_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

# Models whose reads stay on the primary even in a report view (authentication, permissions).
PRIMARY_ONLY_MODELS = {"orgs.user", "orgs.roleassignment", "orgs.apitoken"}
# Writes that do not pin the user: bookkeeping every request may do.
NON_PINNING_APPS = {"sessions", "django_cache", "axes"}


@dataclass
class _State:
    report: bool = False  # inside a @replica_reads view / report_reads() block
    pinned: bool = False  # the client wrote a moment ago (cookie) or this request wrote
    wrote: bool = False  # this request wrote a domain table


_state: contextvars.ContextVar[_State | None] = contextvars.ContextVar("yifa_replica_state", default=None)


def pin_seconds() -> int:
    return int(getattr(settings, "YIFA_REPLICA_PIN_SECONDS", 10))


@contextmanager
def report_reads(*, pinned: bool = False):
    """ORM reads of domain tables inside the block may go to the replica (unless pinned)."""
    state = _state.get()
    token = None
    if state is None:
        state = _State(pinned=pinned)
        token = _state.set(state)
    before = state.report, state.pinned
    state.report, state.pinned = True, state.pinned or pinned
    try:
        yield state
    finally:
        state.report, state.pinned = before
        if token is not None:
            _state.reset(token)


# A replica that cannot be reached is skipped (per process) for this long; reports then read the
# primary instead of failing.
REPLICA_RETRY_SECONDS = 30
_replica_down_until = 0.0


def replica_down() -> bool:
    return time.monotonic() < _replica_down_until


def _configured_replica() -> str | None:
    from django.db import router

    for r in router.routers:
        if isinstance(r, ReplicaRouter):
            return r.replica
    return None


def _replica_unreachable(alias: str) -> bool:
    conn = connections[alias]
    try:
        conn.close()  # a broken connection goes back to the pool, which discards it
        if getattr(conn, "pool", None) is not None:
            conn.pool.check()  # and the pool's other idle connections to a restarted server
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
        return False
    except Exception:  # noqa: BLE001 — any failure to connect means "down"
        try:
            conn.close()
        except Exception:  # noqa: BLE001, S110 — already failing; the caller says "down"
            pass
        return True


def run_report(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` with report reads. If it fails with a connection-level database
    error and wrote nothing, it runs once more reading the primary; if the replica cannot be
    reached it is skipped for REPLICA_RETRY_SECONDS."""
    global _replica_down_until
    with report_reads() as state:
        try:
            return fn(*args, **kwargs)
        except (OperationalError, InterfaceError):
            alias = _configured_replica()
            if state.wrote or alias is None:
                raise
            if _replica_unreachable(alias):
                _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
                logger.warning("read replica %r unreachable: reports read the primary for %d s", alias,
                               REPLICA_RETRY_SECONDS)
    return fn(*args, **kwargs)


def replica_reads(view):
    """Mark a report view: its reads may be served by the replica (see the module docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return run_report(view, request, *args, **kwargs)

    wrapped.replica_reads = True
    return wrapped


def _replicable(model) -> bool:
    meta = model._meta
    app = getattr(meta, "app_config", None)  # None for unregistered models, e.g. the database cache's
    return app is not None and app.name.startswith("yifa.") and meta.label_lower not in PRIMARY_ONLY_MODELS


class ReplicaRouter:
    primary = PRIMARY
    replica = REPLICA

    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or not state.report or state.pinned or state.wrote or replica_down():
            return self.primary
        if not _replicable(model) or connections[self.primary].in_atomic_block:
            return self.primary
        return self.replica

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None and model._meta.app_label not in NON_PINNING_APPS:
            state.wrote = True  # the rest of this request reads the primary; the cookie pins the next ones
        return self.primary

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {self.primary, self.replica}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == self.primary


class ReplicaPinMiddleware:
    """Reads the pin cookie before the request, sets it after a writing request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            pinned = float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
        except ValueError:
            pinned = False
        state = _State(pinned=pinned)
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            seconds = pin_seconds()
            response.set_cookie(PIN_COOKIE, str(int(time.time()) + seconds), max_age=seconds, httponly=True,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response
