"""`yifa backup` / `yifa restore`: a round trip gives identical row counts in every table,
the same media and checkpoints, and an intact chain; a tampered archive is refused."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.conftest import make_org, make_user
from yifa.audit import backup
from yifa.audit.backup import create_backup, restore_backup, row_counts
from yifa.audit.models import AuditEvent
from yifa.audit.services import verify_chain, write_checkpoint
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization, OrgKind, Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def county(settings, tmp_path):
    province = make_org("B-P", "测试省", OrgKind.PROVINCE)
    county = make_org("B-GOV", "测试县", OrgKind.COUNTY, province)
    make_org("B-TA", "南湖镇", OrgKind.TOWNSHIP, county)
    make_user("b_admin", county, [Role.ADMIN], "管理员")
    media = Path(settings.MEDIA_ROOT)
    (media / "records" / "2026").mkdir(parents=True)
    (media / "records" / "2026" / "证据.pdf").write_bytes(b"%PDF-1.7 evidence")
    write_checkpoint()
    return county


def rewrite_archive(src: Path, dest: Path, change):
    """Copy an archive, passing each member's bytes through change(name, data)."""
    with tarfile.open(src) as tin, tarfile.open(dest, "w:gz") as tout:
        for m in tin.getmembers():
            data = tin.extractfile(m).read() if m.isfile() else b""
            data = change(m.name, data)
            m.size = len(data)
            tout.addfile(m, io.BytesIO(data))


def test_round_trip_keeps_every_table_media_checkpoints_and_the_chain(county, settings, tmp_path):
    before = row_counts()
    archive = tmp_path / "yifa.tar.gz"
    result = create_backup(archive)
    m = result.manifest
    assert m["tables"] == before and m["db_vendor"] == connection.vendor
    assert {f["name"] for f in m["files"]} >= {m["database"], "audit-checkpoints.jsonl", "media/records/2026/证据.pdf"}
    assert all(len(f["sm3"]) == 64 for f in m["files"])
    assert m["audit_head"]["rows"] == AuditEvent.objects.count()

    # the installation moves on and loses a file...
    make_org("B-TB", "北山镇", OrgKind.TOWNSHIP, county)
    Organization.objects.filter(code="B-TA").update(name="改名")
    (Path(settings.MEDIA_ROOT) / "records" / "2026" / "证据.pdf").unlink()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("x")
    write_checkpoint()

    restored = restore_backup(archive)
    assert restored.counts_match, restored.count_differences
    assert row_counts() == before
    assert Organization.objects.get(code="B-TA").name == "南湖镇"
    assert not Organization.objects.filter(code="B-TB").exists()
    assert (Path(settings.MEDIA_ROOT) / "records" / "2026" / "证据.pdf").read_bytes() == b"%PDF-1.7 evidence"
    assert not (Path(settings.MEDIA_ROOT) / "stray.txt").exists()
    assert restored.verify.ok and "一致" in restored.verify.checkpoint
    # the checkpoint file of the newer state is kept aside, not lost
    assert list(Path(settings.YIFA_AUDIT_CHECKPOINT_FILE).parent.glob("audit-checkpoints.jsonl.before-restore-*"))
    # timestamps survive to the microsecond (the chain signs them), unlike dumpdata
    assert verify_chain().ok


def test_an_archive_with_a_changed_file_is_refused(county, tmp_path):
    archive = tmp_path / "yifa.tar.gz"
    create_backup(archive)
    bad = tmp_path / "bad.tar.gz"
    rewrite_archive(archive, bad, lambda n, d: d + b"x" if n.startswith("media/") else d)
    name_before = Organization.objects.get(code="B-TA").name
    Organization.objects.filter(code="B-TA").update(name="恢复前")
    with pytest.raises(DomainError) as exc:
        restore_backup(bad)
    assert "校验和" in exc.value.message and "证据.pdf" in exc.value.message
    assert Organization.objects.get(code="B-TA").name == "恢复前" != name_before  # nothing was restored


def test_an_archive_with_an_edited_manifest_is_refused(county, tmp_path):
    archive = tmp_path / "yifa.tar.gz"
    create_backup(archive)
    bad = tmp_path / "bad.tar.gz"

    def edit(name, data):
        if name != "manifest.json":
            return data
        m = json.loads(data)
        m["files"][0]["sm3"] = "0" * 64  # an attacker "fixing" the sums after changing the dump
        return json.dumps(m).encode()

    rewrite_archive(archive, bad, edit)
    with pytest.raises(DomainError) as exc:
        restore_backup(bad)
    assert "签名不符" in exc.value.message


def test_an_extra_file_in_the_archive_is_refused(county, tmp_path):
    archive = tmp_path / "yifa.tar.gz"
    create_backup(archive)
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(archive) as tin, tarfile.open(bad, "w:gz") as tout:
        for m in tin.getmembers():
            tout.addfile(m, tin.extractfile(m))
        info = tarfile.TarInfo("media/extra.html")
        info.size = 3
        tout.addfile(info, io.BytesIO(b"<x>"))
    with pytest.raises(DomainError) as exc:
        restore_backup(bad)
    assert "未列出" in exc.value.message


def test_commands_print_the_result(county, tmp_path, capsys):
    archive = tmp_path / "c.tar.gz"
    call_command("backup", str(archive))
    assert "备份完成" in capsys.readouterr().out
    call_command("restore", str(archive))
    out = capsys.readouterr().out
    assert "各表行数与清单一致" in out and "审计链完整" in out
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    assert "不存在" in str(exc.value)


def test_pg_tools_are_found_off_path(settings, monkeypatch, tmp_path):
    settings.YIFA_PG_BIN_DIR = "/opt/pg/bin"
    assert backup.pg_bin("pg_dump") == "/opt/pg/bin/pg_dump"
    settings.YIFA_PG_BIN_DIR = ""
    monkeypatch.setenv("PATH", str(tmp_path))
    fake = [str(tmp_path / v / "bin" / "pg_dump") for v in ("9", "15", "13")]
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: list(fake))
    assert backup.pg_bin("pg_dump") == fake[1]  # the newest major version
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: [])
    with pytest.raises(DomainError):
        backup.pg_bin("pg_dump")
