"""Maintaining the dashboard's rollups.

`rebuild_rollups` recomputes the monthly figures of a window of months with one GROUP BY
query per figure and writes only what changed (so running it twice changes nothing the
second time). The sweep rebuilds the trailing `SWEEP_MONTHS` months every run — records
older than that rarely change (a letter issued two years ago is long rectified); `yifa
rollups --since YYYY-MM` rebuilds any range after a bulk correction or import."""

import time
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yifa.core.db.locks import hold_writers

from .figures import active_figures
from .models import FigureRollup, RollupRun

SWEEP_MONTHS = 24
ORG_CHUNK = 500  # units per incremental recomputation (one IN list)


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m + 1, 1)


def month_end(d: date) -> date:
    return add_months(d, 1) - timedelta(days=1)


def _rebuild_figure(fig, first: date, last: date, today: date, counts: dict, orgs=None) -> None:
    """Recompute one figure for the months first..last (snapshot: `today`'s month) — of
    the units `orgs` only, if given — and write what changed."""
    new = {}
    end = today if last == month_start(today) else month_end(last)
    for org_id, month, value in fig.monthly(first, end, today, orgs=orgs):
        if org_id is None:
            continue
        new[(org_id, month)] = Decimal(value).quantize(Decimal("0.1"))
    old_qs = FigureRollup.objects.filter(code=fig.code)
    old_qs = old_qs.filter(month=month_start(today)) if fig.snapshot else old_qs.filter(month__gte=first,
                                                                                         month__lte=last)
    if orgs is not None:
        old_qs = old_qs.filter(org_id__in=list(orgs))
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


def rebuild_rollups(*, since: date, today: date, codes=None, changed_since=None) -> dict:
    """Recompute every figure for the months from `since` to `today`'s month (snapshot
    figures: as of `today`). Returns counts of rows created, updated and deleted.

    `changed_since` (a datetime; the sweep between full passes): an incremental figure is
    recomputed only for the (unit, month) pairs of its records saved since then — the cost
    follows the day's changes, not the table; every other figure (small tables) for the
    whole window. A record moved to another unit or month, or deleted, leaves its old pair
    to the next full pass."""
    started_at = timezone.now()
    started = time.monotonic()
    first, last = month_start(since), month_start(today)
    if first > last:
        raise ValueError("since is after today")
    counts = {"created": 0, "updated": 0, "deleted": 0}
    with transaction.atomic():
        # two rebuilds at once (`yifa rollups` beside the sweep, or two overlapping sweep runs)
        # would insert the same new rows and one fail on the unique key: the second waits for
        # the first to commit, then finds little left to change (the dashboard reads on)
        hold_writers(FigureRollup)
        for fig in active_figures():
            if codes and fig.code not in codes:
                continue
            if changed_since is not None and fig.incremental:
                # only the (unit, month) pairs holding a record saved since the last pass
                by_month: dict[date, set[int]] = {}
                for org_id, month in fig.changed_keys(changed_since, first, today):
                    if first <= month <= last:
                        by_month.setdefault(month, set()).add(org_id)
                for month, orgs in sorted(by_month.items()):
                    ids = sorted(orgs)
                    for i in range(0, len(ids), ORG_CHUNK):
                        _rebuild_figure(fig, month, month, today, counts, orgs=ids[i:i + ORG_CHUNK])
            else:
                _rebuild_figure(fig, first, last, today, counts)
        RollupRun.objects.create(as_of=today, months_from=first, months_to=last, started_at=started_at,
                                 # a full pass only when it covered every figure over the sweep's window: a
                                 # rebuild of a few months (yifa rollups --since) does not stand in for one
                                 full=(changed_since is None and not codes
                                       and first <= add_months(last, -(SWEEP_MONTHS - 1))),
                                 rows=counts["created"] + counts["updated"],
                                 seconds=round(time.monotonic() - started, 3))
    return counts


# A record saved in a transaction that began before a pass started may commit after the
# pass read: the next pass looks this far before the previous one's start.
PASS_OVERLAP = timedelta(hours=1)


def _changed_since(now):
    """None (a full pass) when no full pass of the sweep's window ran within
    `YIFA_ROLLUP_FULL_PASS_HOURS`; else the start of the last pass, less the overlap."""
    hours = settings.YIFA_ROLLUP_FULL_PASS_HOURS
    if hours <= 0:
        return None
    full = RollupRun.objects.filter(full=True, started_at__isnull=False).order_by("-started_at").first()
    if full is None or full.started_at > now or now - full.started_at >= timedelta(hours=hours):
        return None
    last = RollupRun.objects.filter(started_at__isnull=False).order_by("-started_at").first()
    return last.started_at - PASS_OVERLAP


def sweep_rollups(today: date) -> dict:
    """The sweep's pass over the trailing `SWEEP_MONTHS` months: a full pass every
    `YIFA_ROLLUP_FULL_PASS_HOURS` hours (a record whose date moved to another month, or that
    was deleted, is seen there), in between only the months that changed (see
    `rebuild_rollups`)."""
    counts = rebuild_rollups(since=add_months(month_start(today), -(SWEEP_MONTHS - 1)), today=today,
                             changed_since=_changed_since(timezone.now()))
    return {"rollups_changed": counts["created"] + counts["updated"] + counts["deleted"]}
