"""Writes of the complaints app: every one atomic, validated, audited.

Public submissions are rate-limited per IP through the Django cache (`check_rate` /
`note_submission`) and saved in one transaction, so an accepted complaint is never lost:
either the row, its attachment and its audit event exist, or the complainant sees an error."""

import re
import secrets
from datetime import date

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from yifa.core.scoping import require_org_in_scope
from yifa.core import clock
from yifa.core.validation import text_field as _text
from yifa.audit.services import record
from yifa.core.errors import DomainError, IllegalTransition, StaleVersion
from yifa.core.services import notify
from yifa.deadlines import services as deadline_services
from yifa.deadlines.words import due_text
from yifa.orgs.models import Organization, Role, User

from . import conf
from .models import REPLY_RULE, Complaint, ComplaintCategory, ComplaintSource, ComplaintState
from .workflows import COMPLAINT, SUPERVISING

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 12
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
ID_RE = re.compile(r"^\d{17}[\dXx]$")
RATE_WINDOW = 3600


class RateLimited(DomainError):
    status = 429
    code = "throttled"


def new_query_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def can_supervise(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*SUPERVISING)


def can_reply(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*SUPERVISING, Role.OFFICER)


_in_scope = require_org_in_scope


# --- rate limiting ----------------------------------------------------------------------------

def _rate_key(kind: str, ip: str) -> str:
    return f"complaints:{kind}:{ip or 'unknown'}"


def check_rate(ip: str, kind: str = "submit") -> None:
    """Refuse (429) when this IP used up its hourly allowance."""
    limit = conf.value("YIFA_COMPLAINT_RATE_PER_HOUR" if kind == "submit" else "YIFA_COMPLAINT_QUERY_RATE_PER_HOUR")
    if cache.get(_rate_key(kind, ip), 0) >= limit:
        if kind == "submit":
            raise RateLimited(f"提交过于频繁：同一网络每小时最多提交 {limit} 件投诉举报，请稍后再试；"
                              "紧急情况请拨打 12345 热线。")
        raise RateLimited("查询失败次数过多，请一小时后再试。")


def note_attempt(ip: str, kind: str = "submit") -> None:
    key = _rate_key(kind, ip)
    if cache.add(key, 1, RATE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, RATE_WINDOW)


# --- intake -----------------------------------------------------------------------------------

def _snapshot(c: Complaint) -> dict:
    # personal data stays out of the audit trail's snapshots beyond the masked form
    return {"source": c.source, "hotline_ticket": c.hotline_ticket, "subject_unit": c.subject_unit_id,
            "org": c.org_id, "category": c.category, "state": c.state, "received_on": c.received_on,
            "due": c.due, "due_provisional": c.due_provisional, "complainant": c.masked_name, "phone": c.masked_phone,
            "attachment": c.attachment_name, "finding": c.finding_id}


def _validate_attachment(upload):
    """The checked attachment (core.uploads: size, extension agreeing with content), or None."""
    from yifa.core.uploads import check_upload

    if upload is None:
        return None
    return check_upload(upload, kinds=conf.ATTACHMENT_KINDS, max_bytes=conf.max_upload_bytes(),
                        field="attachment", what="附件")


