"""A large upload is handed to the task queue (no thread in the web process): the batch waits
as 排队中 until the transaction commits and a worker runs the `import_job` task (inline here,
the suite's ImmediateBackend); a second delivery of the task does nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yifa.enforcement import imports
from yifa.enforcement.models import Case
from yifa.enforcement.tasks import import_job

pytestmark = pytest.mark.django_db


def _csv(n):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["来源案号", "办案单位代码", "事项编码", "案件类型", "立案日期", "案由", "当事人", "罚款金额", "执法证号"])
    for i in range(n):
        w.writerow([f"TQ-{i}", "T-DA", "SCJG-001", "行政处罚", "2026-08-03", f"任务导入{i}", "王五", "100", "T-0001,T-0002"])
    return SimpleUploadedFile("cases.csv", buf.getvalue().encode("utf-8-sig"))


def test_start_import_enqueues_the_task_on_commit(world, lib, settings, tmp_path,
                                                  django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path / "var"
    assert imports.RUNNER is imports._enqueue
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = imports.start_import(actor=world.officer_a, kind="cases", source_system="taskq", upload=_csv(3))
    assert batch.state == "queued" and batch.worker == "" and len(callbacks) == 1
    assert not Case.objects.filter(source_system="taskq").exists()  # nothing before the commit
    callbacks[0]()  # the commit: the task is enqueued and (inline backend) run
    batch.refresh_from_db()
    assert batch.state == "done" and batch.created == 3 and batch.worker == imports.this_worker()
    assert Case.objects.filter(source_system="taskq").count() == 3
    # another delivery of the same task finds the batch no longer queued and leaves it alone
    import_job.enqueue(batch.pk, batch.upload_path, world.officer_a.pk)
    assert Case.objects.filter(source_system="taskq").count() == 3
    batch.refresh_from_db()
    assert batch.state == "done"
