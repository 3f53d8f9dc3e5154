"""Maintaining the dashboard's rollups.

`rebuild_rollups` recomputes the monthly figures of a window of months with one GROUP BY
query per figure and writes only what changed (so running it twice changes nothing the
second time). The sweep rebuilds the trailing `SWEEP_MONTHS` months every run — records
older than that rarely change (a letter issued two years ago is long rectified); `yifa
rollups --since YYYY-MM` rebuilds any range after a bulk correction or import."""

import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from .figures import active_figures
from .models import FigureRollup, RollupRun

SWEEP_MONTHS = 24


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m + 1, 1)


def month_end(d: date) -> date:
    return add_months(d, 1) - timedelta(days=1)


def rebuild_rollups(*, since: date, today: date, codes=None) -> dict:
    """Recompute every figure for the months from `since` to `today`'s month (snapshot
    figures: as of `today`). Returns counts of rows created, updated and deleted."""
    started = time.monotonic()
    first, last = month_start(since), month_start(today)
    if first > last:
        raise ValueError("since is after today")
    counts = {"created": 0, "updated": 0, "deleted": 0}
    with transaction.atomic():
        for fig in active_figures():
            if codes and fig.code not in codes:
                continue
            new = {}
            for org_id, month, value in fig.monthly(first, today, today):
                if org_id is None:
                    continue
                new[(org_id, month)] = Decimal(value).quantize(Decimal("0.1"))
            old_qs = FigureRollup.objects.filter(code=fig.code)
            old_qs = old_qs.filter(month=last) if fig.snapshot else old_qs.filter(month__gte=first, month__lte=last)
            old = {(r.org_id, r.month): r for r in old_qs}
            stale = [r.pk for key, r in old.items() if key not in new]
            if stale:
                FigureRollup.objects.filter(pk__in=stale).delete()
                counts["deleted"] += len(stale)
            changed = []
            for key, value in new.items():
                row = old.get(key)
                if row is not None and row.value != value:
                    row.value = value
                    changed.append(row)
            if changed:
                FigureRollup.objects.bulk_update(changed, ["value"], batch_size=1000)
                counts["updated"] += len(changed)
            created = [FigureRollup(org_id=k[0], code=fig.code, month=k[1], value=v)
                       for k, v in new.items() if k not in old]
            if created:
                FigureRollup.objects.bulk_create(created, batch_size=1000)
                counts["created"] += len(created)
        RollupRun.objects.create(as_of=today, months_from=first, months_to=last,
                                 rows=counts["created"] + counts["updated"],
                                 seconds=round(time.monotonic() - started, 3))
    return counts


def sweep_rollups(today: date) -> dict:
    counts = rebuild_rollups(since=add_months(month_start(today), -(SWEEP_MONTHS - 1)), today=today)
    return {"rollups_changed": counts["created"] + counts["updated"] + counts["deleted"]}