def _validate(*, subject_unit, source, category, complainant_name, complainant_phone, complainant_id_no,
              content, hotline_ticket):
    errors = {}
    name = (complainant_name or "").strip()
    phone = re.sub(r"\s", "", complainant_phone or "")
    id_no = (complainant_id_no or "").strip().upper()
    content = (content or "").strip()
    ticket = (hotline_ticket or "").strip()
    max_chars = conf.value("YIFA_COMPLAINT_MAX_CONTENT_CHARS")
    if not name:
        errors["complainant_name"] = ["请填写姓名"]
    elif len(name) > 50:
        errors["complainant_name"] = ["姓名不能超过 50 字"]
    if not phone:
        errors["complainant_phone"] = ["请填写联系电话"]
    elif not PHONE_RE.match(phone):
        errors["complainant_phone"] = ["电话号码格式不正确（手机 11 位，或带区号的固定电话）"]
    if id_no and not ID_RE.match(id_no):
        errors["complainant_id_no"] = ["身份证号码应为 18 位"]
    if subject_unit is None or not getattr(subject_unit, "is_active", True):
        errors["subject_unit"] = ["请选择被投诉单位"]
    if source not in ComplaintSource.values:
        errors["source"] = ["来源无效"]
    if category not in ComplaintCategory.values:
        errors["category"] = ["请选择投诉类别"]
    if len(content) < 10:
        errors["content"] = ["请具体描述投诉事项（至少 10 字）"]
    elif len(content) > max_chars:
        errors["content"] = [f"投诉内容不能超过 {max_chars} 字"]
    if source == ComplaintSource.HOTLINE and not ticket:
        errors["hotline_ticket"] = ["12345 转办件须填写工单号"]
    if len(ticket) > 40 or (ticket and not re.match(r"^[\w\-]+$", ticket)):
        errors["hotline_ticket"] = ["工单号只能包含字母、数字和连字符，且不超过 40 位"]
    if errors:
        raise DomainError("提交的内容有误，请按提示修改。", errors)
    return dict(complainant_name=name, complainant_phone=phone, complainant_id_no=id_no, content=content,
                hotline_ticket=ticket)


def _create(*, actor, subject_unit, source, category, attachment, received_on, action, **fields) -> Complaint:
    checked = _validate_attachment(attachment)
    for _ in range(5):
        code = new_query_code()
        if not Complaint.objects.filter(query_code=code).exists():
            break
    c = Complaint(org=subject_unit, subject_unit=subject_unit, query_code=code, source=source, category=category,
                  received_on=received_on, created_by=actor, **fields)
    if checked is not None:
        c.attachment_name = checked.name
        c.attachment_type = checked.content_type
        c.attachment_size = checked.size
        c.attachment.save(f"{code}{checked.kind.extensions[0]}", attachment, save=False)
    c.save()
    record(actor, action, c, after=_snapshot(c))
    return c


@transaction.atomic
def submit_public(*, subject_unit, category, complainant_name, complainant_phone, content, complainant_id_no="",
                  attachment=None, on: date | None = None) -> Complaint:
    """A member of the public files a complaint (网上). Returns it with its query code."""
    data = _validate(subject_unit=subject_unit, source=ComplaintSource.ONLINE, category=category,
                     complainant_name=complainant_name, complainant_phone=complainant_phone,
                     complainant_id_no=complainant_id_no, content=content, hotline_ticket="")
    c = _create(actor=None, subject_unit=subject_unit, source=ComplaintSource.ONLINE, category=category,
                attachment=attachment, received_on=on or clock.today(), action="complaint.submit_public",
                **data)
    transaction.on_commit(lambda: _notify_supervisors(c))
    return c


@transaction.atomic
def register_complaint(*, actor, subject_unit, source, category, complainant_name, complainant_phone, content,
                       complainant_id_no="", hotline_ticket="", attachment=None,
                       on: date | None = None) -> tuple[Complaint, bool]:
    """Staff entry (来信/来访/电话/网上) or a 12345 hotline transfer. A hotline ticket number
    already entered returns the existing complaint: (complaint, created)."""
    if not can_supervise(actor):
        raise PermissionDenied("只有监督员、部门法制员或乡镇法制员可以登记投诉举报。")
    if subject_unit is not None:
        _in_scope(actor, subject_unit, "被投诉单位不在您的管理范围内。")
    data = _validate(subject_unit=subject_unit, source=source, category=category, complainant_name=complainant_name,
                     complainant_phone=complainant_phone, complainant_id_no=complainant_id_no, content=content,
                     hotline_ticket=hotline_ticket)
    if source != ComplaintSource.HOTLINE:
        data["hotline_ticket"] = ""
    on = on or clock.today()
    if on > clock.today():
        raise DomainError("接收日期不能晚于今天。", {"on": ["不能晚于今天"]})
    if data["hotline_ticket"]:
        existing = Complaint.objects.filter(hotline_ticket=data["hotline_ticket"]).first()
        if existing is not None:
            _in_scope(actor, existing.org, "该工单已由其他单位登记。")
            return existing, False
    try:
        with transaction.atomic():
            c = _create(actor=actor, subject_unit=subject_unit, source=source, category=category,
                        attachment=attachment, received_on=on, action="complaint.register", **data)
    except IntegrityError:
        existing = Complaint.objects.filter(hotline_ticket=data["hotline_ticket"]).first()
        if existing is None or not data["hotline_ticket"]:
            raise
        return existing, False
    return c, True


