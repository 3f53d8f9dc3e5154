"""The periodic sweep: apps register idempotent steps; the sweep runs them all.

A step is a function `step(today: date) -> dict[str, int]` returning counts of what it
created (warnings, notifications, ...). Running the sweep twice in a row must create
nothing new the second time. A step registered with `per_unit=True` takes the units it
works on as well, `step(today, org_ids)`, and looks only at their records (`org_ids=None`:
every unit).

`yifa sweep` runs every step at once in one process (cron, a manual run). On the task queue
(`yifa worker`), one worker claims each interval (`schedule`: a unique row per interval's
start, so however many workers try, one insert wins) and splits the run into small tasks:
the per-unit steps for `YIFA_SWEEP_UNITS_PER_TASK` units at a time, and each whole-database
step on its own; the `last` steps (the audit checkpoint) run once every part has finished.
"""

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yifa.core import clock

log = logging.getLogger("yifa.sweep")

_TASKS: list[tuple[str, Callable]] = []
_LAST: list[tuple[str, Callable]] = []
_PER_UNIT: set[str] = set()
UNITS = "units"  # the step name of a part that runs every per-unit step for its units
MAX_ATTEMPTS = 3  # a failed part is retried (steps are idempotent) up to this many runs
RETRY_DELAY = timedelta(seconds=60)


def register(name: str, *, last: bool = False, per_unit: bool = False):
    """`last=True`: run after every other step (e.g. to record what the others wrote).
    `per_unit=True`: the step takes `(today, org_ids)` and can run for a few units at a time."""
    def deco(fn):
        if name not in [n for n, _ in _TASKS + _LAST]:
            (_LAST if last else _TASKS).append((name, fn))
            if per_unit:
                _PER_UNIT.add(name)
        return fn

    return deco


def _call(name, fn, today, org_ids=None):
    return fn(today, org_ids) if name in _PER_UNIT else fn(today)


def run_all(today: date | None = None) -> dict[str, dict]:
    """Run every step at once, in this process (`yifa sweep`, cron, a manual run); the run
    (and a failure, named by its step) is recorded as a `SweepRun`, which the administrator's
    home shows beside the runs the workers schedule."""
    from .models import JobState, SweepRun

    today = today or clock.today()
    started, out = timezone.now(), {}
    for name, fn in _TASKS + _LAST:
        try:
            out[name] = _call(name, fn, today)
        except Exception as exc:
            _record_inline(SweepRun, started, today, JobState.FAILED, {"error": f"{name}: {exc!r}"[:500]})
            raise
    _record_inline(SweepRun, started, today, JobState.DONE, {})
    return out


def _record_inline(model, started, today, state, result) -> None:
    """An inline run's row: keyed by its start (a frozen clock runs twice in one instant: the
    same row, updated). A database already in a failed transaction keeps the step's error."""
    try:
        with transaction.atomic():
            model.objects.update_or_create(slot=started, defaults={
                "today": today, "state": state, "scheduled_by": "yifa sweep", "result": result,
                "finished_at": timezone.now()})
    except Exception:  # noqa: BLE001 — recording must never hide the step's own error
        log.exception("could not record the sweep run")


def last_run():
    """The last sweep that finished (inline or on the workers), or None."""
    from .models import SweepRun

    return SweepRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


# --- the sweep on the task queue -------------------------------------------------------------

def slot_of(now: datetime, interval: int | None = None) -> datetime:
    """The start of the interval `now` falls in (UTC, aligned to the epoch)."""
    interval = interval or settings.YIFA_SWEEP_INTERVAL
    ts = int(now.timestamp())
    return datetime.fromtimestamp(ts - ts % interval, tz=dt_timezone.utc)


def schedule(now: datetime | None = None, *, worker: str = ""):
    """Claim the current interval and queue its parts; returns the run, or None when the
    interval is already claimed (by this or any other worker). The run, its parts and their
    tasks are written in one transaction: nothing is queued unless the claim commits."""
    from .models import SweepRun

    from .models import JobState

    now = now or timezone.now()
    slot = slot_of(now)
    if SweepRun.objects.filter(slot=slot).exists():
        return None
    # A sweep still running lets the next interval pass (no pile-up when a sweep outlasts the
    # interval); one stuck for three intervals no longer holds the next ones back.
    recent = now - timedelta(seconds=3 * settings.YIFA_SWEEP_INTERVAL)
    if SweepRun.objects.filter(state__in=[JobState.QUEUED, JobState.RUNNING], created_at__gte=recent).exists():
        return None
    try:
        with transaction.atomic():
            run = SweepRun.objects.create(slot=slot, today=clock.today(), scheduled_by=worker[:64])
            _queue_parts(run)
    except IntegrityError:
        return None  # another worker claimed the interval between our check and our insert
    return run


