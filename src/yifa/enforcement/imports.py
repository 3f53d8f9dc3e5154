"""Bulk intake from departmental systems: Excel/CSV upload and JSON rows.

Each row is validated first (errors: row, field, message, in Chinese); a batch with any
bad row imports nothing. Re-importing the same source case number updates the case
(idempotent on (source_system, source_case_no)); base libraries are keyed on the
certificate number, the item code, and (unit, name) for bodies.
"""

import json
import os
import socket
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q

from yifa.core import clock
from yifa.core.db.bulk import insert_rows
from yifa.core.errors import DomainError
from yifa.core.uploads import IMPORT_MAX_BYTES, TABLES, check_upload, read_table
from yifa.orgs.models import Organization

from . import services
from .models import (BodyKind, Case, CaseType, EnforcementBody, EnforcementItem, ImportBatch, ItemCategory,
                     LoadDimension, Officer, OfficerStatus, PartyKind, Procedure, Sanction, StagedCase)

MAX_ERRORS = 500
PROGRESS_EVERY = 200
RUNNING_STATES = ("queued", "validating", "importing")
STATE_LABELS = {"queued": "排队中", "validating": "校验中", "importing": "导入中", "running": "处理中",
                "done": "已完成", "failed": "未导入"}


# --- progress --------------------------------------------------------------------------------
# Validation runs outside any transaction: its progress is a plain UPDATE of the batch row.
# The import itself is one transaction (all or nothing), whose writes nobody else sees until
# it commits: on PostgreSQL the progress goes through a second, autocommit connection; on
# SQLite (one writer at a time, the import holds the lock) into a small file under the var
# directory that the status page reads (SQLite means one host, so every worker sees it).

def _progress_path(batch_id):
    return os.path.join(str(settings.VAR_DIR), "import-progress", f"{int(batch_id)}.json")


def report_progress(batch_id, processed: int, state: str) -> None:
    if not connection.in_atomic_block:
        ImportBatch.objects.filter(pk=batch_id).update(processed=processed, state=state)
        return
    if connection.vendor == "postgresql":
        side = connections.create_connection("default")
        try:
            side.ensure_connection()
            side.set_autocommit(True)
            with side.cursor() as cur:
                cur.execute(f"UPDATE {ImportBatch._meta.db_table} SET processed = %s, state = %s WHERE id = %s",
                            [processed, state, batch_id])
        finally:
            side.close()
        return
    path = _progress_path(batch_id)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{uuid.uuid4().hex[:8]}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"processed": processed, "state": state}, f)
    os.replace(tmp, path)


def progress_of(batch) -> dict:
    """{processed, total, state, label, percent} as other requests can see it now."""
    processed, state = batch.processed, batch.state
    if state in RUNNING_STATES:
        try:
            with open(_progress_path(batch.pk), encoding="utf-8") as f:
                p = json.load(f)
            if p.get("processed", 0) >= processed:
                processed, state = p["processed"], p.get("state", state)
        except (OSError, ValueError):
            pass
    total = batch.total or 0
    percent = 100 if state in ("done", "failed") else (round(100 * processed / total) if total else 0)
    return {"processed": processed, "total": total, "state": state, "label": STATE_LABELS.get(state, state),
            "percent": min(percent, 100), "running": state in RUNNING_STATES}


def _clear_progress(batch_id):
    try:
        os.remove(_progress_path(batch_id))
    except OSError:
        pass

# field: (Chinese header, required)
COLUMNS = {
    "cases": {
        "source_case_no": ("来源案号", True), "org_code": ("办案单位代码", True), "item_code": ("事项编码", True),
        "case_type": ("案件类型", True), "procedure": ("程序", False), "filed_on": ("立案日期", True),
        "title": ("案由", True), "party_name": ("当事人", True), "party_kind": ("当事人类型", False),
        "party_id_no": ("证件号码", False), "party_phone": ("联系电话", False), "party_address": ("地址", False),
        "facts": ("违法事实", False), "sanction": ("处罚种类", False), "amount": ("罚款金额", False),
        "officers": ("执法证号", False),
    },
    "officers": {
        "certificate_no": ("执法证号", True), "name": ("姓名", True), "org_code": ("单位代码", True),
        "valid_from": ("有效期起", True), "valid_to": ("有效期至", True), "status": ("状态", False),
    },
    "items": {
        "code": ("事项编码", True), "name": ("事项名称", True), "org_code": ("实施单位代码", True),
        "category": ("类别", True), "legal_basis": ("法律依据", True),
    },
    "bodies": {
        "name": ("主体名称", True), "org_code": ("单位代码", True), "kind": ("主体性质", False),
        "legal_basis": ("职权依据", False),
    },
}
CHOICES = {
    "case_type": CaseType, "procedure": Procedure, "party_kind": PartyKind, "sanction": Sanction,
    "status": OfficerStatus, "category": ItemCategory, "kind": BodyKind,
}


