"""Background tasks (Django's task API via django-tasks; the database is the broker) and
the bookkeeping that keeps them honest across machines.

`yifa worker` runs the queue. Each worker reports in `WorkerHeartbeat` (also while it runs
a long task, from a small thread of the worker process — never of the web process); a
worker is dead when its process is gone (same host) or it has not reported for
`YIFA_WORKER_STALE_SECONDS`. `recover_stale()` — at worker start-up and every minute in
every worker — then fails the queue rows it left RUNNING and retries those that are safe to
run again (sweep parts, idempotent by design); jobs with their own record (imports) are
failed on that record by their app's startup hook (`core.sweep.register_startup`).
"""

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import task

log = logging.getLogger("yifa.tasks")

_WORKER_ID = ""


def new_worker_id() -> str:
    """host:pid:random, at most 64 characters (django-tasks-db's limit)."""
    suffix = f":{os.getpid()}:{uuid.uuid4().hex[:6]}"
    return socket.gethostname()[: 64 - len(suffix)] + suffix


def current_worker() -> str:
    """This process's worker id ("" outside `yifa worker`)."""
    return _WORKER_ID


def set_current_worker(worker_id: str) -> None:
    global _WORKER_ID
    _WORKER_ID = worker_id


def _split(worker_id: str):
    parts = worker_id.split(":")
    if len(parts) >= 2 and parts[1].isdigit():
        return parts[0], int(parts[1])
    return None, None


def _pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def worker_gone(worker_id: str, *, now=None) -> bool:
    """Whether the worker (or process, `host:pid[:…]`) is known to be gone: its process is
    gone on this host, or it registered a heartbeat that is older than the stale limit."""
    from .models import WorkerHeartbeat

    if not worker_id:
        return False
    host, pid = _split(worker_id)
    if host == socket.gethostname() and pid is not None and _pid_gone(pid):
        return True
    beat = WorkerHeartbeat.objects.filter(worker_id=worker_id).values_list("seen_at", flat=True).first()
    if beat is None:
        return False
    now = now or timezone.now()
    return beat < now - timedelta(seconds=settings.YIFA_WORKER_STALE_SECONDS)


def heartbeat(worker_id: str, *, started_at=None) -> None:
    from .models import WorkerHeartbeat

    host, pid = _split(worker_id)
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"host": host or "", "pid": pid or 0, "seen_at": now},
        create_defaults={"host": host or "", "pid": pid or 0, "seen_at": now, "started_at": started_at or now})


class HeartbeatThread(threading.Thread):
    """Reports the worker alive every few seconds while a task runs (its own connection:
    on PostgreSQL it commits beside the task's open transaction; on SQLite, one host,
    liveness is the process itself and a beat refused by the task's write lock is skipped)."""

    def __init__(self, worker_id: str, every: float):
        super().__init__(name="yifa-heartbeat", daemon=True)
        self.worker_id, self.every, self.stopped = worker_id, every, threading.Event()

    def run(self):
        while not self.stopped.wait(self.every):
            try:
                heartbeat(self.worker_id)
            except Exception:  # noqa: BLE001 — a missed beat only matters after the stale limit
                log.debug("heartbeat of %s skipped", self.worker_id, exc_info=True)
            finally:
                close_old_connections()
        connection.close()

    def stop(self):
        self.stopped.set()


# Tasks that may run again after their worker died (idempotent); others are failed.
RETRY_SAFE: set[str] = {"yifa.core.tasks.sweep_finish"}


def retry_safe(t):
    """Mark a task as safe to run again when its worker died mid-run (idempotent)."""
    RETRY_SAFE.add(t.module_path)
    return t


class WorkerDied(Exception):
    """The worker running the task stopped (killed, machine lost) before it finished."""


def recover_stale(now=None) -> dict:
    """Queue rows left RUNNING by a dead worker: failed (the reason stored), and queued again
    when safe; sweep parts of a dead worker go back to the queue (or fail after MAX_ATTEMPTS).
    Dead workers' heartbeat rows are removed. Idempotent; safe on any number of workers."""
    from django_tasks_db.models import DBTaskResult

    from . import sweep
    from .models import JobState, SweepPart, WorkerHeartbeat

    now = now or timezone.now()
    counts = {"tasks_failed": 0, "tasks_retried": 0, "parts_requeued": 0, "parts_failed": 0}
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "task_path", "args_kwargs",
                                                      "priority", "queue_name", "backend_name"):
        last = result.worker_ids[-1] if result.worker_ids else ""
        if not worker_gone(last, now=now):
            continue
        with transaction.atomic():
            locked = DBTaskResult.objects.running().select_for_update(skip_locked=True).filter(pk=result.pk).first()
            if locked is None:
                continue
            locked.set_failed(WorkerDied(f"工作进程 {last} 已停止，任务未完成"))
            counts["tasks_failed"] += 1
            if locked.task_path in RETRY_SAFE:
                DBTaskResult.objects.create(args_kwargs=locked.args_kwargs, priority=locked.priority,
                                            task_path=locked.task_path, queue_name=locked.queue_name,
                                            backend_name=locked.backend_name, run_after=None)
                counts["tasks_retried"] += 1
    for part in SweepPart.objects.filter(state=JobState.RUNNING).exclude(worker="").select_related("run"):
        if not worker_gone(part.worker, now=now):
            continue
        if part.attempts < sweep.MAX_ATTEMPTS:
            sweep.requeue_part(part.pk, error=f"工作进程 {part.worker} 已停止，重新排队")
            counts["parts_requeued"] += 1
        else:
            sweep._part_finished(part, JobState.FAILED, error=f"工作进程 {part.worker} 已停止，已重试 {part.attempts} 次")
            counts["parts_failed"] += 1
    stale = now - timedelta(seconds=settings.YIFA_WORKER_STALE_SECONDS)
    WorkerHeartbeat.objects.filter(seen_at__lt=stale).delete()
    return counts


KEEP_RESULTS = timedelta(days=7)  # finished queue rows
KEEP_SWEEPS = timedelta(days=30)  # sweep runs and their parts


def prune(now=None) -> dict:
    """Forget finished queue rows after a week and sweep runs after a month (the queue table
    would otherwise grow by every part of every sweep). Failed ones are kept as long."""
    from django_tasks_db.models import DBTaskResult

    from .models import JobState, SweepRun

    now = now or timezone.now()
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=now - KEEP_RESULTS).delete()
    runs = SweepRun.objects.filter(state__in=[JobState.DONE, JobState.FAILED],
                                   finished_at__lt=now - KEEP_SWEEPS).delete()[1].get("core.SweepRun", 0)
    return {"task_results_pruned": results, "sweep_runs_pruned": runs}


def _register_housekeeping():
    from . import sweep

    @sweep.register("core.task_queue")
    def task_queue(today):
        return prune()


_register_housekeeping()


# --- the tasks ----------------------------------------------------------------------------------

@task()
def sweep_part(part_id: int) -> dict:
    """One part of a sweep run (a few units, or one whole-database step)."""
    from . import sweep

    return sweep.run_part(part_id, worker=current_worker())


@task(priority=20)  # ahead of the parts of later runs
def sweep_finish(run_id: int) -> dict:
    """The sweep's last steps once every part finished (the audit checkpoint)."""
    from . import sweep

    return sweep.finish(run_id)

