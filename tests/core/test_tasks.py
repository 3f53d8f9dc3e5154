"""The sweep on the task queue: one run per interval (the unique slot is the lock), split
into parts that cover every unit exactly once; tasks and sweep parts left running by a dead
worker are retried where safe or failed, never left running. Tasks run inline here
(ImmediateBackend); tests/core/test_workers_pg.py runs real workers on PostgreSQL."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yifa.core import sweep, tasks
from yifa.core.models import JobState, SweepPart, SweepRun, WorkerHeartbeat
from yifa.orgs.models import Organization

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _host():
    return tasks.new_worker_id().split(":")[0]


def test_one_run_per_interval_whoever_asks(world, settings, django_capture_on_commit_callbacks):
    settings.YIFA_SWEEP_INTERVAL = 600
    settings.YIFA_SWEEP_UNITS_PER_TASK = 4
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        run = sweep.schedule(now, worker="w1")
    assert run is not None and run.slot == sweep.slot_of(now)
    assert sweep.schedule(now, worker="w2") is None  # the same interval: already claimed
    assert sweep.schedule(sweep.slot_of(now) + timedelta(seconds=599), worker="w3") is None
    assert SweepRun.objects.count() == 1

    # every unit in exactly one per-unit part, each part run once
    parts = list(SweepPart.objects.filter(run=run))
    unit_ids = [pk for p in parts if p.step == sweep.UNITS for pk in p.org_ids]
    assert sorted(unit_ids) == sorted(Organization.objects.values_list("pk", flat=True))
    assert len(unit_ids) == len(set(unit_ids))
    assert max(len(p.org_ids) for p in parts) == 4
    steps = {p.step for p in parts}
    assert {"supervision", "enforcement.board", "reports.rollups"} <= steps
    assert "deadlines" not in steps and "audit.checkpoint" not in steps  # per unit / last
    assert all(p.state == JobState.DONE and p.attempts == 1 for p in parts)
    assert parts[0].result["deadlines"].keys() >= {"warnings", "notifications"}
    run.refresh_from_db()
    assert run.state == JobState.DONE and run.parts_finished == run.parts_total == len(parts)
    assert "audit.checkpoint" in run.result and run.finished_at

    with django_capture_on_commit_callbacks(execute=True):
        later = sweep.schedule(now + timedelta(seconds=600), worker="w2")
    assert later is not None and SweepRun.objects.count() == 2


def test_a_second_delivery_of_a_part_does_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = sweep.schedule(timezone.now())
    part = run.parts.first()
    assert sweep.run_part(part.pk) == {"skipped": True}
    part.refresh_from_db()
    assert part.attempts == 1


def test_failing_part_is_failed_and_the_run_says_so(world, monkeypatch, django_capture_on_commit_callbacks):
    def broken(today):
        raise RuntimeError("boom")

    monkeypatch.setattr(sweep, "_TASKS", [*sweep._TASKS, ("test.broken", broken)])
    with django_capture_on_commit_callbacks(execute=True):
        run = sweep.schedule(timezone.now())
    part = run.parts.get(step="test.broken")
    assert part.state == JobState.FAILED and "boom" in part.error  # the inline backend cannot retry later
    run.refresh_from_db()
    assert run.state == JobState.FAILED and run.result["parts_failed"] == 1
    assert run.get_state_display() == "失败"


def _running(task_path, worker, args=(1,)):
    return DBTaskResult.objects.create(task_path=task_path, args_kwargs={"args": list(args), "kwargs": {}},
                                       backend_name="default", status="RUNNING", worker_ids=[worker],
                                       started_at=timezone.now())


def test_tasks_of_a_dead_worker_are_retried_or_failed_never_left_running(world, settings):
    dead = f"{_host()}:{_dead_pid()}:abcdef"
    alive = tasks.new_worker_id()  # this process
    silent = "another-host:4242:cafe00"  # another machine that stopped reporting
    WorkerHeartbeat.objects.create(worker_id=silent, host="another-host", pid=4242,
                                   started_at=timezone.now() - timedelta(hours=1),
                                   seen_at=timezone.now() - timedelta(seconds=settings.YIFA_WORKER_STALE_SECONDS + 5))
    retry = _running("yifa.core.tasks.sweep_finish", dead)
    fail = _running("yifa.enforcement.tasks.import_job", silent, args=(1, "/nonexistent", 1))
    keep = _running("yifa.enforcement.tasks.import_job", alive, args=(2, "/nonexistent", 1))

    counts = tasks.recover_stale()
    assert counts["tasks_failed"] == 2 and counts["tasks_retried"] == 1
    retry.refresh_from_db()
    fail.refresh_from_db()
    assert retry.status == fail.status == "FAILED"
    assert "WorkerDied" in fail.exception_class_path and "已停止" in fail.traceback
    again = DBTaskResult.objects.get(task_path="yifa.core.tasks.sweep_finish", status="READY")
    assert again.args_kwargs == {"args": [1], "kwargs": {}}
    assert not DBTaskResult.objects.filter(task_path__endswith="import_job", status="READY").exists()
    assert DBTaskResult.objects.get(pk=keep.pk).status == "RUNNING"
    assert not WorkerHeartbeat.objects.filter(worker_id=silent).exists()
    assert tasks.recover_stale() == {"tasks_failed": 0, "tasks_retried": 0, "parts_requeued": 0, "parts_failed": 0}


def test_sweep_part_of_a_dead_worker_runs_again_or_fails_after_its_attempts(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = sweep.schedule(timezone.now())
    dead = f"{_host()}:{_dead_pid()}:abcdef"
    part = run.parts.filter(step=sweep.UNITS).first()
    # as if the worker had been killed while running it (and the run not finished)
    SweepPart.objects.filter(pk=part.pk).update(state=JobState.RUNNING, worker=dead, attempts=1)
    SweepRun.objects.filter(pk=run.pk).update(parts_finished=run.parts_total - 1, state=JobState.RUNNING,
                                              finished_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recover_stale()["parts_requeued"] == 1
    part.refresh_from_db()
    assert part.state == JobState.DONE and part.attempts == 2  # retried at once (inline backend)

    SweepPart.objects.filter(pk=part.pk).update(state=JobState.RUNNING, worker=dead, attempts=sweep.MAX_ATTEMPTS)
    SweepRun.objects.filter(pk=run.pk).update(parts_finished=run.parts_total - 1, state=JobState.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recover_stale()["parts_failed"] == 1
    part.refresh_from_db()
    run.refresh_from_db()
    assert part.state == JobState.FAILED and "已停止" in part.error
    assert run.parts_finished == run.parts_total


def test_worker_liveness(settings):
    assert tasks.worker_gone(f"{_host()}:{_dead_pid()}:abcdef")
    assert tasks.worker_gone(f"{_host()}:{_dead_pid()}")  # the older host:pid form (imports)
    assert not tasks.worker_gone(tasks.new_worker_id())
    assert not tasks.worker_gone("unknown-host:1:abc")  # no heartbeat known: cannot tell
    assert not tasks.worker_gone("")


def test_a_sweep_still_running_lets_the_next_interval_pass(world, settings):
    settings.YIFA_SWEEP_INTERVAL = 600
    now = timezone.now()
    SweepRun.objects.create(slot=sweep.slot_of(now), today=now.date(), state=JobState.RUNNING)
    assert sweep.schedule(now + timedelta(seconds=600)) is None
    # stuck for three intervals: it no longer holds the next ones back
    SweepRun.objects.update(created_at=now - timedelta(seconds=1801))
    assert sweep.schedule(now + timedelta(seconds=600)) is not None


def test_sweep_schedule_command_claims_the_interval_once(world, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", "--schedule", stdout=out)
        call_command("sweep", "--schedule", stdout=out)
    assert "已领取巡检时段" in out.getvalue() and "已由其他进程领取" in out.getvalue()
    assert SweepRun.objects.get().state == JobState.DONE


def test_old_queue_rows_and_sweep_runs_are_pruned_by_the_sweep(world):
    old = timezone.now() - timedelta(days=40)
    done = DBTaskResult.objects.create(task_path="yifa.core.tasks.sweep_finish", args_kwargs={"args": [1], "kwargs": {}},
                                       backend_name="default", status="SUCCESSFUL", finished_at=old)
    ready = DBTaskResult.objects.create(task_path="yifa.core.tasks.sweep_finish", args_kwargs={"args": [2], "kwargs": {}},
                                        backend_name="default")
    SweepRun.objects.create(slot=old, today=old.date(), state=JobState.DONE, finished_at=old)
    SweepRun.objects.create(slot=old - timedelta(days=1), today=old.date(), state=JobState.RUNNING)
    assert sweep.run_all()["core.task_queue"] == {"task_results_pruned": 1, "sweep_runs_pruned": 1}
    assert not DBTaskResult.objects.filter(pk=done.pk).exists() and DBTaskResult.objects.filter(pk=ready.pk).exists()
    assert SweepRun.objects.filter(state=JobState.RUNNING).count() == 1
    assert sweep.run_all()["core.task_queue"] == {"task_results_pruned": 0, "sweep_runs_pruned": 0}