def _choice(field, value):
    enum = CHOICES[field]
    for v, label in enum.choices:
        if value in (v, label) or (label and value and label.startswith(value)):
            return v
    raise ValueError(f"应为 {'、'.join(str(label) for _, label in enum.choices)} 之一")


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(s[:10])
    except ValueError as exc:
        raise ValueError("日期格式应为 YYYY-MM-DD") from exc


def normalise_row(kind: str, raw: dict) -> dict:
    """Accept either the English field names or the Chinese headers."""
    out = {}
    for field, (zh, _req) in COLUMNS[kind].items():
        value = raw.get(field, raw.get(zh))
        if isinstance(value, str):
            value = value.strip()
        out[field] = value
    return out


def validate_rows(kind: str, rows: list[dict], *, actor, batch=None) -> tuple[list[dict], list[dict]]:
    """(clean rows, errors). Row numbers count the header as row 1 (as in Excel)."""
    scope = actor.scope_root.path if actor is not None else ""
    orgs = {o.code: o for o in Organization.objects.filter(
        code__in={str(r.get("org_code") or "") for r in rows}, path__startswith=scope)}
    items = {}
    officers = {}
    if kind == "cases":
        # the same scoped lookups as the API: an item or officer of another unit does not exist here
        item_qs = EnforcementItem.objects.visible_to(actor) if actor is not None else EnforcementItem.objects.all()
        items = {i.code: i for i in item_qs.select_related("org").filter(code__in={str(r.get("item_code") or "") for r in rows})}
        certs = {c.strip() for r in rows for c in str(r.get("officers") or "").replace("，", ",").split(",") if c.strip()}
        officer_qs = Officer.objects.visible_to(actor) if actor is not None else Officer.objects.all()
        officers = {o.certificate_no: o for o in officer_qs.filter(certificate_no__in=certs).select_related("org")}
    clean, errors, seen = [], [], {}
    for i, row in enumerate(rows, start=2):
        row_errors = []

        def err(field, message, _i=i, _e=row_errors):
            _e.append({"row": _i, "field": COLUMNS[kind].get(field, (field,))[0], "message": message})

        data = {}
        for field, (zh, required) in COLUMNS[kind].items():
            value = row.get(field)
            if value in (None, ""):
                if required:
                    err(field, "必填")
                continue
            try:
                if field in CHOICES:
                    value = _choice(field, str(value))
                elif field in ("filed_on", "valid_from", "valid_to"):
                    value = _date(value)
                elif field == "amount":
                    value = Decimal(str(value))
                    if value < 0:
                        raise ValueError("不能为负数")
                elif field == "org_code":
                    if str(value) not in orgs:
                        raise ValueError(f"单位代码“{value}”不存在或不在您的管理范围内")
                    data["org"] = orgs[str(value)]
                elif field == "item_code":
                    if str(value) not in items:
                        raise ValueError(f"事项编码“{value}”不存在或不在您的管理范围内")
                    data["item"] = items[str(value)]
                elif field == "officers":
                    certs = [c.strip() for c in str(value).replace("，", ",").split(",") if c.strip()]
                    missing = [c for c in certs if c not in officers]
                    if missing:
                        raise ValueError(f"执法证号不存在或不在您的管理范围内：{'、'.join(missing)}")
                    value = [officers[c] for c in certs]
                else:
                    value = str(value)
            except (ValueError, InvalidOperation) as exc:
                err(field, str(exc) if str(exc) and "Decimal" not in str(exc) else "格式错误")
                continue
            data[field] = value
        if kind == "cases":
            if data.get("filed_on") and data["filed_on"] > clock.today():
                err("filed_on", "不能晚于今天")
            key = data.get("source_case_no")
        elif kind == "officers":
            if data.get("valid_from") and data.get("valid_to") and data["valid_from"] > data["valid_to"]:
                err("valid_to", "不能早于有效期起")
            key = data.get("certificate_no")
        elif kind == "items":
            key = data.get("code")
        else:
            key = (data.get("org_code"), data.get("name"))
        if key and key in seen:
            err(next(iter(COLUMNS[kind])), f"与第 {seen[key]} 行重复")
        elif key:
            seen[key] = i
        if row_errors:
            errors.extend(row_errors)
        else:
            data["_row"] = i
            clean.append(data)
        if batch is not None and i % PROGRESS_EVERY == 0:
            report_progress(batch.pk, i - 1, "validating")
        if len(errors) >= MAX_ERRORS:
            errors.append({"row": i, "field": "", "message": f"错误超过 {MAX_ERRORS} 处，已停止检查"})
            break
    return clean, errors


