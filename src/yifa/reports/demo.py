"""After every other loader: roll the demo county's records up for the dashboard."""

from datetime import date

from yifa.core import clock
from yifa.core import demo


@demo.register("reports", order=1000)
def load(ctx, progress):
    from .services import rebuild_rollups

    counts = rebuild_rollups(since=date(2020, 1, 1), today=clock.today())
    progress(f"领导驾驶舱：汇总指标 {counts['created'] + counts['updated']} 行")
