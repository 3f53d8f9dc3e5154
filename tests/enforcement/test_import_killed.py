"""A background import whose worker process was killed (kill -9 mid-import) is marked
failed at once by the sweep and at start-up, and its uploaded file (party data) removed;
a batch whose worker is alive is left running."""

import subprocess
import sys

import pytest

from yifa.core.sweep import run_startup
from yifa.enforcement import imports
from yifa.enforcement.models import ImportBatch

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_batch_of_a_dead_worker_fails_at_once_and_its_file_is_removed(world, tmp_path):
    upload = tmp_path / "cases.xlsx"
    upload.write_bytes(b"party data")
    host = imports.this_worker().rpartition(":")[0]
    dead = ImportBatch.objects.create(org=world.dept_a, kind="cases", state="importing", created_by=world.officer_a,
                                      worker=f"{host}:{_dead_pid()}", upload_path=str(upload))
    alive = ImportBatch.objects.create(org=world.dept_a, kind="cases", state="importing", created_by=world.officer_a,
                                       worker=imports.this_worker())
    elsewhere = ImportBatch.objects.create(org=world.dept_a, kind="cases", state="queued",
                                           created_by=world.officer_a, worker="another-host:1")
    assert imports.fail_interrupted() == 1
    dead.refresh_from_db()
    assert dead.state == "failed" and "中断" in dead.errors[0]["message"]
    assert not upload.exists()
    assert ImportBatch.objects.get(pk=alive.pk).state == "importing"
    assert ImportBatch.objects.get(pk=elsewhere.pk).state == "queued"  # another host: after the time limit
    assert imports.fail_interrupted() == 0  # idempotent


def test_start_up_clears_what_the_last_run_left(world, tmp_path):
    host = imports.this_worker().rpartition(":")[0]
    batch = ImportBatch.objects.create(org=world.dept_a, kind="cases", state="validating",
                                       created_by=world.officer_a, worker=f"{host}:{_dead_pid()}")
    run_startup()
    batch.refresh_from_db()
    assert batch.state == "failed"
