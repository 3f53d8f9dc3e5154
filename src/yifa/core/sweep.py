"""The periodic sweep: apps register idempotent tasks; `yifa sweep` runs them all.

A task is a function `task(today: date) -> dict[str, int]` returning counts of what it
created (warnings, notifications, ...). Running the sweep twice in a row must create
nothing new the second time.
"""

from collections.abc import Callable
from datetime import date

from yifa.core import clock

_TASKS: list[tuple[str, Callable]] = []
_LAST: list[tuple[str, Callable]] = []


def register(name: str, *, last: bool = False):
    """`last=True`: run after every other task (e.g. to record what the others wrote)."""
    def deco(fn):
        if name not in [n for n, _ in _TASKS + _LAST]:
            (_LAST if last else _TASKS).append((name, fn))
        return fn

    return deco


def run_all(today: date | None = None) -> dict[str, dict]:
    """Run every task; the run (and a failure, named by its task) is recorded as a
    `SweepRun`, which the administrator's home shows."""
    from django.utils import timezone

    from .models import SweepRun

    today = today or clock.today()
    started, out = timezone.now(), {}
    for name, fn in _TASKS + _LAST:
        try:
            out[name] = fn(today)
        except Exception as exc:
            SweepRun.objects.create(started_at=started, finished_at=timezone.now(), today=today, ok=False,
                                    error=f"{name}: {exc!r}"[:500])
            raise
    SweepRun.objects.create(started_at=started, finished_at=timezone.now(), today=today)
    return out


def last_run():
    from .models import SweepRun

    return SweepRun.objects.order_by("-started_at").first()


_STARTUP: list[Callable] = []


def register_startup(fn):
    """A task run once when the server starts (before it takes requests), e.g. to clear
    what the previous run left behind. `fn()` takes no argument and must be idempotent."""
    if fn not in _STARTUP:
        _STARTUP.append(fn)
    return fn


def run_startup() -> None:
    for fn in _STARTUP:
        fn()