def _apply(kind, data, *, actor, source_system) -> bool:
    """Create or update one validated row. Returns True if created."""
    if kind == "cases":
        existing = Case.objects.filter(source_system=source_system, source_case_no=data["source_case_no"]).first()
        fields = {k: data[k] for k in services.CASE_FIELDS if k in data}
        if existing is not None:
            if existing.org_id != data["org"].pk:
                raise DomainError(f"来源案号 {data['source_case_no']} 已属于其他单位。")
            if data.get("officers") is not None:
                fields["officers"] = data["officers"]
            services.update_case(actor=actor, case=existing, data=fields)
            return False
        services.file_case(actor=actor, org=data["org"], item=data["item"], case_type=data["case_type"],
                           procedure=data.get("procedure") or "general", filed_on=data["filed_on"],
                           officers=data.get("officers") or [], source_system=source_system,
                           source_case_no=data["source_case_no"], **fields)
        return True
    model, key = {"officers": (Officer, "certificate_no"), "items": (EnforcementItem, "code"),
                  "bodies": (EnforcementBody, None)}[kind]
    if key:
        existing = model.objects.filter(**{key: data[key]}).first()
    else:
        existing = model.objects.filter(org=data["org"], name=data["name"]).first()
    payload = {k: v for k, v in data.items() if k not in ("org_code",)}
    if existing is not None and not existing.org.path.startswith(actor.scope_root.path if actor else ""):
        raise PermissionDenied(f"{data.get(key) or data.get('name')} 属于其他单位。")
    services.save_library_record(actor=actor, model=model, data=payload, instance=existing)
    return existing is None


def import_rows(*, actor, kind: str, rows: list[dict], source_system: str = "api", filename: str = "",
                batch: ImportBatch | None = None) -> ImportBatch:
    """Validate every row, then import all of them in one transaction, or none. Progress
    (rows validated, then rows imported) is reported every PROGRESS_EVERY rows."""
    if kind not in COLUMNS:
        raise DomainError(f"未知的数据类型：{kind}", {"kind": ["未知的数据类型"]})
    if actor is None or actor.scope_root is None:
        raise PermissionDenied("请先登录。")
    if not actor.has_role(*(services.WRITERS if kind == "cases" else services.LIBRARY_WRITERS)):
        raise PermissionDenied("您的角色不能导入该类数据。")
    source_system = (source_system or "api").strip()[:40] or "api"
    if batch is None:
        batch = ImportBatch.objects.create(org=actor.scope_root, kind=kind, source_system=source_system,
                                           filename=filename[:200], total=len(rows), created_by=actor,
                                           state="validating")
    else:
        batch.total, batch.state = len(rows), "validating"
        ImportBatch.objects.filter(pk=batch.pk).update(total=batch.total, state=batch.state)
    normalised = [normalise_row(kind, r) if isinstance(r, dict) else {} for r in rows]
    clean, errors = validate_rows(kind, normalised, actor=actor, batch=batch)
    if not rows:
        errors = [{"row": 0, "field": "", "message": "文件中没有数据行"}]
    if not errors and kind == "cases":
        report_progress(batch.pk, 0, "importing")
        batch.created, batch.updated, errors = import_cases(actor=actor, clean=clean, batch=batch,
                                                            source_system=source_system)
    elif not errors:
        report_progress(batch.pk, 0, "importing")
        try:
            with transaction.atomic():
                created = updated = 0
                for n, data in enumerate(clean, start=2):
                    try:
                        if _apply(kind, data, actor=actor, source_system=source_system):
                            created += 1
                        else:
                            updated += 1
                    except (DomainError, PermissionDenied) as exc:
                        errors.append({"row": n, "field": "", "message": getattr(exc, "message", str(exc))})
                    except Exception as exc:  # noqa: BLE001 — model validation of one row
                        from django.core.exceptions import ValidationError

                        if not isinstance(exc, ValidationError):
                            raise
                        errors.append({"row": n, "field": "", "message": "；".join(exc.messages)})
                    if (n - 1) % PROGRESS_EVERY == 0:
                        report_progress(batch.pk, n - 1, "importing")
                if errors:
                    raise _Rollback
                batch.created, batch.updated = created, updated
        except _Rollback:
            pass
    batch.errors = errors
    batch.processed = len(rows)
    batch.state = "failed" if errors else "done"
    if errors:
        batch.created = batch.updated = 0
    batch.save()
    _clear_progress(batch.pk)
    return batch