def _supervisors_for(org) -> set:
    from yifa.deadlines.sweep import recipients_by_org

    return set(recipients_by_org([org]).get(org.pk, set()))


def _notify_supervisors(c: Complaint):
    notify(recipients=_supervisors_for(c.org), title=f"新投诉举报：{c.subject_unit.name}",
           body=f"{c.get_category_display()}，来源：{c.get_source_display()}，请及时转办或作出不予受理决定。",
           url=reverse("complaints:detail", args=[c.pk]), dedupe_key=f"complaint:{c.pk}:received")


# --- process ----------------------------------------------------------------------------------

def _lock(complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).select_related("org", "subject_unit").get(pk=complaint.pk)


def _step(c: Complaint, action: str, actor, expected_version):
    t = COMPLAINT.table.get((c.state, action))
    if t is None:
        allowed = "、".join(x.label for x in COMPLAINT.transitions if x.source == c.state) or "无"
        raise IllegalTransition(f"当前状态“{c.get_state_display()}”不能执行该操作。可执行的操作：{allowed}。")
    if actor is not None and t.roles and not actor.has_role(*t.roles):
        raise PermissionDenied(f"您的角色不能执行“{t.label}”。")
    if expected_version not in (None, "") and int(expected_version) != c.version:
        raise StaleVersion("该记录已被他人修改，请刷新后重试。", {"version": ["版本已变化"]})
    return t


def _unit_users(org) -> set:
    """Who answers for a unit: its legal officers and officers, plus the supervision unit
    of its department or township (through the deadline sweep's routing)."""
    users = set(User.objects.filter(org=org, is_active=True,
                                    role_assignments__role__in=[*SUPERVISING, Role.OFFICER]).distinct())
    return users | _supervisors_for(org)


@transaction.atomic
def route(*, actor, complaint, unit: Organization, note: str = "", on: date | None = None,
          expected_version=None) -> Complaint:
    """Assign the responsible unit and start the reply deadline (complaint.reply)."""
    c = _lock(complaint)
    _in_scope(actor, c.org, "该投诉不在您的管理范围内。")
    _step(c, "route", actor, expected_version)
    if unit is None:
        raise DomainError("请选择承办单位。", {"unit": ["必填"]})
    _in_scope(actor, unit, "承办单位不在您的管理范围内。")
    note = _text(note, "note", "转办意见", 500, required=False)
    on = on or clock.today()
    if on < c.received_on:
        raise DomainError("转办日期不能早于接收日期。", {"on": ["不能早于接收日期"]})
    before = _snapshot(c)
    c.org, c.state, c.routed_on, c.route_note = unit, ComplaintState.ROUTED, on, note
    c.version += 1
    d = deadline_services.start_deadline(actor=None, owner=c, rule_code=REPLY_RULE, start=on, org=unit,
                                         title=f"投诉举报答复：{c.query_code}")
    c.due, c.due_provisional = d.due, d.provisional
    c.save()
    record(actor, "complaint.route", c, before=before, after=_snapshot(c), reason=note)
    url = reverse("complaints:detail", args=[c.pk])
    recipients = _unit_users(unit)
    transaction.on_commit(lambda: notify(
        recipients=recipients, title=f"投诉举报转办：{c.get_category_display()}",
        body=f"请于 {due_text(d)} 前答复。{note}", url=url, dedupe_key=f"complaint:{c.pk}:routed:{c.version}"))
    return c


def _close_deadline(c: Complaint, on: date):
    from yifa.deadlines.models import ACTIVE_STATES, DeadlineState
    from yifa.deadlines.selectors import deadlines_for_owner

    states = (*ACTIVE_STATES, DeadlineState.SUSPENDED)
    for d in deadlines_for_owner(c).filter(rule__code=REPLY_RULE, state__in=states):
        deadline_services.close_deadline(actor=None, deadline=d, met_on=on)


