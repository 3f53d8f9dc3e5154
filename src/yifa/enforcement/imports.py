"""Bulk intake from departmental systems: Excel/CSV upload and JSON rows.

Each row is validated first (errors: row, field, message, in Chinese); a batch with any
bad row imports nothing. Re-importing the same source case number updates the case
(idempotent on (source_system, source_case_no)); base libraries are keyed on the
certificate number, the item code, and (unit, name) for bodies.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from yifa.core.errors import DomainError
from yifa.orgs.models import Organization

from . import services
from .models import (BodyKind, Case, CaseType, EnforcementBody, EnforcementItem, ImportBatch, ItemCategory,
                     Officer, OfficerStatus, PartyKind, Procedure, Sanction)

MAX_ERRORS = 500
PROGRESS_EVERY = 200

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
        "training_hours": ("培训学时", False),
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


def read_table(upload) -> list[dict]:
    """Rows of an .xlsx or .csv file as dicts keyed by the header row (streamed)."""
    name = (getattr(upload, "name", "") or "").lower()
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):
        from openpyxl import load_workbook

        wb = load_workbook(upload, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(it, [])]
        rows = [dict(zip(header, r, strict=False)) for r in it if any(c not in (None, "") for c in r)]
        wb.close()
        return rows
    if name.endswith(".xls"):
        raise DomainError("不支持 .xls 旧格式，请另存为 .xlsx 或 .csv。", {"file": ["格式不支持"]})
    raw = upload.read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError("无法识别文件编码（应为 UTF-8 或 GB18030）。", {"file": ["编码错误"]})
    reader = csv.DictReader(io.StringIO(text))
    return [{(k or "").strip(): v for k, v in r.items()} for r in reader if any((v or "").strip() for v in r.values())]


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
        items = {i.code: i for i in EnforcementItem.objects.filter(
            code__in={str(r.get("item_code") or "") for r in rows})}
        certs = {c.strip() for r in rows for c in str(r.get("officers") or "").replace("，", ",").split(",") if c.strip()}
        officers = {o.certificate_no: o for o in Officer.objects.filter(certificate_no__in=certs).select_related("org")}
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
                elif field == "training_hours":
                    value = int(value)
                elif field == "org_code":
                    if str(value) not in orgs:
                        raise ValueError(f"单位代码“{value}”不存在或不在您的管理范围内")
                    data["org"] = orgs[str(value)]
                elif field == "item_code":
                    if str(value) not in items:
                        raise ValueError(f"事项编码“{value}”不存在")
                    data["item"] = items[str(value)]
                elif field == "officers":
                    certs = [c.strip() for c in str(value).replace("，", ",").split(",") if c.strip()]
                    missing = [c for c in certs if c not in officers]
                    if missing:
                        raise ValueError(f"执法证号不存在：{'、'.join(missing)}")
                    value = [officers[c] for c in certs]
                else:
                    value = str(value)
            except (ValueError, InvalidOperation) as exc:
                err(field, str(exc) if str(exc) and "Decimal" not in str(exc) else "格式错误")
                continue
            data[field] = value
        if kind == "cases":
            if data.get("filed_on") and data["filed_on"] > timezone.localdate():
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
            clean.append(data)
        if batch is not None and i % PROGRESS_EVERY == 0:
            ImportBatch.objects.filter(pk=batch.pk).update(processed=i - 1)
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


def import_rows(*, actor, kind: str, rows: list[dict], source_system: str = "api", filename: str = "") -> ImportBatch:
    """Validate every row, then import all of them in one transaction, or none."""
    if kind not in COLUMNS:
        raise DomainError(f"未知的数据类型：{kind}", {"kind": ["未知的数据类型"]})
    if actor is None or actor.scope_root is None:
        raise PermissionDenied("请先登录。")
    if not actor.has_role(*(services.WRITERS if kind == "cases" else services.LIBRARY_WRITERS)):
        raise PermissionDenied("您的角色不能导入该类数据。")
    source_system = (source_system or "api").strip()[:40] or "api"
    batch = ImportBatch.objects.create(org=actor.scope_root, kind=kind, source_system=source_system,
                                       filename=filename[:200], total=len(rows), created_by=actor)
    normalised = [normalise_row(kind, r) if isinstance(r, dict) else {} for r in rows]
    clean, errors = validate_rows(kind, normalised, actor=actor, batch=batch)
    if not rows:
        errors = [{"row": 0, "field": "", "message": "文件中没有数据行"}]
    if not errors:
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
    return batch


class _Rollback(Exception):
    pass


def import_file(*, actor, kind, source_system, upload) -> ImportBatch:
    rows = read_table(upload)
    return import_rows(actor=actor, kind=kind, rows=rows, source_system=source_system,
                       filename=getattr(upload, "name", ""))
