"""The demo county is built by loaders that apps register, in order; `yifa demo` runs
them. Each loader receives the context built so far (the county, its units, accounts)
and adds its own data."""

_LOADERS: list[tuple[int, str, object]] = []


def register(name: str, order: int = 100):
    def deco(fn):
        if name not in [n for _, n, _ in _LOADERS]:
            _LOADERS.append((order, name, fn))
            _LOADERS.sort(key=lambda t: t[0])
        return fn

    return deco


def loaders():
    return [(name, fn) for _, name, fn in _LOADERS]


@register("statistics", order=55)
def refresh_statistics(ctx, progress):
    """PostgreSQL: the planner's statistics for the cases, deadlines and records just
    loaded, before the later loaders query them set-based. Without it the planner can
    take the tables for the empty ones it last saw (autovacuum has not run yet: a fresh
    database, or a test database just flushed) and nest loops over thousands of rows —
    one of the rule examples' updates then ran for minutes instead of a second."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