class _Rollback(Exception):
    pass


def import_file(*, actor, kind, source_system, upload) -> ImportBatch:
    rows = read_table(upload)
    return import_rows(actor=actor, kind=kind, rows=rows, source_system=source_system,
                       filename=getattr(upload, "name", ""))


# --- large files in the background ---------------------------------------------------------------

def background_threshold() -> int:
    """Files of at least this many bytes are imported in the background (default 256 KB,
    about a thousand case rows)."""
    return int(getattr(settings, "YIFA_ENFORCEMENT_IMPORT_BACKGROUND_BYTES", 256 * 1024))


def _enqueue(fn, *args):
    """Hand the job to the task queue (`yifa worker` runs it, on any machine)."""
    from .tasks import import_job

    return import_job.enqueue(*args)


RUNNER = _enqueue  # tests may run the job by hand instead


def start_import(*, actor, kind, source_system, upload) -> ImportBatch:
    """Queue a large upload: the file is kept under the var directory, the batch is created
    (state 排队中) and a task (`yifa worker`) validates and imports it; the status page polls
    its progress. The web process does no background work; a job whose worker died is
    marked failed by the sweep and at start-up (its file removed)."""
    if kind not in COLUMNS:
        raise DomainError(f"未知的数据类型：{kind}", {"kind": ["未知的数据类型"]})
    if actor is None or actor.scope_root is None:
        raise PermissionDenied("请先登录。")
    if not actor.has_role(*(services.WRITERS if kind == "cases" else services.LIBRARY_WRITERS)):
        raise PermissionDenied("您的角色不能导入该类数据。")
    check_upload(upload, kinds=TABLES, max_bytes=IMPORT_MAX_BYTES, what="导入文件")
    name = os.path.basename(getattr(upload, "name", "") or "upload")[-120:]
    folder = os.path.join(str(settings.VAR_DIR), "import-uploads")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{uuid.uuid4().hex}-{name}")
    upload.seek(0)
    with open(path, "wb") as f:
        for chunk in iter(lambda: upload.read(1024 * 1024), b""):
            f.write(chunk)
    batch = ImportBatch.objects.create(org=actor.scope_root, kind=kind,
                                       source_system=(source_system or "api").strip()[:40] or "api",
                                       filename=name[:200], state="queued", created_by=actor,
                                       upload_path=path)
    transaction.on_commit(lambda: RUNNER(run_import_job, batch.pk, path, actor.pk))
    return batch


def run_import_job(batch_id, path, actor_id):
    """The background job of one queued batch. A batch no longer queued (failed meanwhile
    by the time limit, or a second delivery of the task) is left alone."""
    from yifa.core.tasks import current_worker
    from yifa.orgs.models import User

    if not ImportBatch.objects.filter(pk=batch_id, state="queued").update(
            worker=current_worker() or this_worker()):
        return
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        actor = User.objects.get(pk=actor_id)
        with open(path, "rb") as f:
            rows = read_table(_Upload(f, batch.filename))
        import_rows(actor=actor, kind=batch.kind, rows=rows, source_system=batch.source_system,
                    filename=batch.filename, batch=batch)
    except Exception as exc:  # noqa: BLE001 — whatever stopped the job is reported on the batch
        message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
        ImportBatch.objects.filter(pk=batch_id).update(
            state="failed", created=0, updated=0,
            errors=[{"row": 0, "field": "", "message": f"导入失败，本批数据全部未导入：{message}"}])
        _clear_progress(batch_id)
    finally:
        try:
            os.remove(path)
        except OSError:
            pass


