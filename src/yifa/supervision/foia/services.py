"""Writes of the foia app: every one atomic, validated, audited, and moving the tracked
deadlines the law attaches to the step (政府信息公开条例 arts. 30–33, 36).

Who acts: the receiving unit's own staff (legal officers and officers) on requests of
their unit; the supervisors of the justice bureau read in their scope but do not answer
for a unit. Dates are never later than today nor earlier than the request's receipt."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max

from yifa.audit.services import record
from yifa.core import clock
from yifa.core.scoping import org_in_scope, require_org_in_scope
from yifa.core.errors import DomainError, IllegalTransition, StaleVersion
from yifa.core.validation import text_field as _text
from yifa.deadlines import services as deadline_services
from yifa.deadlines.models import ACTIVE_STATES, DeadlineState
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.orgs.models import User

from .models import (CORRECTION_RULE, NEEDS_BASIS, REPLY_RULE, THIRD_PARTY_RULE, InfoRequest, ReplyType,
                     RequestChannel, RequesterKind, RequestState)
from .workflows import HANDLERS, INFO_REQUEST

OUT_OF_SCOPE = "该政府信息公开申请不在您的管理范围内。"


def can_handle(user, org=None) -> bool:
    """The unit's own staff: a handler role, and (given a unit) the unit in the user's scope."""
    if user is None or not user.is_authenticated or not user.has_role(*HANDLERS):
        return False
    return org is None or org_in_scope(user, org)


def _in_scope(actor, org, message=OUT_OF_SCOPE):
    require_org_in_scope(actor, org, message)


def _snapshot(r: InfoRequest) -> dict:
    # personal data stays out of the audit trail beyond the masked form
    return {"number": r.number, "org": r.org_id, "state": r.state, "channel": r.channel,
            "received_on": r.received_on, "requester": r.masked_name, "phone": r.masked_phone,
            "due": r.due, "due_provisional": r.due_provisional, "extended": r.extended,
            "correction_notice_on": r.correction_notice_on, "correction_due": r.correction_due,
            "corrected_on": r.corrected_on, "withdrawn_on": r.withdrawn_on, "third_party": r.third_party,
            "third_party_asked_on": r.third_party_asked_on, "third_party_answered_on": r.third_party_answered_on,
            "reply_type": r.reply_type, "replied_on": r.replied_on}


def _date(on, field, label, *, not_before=None, not_before_label="收到申请日期") -> date:
    today = clock.today()
    on = on or today
    if on > today:
        raise DomainError(f"{label}不能晚于今天。", {field: ["不能晚于今天"]})
    if not_before is not None and on < not_before:
        raise DomainError(f"{label}不能早于{not_before_label}（{not_before:%Y-%m-%d}）。",
                          {field: [f"不能早于{not_before_label}"]})
    return on


# --- intake -----------------------------------------------------------------------------------

@transaction.atomic
def register_request(*, actor, org, requester_name, requester_kind, requester_phone, content, channel,
                     received_on: date | None = None, requester_address: str = "") -> InfoRequest:
    """Register a request received by `org` and start the 20-working-day reply period from
    the date of receipt (art. 31, 33)."""
    if org is None:
        raise DomainError("请选择受理机关。", {"org": ["请选择受理机关"]})
    if actor is not None and not can_handle(actor):
        raise PermissionDenied("只有本单位的法制员或执法人员可以登记政府信息公开申请。")
    _in_scope(actor, org, "受理机关不在您的管理范围内。")
    errors = {}
    name = (requester_name or "").strip()
    phone = "".join((requester_phone or "").split())
    if not name:
        errors["requester_name"] = ["请填写申请人"]
    elif len(name) > 100:
        errors["requester_name"] = ["申请人不能超过 100 字"]
    if requester_kind not in RequesterKind.values:
        errors["requester_kind"] = ["请选择申请人类型"]
    if not phone:
        errors["requester_phone"] = ["请填写联系电话"]
    elif len(phone) > 20 or not phone.replace("-", "").isdigit():
        errors["requester_phone"] = ["电话号码格式不正确"]
    if channel not in RequestChannel.values:
        errors["channel"] = ["请选择申请方式"]
    content = (content or "").strip()
    if len(content) < 5:
        errors["content"] = ["请写明申请公开的政府信息（至少 5 字）"]
    elif len(content) > 5000:
        errors["content"] = ["不能超过 5000 字"]
    address = (requester_address or "").strip()
    if len(address) > 200:
        errors["requester_address"] = ["不能超过 200 字"]
    if errors:
        raise DomainError("登记的内容有误，请按提示修改。", errors)
    received_on = _date(received_on, "received_on", "收到申请日期")
    if received_on < clock.today() - timedelta(days=366):
        raise DomainError("收到申请日期不能早于一年前。", {"received_on": ["不能早于一年前"]})
    for _ in range(5):
        seq = (InfoRequest.objects.filter(org=org, year=received_on.year).aggregate(m=Max("seq"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                r = InfoRequest.objects.create(
                    org=org, year=received_on.year, seq=seq, requester_name=name, requester_kind=requester_kind,
                    requester_phone=phone, requester_address=address, content=content, channel=channel,
                    received_on=received_on, created_by=actor)
            break
        except IntegrityError:  # a colleague took the number: the next one
            continue
    else:  # pragma: no cover
        raise DomainError("编号分配冲突，请重试。")
    _start_reply(r, received_on)
    r.save()
    record(actor, "inforequest.register", r, after=_snapshot(r))
    return r


# --- steps ------------------------------------------------------------------------------------

def _lock(info_request) -> InfoRequest:
    return InfoRequest.objects.select_for_update(of=("self",)).select_related("org").get(pk=info_request.pk)


def _step(actor, info_request, action: str, expected_version) -> InfoRequest:
    """Lock, check scope (the unit's own staff), the legal move and the version."""
    r = _lock(info_request)
    _in_scope(actor, r.org)
    t = INFO_REQUEST.table.get((r.state, action))
    if t is None:
        allowed = "、".join(x.label for x in INFO_REQUEST.transitions if x.source == r.state) or "无"
        raise IllegalTransition(f"当前状态“{r.get_state_display()}”不能执行“{INFO_REQUEST.action_label(action)}”。"
                                f"可执行的操作：{allowed}。")
    if actor is not None and not actor.has_role(*t.roles):
        raise PermissionDenied(f"“{t.label}”由受理机关的法制员或执法人员办理，您的角色不能执行。")
    if expected_version not in (None, "") and int(expected_version) != r.version:
        raise StaleVersion("该记录已被他人修改，请刷新后重试。", {"version": ["版本已变化"]})
    return r


def _deadlines(r, rule_code, states=(*ACTIVE_STATES, DeadlineState.SUSPENDED)):
    return deadlines_for_owner(r).filter(rule__code=rule_code, state__in=states)


def _reply_deadline(r):
    return _deadlines(r, REPLY_RULE).order_by("-id").first()


def _mirror(r, d) -> None:
    r.due, r.due_provisional = (d.due, d.provisional) if d is not None else (None, False)


def _start_reply(r, start: date):
    d = deadline_services.start_deadline(actor=None, owner=r, rule_code=REPLY_RULE, start=start, org=r.org,
                                         title=f"答复政府信息公开申请：{r.org.name}{r.number}")
    _mirror(r, d)
    return d


def _save(r: InfoRequest, actor, action: str, before: dict, reason: str = ""):
    r.version += 1
    r.save()
    record(actor, f"inforequest.{action}", r, before=before, after=_snapshot(r), reason=reason)
    return r


@transaction.atomic
def request_correction(*, actor, info_request, what: str, correction_due: date, on: date | None = None,
                       expected_version=None) -> InfoRequest:
    """Art. 30: tell the requester once what to correct and by when. The 7-working-day
    period (foia.correction) is judged against the notice date; the reply period stops
    and starts again from the day the corrected request is received."""
    r = _step(actor, info_request, "request_correction", expected_version)
    what = _text(what, "what", "需补正的事项", 500)
    on = _date(on, "on", "告知补正日期", not_before=r.received_on)
    if correction_due is None or correction_due <= on:
        raise DomainError("请给出晚于告知日期的合理补正期限。", {"correction_due": ["应晚于告知补正日期"]})
    before = _snapshot(r)
    c = deadline_services.start_deadline(actor=None, owner=r, rule_code=CORRECTION_RULE, start=r.received_on,
                                         org=r.org, title=f"告知补正：{r.org.name}{r.number}")
    deadline_services.close_deadline(actor=None, deadline=c, met_on=on)
    for d in _deadlines(r, REPLY_RULE):
        deadline_services.close_deadline(actor=None, deadline=d, met_on=on,
                                         reason="申请内容不明确，已告知补正；答复期限自收到补正申请之日起计算")
    r.state, r.correction_what, r.correction_notice_on, r.correction_due = (
        RequestState.CORRECTION_REQUESTED, what, on, correction_due)
    r.due, r.due_provisional = None, False
    return _save(r, actor, "request_correction", before, reason=what)


@transaction.atomic
def record_correction(*, actor, info_request, on: date | None = None, expected_version=None) -> InfoRequest:
    """Art. 30, 33: the corrected request is received; a new 20-working-day reply period runs from it."""
    r = _step(actor, info_request, "record_correction", expected_version)
    on = _date(on, "on", "收到补正申请日期", not_before=r.correction_notice_on, not_before_label="告知补正日期")
    before = _snapshot(r)
    r.state, r.corrected_on = RequestState.CORRECTED, on
    _start_reply(r, on)
    return _save(r, actor, "record_correction", before)


@transaction.atomic
def withdraw(*, actor, info_request, on: date | None = None, expected_version=None) -> InfoRequest:
    """Art. 30: the requester did not correct within the time given: the request counts as
    abandoned (视为放弃申请), a final state. Only after the correction period has passed."""
    r = _step(actor, info_request, "withdraw", expected_version)
    on = _date(on, "on", "视为放弃申请日期", not_before=r.correction_notice_on, not_before_label="告知补正日期")
    if r.correction_due and on <= r.correction_due:
        raise DomainError(f"补正期限（{r.correction_due:%Y-%m-%d}）尚未届满，不能视为放弃申请。",
                          {"on": ["补正期限尚未届满"]})
    before = _snapshot(r)
    r.state, r.withdrawn_on = RequestState.WITHDRAWN, on
    return _save(r, actor, "withdraw", before)


@transaction.atomic
def consult(*, actor, info_request, third_party: str, on: date | None = None, expected_version=None) -> InfoRequest:
    """Art. 32, 33 ¶3: ask the third party in writing; it answers within 15 working days
    (foia.third_party) and the reply period does not run meanwhile (suspended)."""
    r = _step(actor, info_request, "consult", expected_version)
    third_party = _text(third_party, "third_party", "第三方", 100)
    start = r.corrected_on or r.received_on
    on = _date(on, "on", "书面征求意见日期", not_before=start,
               not_before_label="收到补正申请日期" if r.corrected_on else "收到申请日期")
    d = _reply_deadline(r)
    if d is None or d.state not in ACTIVE_STATES:
        raise IllegalTransition("答复期限不在计算中，不能中止。")
    if on > d.due:
        raise DomainError("答复期限已届满，征求第三方意见的时间不能再扣除。", {"on": ["晚于答复期限"]})
    before = _snapshot(r)
    # the day of the event is not counted anyway: a letter sent on the start day stops the clock from the next
    d = deadline_services.suspend(actor=None, deadline=d, on=max(on, d.start + timedelta(days=1)),
                                  reason=f"书面征求第三方（{third_party}）意见，所需时间不计算在答复期限内")
    deadline_services.start_deadline(actor=None, owner=r, rule_code=THIRD_PARTY_RULE, start=on, org=r.org,
                                     title=f"第三方意见：{r.org.name}{r.number}")
    r.state, r.third_party, r.third_party_asked_on = RequestState.CONSULTING, third_party, on
    r.third_party_answered_on, r.third_party_opinion = None, ""
    return _save(r, actor, "consult", before)


def _back_from_consulting(r, resume_on: date, close_on: date, reason: str):
    for t in _deadlines(r, THIRD_PARTY_RULE):
        deadline_services.close_deadline(actor=None, deadline=t, met_on=close_on, reason=reason)
    d = _reply_deadline(r)
    if d is not None and d.state == DeadlineState.SUSPENDED:
        d = deadline_services.resume(actor=None, deadline=d, on=max(resume_on, d.suspensions.last().first_day),
                                     reason=reason)
    _mirror(r, d)
    r.state = RequestState.CORRECTED if r.corrected_on else RequestState.REGISTERED


@transaction.atomic
def record_opinion(*, actor, info_request, opinion: str, on: date | None = None,
                   expected_version=None) -> InfoRequest:
    """The third party's written opinion arrived: the reply period runs again from that day."""
    r = _step(actor, info_request, "record_opinion", expected_version)
    opinion = _text(opinion, "opinion", "第三方意见", 1000)
    on = _date(on, "on", "第三方答复日期", not_before=r.third_party_asked_on, not_before_label="征求意见日期")
    before = _snapshot(r)
    r.third_party_answered_on, r.third_party_opinion = on, opinion
    _back_from_consulting(r, on, on, "收到第三方书面意见，恢复计算答复期限")
    return _save(r, actor, "record_opinion", before)


@transaction.atomic
def opinion_lapsed(*, actor, info_request, expected_version=None) -> InfoRequest:
    """The 15 working days passed without an opinion: the reply period runs again from the
    day after the third party's period ended (art. 32: 逾期未提出意见的，由行政机关依法决定)."""
    r = _step(actor, info_request, "opinion_lapsed", expected_version)
    t = _deadlines(r, THIRD_PARTY_RULE).first()
    today = clock.today()
    if t is not None and today <= t.due:
        raise DomainError(f"第三方提出意见的期限至 {t.due:%Y-%m-%d}，尚未届满。", {"on": ["期限尚未届满"]})
    before = _snapshot(r)
    resume_on = (t.due + timedelta(days=1)) if t is not None else today
    _back_from_consulting(r, resume_on, today, "第三方逾期未提出意见，恢复计算答复期限")
    return _save(r, actor, "opinion_lapsed", before)


@transaction.atomic
def extend(*, actor, info_request, approver: User, reason: str, on: date | None = None,
           expected_version=None) -> InfoRequest:
    """Art. 33 ¶2: extend the reply period by at most 20 working days, with the approval of
    the head of the office's disclosure work, and tell the requester (once)."""
    r = _step(actor, info_request, "extend", expected_version)
    reason = _text(reason, "reason", "延长理由", 300)
    if r.extended:
        raise IllegalTransition("答复期限已延长过一次，不能再延长。")
    if approver is None:
        raise DomainError("延长答复期限须经负责人同意，请选择批准人。", {"approver": ["请选择批准人"]})
    d = _reply_deadline(r)
    if d is None or d.state not in ACTIVE_STATES:
        raise IllegalTransition("答复期限不在计算中，不能延长。")
    on = _date(on, "on", "延长日期", not_before=d.start, not_before_label="起算日")
    before = _snapshot(r)
    d = deadline_services.extend(actor=None, deadline=d, approver=approver, reason=reason, on=on)
    _mirror(r, d)
    r.extended = True
    return _save(r, actor, "extend", before, reason=reason)


@transaction.atomic
def reply(*, actor, info_request, reply_type: str, text: str, basis: str = "", on: date | None = None,
          expected_version=None) -> InfoRequest:
    """Art. 36: the written reply. 不予公开 / 部分公开 state the reason and legal basis.
    The reply period closes; a reply after its due date is recorded as late."""
    r = _step(actor, info_request, "reply", expected_version)
    if reply_type not in ReplyType.values:
        raise DomainError("请选择答复类型。", {"reply_type": ["请选择答复类型"]})
    text = _text(text, "text", "答复内容", 5000)
    basis = (basis or "").strip()
    if reply_type in NEEDS_BASIS and not basis:
        raise DomainError(f"“{ReplyType(reply_type).label}”须说明理由和依据（《政府信息公开条例》第三十六条）。",
                          {"basis": ["请填写理由和依据"]})
    if len(basis) > 1000:
        raise DomainError("理由和依据不能超过 1000 字。", {"basis": ["不能超过 1000 字"]})
    start = r.corrected_on or r.received_on
    on = _date(on, "on", "答复日期", not_before=start,
               not_before_label="收到补正申请日期" if r.corrected_on else "收到申请日期")
    before = _snapshot(r)
    d = None
    for d in _deadlines(r, REPLY_RULE):
        d = deadline_services.close_deadline(actor=None, deadline=d, met_on=on)
    if d is not None:
        _mirror(r, d)
    r.state, r.reply_type, r.reply_text, r.reply_basis, r.replied_on, r.replied_by = (
        RequestState.REPLIED, reply_type, text, basis, on, actor)
    return _save(r, actor, "reply", before)
