"""Three real `yifa worker` processes on PostgreSQL share one queue and each schedules the
sweep: exactly one run per interval, every unit swept once per interval (one part per unit
here), no part delivered or run twice."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import AUDIT_TEST_KEY
from yifa.core.models import JobState, SweepPart, SweepRun
from yifa.orgs.models import Organization

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="workers on several connections need PostgreSQL"),
]
SRC = Path(__file__).resolve().parents[2] / "src"
INTERVAL = 4  # seconds per sweep interval in this test
RUNS = 3


def _database_url():
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _report(tmp_path) -> str:
    """The workers' logs, with what failed last: CI shows the tail of a failure's message."""
    logs = "\n".join((tmp_path / f"w{i}.log").read_text() for i in range(3))
    errors = list(SweepPart.objects.exclude(error="").values_list("run_id", "step", "attempts", "error"))
    ends = [block.strip().splitlines()[-1] for block in logs.split("Traceback")[1:] if block.strip()]
    return f"{logs}\n== failed parts: {errors}\n== exceptions in the logs: {ends}"


def test_three_workers_sweep_each_unit_once_per_interval(world, tmp_path):
    from django_tasks_db.models import DBTaskResult

    env = {**os.environ, "DATABASE_URL": _database_url(), "PYTHONPATH": str(SRC), "YIFA_TASKS_BACKEND": "database",
           "YIFA_SWEEP_INTERVAL": str(INTERVAL), "YIFA_SWEEP_UNITS_PER_TASK": "1",
           "YIFA_AUDIT_KEY": AUDIT_TEST_KEY, "YIFA_AUDIT_CHECKPOINT_FILE": str(tmp_path / "checkpoints.jsonl"),
           "YIFA_VAR_DIR": str(tmp_path / "var"), "YIFA_MEDIA_ROOT": str(tmp_path / "media")}
    env.pop("YIFA_TEST_TODAY", None)
    connection.close()  # the workers take their own connections
    workers = [subprocess.Popen([sys.executable, "-m", "yifa", "worker", "--interval", "0.05",
                                 "--worker-id", f"pytest-w{i}"], env=env, stdout=subprocess.DEVNULL,
                                stderr=open(tmp_path / f"w{i}.log", "w"))
               for i in range(3)]
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if SweepRun.objects.filter(state=JobState.DONE).count() >= RUNS:
                break
            assert all(w.poll() is None for w in workers), _report(tmp_path)
            time.sleep(0.5)
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(timeout=60)
            except subprocess.TimeoutExpired:
                w.kill()
    logs = "\n".join((tmp_path / f"w{i}.log").read_text() for i in range(3))
    assert "Traceback" not in logs, _report(tmp_path)
    done = list(SweepRun.objects.filter(state=JobState.DONE).order_by("slot"))
    assert len(done) >= RUNS, (list(SweepPart.objects.values_list("run_id", "step", "state", "attempts")),
                               _report(tmp_path))
    slots = [r.slot.timestamp() for r in SweepRun.objects.order_by("slot")]
    assert len(slots) == len(set(slots)) and all(s % INTERVAL == 0 for s in slots)  # one run per interval

    units = sorted(Organization.objects.values_list("pk", flat=True))
    for run in done:
        parts = list(run.parts.all())
        swept = Counter(pk for p in parts if p.step == "units" for pk in p.org_ids)
        assert sorted(swept) == units and set(swept.values()) == {1}  # each unit once in this interval
        assert all(p.state == JobState.DONE and p.attempts == 1 for p in parts), [(p.step, p.state, p.attempts)
                                                                                 for p in parts]
        assert run.parts_finished == run.parts_total == len(parts)
    # no part's task was delivered twice, and the three workers shared the work
    part_runs = Counter(r.args_kwargs["args"][0] for r in DBTaskResult.objects.filter(
        task_path="yifa.core.tasks.sweep_part", status="SUCCESSFUL"))
    finished = SweepPart.objects.filter(run__in=done).values_list("pk", flat=True)
    assert all(part_runs[pk] == 1 for pk in finished)
    assert len({p.worker for p in SweepPart.objects.filter(run__in=done)}) >= 2