class _Upload:
    """A file on disk with the uploaded name (read_table looks at both)."""

    def __init__(self, f, name):
        self._f, self.name = f, name

    def read(self, *a):
        return self._f.read(*a)

    def seek(self, *a):
        return self._f.seek(*a)

    def tell(self):
        return self._f.tell()

    def seekable(self):
        return True

    def readable(self):
        return True


def this_worker() -> str:
    """host:pid of this process (outside `yifa worker`, which names itself host:pid:id)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _worker_gone(worker: str) -> bool:
    """Whether the worker running the batch is gone: its process, on this host, or its
    heartbeat, on any host (core.tasks); otherwise the batch waits for the time limit."""
    from yifa.core.tasks import worker_gone

    return worker_gone(worker)


INTERRUPTED = [{"row": 0, "field": "", "message": "导入被中断（服务重启或进程终止），本批数据全部未导入，请重新上传。"}]


def fail_interrupted(now=None, *, after=timedelta(hours=2)) -> int:
    """Batches cut off (a worker killed or restarted): nothing of them was committed. A
    batch whose worker process is gone is marked failed at once, one of another host after
    `after`; its uploaded file (party data) is removed. Runs in the sweep and at start-up."""
    from django.utils import timezone as tz

    now = now or tz.now()
    running = ImportBatch.objects.filter(state__in=RUNNING_STATES)
    gone = [b.pk for b in running.only("pk", "worker") if b.worker and _worker_gone(b.worker)]
    stale = running.filter(Q(pk__in=gone) | Q(created_at__lt=now - after))
    failed = 0
    for batch in stale.only("pk", "upload_path"):
        if ImportBatch.objects.filter(pk=batch.pk, state__in=RUNNING_STATES).update(
                state="failed", created=0, updated=0, errors=INTERRUPTED):
            failed += 1
            _clear_progress(batch.pk)
            StagedCase.objects.filter(batch_id=batch.pk).delete()
            if batch.upload_path:
                try:
                    os.remove(batch.upload_path)
                except OSError:
                    pass
    return failed


# --- cases at COPY speed -------------------------------------------------------------------
#
# A case file is imported in three phases, so that the site keeps answering and the
# import stays all or nothing:
#
# 1. Check (no write transaction). `validate_rows` reads each lookup table once for the
#    whole file (units with their ancestors, items, officers; the existing source case
#    numbers in a few large IN queries), then every check of `services.file_case` runs in
#    Python: the item belongs to the county, summary procedure only for penalties, the
#    officers belong to the unit, the columns' lengths and digits. The filing deadlines
#    are computed by the deadlines app's planner (one engine call per distinct rule, unit
#    and day), and with them the board's columns (due, yellow_from) and the rollup deltas.
#    Any bad row: the batch fails here and nothing is written.
# 2. Stage (short transactions of STAGE_ROWS rows). The new cases go into the staging
#    table `StagedCase`, which nobody reads but the import — one statement per chunk
#    (COPY on PostgreSQL). Readers and other writers see no difference.
# 3. Switch (one short transaction). Under the lock of the unit-year number series, each
#    unit-year takes its numbers in one step and its cases go into the cases table with one
#    INSERT … SELECT from the staging table (the 案号 computed in SQL from the first number
#    taken); then per SWITCH_ROWS cases: one read of the new rows, one insert of their
#    officers, one of their deadlines (deadlines app, bulk path), one of their audit rows
#    (audit app, bulk path: one chained, signed row per case, `case.file`). The rollup
#    deltas go in with one upsert; re-imported cases (updates) take the service path; the
#    staged rows are deleted. Everything the cases table shows appears at this commit or
#    not at all; the statements per chunk do not depend on its size.
#
# A failure at any point leaves no case visible: before the switch only staged rows exist
# (deleted by the failure handler, by the next run of the same batch, or by the sweep with
# the interrupted batch), and the switch is one transaction.

STAGE_ROWS = 5000
SWITCH_ROWS = 5000
LOOKUP_CHUNK = 20000
# the columns of `Case` a staged row carries (same names); the rest are the same for all rows
STAGED_CASE_COLUMNS = ("org_id", "item_id", "case_type", "procedure", "state", "title", "party_name", "party_kind",
                       "party_id_no", "party_phone", "party_address", "facts", "sanction", "amount", "filed_on",
                       "is_open", "due", "due_provisional", "yellow_from", "due_rule", "source_case_no")
CHECKED_FIELDS = ("title", "party_name", "party_kind", "party_id_no", "party_phone", "party_address", "facts",
                  "sanction", "source_case_no", "case_type", "procedure")


def _chunks(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _existing_cases(source_system: str, keys: list[str]) -> dict[str, tuple[int, int]]:
    """{source_case_no: (org_id, case id)} of the keys already imported from `source_system`."""
    out = {}
    for part in _chunks(keys, LOOKUP_CHUNK):
        out.update({k: (org_id, pk) for k, org_id, pk in Case.objects.filter(
            source_system=source_system, source_case_no__in=part).values_list("source_case_no", "org_id", "pk")})
    return out


def _governments(orgs) -> dict[int, str]:
    """{org id: path of its county/city/province} with one query for all ancestors."""
    from yifa.orgs.models import GOVERNMENT_KINDS

    ids = {int(x) for o in orgs for x in (o.path or "").split(".") if x}
    kinds, paths = {}, {}
    for pk, kind, path in Organization.objects.filter(pk__in=ids).values_list("pk", "kind", "path"):
        kinds[pk], paths[pk] = kind, path
    out = {}
    for o in orgs:
        chain = [int(x) for x in (o.path or "").split(".") if x]
        gov = next((i for i in reversed(chain) if kinds.get(i) in GOVERNMENT_KINDS), o.pk)
        out[o.pk] = paths.get(gov, o.path)
    return out


def check_cases(clean: list[dict], *, source_system: str) -> tuple[list[dict], list[dict], list[dict]]:
    """The checks `services.file_case` makes, for the whole file at once: (new rows, rows
    updating a case imported before, errors)."""
    errors, new, updates = [], [], []
    govs = _governments({d["org"].pk: d["org"] for d in clean if d.get("org")}.values())
    existing = _existing_cases(source_system, [d["source_case_no"] for d in clean])
    # the model's own limits (what full_clean would refuse); choices were checked by validate_rows
    lengths = {f: Case._meta.get_field(f).max_length for f in CHECKED_FIELDS
               if getattr(Case._meta.get_field(f), "max_length", None)}
    amount_field = Case._meta.get_field("amount")
    for d in clean:
        row = d["_row"]

        def err(field, message, _row=row):
            errors.append({"row": _row, "field": COLUMNS["cases"].get(field, (field,))[0], "message": message})

        org, item = d["org"], d["item"]
        if not item.org.path.startswith(govs[org.pk]) and not org.path.startswith(item.org.path):
            err("item_code", "执法事项不属于本县（区）")
        procedure = d.get("procedure") or "general"
        if procedure != "general" and d["case_type"] != "penalty":
            err("procedure", "只有行政处罚可适用简易程序")
        for o in d.get("officers") or ():
            if not org.path.startswith(o.org.path) and not o.org.path.startswith(org.path):
                err("officers", f"执法人员 {o.name} 不属于办案单位")
        for name, limit in lengths.items():
            value = d.get(name)
            if value and len(value) > limit:
                err(name, f"最多 {limit} 个字符（现有 {len(value)} 个）")
        if d.get("amount") is not None:
            try:
                amount_field.clean(d["amount"], None)
            except ValidationError as exc:
                err("amount", "；".join(exc.messages))
        known = existing.get(d["source_case_no"])
        if known is not None and known[0] != org.pk:
            err("source_case_no", f"来源案号 {d['source_case_no']} 已属于其他单位")
        if errors and errors[-1]["row"] == row:
            continue
        (updates if known is not None else new).append(d)
        if len(errors) >= MAX_ERRORS:
            errors.append({"row": row, "field": "", "message": f"错误超过 {MAX_ERRORS} 处，已停止检查"})
            break
    return new, updates, errors


def plan_cases(new: list[dict], *, actor) -> tuple[list[dict], dict]:
    """Each new case's staged row (with its filing deadlines and the board's columns) and
    the rollup deltas of the whole batch."""
    from yifa.deadlines.services import DeadlinePlanner

    from .workflows import FILING_DEADLINES, INITIAL_STATE

    planner = DeadlinePlanner()
    day = services.load_as_of()
    ranks: dict[tuple[int, int], int] = {}
    deltas: dict = {}
    handler_id = getattr(actor, "pk", None)
    planned = []
    for d in new:
        org, year = d["org"], d["filed_on"].year
        procedure = d.get("procedure") or "general"
        plans = [planner.plan(rule_code=code, start=d["filed_on"], org=org)
                 for code in FILING_DEADLINES.get((d["case_type"], procedure), ())]
        first = min(plans, key=lambda p: p["due"]) if plans else None
        rank = ranks.get((org.pk, year), 0)
        ranks[(org.pk, year)] = rank + 1
        officer_ids = list(dict.fromkeys(o.pk for o in d.get("officers") or ()))
        row = {
            "row_no": d["_row"], "year": year, "serial_rank": rank, "case_prefix": services.case_no_prefix(org, year),
            "org_id": org.pk, "item_id": d["item"].pk, "case_type": d["case_type"], "procedure": procedure,
            "state": INITIAL_STATE[d["case_type"]], "title": d["title"], "party_name": d["party_name"],
            "party_kind": d.get("party_kind") or "individual", "party_id_no": d.get("party_id_no") or "",
            "party_phone": d.get("party_phone") or "", "party_address": d.get("party_address") or "",
            "facts": d.get("facts") or "", "sanction": d.get("sanction") or "", "amount": d.get("amount"),
            "filed_on": d["filed_on"], "is_open": True, "due": first["due"] if first else None,
            "due_provisional": bool(first and first["provisional"]), "yellow_from": first["yellow_from"] if first else None,
            "due_rule": first["rule_code"] if first else "", "source_case_no": d["source_case_no"],
            "officer_ids": officer_ids, "deadlines": plans,
        }
        planned.append(row)
        state = services.due_state(row["due"], row["yellow_from"], day)
        keys = [(LoadDimension.ORG, org.pk, org.pk), (LoadDimension.HANDLER, org.pk, handler_id or 0),
                (LoadDimension.ITEM, org.pk, d["item"].pk)] + [(LoadDimension.OFFICER, org.pk, o) for o in officer_ids]
        for key in keys:
            delta = deltas.setdefault(key, {"total": 0, "red": 0, "yellow": 0})
            delta["total"] += 1
            if state in ("red", "yellow"):
                delta[state] += 1
    return planned, deltas


STAGED_NAMES = ("batch_id", "row_no", "year", "serial_rank", "case_prefix", *STAGED_CASE_COLUMNS)


def stage_cases(batch, planned: list[dict], *, progress=None) -> int:
    """Write the planned cases into the staging table, STAGE_ROWS per short transaction."""
    StagedCase.objects.filter(batch=batch).delete()
    done = 0
    for part in _chunks(planned, STAGE_ROWS):
        with transaction.atomic():
            insert_rows(StagedCase, list(STAGED_NAMES),
                        [tuple(batch.pk if n == "batch_id" else r[n] for n in STAGED_NAMES) for r in part])
        done += len(part)
        if progress:
            progress(done)
    return done


def _case_no_sql(vendor: str) -> str:
    """The 案号 of a staged row: prefix + (first number taken + rank), at least 5 digits."""
    if vendor == "postgresql":
        return ("(%s || CASE WHEN (%s + s.serial_rank) < 100000 THEN lpad((%s + s.serial_rank)::text, 5, '0') "
                "ELSE (%s + s.serial_rank)::text END || '号')")
    return "(%s || printf('%%05d', %s + s.serial_rank) || '号')"


def _insert_group(batch, *, actor, source_system: str, org_id: int, year: int, prefix: str, first: int) -> None:
    """INSERT … SELECT one unit-year's staged cases into the cases table."""
    qn = connection.ops.quote_name
    template = Case(org_id=org_id, source_system=source_system, handler=actor)
    cols, exprs, params = [], [], []
    for f in Case._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(qn(f.column))
        if f.attname in STAGED_CASE_COLUMNS:
            exprs.append(f"s.{qn(f.column)}")
        elif f.attname == "case_no":
            sql = _case_no_sql(connection.vendor)
            exprs.append(sql)
            params += [prefix] + [first] * (sql.count("%s") - 1)
        else:
            exprs.append("%s")
            params.append(f.get_db_prep_save(f.pre_save(template, add=True), connection))
    sql = (f"INSERT INTO {qn(Case._meta.db_table)} ({', '.join(cols)}) SELECT {', '.join(exprs)} "
           f"FROM {qn(StagedCase._meta.db_table)} s WHERE s.batch_id = %s AND s.org_id = %s AND s.year = %s "
           f"ORDER BY s.serial_rank")
    with connection.cursor() as cur:
        cur.execute(sql, [*params, batch.pk, org_id, year])


