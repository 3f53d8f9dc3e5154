"""`yifa worker`: runs the background task queue (django-tasks-db: the database is the
broker; on PostgreSQL tasks are claimed with SELECT … FOR UPDATE SKIP LOCKED, so any number
of workers on any number of machines share one queue).

Besides running tasks, every worker
- reports alive (`WorkerHeartbeat`, also while a long task runs);
- every `--recover-every` seconds fails or retries the tasks of workers that died
  (`core.tasks.recover_stale`), and at start-up runs the apps' start-up hooks (e.g.
  imports cut off by the last stop are marked failed);
- with `--sweep` (default): tries to claim the current sweep interval
  (`YIFA_SWEEP_INTERVAL`). One insert per interval wins however many workers try; the winner
  queues the interval's parts, which every worker then takes from the queue.
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from yifa.core import sweep, tasks

log = logging.getLogger("yifa.tasks")


class YifaWorker(Worker):
    def __init__(self, *, schedule_sweep: bool, recover_every: float, beat_every: float, **kw):
        super().__init__(**kw)
        self.schedule_sweep, self.recover_every, self.beat_every = schedule_sweep, recover_every, beat_every
        self.started_at = timezone.now()
        self._last_beat = self._last_recover = 0.0

    def housekeeping(self) -> None:
        """Between tasks: heartbeat, recovery of dead workers' tasks, the sweep's claim."""
        now = time.monotonic()
        try:
            if now - self._last_beat >= self.beat_every:
                tasks.heartbeat(self.worker_id, started_at=self.started_at)
                self._last_beat = now
            if now - self._last_recover >= self.recover_every:
                counts = tasks.recover_stale()
                if any(counts.values()):
                    log.warning("recovered from dead workers: %s", counts)
                self._last_recover = now
            if self.schedule_sweep:
                run = sweep.schedule(worker=self.worker_id)
                if run is not None:
                    log.info("sweep %s scheduled: %d parts", run.slot, run.parts_total)
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            # SQLite busy with another writer: try again on the next round

    def run(self) -> None:
        log.info("yifa worker %s started", self.worker_id)
        while self.running:
            close_old_connections()
            self.housekeeping()
            ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                ready = ready.filter(queue_name__in=self.queue_names)
            task_result = None
            with exclusive_transaction(ready.db):
                try:
                    task_result = ready.get_locked()
                    if task_result is not None:
                        task_result.claim(self.worker_id)  # SKIP LOCKED: no other worker got it
                except OperationalError as exc:
                    if not is_locked_database_exception(exc):
                        raise
                    task_result = None
            if task_result is not None:
                beat = tasks.HeartbeatThread(self.worker_id, self.beat_every)
                beat.start()
                try:
                    self.run_task(task_result)
                finally:
                    beat.stop()
            if self.batch and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)


class Command(BaseCommand):
    help = "运行后台任务队列（导入、汇总重建、巡检分片），并按间隔调度巡检；可在多台机器上各运行若干个"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒）")
        parser.add_argument("--no-sweep", action="store_true", help="不调度定时巡检（只执行任务）")
        parser.add_argument("--batch", action="store_true", help="执行完队列中的任务后退出")
        parser.add_argument("--max-tasks", type=int, default=None, help="执行这么多个任务后退出")
        parser.add_argument("--recover-every", type=float, default=60.0,
                            help="每隔多少秒检查已停止的工作进程遗留的任务")
        parser.add_argument("--worker-id", default="", help="工作进程标识（默认 主机:进程号:随机）")

    def handle(self, *args, **opts):
        from yifa.core.sweep import run_startup

        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if backend.__class__.__name__ != "DatabaseBackend":
            self.stderr.write("TASKS 未使用数据库后端：任务在入队时即已执行，无需 worker。")
            return
        logging.getLogger("yifa.tasks").setLevel(logging.INFO if opts["verbosity"] else logging.WARNING)
        worker_id = opts["worker_id"] or tasks.new_worker_id()
        tasks.set_current_worker(worker_id)
        tasks.heartbeat(worker_id)
        run_startup()  # what the last stop left behind (e.g. imports cut off)
        tasks.recover_stale()
        worker = YifaWorker(
            queue_names=["*"], interval=opts["interval"], batch=opts["batch"], backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False, max_tasks=opts["max_tasks"], worker_id=worker_id, excluded_queue_names=[],
            schedule_sweep=not opts["no_sweep"], recover_every=opts["recover_every"],
            beat_every=max(1.0, settings.YIFA_WORKER_STALE_SECONDS / 6),
        )
        self.stdout.write(f"yifa worker {worker_id} 已启动"
                          + ("" if opts["no_sweep"] else f"（巡检每 {settings.YIFA_SWEEP_INTERVAL} 秒一次）"))
        self.stdout.flush()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            self._sign_off(worker_id)

    def _sign_off(self, worker_id):
        """Remove our heartbeat (the stop may have cut a query short: a fresh connection)."""
        from django.db import connection

        from yifa.core.models import WorkerHeartbeat

        try:
            connection.close()
        except Exception:  # noqa: BLE001 — a connection interrupted mid-query
            pass
        try:
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
        except Exception:  # noqa: BLE001 — the row ages out (YIFA_WORKER_STALE_SECONDS)
            log.warning("could not remove the heartbeat of %s", worker_id, exc_info=True)
