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
    today = today or clock.today()
    return {name: fn(today) for name, fn in _TASKS + _LAST}


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