def _unit_chunks():
    from yifa.orgs.models import Organization

    size = max(1, settings.YIFA_SWEEP_UNITS_PER_TASK)
    ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _queue_parts(run) -> None:
    from .models import JobState, SweepPart
    from .tasks import sweep_part

    parts = []
    if _PER_UNIT:
        parts += [SweepPart(run=run, step=UNITS, org_ids=chunk) for chunk in _unit_chunks()]
    parts += [SweepPart(run=run, step=name) for name, _ in _TASKS if name not in _PER_UNIT]
    parts = SweepPart.objects.bulk_create(parts)
    run.parts_total = len(parts)
    run.state = JobState.RUNNING if parts else JobState.QUEUED
    run.save(update_fields=["parts_total", "state"])
    if not parts:
        _enqueue_finish(run)
    for part in parts:
        sweep_part.enqueue(part.pk)


def run_part(part_id: int, *, worker: str = "") -> dict:
    """Run one part (the body of the `sweep_part` task). A part already taken (another
    delivery of the same task) is skipped, so no part runs twice at once."""
    from .models import JobState, SweepPart

    with transaction.atomic():
        # lock the part's row only (not the run's, which finishing parts update meanwhile)
        part = (SweepPart.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=part_id, state=JobState.QUEUED).select_related("run").first())
        if part is None:
            return {"skipped": True}
        part.state, part.attempts, part.worker = JobState.RUNNING, part.attempts + 1, worker[:64]
        part.started_at = timezone.now()
        part.save(update_fields=["state", "attempts", "worker", "started_at"])
    today = part.run.today
    try:
        if part.step == UNITS:
            result = {name: _call(name, fn, today, part.org_ids) for name, fn in _TASKS if name in _PER_UNIT}
        else:
            fn = dict(_TASKS)[part.step]
            result = {part.step: _call(part.step, fn, today)}
    except Exception as exc:
        log.exception("sweep part %s (%s) failed", part.pk, part.step)
        _part_failed(part, exc)
        raise
    _part_finished(part, JobState.DONE, result=result)
    return result


def _part_failed(part, exc) -> None:
    from .models import JobState

    message = f"{type(exc).__name__}: {exc}"[:2000]
    if part.attempts < MAX_ATTEMPTS and requeue_part(part.pk, delay=RETRY_DELAY, error=message):
        return
    _part_finished(part, JobState.FAILED, error=message)


def requeue_part(part_id: int, *, delay: timedelta | None = None, error: str = "") -> bool:
    """Put a part back in the queue (a failed attempt, or its worker died). Returns False
    where the backend cannot run a task later (the inline backend of the tests)."""
    from django_tasks import default_task_backend

    from .models import JobState, SweepPart
    from .tasks import sweep_part

    task = sweep_part
    if delay:
        if not default_task_backend.supports_defer:
            return False
        task = sweep_part.using(run_after=timezone.now() + delay)
    with transaction.atomic():
        if not SweepPart.objects.filter(pk=part_id, state=JobState.RUNNING).update(
                state=JobState.QUEUED, worker="", error=error):
            return True  # already finished or queued again
        transaction.on_commit(lambda: task.enqueue(part_id))
    return True


def _part_finished(part, state, *, result=None, error="") -> None:
    from .models import JobState, SweepPart, SweepRun

    with transaction.atomic():
        if not SweepPart.objects.filter(pk=part.pk, state=JobState.RUNNING).update(
                state=state, result=result or {}, error=error, finished_at=timezone.now()):
            return
        SweepRun.objects.filter(pk=part.run_id).update(parts_finished=F("parts_finished") + 1)
        run = SweepRun.objects.select_for_update().get(pk=part.run_id)
        if run.parts_finished >= run.parts_total:
            _enqueue_finish(run)


def _enqueue_finish(run) -> None:
    from .tasks import sweep_finish

    transaction.on_commit(lambda: sweep_finish.enqueue(run.pk))


def finish(run_id: int) -> dict:
    """After every part: the `last` steps, then the run's state (失败 if a part failed)."""
    from .models import JobState, SweepRun

    with transaction.atomic():
        run = SweepRun.objects.select_for_update().get(pk=run_id)
        if run.state in (JobState.DONE, JobState.FAILED):
            return run.result
        result = {name: fn(run.today) for name, fn in _LAST}
        failed = run.parts.filter(state=JobState.FAILED).count()
        run.state = JobState.FAILED if failed else JobState.DONE
        run.result, run.finished_at = {**result, "parts_failed": failed}, timezone.now()
        run.save(update_fields=["state", "result", "finished_at"])
    return run.result


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
