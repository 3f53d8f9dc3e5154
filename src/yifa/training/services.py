"""Writes of the training app: every one atomic, validated (Chinese messages), audited."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction

from yifa.core import clock
from yifa.core.validation import text_field as _text
from yifa.audit.services import record
from yifa.core.errors import DomainError
from yifa.enforcement.models import Officer, OfficerStatus
from yifa.orgs.models import Organization, Role, User

from .models import Attendance, AttendanceStatus, HoursRequirement, Training, TrainingKind

MANAGERS = (Role.SUPERVISOR, Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER, Role.ADMIN)
MAX_HOURS = Decimal("100")


def can_manage(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*MANAGERS)


def _require_manager(actor, org, what):
    if actor is None:
        return
    if not can_manage(actor):
        raise PermissionDenied(f"只有监督员、部门法制员、乡镇法制员或系统管理员可以{what}。")
    root = actor.scope_root
    if root is None or not org.path.startswith(root.path):
        raise PermissionDenied("该单位不在您的管理范围内。")


def _in_scope(actor, org) -> bool:
    return actor is None or (actor.scope_root is not None and org.path.startswith(actor.scope_root.path))


def parse_hours(value, field="hours", label="学时", *, allow_zero=False) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(f"{label}应为数字。", {field: ["应为数字"]}) from None
    if not d.is_finite() or d < 0 or (d == 0 and not allow_zero):
        raise DomainError(f"{label}应大于 0。", {field: ["应大于 0"]})
    if d > MAX_HOURS:
        raise DomainError(f"{label}不能超过 {MAX_HOURS}。", {field: [f"不能超过 {MAX_HOURS}"]})
    if d != d.quantize(Decimal("0.1")):
        raise DomainError(f"{label}最多保留一位小数。", {field: ["最多一位小数"]})
    return d.quantize(Decimal("0.1"))


def _snapshot(t: Training) -> dict:
    return {"org": t.org_id, "title": t.title, "kind": t.kind, "held_on": t.held_on, "hours": t.hours,
            "location": t.location, "trainer": t.trainer, "description": t.description,
            "targets": sorted(t.targets.values_list("pk", flat=True)) if t.pk else []}


@transaction.atomic
def create_training(*, actor, org: Organization, title: str, held_on: date, hours, kind: str = TrainingKind.LAW,
                    location: str = "", trainer: str = "", targets=(), description: str = "") -> Training:
    """Record a session organised by `org` (a unit in the actor's scope) for `targets`."""
    if org is None:
        raise DomainError("请指定组织单位。", {"org": ["必填"]})
    _require_manager(actor, org, "登记培训")
    if kind not in TrainingKind.values:
        raise DomainError("培训类型无效。", {"kind": ["应为 " + "、".join(TrainingKind.labels) + " 之一"]})
    if not held_on:
        raise DomainError("请填写培训日期。", {"held_on": ["必填"]})
    targets = list(targets or [])
    outside = [t.name for t in targets if not _in_scope(actor, t)]
    if outside:
        raise DomainError("参训单位不在您的管理范围内：" + "、".join(outside), {"targets": ["不在管理范围内"]})
    t = Training.objects.create(
        org=org, title=_text(title, "title", "培训名称", 200), kind=kind, held_on=held_on, hours=parse_hours(hours),
        location=_text(location, "location", "地点", 200, False), trainer=_text(trainer, "trainer", "授课人", 100, False),
        description=_text(description, "description", "培训内容", 10000, False), created_by=actor)
    t.targets.set(targets)
    record(actor, "training.create", t, after=_snapshot(t))
    return t


@transaction.atomic
def update_training(*, actor, training: Training, expected_version=None, **changes) -> Training:
    """Correct a session. Full credits follow a change of hours; a partial credit above the
    new hours is refused; a new date moves the attendance rows with it (not into the
    future once attendance is recorded)."""
    from yifa.core.errors import StaleVersion

    t = Training.objects.select_for_update(of=("self",)).select_related("org").get(pk=training.pk)
    _require_manager(actor, t.org, "修改培训")
    if expected_version not in (None, "") and str(expected_version) != str(t.version):
        raise StaleVersion("该培训已被他人修改，请刷新后重试。", {"version": ["版本已变化"]})
    before = _snapshot(t)
    old_hours = t.hours
    org = changes.get("org", t.org)
    if org is None:
        raise DomainError("请指定组织单位。", {"org": ["必填"]})
    if org != t.org:
        _require_manager(actor, org, "修改培训")
    kind = changes.get("kind", t.kind)
    if kind not in TrainingKind.values:
        raise DomainError("培训类型无效。", {"kind": ["应为 " + "、".join(TrainingKind.labels) + " 之一"]})
    held_on = changes.get("held_on", t.held_on)
    if not held_on:
        raise DomainError("请填写培训日期。", {"held_on": ["必填"]})
    hours = parse_hours(changes["hours"]) if "hours" in changes else t.hours
    attendances = Attendance.objects.filter(training=t)
    if held_on > clock.today() and attendances.exists():
        raise DomainError("已登记出勤的培训，日期不能改到今天以后。", {"held_on": ["晚于今天"]})
    over = attendances.filter(hours_credited__gt=hours).exclude(hours_credited=old_hours)
    if over.exists():
        raise DomainError(f"有 {over.count()} 人的认定学时超过新的培训学时 {hours}，请先调整其出勤记录。",
                          {"hours": ["低于已认定的学时"]})
    t.org, t.kind, t.held_on, t.hours = org, kind, held_on, hours
    t.title = _text(changes.get("title", t.title), "title", "培训名称", 200)
    t.location = _text(changes.get("location", t.location), "location", "地点", 200, False)
    t.trainer = _text(changes.get("trainer", t.trainer), "trainer", "授课人", 100, False)
    t.description = _text(changes.get("description", t.description), "description", "培训内容", 10000, False)
    if "targets" in changes:
        targets = list(changes["targets"] or [])
        outside = [o.name for o in targets if not _in_scope(actor, o)]
        if outside:
            raise DomainError("参训单位不在您的管理范围内：" + "、".join(outside), {"targets": ["不在管理范围内"]})
        t.targets.set(targets)
    t.version += 1
    t.save()
    if hours != old_hours:
        attendances.filter(status=AttendanceStatus.ATTENDED, hours_credited=old_hours).update(hours_credited=hours)
    if held_on != before["held_on"]:
        attendances.update(held_on=held_on)
    record(actor, "training.update", t, before=before, after=_snapshot(t))
    return t


def _attendee_org(officer, user):
    return officer.org if officer is not None else user.org


def validate_attendance(*, actor, training: Training, entries: list[dict]) -> list[tuple]:
    """Record (or correct) attendance for many people at once. Each entry: `officer` or
    `user`, `status` (attended/absent, default attended), `hours` (default: the session's
    hours if attended, 0 if absent), `note`. All entries are validated first; any error
    refuses the whole batch (DomainError with `fields["rows"]`: [{row, message}])."""
    t = training
    if actor is not None and not _in_scope(actor, t.org):
        raise PermissionDenied("该培训不在您的管理范围内。")
    _require_manager(actor, t.org, "登记培训出勤")
    if not entries:
        raise DomainError("请至少选择一名参训人员。", {"officers": ["至少选择一名"]})
    if t.held_on > clock.today():
        raise DomainError("培训尚未举行，不能登记出勤。", {"held_on": ["培训日期晚于今天"]})
    errors, clean, seen = [], [], {}
    for n, e in enumerate(entries, start=1):
        row = e.get("row", n)
        officer, user = e.get("officer"), e.get("user")
        if (officer is None) == (user is None):
            errors.append({"row": row, "field": "officer", "message": "须指定一名执法人员或一名工作人员"})
            continue
        if user is not None:
            linked = Officer.objects.filter(user=user).first()
            if linked is not None:  # a staff account with an officer profile is recorded as the officer
                officer, user = linked, None
        key = ("o", officer.pk) if officer is not None else ("u", user.pk)
        name = officer.name if officer is not None else (user.display_name or user.username)
        if key in seen:
            errors.append({"row": row, "field": "officer", "message": f"{name} 与第 {seen[key]} 行重复"})
            continue
        seen[key] = row
        org = _attendee_org(officer, user)
        if not _in_scope(actor, org):
            errors.append({"row": row, "field": "officer", "message": f"{name} 不在您的管理范围内"})
            continue
        status = e.get("status") or AttendanceStatus.ATTENDED
        if status not in AttendanceStatus.values:
            errors.append({"row": row, "field": "status", "message": "出勤应为“出席”或“缺席”"})
            continue
        hours = e.get("hours")
        if hours in (None, ""):
            hours = t.hours if status == AttendanceStatus.ATTENDED else Decimal("0")
        else:
            try:
                hours = parse_hours(hours, allow_zero=True)
            except DomainError as exc:
                errors.append({"row": row, "field": "hours", "message": exc.message})
                continue
        if status == AttendanceStatus.ABSENT and hours > 0:
            errors.append({"row": row, "field": "hours", "message": "缺席人员不能认定学时"})
            continue
        if hours > t.hours:
            errors.append({"row": row, "field": "hours", "message": f"认定学时不能超过本次培训学时 {t.hours}"})
            continue
        note = (e.get("note") or "").strip()
        if len(note) > 200:
            errors.append({"row": row, "field": "note", "message": "备注不能超过 200 字"})
            continue
        clean.append((officer, user, org, status, hours, note))
    if errors:
        raise DomainError(f"出勤登记未保存：共 {len(errors)} 处错误，本批全部未登记。", {"rows": errors})
    return clean


@transaction.atomic
def record_attendance(*, actor, training: Training, entries: list[dict]) -> dict:
    """Validate (see `validate_attendance`), then create or update the rows in bulk and
    audit the batch on the session."""
    t = Training.objects.select_for_update(of=("self",)).select_related("org").get(pk=training.pk)
    clean = validate_attendance(actor=actor, training=t, entries=entries)
    existing = {(a.officer_id, a.user_id): a for a in Attendance.objects.filter(training=t)}
    created, updated, after = [], [], []
    for officer, user, org, status, hours, note in clean:
        k = (officer.pk if officer else None, user.pk if user else None)
        a = existing.get(k)
        if a is None:
            created.append(Attendance(training=t, officer=officer, user=user, org=org, status=status,
                                      hours_credited=hours, held_on=t.held_on, note=note, recorded_by=actor))
        else:
            a.org, a.status, a.hours_credited, a.note, a.recorded_by = org, status, hours, note, actor
            updated.append(a)
        after.append({"officer": k[0], "user": k[1], "status": status, "hours": hours})
    Attendance.objects.bulk_create(created, batch_size=500)
    Attendance.objects.bulk_update(updated, ["org", "status", "hours_credited", "note", "recorded_by"], batch_size=500)
    t.version += 1
    t.save(update_fields=["version"])
    record(actor, "training.attendance.record", t, after={"entries": after})
    return {"created": len(created), "updated": len(updated)}


@transaction.atomic
def remove_attendance(*, actor, attendance: Attendance):
    a = Attendance.objects.select_for_update(of=("self",)).select_related("training__org", "org").get(pk=attendance.pk)
    _require_manager(actor, a.training.org, "删除出勤记录")
    if not _in_scope(actor, a.org):
        raise PermissionDenied("该人员不在您的管理范围内。")
    before = {"officer": a.officer_id, "user": a.user_id, "status": a.status, "hours": a.hours_credited}
    a.delete()
    record(actor, "training.attendance.remove", a.training, before=before)


@transaction.atomic
def set_requirement(*, actor, org: Organization, year: int, hours) -> HoursRequirement:
    """Set the required hours per officer for `year` in `org`'s subtree."""
    if org is None:
        raise DomainError("请指定单位。", {"org": ["必填"]})
    _require_manager(actor, org, "设定年度学时要求")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError("年度应为整数。", {"year": ["应为整数"]}) from None
    if not 2000 <= year <= 2100:
        raise DomainError("年度超出范围。", {"year": ["应在 2000–2100 之间"]})
    hours = parse_hours(hours, label="年度应修学时")
    req, created = HoursRequirement.objects.select_for_update(of=("self",)).get_or_create(org=org, year=year,
                                                                              defaults={"hours": hours})
    before = None if created else {"hours": req.hours}
    if not created:
        req.hours = hours
        req.version += 1
        req.save()
    record(actor, "training.requirement.set", req, before=before, after={"year": year, "hours": hours})
    return req


# --- certificate warnings (the sweep) ---------------------------------------------------------

def unit_recipients_many(orgs) -> dict[int, list]:
    """`unit_recipients` for many units in two queries (not two per unit): the active legal
    officers at or under each unit, else everyone active at or under it."""
    from django.db.models import Q

    orgs = {o.pk: o for o in orgs}
    if not orgs:
        return {}
    under = Q(pk__in=[])
    for o in orgs.values():
        under |= Q(org__path__startswith=o.path)

    def spread(users):
        out = {}
        for u in users:
            for pk, o in orgs.items():
                if u.org.path.startswith(o.path):
                    out.setdefault(pk, []).append(u)
        return out

    legal = spread(User.objects.filter(under, is_active=True).filter(
        role_assignments__role__in=(Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER))
        .select_related("org").distinct())
    missing = [o for pk, o in orgs.items() if pk not in legal]
    if missing:
        under = Q(pk__in=[])
        for o in missing:
            under |= Q(org__path__startswith=o.path)
        legal.update({pk: users for pk, users in spread(User.objects.filter(under, is_active=True)
                                                          .select_related("org")).items()
                      if pk in {o.pk for o in missing}})
    return {pk: legal.get(pk, []) for pk in orgs}


def warn_certificates(today: date | None = None, *, org_ids=None) -> dict:
    """Notify each officer's unit (and the officer's own account) once per certificate and
    threshold: expiring within 90 days, within 30 days, expired. Idempotent: the dedupe key
    is (officer, valid_to, threshold), so a rerun creates nothing and a renewed certificate
    (new valid_to) is warned about afresh."""
    from yifa.core.services import notify

    today = today or clock.today()
    counts = {"expiring_90": 0, "expiring_30": 0, "expired": 0}
    qs = (Officer.objects.filter(status=OfficerStatus.ACTIVE, valid_to__lte=today + timedelta(days=90),
                                 valid_to__gte=today - timedelta(days=365))
          .select_related("org", "user").order_by("org_id", "valid_to"))
    if org_ids is not None:
        qs = qs.filter(org_id__in=org_ids)
    officers = list(qs)  # the certificates of the next 90 days and the past year: a small set
    recipients_by_org = unit_recipients_many({o.org for o in officers})
    for o in officers:
        if o.valid_to < today:
            level, key, title, lvl = "expired", "expired", f"执法证已过期：{o.name}", "red"
            body = (f"{o.name}（{o.certificate_no}）的执法证已于 {o.valid_to:%Y-%m-%d} 过期，"
                    "不得从事行政执法活动，不能被指派办理执法案件。请尽快办理换证。")
        elif o.valid_to <= today + timedelta(days=30):
            level, key, title, lvl = "expiring_30", "30", f"执法证 30 天内到期：{o.name}", "red"
            body = f"{o.name}（{o.certificate_no}）的执法证将于 {o.valid_to:%Y-%m-%d} 到期，请及时办理换证。"
        else:
            level, key, title, lvl = "expiring_90", "90", f"执法证 90 天内到期：{o.name}", "yellow"
            body = f"{o.name}（{o.certificate_no}）的执法证将于 {o.valid_to:%Y-%m-%d} 到期，请提前办理换证。"
        recipients = list(recipients_by_org[o.org_id]) + ([o.user] if o.user_id and o.user.is_active else [])
        with transaction.atomic():
            n = notify(recipients=recipients, title=title, body=body, url=f"/training/officers/{o.pk}/", level=lvl,
                       dedupe_key=f"training.cert.{o.pk}.{o.valid_to:%Y%m%d}.{key}")
        counts[level] += n
    return counts
