"""Background tasks of the reports app."""

from datetime import date

from django_tasks import task

from yifa.core import clock
from yifa.core.tasks import retry_safe


@retry_safe
@task()
def rebuild_rollups(since: str | None = None) -> dict:
    """Rebuild the dashboard's monthly rollups from `since` (YYYY-MM-DD), or the trailing
    months the sweep keeps. Idempotent: safe to run again after a worker died."""
    from .services import rebuild_rollups as rebuild, sweep_rollups

    if since is None:
        return sweep_rollups(clock.today())
    return rebuild(since=date.fromisoformat(since), today=clock.today())
