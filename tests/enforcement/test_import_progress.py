"""Large imports run in the background with live progress, still all or nothing with the
row-level error report."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yifa.enforcement import imports
from yifa.enforcement.models import Case, ImportBatch

HEADER = ["来源案号", "办案单位代码", "事项编码", "案件类型", "立案日期", "案由", "当事人", "罚款金额", "执法证号"]


def _csv(n, bad_rows=()):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    for i in range(n):
        item = "NOPE" if i in bad_rows else "SCJG-001"
        w.writerow([f"BG-{i}", "T-DA", item, "行政处罚", "2026-08-03", f"后台导入{i}", "王五", "100", "T-0001,T-0002"])
    return SimpleUploadedFile("big.csv", buf.getvalue().encode("utf-8-sig"))


@pytest.fixture
def inline_jobs(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.YIFA_ENFORCEMENT_IMPORT_BACKGROUND_BYTES = 1  # every file counts as large here
    jobs = []
    monkeypatch.setattr(imports, "RUNNER", lambda fn, *args: jobs.append((fn, args)))
    return jobs


@pytest.mark.django_db(transaction=True)
def test_large_upload_runs_in_background_with_visible_progress(world, lib, client_for, inline_jobs, monkeypatch):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(imports, "STAGE_ROWS", 2)
    seen = []
    real_insert = imports.insert_rows

    def observing_insert(model, names, rows):
        # what another request (the polling page) can see while the rows are staged
        batch = ImportBatch.objects.order_by("-id").first()
        seen.append(imports.progress_of(batch))
        return real_insert(model, names, rows)

    monkeypatch.setattr(imports, "insert_rows", observing_insert)
    c = client_for(world.officer_a)
    resp = c.post("/enforcement/import/", {"kind": "cases", "source_system": "sysbg", "file": _csv(7)})
    batch = ImportBatch.objects.get(source_system="sysbg")
    assert resp.status_code == 302 and resp.url == f"/enforcement/import/{batch.pk}/"
    assert batch.state == "queued" and len(inline_jobs) == 1
    page = c.get(resp.url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中" in page
    fn, args = inline_jobs[0]
    fn(*args)
    assert [p["processed"] for p in seen if p["state"] == "importing"][-1] >= 4
    assert all(p["running"] for p in seen) and seen[-1]["total"] == 7
    batch.refresh_from_db()
    assert batch.state == "done" and batch.created == 7 and batch.processed == 7
    assert Case.objects.filter(source_system="sysbg").count() == 7
    frag = c.get(resp.url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in frag and "已完成" in frag and "新增 7" in frag and "<html" not in frag
    assert client_for(world.dept_b_legal).get(resp.url).status_code == 404


@pytest.mark.django_db
def test_background_import_is_all_or_nothing_with_row_errors(world, lib, client_for, inline_jobs,
                                                             django_capture_on_commit_callbacks):
    c = client_for(world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        resp = c.post("/enforcement/import/", {"kind": "cases", "source_system": "sysbad", "file": _csv(6, {2, 4})})
    fn, args = inline_jobs[0]
    fn(*args)
    batch = ImportBatch.objects.get(source_system="sysbad")
    assert batch.state == "failed" and [e["row"] for e in batch.errors] == [4, 6]
    assert not Case.objects.filter(source_system="sysbad").exists()
    page = c.get(resp.url).content.decode()
    assert "未导入" in page and "事项编码“NOPE”不存在" in page and "hx-trigger" not in page


@pytest.mark.django_db
def test_unreadable_file_and_interrupted_jobs_fail_the_batch(world, lib, client_for, inline_jobs,
                                                             django_capture_on_commit_callbacks):
    c = client_for(world.officer_a)
    # a binary file named .csv is refused at upload: no batch, nothing kept on disk
    resp = c.post("/enforcement/import/", {"kind": "cases", "source_system": "sysy",
                                           "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00garbage\x81\x82")})
    assert "二进制" in resp.content.decode() and not ImportBatch.objects.filter(source_system="sysy").exists()
    assert not inline_jobs
    # a file that became unreadable after upload fails its batch in the worker
    with django_capture_on_commit_callbacks(execute=True):
        c.post("/enforcement/import/", {"kind": "cases", "source_system": "sysx", "file": _csv(2)})
    fn, args = inline_jobs[0]
    with open(ImportBatch.objects.get(source_system="sysx").upload_path, "wb") as f:
        f.write(b"\xff\xfe\x00garbage\x81\x82")
    fn(*args)
    batch = ImportBatch.objects.get(source_system="sysx")
    assert batch.state == "failed" and "全部未导入" in batch.errors[0]["message"]
    # a job cut off by a restart: the sweep says so after two hours
    stuck = ImportBatch.objects.create(org=world.dept_a, kind="cases", state="importing", total=10, processed=4)
    assert imports.fail_interrupted() == 0
    assert imports.fail_interrupted(timezone.now() + timedelta(hours=3)) == 1
    stuck.refresh_from_db()
    assert stuck.state == "failed" and "中断" in stuck.errors[0]["message"]


@pytest.mark.django_db
def test_small_files_stay_synchronous(world, lib, client_for, settings):
    settings.YIFA_ENFORCEMENT_IMPORT_BACKGROUND_BYTES = 10 * 1024 * 1024
    resp = client_for(world.officer_a).post("/enforcement/import/",
                                            {"kind": "cases", "source_system": "syss", "file": _csv(2)})
    assert resp.status_code == 200 and "导入完成" in resp.content.decode()
    assert ImportBatch.objects.get(source_system="syss").state == "done"