def switch_in(batch, planned: list[dict], deltas: dict, *, actor, source_system: str, updates=()) -> tuple[int, int]:
    """The one transaction that makes the staged cases (and the updates) visible."""
    from yifa.audit.services import record_many, state_fields
    from yifa.deadlines.services import create_planned

    orgs = {}
    groups: dict[tuple[int, int], list] = {}
    for r in planned:
        groups.setdefault((r["org_id"], r["year"]), []).append(r)
    handler_id = getattr(actor, "pk", None)
    with transaction.atomic():
        if not ImportBatch.objects.select_for_update(of=("self",)).filter(
                pk=batch.pk, state__in=RUNNING_STATES).exists():
            raise DomainError("导入已被终止（超时或进程中断），本批数据全部未导入。")
        if groups:
            orgs = Organization.objects.in_bulk({k[0] for k in groups})
        for (org_id, year), rows in sorted(groups.items()):
            first = services.take_case_serials(orgs[org_id], year, len(rows))
            _insert_group(batch, actor=actor, source_system=source_system, org_id=org_id, year=year,
                          prefix=rows[0]["case_prefix"], first=first)
        names = [f.attname for f in state_fields(Case)]
        through = Case.officers.through
        for part in _chunks(planned, SWITCH_ROWS):
            by_key = {r["source_case_no"]: r for r in part}
            cases = list(Case._base_manager.filter(source_system=source_system, source_case_no__in=list(by_key))
                         .values(*names))
            insert_rows(through, ["case_id", "officer_id"],
                        [(c["id"], o) for c in cases for o in by_key[c["source_case_no"]]["officer_ids"]])
            create_planned(owner_type=Case._meta.label_lower, rows=[
                {**p, "owner_id": c["id"], "org_id": c["org_id"], "handler_id": handler_id,
                 "title": f"{c['case_no']} {c['title']}"}
                for c in cases for p in by_key[c["source_case_no"]]["deadlines"]])
            record_many(actor, "case.file", Case, [
                {"object_id": c["id"], "object_repr": f"{c['case_no']} {c['title']}", "org_id": c["org_id"],
                 "after": {"org": c["org_id"], "item": c["item_id"], "case_type": c["case_type"],
                           "procedure": c["procedure"], "state": c["state"], "filed_on": c["filed_on"].isoformat(),
                           "case_no": c["case_no"], "officers": by_key[c["source_case_no"]]["officer_ids"],
                           "deadlines": [{"rule": p["rule_code"], "due": p["due"] and p["due"].isoformat()}
                                         for p in by_key[c["source_case_no"]]["deadlines"]]},
                 "reason": f"批量导入（批次 #{batch.pk}）"} for c in cases],
                states={str(c["id"]): c for c in cases}, plain=True)
        services.apply_load_deltas(deltas)
        for d in updates:
            try:
                _apply("cases", d, actor=actor, source_system=source_system)
            except (DomainError, PermissionDenied) as exc:
                raise DomainError(f"第 {d['_row']} 行：{getattr(exc, 'message', str(exc))}") from exc
        StagedCase.objects.filter(batch=batch).delete()
        ImportBatch.objects.filter(pk=batch.pk).update(state="done", created=len(planned), updated=len(updates),
                                                       processed=batch.total, errors=[])
    return len(planned), len(updates)


def import_cases(*, actor, clean: list[dict], batch, source_system: str) -> tuple[int, int, list[dict]]:
    """Check, stage and switch in a validated case file (see the comment above).
    Returns (created, updated, errors); with errors nothing was imported."""
    new, updates, errors = check_cases(clean, source_system=source_system)
    if errors:
        return 0, 0, errors
    planned, deltas = plan_cases(new, actor=actor)
    try:
        stage_cases(batch, planned, progress=lambda n: report_progress(batch.pk, n, "importing"))
        created, updated = switch_in(batch, planned, deltas, actor=actor, source_system=source_system,
                                     updates=updates)
    except (DomainError, PermissionDenied, ValidationError, IntegrityError) as exc:
        StagedCase.objects.filter(batch=batch).delete()
        if isinstance(exc, IntegrityError):
            message = "来源案号与已有案件重复（导入期间已由他人录入），本批数据全部未导入，请重新导入。"
        elif isinstance(exc, ValidationError):
            message = "；".join(exc.messages)
        else:
            message = getattr(exc, "message", str(exc))
        return 0, 0, [{"row": 0, "field": "", "message": message}]
    except BaseException:
        StagedCase.objects.filter(batch=batch).delete()
        raise
    return created, updated, []
