"""`yifa backup` / `yifa restore`: one archive with the database (native dump through
django-dbbackup's connectors: SQLite's online backup API, PostgreSQL's pg_dump custom
format), the media files and the audit checkpoint file, plus a manifest (files, sizes,
SM3 sums, app version, database vendor, row counts per table, created_at) signed with
the audit key. Restore refuses an archive whose sums or signature do not match, restores,
and ends with the audit chain verification.

It lives with the audit app because the archive carries the chain's checkpoints and a
restore is only finished when the chain verifies. The audit key is deliberately NOT in
the archive: keep it apart (a backup that carries its own key proves nothing).
"""

import glob
import io
import json
import logging
import os
import shutil
import sqlite3
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from yifa.core.errors import DomainError

from .hashing import sm3_hex
from .keys import sign

MANIFEST = "manifest.json"
FORMAT = 1
_CHUNK = 1024 * 1024


def _sm3_file(path: Path) -> str:
    try:
        import hashlib

        h = hashlib.new("sm3")
    except ValueError:  # no OpenSSL SM3: gmssl on the whole content (backups are files we already hold)
        return sm3_hex(path.read_bytes())
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def app_version() -> str:
    try:
        return metadata.version("yifa")
    except metadata.PackageNotFoundError:
        return "unknown"


def pg_bin(name: str) -> str:
    """Path of a PostgreSQL client tool: YIFA_PG_BIN_DIR, else PATH, else the newest
    /usr/lib/postgresql/*/bin (Debian installs the tools there, off PATH)."""
    configured = getattr(settings, "YIFA_PG_BIN_DIR", "")
    if configured:
        return str(Path(configured) / name)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if candidates:
        return candidates[-1]
    raise DomainError(f"找不到 PostgreSQL 客户端工具 {name}：请安装 postgresql-client，或设置 YIFA_PG_BIN_DIR。")


class _SqliteOnlineConnector:
    """SQLite: dbbackup's SqliteBackupConnector dumps with the online backup API (safe
    while the server runs). Its restore writes over the database file, which is unsafe
    with WAL and open connections; restore through the backup API into the live
    connection instead."""

    extension = "sqlite3"

    def __init__(self):
        from dbbackup.db.sqlite import SqliteBackupConnector

        self._dump = SqliteBackupConnector("default")

    def create_dump(self):
        return self._dump.create_dump()

    def restore_dump(self, fileobj):
        with tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False) as tmp:
            shutil.copyfileobj(fileobj, tmp)
        try:
            connection.ensure_connection()
            with closing(sqlite3.connect(tmp.name)) as src:
                src.backup(connection.connection)
        finally:
            os.unlink(tmp.name)


def _pg_connector():
    from dbbackup.db.postgresql import PgDumpBinaryConnector

    return PgDumpBinaryConnector("default", dump_cmd=pg_bin("pg_dump"), restore_cmd=pg_bin("pg_restore"))


def _connector():
    import dbbackup.db.base  # noqa: F401  (sets its logger to DEBUG on import)

    # it logs every pg_dump/pg_restore command line (with the connection URL) at DEBUG
    logging.getLogger("dbbackup.command").setLevel(logging.WARNING)
    if connection.vendor == "sqlite":
        return _SqliteOnlineConnector()
    if connection.vendor == "postgresql":
        return _pg_connector()
    raise DomainError(f"不支持备份该数据库：{connection.vendor}")


def row_counts() -> dict[str, int]:
    out = {}
    with connection.cursor() as cur:
        for table in sorted(connection.introspection.table_names(cur)):
            cur.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            out[table] = cur.fetchone()[0]
    return out