@transaction.atomic
def reply(*, actor, complaint, text: str, on: date | None = None, expected_version=None) -> Complaint:
    c = _lock(complaint)
    _in_scope(actor, c.org, "该投诉不在您的管理范围内。")
    _step(c, "reply", actor, expected_version)
    text = _text(text, "reply", "答复内容", 5000)
    on = on or clock.today()
    if c.routed_on and on < c.routed_on:
        raise DomainError("答复日期不能早于转办日期。", {"on": ["不能早于转办日期"]})
    if on > clock.today():
        raise DomainError("答复日期不能晚于今天。", {"on": ["不能晚于今天"]})
    before = _snapshot(c)
    c.state, c.reply, c.replied_on, c.replied_by = ComplaintState.REPLIED, text, on, actor
    c.version += 1
    c.save()
    _close_deadline(c, on)
    record(actor, "complaint.reply", c, before=before, after=_snapshot(c))
    return c


@transaction.atomic
def close(*, actor, complaint, on: date | None = None, expected_version=None) -> Complaint:
    c = _lock(complaint)
    _in_scope(actor, c.org, "该投诉不在您的管理范围内。")
    _step(c, "close", actor, expected_version)
    on = on or clock.today()
    if c.replied_on and on < c.replied_on:
        raise DomainError("办结日期不能早于答复日期。", {"on": ["不能早于答复日期"]})
    before = _snapshot(c)
    c.state, c.closed_on = ComplaintState.CLOSED, on
    c.version += 1
    c.save()
    record(actor, "complaint.close", c, before=before, after=_snapshot(c))
    return c


@transaction.atomic
def reject(*, actor, complaint, reason: str, on: date | None = None, expected_version=None) -> Complaint:
    c = _lock(complaint)
    _in_scope(actor, c.org, "该投诉不在您的管理范围内。")
    _step(c, "reject", actor, expected_version)
    reason = _text(reason, "reason", "不予受理理由", 500)
    before = _snapshot(c)
    c.state, c.reject_reason, c.closed_on = ComplaintState.REJECTED, reason, on or clock.today()
    c.version += 1
    c.save()
    record(actor, "complaint.reject", c, before=before, after=_snapshot(c), reason=reason)
    return c


@transaction.atomic
def to_finding(*, actor, complaint, category: str, description: str = "", on: date | None = None,
               expected_version=None):
    """Turn the complaint into a supervision finding (source 社会监督) of the unit complained about."""
    from yifa.supervision.models import FindingSource
    from yifa.supervision.services import raise_finding

    c = _lock(complaint)
    _in_scope(actor, c.org, "该投诉不在您的管理范围内。")
    if not can_supervise(actor):
        raise PermissionDenied("只有监督员、部门法制员或乡镇法制员可以将投诉转为监督问题。")
    if expected_version not in (None, "") and int(expected_version) != c.version:
        raise StaleVersion("该记录已被他人修改，请刷新后重试。", {"version": ["版本已变化"]})
    if c.finding_id:
        raise IllegalTransition("该投诉已转为监督问题。")
    if c.state == ComplaintState.REJECTED:
        raise IllegalTransition("不予受理的投诉不能转为监督问题。")
    from yifa.enforcement.masking import mask_text

    description = (description or "").strip() or (
        f"群众投诉举报（查询码 {c.query_code}）反映：" + mask_text(c.content, names=[c.complainant_name]))
    finding = raise_finding(actor=actor, org=c.subject_unit, category=category, description=description[:5000],
                            source=FindingSource.PUBLIC, on=on)
    before = _snapshot(c)
    c.finding = finding
    c.version += 1
    c.save()
    record(actor, "complaint.to_finding", c, before=before, after=_snapshot(c))
    return finding


def lookup(*, query_code: str, phone_last4: str, ip: str = "") -> Complaint | None:
    """The public query: code + last four digits of the phone. Failed tries count against
    the IP's allowance; the answer is the same for a wrong code and a wrong phone."""
    check_rate(ip, "query")
    code = (query_code or "").strip().upper().replace(" ", "")
    last4 = (phone_last4 or "").strip()
    c = None
    if len(code) == CODE_LENGTH and re.match(r"^\d{4}$", last4):
        c = Complaint.objects.select_related("subject_unit", "org").filter(query_code=code).first()
        if c is not None and not c.complainant_phone.endswith(last4):
            c = None
    if c is None:
        note_attempt(ip, "query")
    return c
