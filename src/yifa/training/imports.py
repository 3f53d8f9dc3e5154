"""Attendance of one session from an Excel (.xlsx) or CSV sheet.

Columns (Chinese headers; English field names also accepted): 执法证号 or 用户名 (one of
them), 姓名 (checked against the record when given), 出勤 (出席/缺席, default 出席),
认定学时 (default: the session's hours; 0 when absent), 备注. Every row is checked first;
any error imports nothing, and the errors come back per row (the header is row 1, as in
Excel) in Chinese."""

from django.core.exceptions import PermissionDenied

from yifa.core.errors import DomainError
from yifa.core.uploads import read_table
from yifa.enforcement.models import Officer
from yifa.orgs.models import User

from . import services
from .models import AttendanceStatus

COLUMNS = {"certificate_no": "执法证号", "username": "用户名", "name": "姓名", "status": "出勤",
           "hours": "认定学时", "note": "备注"}
STATUS_WORDS = {"出席": AttendanceStatus.ATTENDED, "参加": AttendanceStatus.ATTENDED, "是": AttendanceStatus.ATTENDED,
                "attended": AttendanceStatus.ATTENDED, "缺席": AttendanceStatus.ABSENT, "否": AttendanceStatus.ABSENT,
                "absent": AttendanceStatus.ABSENT, "请假": AttendanceStatus.ABSENT}
MAX_ROWS = 5000
# the downloadable template: column → (header, whether required), one example row, allowed values
TEMPLATE_COLUMNS = {"certificate_no": ("执法证号", "与用户名二选一（执法人员填执法证号）"),
                    "username": ("用户名", "与执法证号二选一（其他工作人员填系统用户名）"),
                    "name": ("姓名", "选填（填写时须与系统记录一致）"), "status": ("出勤", "选填（默认出席）"),
                    "hours": ("认定学时", "选填（默认本次培训学时；缺席为 0）"), "note": ("备注", False)}
TEMPLATE_EXAMPLE = {"certificate_no": "37152300001", "name": "张三", "status": "出席", "hours": 4}
TEMPLATE_CHOICES = {"status": ["出席", "缺席"]}
FIELD_LABELS = {**COLUMNS, "officer": "执法证号"}


def _cell(raw, field):
    value = raw.get(field, raw.get(COLUMNS[field]))
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and field != "hours":
        value = int(value)
    return str(value).strip()


def import_attendance(*, actor, training, rows: list[dict]) -> dict:
    """Resolve each row to an officer or a staff account, then record all of them through
    `services.record_attendance` (one transaction) or none. Raises DomainError whose
    `fields["rows"]` lists {row, field, message}."""
    if not services.can_manage(actor):
        raise PermissionDenied("只有监督员、部门法制员、乡镇法制员或系统管理员可以导入培训出勤。")
    if not rows:
        raise DomainError("文件中没有数据行。", {"rows": [{"row": 0, "field": "", "message": "文件中没有数据行"}]})
    if len(rows) > MAX_ROWS:
        raise DomainError(f"一次最多导入 {MAX_ROWS} 行。", {"rows": [{"row": 0, "field": "", "message": "行数过多"}]})
    rows = [r if isinstance(r, dict) else {} for r in rows]
    certs = {_cell(r, "certificate_no") for r in rows} - {""}
    names = {_cell(r, "username") for r in rows} - {""}
    officers = {o.certificate_no: o for o in Officer.objects.filter(certificate_no__in=certs).select_related("org")}
    users = {u.username: u for u in User.objects.filter(username__in=names).select_related("org")}
    errors, entries = [], []
    for i, raw in enumerate(rows, start=2):
        cert, username, name = _cell(raw, "certificate_no"), _cell(raw, "username"), _cell(raw, "name")
        entry = {"row": i, "note": _cell(raw, "note")}

        def err(field, message, _i=i):
            errors.append({"row": _i, "field": COLUMNS[field], "message": message})

        if cert:
            officer = officers.get(cert)
            if officer is None:
                err("certificate_no", f"执法证号“{cert}”不存在")
                continue
            entry["officer"], who = officer, officer.name
        elif username:
            user = users.get(username)
            if user is None:
                err("username", f"用户名“{username}”不存在")
                continue
            entry["user"], who = user, user.display_name
        else:
            err("certificate_no", "执法证号和用户名须至少填写一项")
            continue
        if name and name != who:
            err("name", f"姓名“{name}”与系统记录“{who}”不一致")
            continue
        status = _cell(raw, "status")
        if status:
            if status not in STATUS_WORDS:
                err("status", "出勤应为“出席”或“缺席”")
                continue
            entry["status"] = STATUS_WORDS[status]
        hours = _cell(raw, "hours")
        if hours:
            entry["hours"] = hours
        entries.append(entry)
    try:
        if errors:
            raise DomainError("", {"rows": []})
        return services.record_attendance(actor=actor, training=training, entries=entries)
    except DomainError as exc:
        more = exc.fields.get("rows", []) if isinstance(exc.fields, dict) else []
        if not more and exc.message:
            more = [{"row": 0, "field": "", "message": exc.message}]
        if errors:  # also report what record_attendance would refuse among the resolvable rows
            try:
                services.validate_attendance(actor=actor, training=training, entries=entries)
            except DomainError as inner:
                more = inner.fields.get("rows", [])
        rows_out = sorted(errors + [dict(e, field=FIELD_LABELS.get(e.get("field"), e.get("field", ""))) for e in more],
                          key=lambda e: (e["row"], e["field"]))
        raise DomainError(f"导入未完成：共 {len(rows_out)} 处错误，本批出勤全部未导入。", {"rows": rows_out}) from None


def import_file(*, actor, training, upload) -> dict:
    return import_attendance(actor=actor, training=training, rows=read_table(upload))