def _manifest_signature(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return sign(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR if hasattr(settings, "VAR_DIR") else ".") / "backups" / f"yifa-{stamp}.tar.gz"


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def create_backup(path: Path | None = None) -> BackupResult:
    path = Path(path) if path else default_backup_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    connector = _connector()
    media_root = Path(settings.MEDIA_ROOT)
    checkpoints = Path(settings.YIFA_AUDIT_CHECKPOINT_FILE)
    with tempfile.TemporaryDirectory(prefix="yifa-backup-") as tmpdir:
        tmp = Path(tmpdir)
        db_name = f"database.{connector.extension}"
        tables, head = _dump(connector, tmp / db_name)
        members: list[tuple[str, Path]] = [(db_name, tmp / db_name)]
        if checkpoints.exists():
            members.append(("audit-checkpoints.jsonl", checkpoints))
        if media_root.is_dir():
            for file in sorted(p for p in media_root.rglob("*") if p.is_file()):
                members.append((f"media/{file.relative_to(media_root).as_posix()}", file))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "app_version": app_version(),
            "db_vendor": connection.vendor,
            "database": db_name,
            "files": [{"name": name, "size": src.stat().st_size, "sm3": _sm3_file(src)} for name, src in members],
            "tables": tables,
            "audit_head": head,
        }
        manifest["signature"] = _manifest_signature(manifest)
        partial = path.with_name(path.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, src in members:
                tar.add(src, arcname=name, recursive=False)
        os.replace(partial, path)
    return BackupResult(path, manifest)


def _dump(connector, dest: Path) -> tuple[dict[str, int], dict]:
    """Write the native dump to `dest`; return the row counts per table and the audit
    chain's head *of the dumped data* (not of a database that moved on meanwhile)."""
    from django.db import transaction

    from .models import AuditEvent
    from .services import chain_head

    if isinstance(connector, _SqliteOnlineConnector):
        with dest.open("wb") as fh:
            shutil.copyfileobj(connector.create_dump(), fh)
        with closing(sqlite3.connect(dest)) as db:
            tables = [r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
            t = AuditEvent._meta.db_table
            last_id = db.execute(f'SELECT MAX(id) FROM "{t}"').fetchone()[0]
            head_hash = db.execute(f'SELECT hash FROM "{t}" WHERE id = ?', [last_id]).fetchone() if last_id else None
            head = {"rows": counts.get(t, 0), "last_id": last_id, "head_hash": head_hash[0] if head_hash else "0" * 64}
        return counts, head
    # PostgreSQL: pg_dump reads the snapshot this transaction exports, and the counts are
    # taken in the same snapshot, so they describe exactly what was dumped.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        connector.dump_suffix = f"--snapshot={cur.fetchone()[0]}"
        with dest.open("wb") as fh:
            shutil.copyfileobj(connector.create_dump(), fh)
        return row_counts(), chain_head()


@dataclass
class RestoreResult:
    manifest: dict
    counts_match: bool
    count_differences: dict
    verify: object  # services.VerifyResult


def read_and_check(path: Path, workdir: Path) -> dict:
    """Extract the archive into `workdir` and check every file against the manifest;
    raise DomainError (in Chinese) at the first thing that does not match."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"备份文件不存在：{path}")
    try:
        with tarfile.open(path, "r:*") as tar:
            tar.extractall(workdir, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise DomainError(f"备份文件已损坏，无法读取：{exc}") from exc
    try:
        manifest = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DomainError("备份文件缺少清单（manifest.json）或清单已损坏，拒绝恢复。") from exc
    if manifest.get("signature") != _manifest_signature(manifest):
        raise DomainError("备份清单的签名不符：清单被改动，或备份来自使用另一审计密钥的系统，拒绝恢复。")
    listed = {f["name"] for f in manifest["files"]}
    present = {p.relative_to(workdir).as_posix() for p in workdir.rglob("*") if p.is_file()} - {MANIFEST}
    if present - listed:
        raise DomainError(f"备份中有清单未列出的文件，拒绝恢复：{'、'.join(sorted(present - listed)[:5])}")
    for f in manifest["files"]:
        file = workdir / f["name"]
        if not file.is_file():
            raise DomainError(f"备份中缺少文件，拒绝恢复：{f['name']}")
        if file.stat().st_size != f["size"] or _sm3_file(file) != f["sm3"]:
            raise DomainError(f"备份文件校验和（SM3）不符，拒绝恢复：{f['name']}")
    if manifest.get("db_vendor") != connection.vendor:
        raise DomainError(f"备份来自 {manifest.get('db_vendor')} 数据库，当前是 {connection.vendor}，不能直接恢复。")
    return manifest


def restore_backup(path: Path) -> RestoreResult:
    from .services import verify_chain

    with tempfile.TemporaryDirectory(prefix="yifa-restore-") as tmpdir:
        work = Path(tmpdir)
        manifest = read_and_check(Path(path), work)
        connector = _connector()
        if connection.vendor == "postgresql":
            connections.close_all()  # pg_restore --clean needs the tables free of our own locks
        with (work / manifest["database"]).open("rb") as dump:
            connector.restore_dump(dump)
        connections.close_all()
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        if (work / "media").is_dir():
            shutil.copytree(work / "media", media_root, dirs_exist_ok=True)
        checkpoints = Path(settings.YIFA_AUDIT_CHECKPOINT_FILE)
        if checkpoints.exists():  # kept: it describes the database as it was before the restore
            stamp = timezone.now().strftime("%Y%m%d%H%M%S")
            os.replace(checkpoints, checkpoints.with_name(f"{checkpoints.name}.before-restore-{stamp}"))
        if (work / "audit-checkpoints.jsonl").exists():
            checkpoints.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / "audit-checkpoints.jsonl", checkpoints)
    counts = row_counts()
    differences = {t: (manifest["tables"].get(t), counts.get(t))
                   for t in sorted(set(counts) | set(manifest["tables"]))
                   if counts.get(t) != manifest["tables"].get(t)}
    return RestoreResult(manifest, not differences, differences, verify_chain())
