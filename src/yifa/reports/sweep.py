"""The sweep keeps the dashboard's rollups current (trailing months; see services)."""

from yifa.core import sweep


@sweep.register("reports.rollups")
def run(today):
    from .services import sweep_rollups

    return sweep_rollups(today)
