"""Two (or more) transactions at once, each on its own connection: for the races that only
PostgreSQL's row and table locks exercise."""

import threading

from django.db import connection


def run_at_once(first, second, *, gate: threading.Event, timeout: float = 60) -> dict:
    """Run `first(gate)` and `second()` in two threads; `second` starts once `first` sets
    `gate` (e.g. with its transaction still open). Returns {"first": result or repr(error),
    "second": …}; each thread closes its connection."""
    outcome = {}

    def run(name, fn, *args):
        try:
            outcome[name] = fn(*args)
        except Exception as exc:  # noqa: BLE001 — reported to the test
            outcome[name] = repr(exc)
        finally:
            gate.set()
            connection.close()

    def after_gate():
        gate.wait(30)
        return second()

    threads = [threading.Thread(target=run, args=("first", first, gate)),
               threading.Thread(target=run, args=("second", after_gate))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return outcome
