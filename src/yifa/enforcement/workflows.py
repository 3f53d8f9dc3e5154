"""The transition tables of each case type, as the law orders the steps.

Guards receive `payload["on"]` (the date of the act, put there by
`services.move_case`) and refuse with the rule named. Every effect ends by refreshing the
case's denormalised monitoring columns from its tracked deadlines.
"""

from datetime import date, timedelta


from yifa.core import clock
from yifa.core.workflows import GuardFailed, Transition, Workflow
from yifa.orgs.models import Role

from . import rules
from .models import STATE_LABELS, Case, PartyKind, Procedure, PublicityState, ReviewResult, Sanction

HANDLERS = (Role.OFFICER, Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER, Role.ADMIN)
LEGAL = (Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER, Role.ADMIN)


def _on(payload) -> date:
    return (payload or {}).get("on") or clock.today()


# --- guards ----------------------------------------------------------------------------

def two_certified_officers(case, actor, payload):
    day = _on(payload)
    officers = list(case.officers.all())
    valid = [o for o in officers if o.certified_on(day)]
    if len(valid) < 2:
        invalid = [o.name for o in officers if not o.certified_on(day)]
        detail = f"；以下人员执法证在 {day:%Y-%m-%d} 无效：{'、'.join(invalid)}" if invalid else ""
        raise GuardFailed(f"执法人员不得少于两人且须持有有效执法证（当前有效 {len(valid)} 人{detail}）",
                          rule=rules.RULE_TWO_OFFICERS)


def needs_legal_review(case) -> bool:
    """行政处罚法 art. 58 and the local thresholds (configurable)."""
    if case.case_type != "penalty" or case.procedure != Procedure.GENERAL:
        return False
    if case.major_public_interest or case.hearing_requested:
        return True
    if case.sanction in (Sanction.SUSPENSION, Sanction.REVOCATION):
        return True
    if case.amount is not None:
        limit = rules.threshold("review_fine_individual" if case.party_kind == PartyKind.INDIVIDUAL
                                else "review_fine_organisation")
        if case.amount >= limit:
            return True
    return False


def discretion_ok(case, actor, payload):
    if case.amount is None or not case.circumstance:
        return
    bench = case.item.benchmarks.filter(level=case.circumstance).first()
    if bench is None:
        return
    if not (bench.min_amount <= case.amount <= bench.max_amount) and not case.discretion_reason.strip():
        raise GuardFailed(
            f"罚款金额 {case.amount} 元超出该事项“{bench.get_level_display()}”情节的裁量基准"
            f"（{bench.min_amount}–{bench.max_amount} 元），须记录理由", rule=rules.RULE_DISCRETION)


def may_decide_general(case, actor, payload):
    day = _on(payload)
    two_certified_officers(case, actor, payload)
    if case.notice_on is None or case.notice_on > day:
        raise GuardFailed("作出处罚决定前须告知当事人拟作出的处罚内容及事实、理由、依据和陈述、申辩、听证权利",
                          rule=rules.RULE_NOTICE)
    if case.hearing_requested and case.hearing_held_on is None:
        raise GuardFailed("当事人已申请听证，听证结束前不得作出决定", rule=rules.RULE_HEARING)
    if (not case.rights_waived and not case.hearing_requested and case.hearing_request_until is not None
            and day <= case.hearing_request_until):
        raise GuardFailed(f"当事人申请听证的期限（至 {case.hearing_request_until:%Y-%m-%d}）未届满，"
                          "且当事人未明确放弃", rule=rules.RULE_HEARING)
    if needs_legal_review(case) and case.legal_review_result != ReviewResult.PASSED:
        raise GuardFailed("该决定属于应当进行法制审核的情形，法制审核通过前不得作出决定", rule=rules.RULE_LEGAL_REVIEW)
    discretion_ok(case, actor, payload)


def may_decide_summary(case, actor, payload):
    two_certified_officers(case, actor, payload)
    if case.sanction not in (Sanction.WARNING, Sanction.FINE):
        raise GuardFailed("简易程序只适用于警告、通报批评或小额罚款", rule=rules.RULE_SUMMARY)
    if case.sanction == Sanction.FINE:
        individual = case.party_kind == PartyKind.INDIVIDUAL
        limit = rules.threshold("summary_fine_individual" if individual else "summary_fine_organisation")
        if case.amount is None or case.amount > limit:
            raise GuardFailed(f"简易程序罚款不得超过 {limit} 元（{'公民' if individual else '法人或其他组织'}）",
                              rule=rules.RULE_SUMMARY)
    discretion_ok(case, actor, payload)


def within_hearing_request_period(case, actor, payload):
    day = _on(payload)
    if case.hearing_request_until is not None and day > case.hearing_request_until:
        raise GuardFailed(f"听证申请期限已于 {case.hearing_request_until:%Y-%m-%d} 届满", rule=rules.RULE_HEARING)


RULE_HEARING_NOTICE = "《行政处罚法》第六十四条第（二）项、第八十五条（听证的七日前通知当事人，“七日”为工作日）"


def _latest_notice_day(case, hearing_day):
    from yifa.deadlines import engine

    return engine.compute("penalty.hearing_notice", hearing_day, org=case.org).due


def hearing_notice_in_time(case, actor, payload):
    """通知听证: the hearing date is given, and today's notice is at least seven working days
    before it."""
    day, hearing_day = _on(payload), payload.get("hearing_on")
    if hearing_day is None:
        raise GuardFailed("请填写听证举行日期", rule=RULE_HEARING_NOTICE)
    latest = _latest_notice_day(case, hearing_day)
    if day > latest:
        raise GuardFailed(f"听证定于 {hearing_day:%Y-%m-%d} 举行，通知最迟应于 {latest:%Y-%m-%d} 送达当事人；"
                          "请将听证改期", rule=RULE_HEARING_NOTICE)


def hearing_may_be_held(case, actor, payload):
    """举行听证: two certified officers, and the party was notified seven working days before."""
    two_certified_officers(case, actor, payload)
    day = _on(payload)
    if case.hearing_notice_on is None:
        raise GuardFailed("尚未登记听证通知（须在举行听证的七个工作日前通知当事人）", rule=RULE_HEARING_NOTICE)
    latest = _latest_notice_day(case, day)
    if case.hearing_notice_on > latest:
        raise GuardFailed(f"听证通知于 {case.hearing_notice_on:%Y-%m-%d} 送达，在 {day:%Y-%m-%d} 举行听证不足七个工作日"
                          f"（最早可于通知后第七个工作日之后举行）", rule=RULE_HEARING_NOTICE)


# --- effects ---------------------------------------------------------------------------

def _then_refresh(fn=None):
    def effect(case, actor, payload):
        from . import services

        if fn is not None:
            fn(case, actor, payload)
        services.refresh_monitoring(case, actor=actor, on=_on(payload))

    return effect


def _set(**fields):
    def fn(case, actor, payload):
        day = _on(payload)
        for name, value in fields.items():
            setattr(case, name, day if value == "ON" else value)
        case.save(update_fields=list(fields))
    return fn


def _after_notice(case, actor, payload):
    from yifa.deadlines import engine

    day = _on(payload)
    case.notice_on = day
    case.hearing_request_until = engine.compute("penalty.hearing_request", day, org=case.org).due
    case.save(update_fields=["notice_on", "hearing_request_until"])


def _hearing_requested(case, actor, payload):
    from . import services

    case.hearing_requested = True
    case.save(update_fields=["hearing_requested"])
    services.suspend_rule(case, "penalty.decision", actor=actor, on=_on(payload), reason="听证期间不计入办案期限（依部门行政处罚程序规定，如《市场监督管理行政处罚程序规定》）")


def _hearing_notified(case, actor, payload):
    case.hearing_notice_on, case.hearing_on = _on(payload), payload.get("hearing_on")
    case.save(update_fields=["hearing_notice_on", "hearing_on"])


def _hearing_held(case, actor, payload):
    from . import services

    case.hearing_held_on = _on(payload)
    case.save(update_fields=["hearing_held_on"])
    services.resume_rule(case, "penalty.decision", actor=actor, on=_on(payload))


def _decided(case, actor, payload):
    case.decided_on = _on(payload)
    if case.case_type == "penalty" and case.procedure == Procedure.GENERAL:
        case.publicity_state = PublicityState.PENDING
    case.save(update_fields=["decided_on", "publicity_state"])


def _served(case, actor, payload):
    """送达: the party's 15-day payment period (行政处罚法 art. 67) starts for a fine."""

    case.served_on = _on(payload)
    case.save(update_fields=["served_on"])
    if case.sanction == Sanction.FINE and case.amount:
        start_payment_deadline(case)


def start_payment_deadline(case):
    """The party's 15-day payment period (provisional when it reaches a year whose holiday
    notice is not entered yet; never skipped)."""
    from yifa.deadlines import services as deadline_services

    return deadline_services.start_deadline(actor=None, owner=case, rule_code="penalty.payment",
                                            start=case.served_on, org=case.org, handler=case.handler,
                                            title=f"{case.case_no} 缴纳罚款")


def fine_to_pay(case, actor, payload):
    if not (case.sanction == Sanction.FINE and case.amount):
        raise GuardFailed("该决定没有罚款，无需登记缴纳", rule=rules.RULE_PAYMENT)
    if case.paid_on is not None:
        raise GuardFailed(f"罚款已于 {case.paid_on:%Y-%m-%d} 缴纳", rule=rules.RULE_PAYMENT)
    if case.served_on is not None and _on(payload) < case.served_on:
        raise GuardFailed("缴纳日期不能早于决定书送达日期", rule=rules.RULE_PAYMENT)


def fine_paid_or_executed(case, actor, payload):
    """A fine is closed from 送达 only once paid; otherwise it goes through 执行 first."""
    if case.sanction == Sanction.FINE and case.amount and case.paid_on is None and case.decision_change != "annulled":
        raise GuardFailed("罚款尚未缴纳：请登记缴纳，或转入执行程序后结案", rule=rules.RULE_PAYMENT)


def _paid(case, actor, payload):
    case.paid_on = _on(payload)
    case.save(update_fields=["paid_on"])


def _decision_changed(kind):
    """变更/撤销 the decision (by the unit itself, on 复议 or by a court): recorded on the case;
    a published decision must be withdrawn within 3 working days (penalty.publicity_withdraw);
    a decision not yet published is no longer published as it stood."""
    def effect(case, actor, payload):
        from yifa.deadlines import services as deadline_services
        from yifa.deadlines.models import ACTIVE_STATES
        from yifa.deadlines.selectors import deadlines_for_owner

        from . import services

        day = _on(payload)
        case.decision_change = kind
        case.decision_changed_on = day
        case.save(update_fields=["decision_change", "decision_changed_on"])
        if case.publicity_state == PublicityState.PUBLISHED:
            services.start_withdrawal(case, actor=actor, on=day, reason=(payload or {}).get("reason") or
                                      f"行政处罚决定已{'撤销' if kind == 'annulled' else '变更'}")
        elif case.publicity_state == PublicityState.PENDING and kind == "annulled":
            case.publicity_state = PublicityState.NONE
            case.save(update_fields=["publicity_state"])
            for d in deadlines_for_owner(case).filter(rule__code="penalty.publicity", state__in=ACTIVE_STATES):
                deadline_services.close_deadline(actor=None, deadline=d, met_on=day)
        if kind == "annulled":
            for d in deadlines_for_owner(case).filter(rule__code__in=("penalty.payment", "penalty.service"),
                                                      state__in=ACTIVE_STATES):
                deadline_services.close_deadline(actor=None, deadline=d, met_on=day)
            if case.closed_on is None:
                case.closed_on = day
                case.save(update_fields=["closed_on"])
    return effect


def _closed(case, actor, payload):
    case.closed_on = _on(payload)
    case.save(update_fields=["closed_on"])


# --- 当场收缴罚款 (行政处罚法 arts. 68, 69, 71) -------------------------------------------------

def may_collect_on_spot(case, actor, payload):
    """当场收缴: only a fine decided on the spot, not yet paid; above 100 yuan only when it
    would be hard to collect afterwards (art. 68 (2)) or in a remote area (art. 69) — said in
    the reason."""
    if not (case.sanction == Sanction.FINE and case.amount):
        raise GuardFailed("该决定没有罚款，无需当场收缴", rule=rules.RULE_ONSITE)
    if case.paid_on is not None:
        raise GuardFailed(f"罚款已于 {case.paid_on:%Y-%m-%d} 缴纳", rule=rules.RULE_ONSITE)
    day = _on(payload)
    if case.decided_on is not None and day < case.decided_on:
        raise GuardFailed("收缴日期不能早于处罚决定日期", rule=rules.RULE_ONSITE)
    limit = rules.threshold("onsite_collection")
    if case.amount > limit and not ((payload or {}).get("reason") or "").strip():
        raise GuardFailed(f"罚款超过 {limit} 元的，须在说明中写明不当场收缴事后难以执行，或在边远、水上、交通不便地区"
                          "当事人到银行缴纳确有困难的情形", rule=rules.RULE_ONSITE)


def _collected_on_spot(case, actor, payload):
    case.paid_on = _on(payload)
    case.collected_on_spot = True
    case.save(update_fields=["paid_on", "collected_on_spot"])


def may_hand_over(case, actor, payload):
    if not case.collected_on_spot:
        raise GuardFailed("罚款不是当场收缴的，无需登记交款", rule=rules.RULE_ONSITE)
    if case.handed_over_on is not None:
        raise GuardFailed(f"罚款已于 {case.handed_over_on:%Y-%m-%d} 交至行政机关", rule=rules.RULE_ONSITE)
    if case.paid_on is not None and _on(payload) < case.paid_on:
        raise GuardFailed("交款日期不能早于收缴日期", rule=rules.RULE_ONSITE)


def _handed_over(case, actor, payload):
    case.handed_over_on = _on(payload)
    case.save(update_fields=["handed_over_on"])


def onsite_fine_handed_over(case, actor, payload):
    """A fine collected on the spot is handed over before the case is closed."""
    if case.collected_on_spot and case.handed_over_on is None:
        raise GuardFailed("当场收缴的罚款尚未登记交至行政机关（应自收缴之日起二个工作日内交至行政机关）",
                          rule=rules.RULE_ONSITE)


# --- 申请人民法院强制执行 (行政强制法 arts. 53, 54) ---------------------------------------------

RULE_COURT_APPLICATION = "《行政强制法》第五十三条"
RULE_NOTICE_WAIT = "《行政强制法》第五十四条"


def remedy_end_given(case, actor, payload):
    """送达催告书: the day the party's reconsideration and litigation periods ran out is
    recorded, from which the three months to apply to court run (art. 53)."""
    end = (payload or {}).get("remedy_end_on")
    if end is None:
        raise GuardFailed("请填写当事人申请行政复议、提起行政诉讼的期限届满日（申请法院强制执行的三个月自该日起算）",
                          rule=RULE_COURT_APPLICATION)
    if end > clock.today():
        raise GuardFailed("复议、诉讼期限届满日不能晚于今天：期限届满后当事人仍不履行的，方可催告并申请法院强制执行",
                          rule=RULE_COURT_APPLICATION)


def earliest_court_application(case):
    """The ten working days after serving the 催告书 (`coercion.notice_wait`) as the engine's
    result: the unit may apply to court from the day after `due`; None before a 催告书 is served."""
    from yifa.deadlines import engine

    if case.reminder_served_on is None:
        return None
    return engine.compute("coercion.notice_wait", case.reminder_served_on, org=case.org)


def may_apply_to_court(case, actor, payload):
    day = _on(payload)
    if case.remedy_end_on is not None and day <= case.remedy_end_on:
        raise GuardFailed(f"当事人申请复议、提起诉讼的期限至 {case.remedy_end_on:%Y-%m-%d} 届满，届满后方可申请法院强制执行",
                          rule=RULE_COURT_APPLICATION)
    wait = earliest_court_application(case)
    # "催告书送达十日后" (art. 54): the party has the whole tenth working day, so the first day
    # the unit may apply is the day after it.
    if wait is not None and day <= wait.due:
        mark = "（暂定）" if wait.provisional else ""
        raise GuardFailed(f"催告书于 {case.reminder_served_on:%Y-%m-%d} 送达，十个工作日至 {wait.due:%Y-%m-%d}{mark} 届满，"
                          f"届满后方可申请法院强制执行，最早 {wait.due + timedelta(days=1):%Y-%m-%d}", rule=RULE_NOTICE_WAIT)


def _reminded(case, actor, payload):
    """催告书送达: the three months to apply to court (art. 53) are tracked from the end of the
    party's remedy periods."""
    from yifa.deadlines import services as deadline_services

    case.reminder_served_on, case.remedy_end_on = _on(payload), payload["remedy_end_on"]
    case.save(update_fields=["reminder_served_on", "remedy_end_on"])
    deadline_services.start_deadline(actor=None, owner=case, rule_code="coercion.court_application",
                                     start=case.remedy_end_on, org=case.org, handler=case.handler,
                                     title=f"{case.case_no} 申请法院强制执行")


def _court_applied(case, actor, payload):
    case.court_applied_on = _on(payload)
    case.save(update_fields=["court_applied_on"])


CLOSE_CONFIRM = "将结案，结案后不能再办理本案的任何环节。"
ANNUL_CONFIRM = "将撤销处罚决定，案件随之结束，此操作不可撤回。"


def T(source, action, target, label, *, guard=None, effect=None, roles=HANDLERS, **kw):  # noqa: N802
    return Transition(source, action, target, label, roles=roles, guard=guard, effect=_then_refresh(effect), **kw)


PENALTY = Workflow("penalty", model=Case, state_labels=STATE_LABELS, transitions=[
    T("filed", "investigate", "investigating", "开始调查取证", guard=two_certified_officers),
    T("investigating", "notify", "notified", "告知当事人权利", guard=two_certified_officers, effect=_after_notice),
    T("notified", "request_hearing", "hearing", "当事人申请听证", guard=within_hearing_request_period,
      effect=_hearing_requested),
    T("hearing", "notify_hearing", "hearing", "通知听证（登记听证日期）", guard=hearing_notice_in_time,
      effect=_hearing_notified),
    T("hearing", "hold_hearing", "legal_review", "举行听证", guard=hearing_may_be_held, effect=_hearing_held),
    T("notified", "submit_review", "legal_review", "提交法制审核"),
    T("notified", "decide", "decided", "作出处罚决定", guard=may_decide_general, effect=_decided,
      starts=("penalty.service", "penalty.publicity"), stops=("penalty.decision",)),
    T("legal_review", "decide", "decided", "作出处罚决定", guard=may_decide_general, effect=_decided,
      starts=("penalty.service", "penalty.publicity"), stops=("penalty.decision",)),
    T("legal_review", "return", "investigating", "退回补充调查", requires_reason=True),
    T("decided", "serve", "served", "送达决定书", guard=two_certified_officers, effect=_served,
      stops=("penalty.service",)),
    T("served", "pay", "executing", "登记缴纳罚款", guard=fine_to_pay, effect=_paid, stops=("penalty.payment",)),
    T("served", "execute", "executing", "进入执行"),
    T("executing", "pay", "executing", "登记缴纳罚款", guard=fine_to_pay, effect=_paid, stops=("penalty.payment",)),
    T("served", "close", "closed", "结案", guard=fine_paid_or_executed, effect=_closed, stops=("penalty.payment",),
      confirm=CLOSE_CONFIRM),
    T("executing", "close", "closed", "结案", effect=_closed, stops=("penalty.payment",), confirm=CLOSE_CONFIRM),
    T("filed", "dismiss", "closed", "撤销立案", requires_reason=True, effect=_closed, stops=("penalty.decision",),
      confirm="将撤销立案，案件随之结束，此操作不可撤回。"),
    *[T(s, "change_decision", s, "变更处罚决定", requires_reason=True, effect=_decision_changed("changed"),
        confirm="将登记处罚决定已变更，记入案件记录和公示。")
      for s in ("decided", "served", "executing", "closed")],
    *[T(s, "annul_decision", "closed", "撤销处罚决定", requires_reason=True, effect=_decision_changed("annulled"),
        confirm=ANNUL_CONFIRM)
      for s in ("decided", "served", "executing", "closed")],
])

PENALTY_SUMMARY = Workflow("penalty_summary", model=Case, state_labels=STATE_LABELS, transitions=[
    T("filed", "decide", "decided", "当场作出处罚决定", guard=may_decide_summary, effect=_decided),
    T("decided", "collect_on_spot", "decided", "当场收缴罚款", guard=may_collect_on_spot, effect=_collected_on_spot,
      starts=("penalty.onsite_handover",)),
    T("decided", "hand_over", "decided", "罚款交至行政机关", guard=may_hand_over, effect=_handed_over,
      stops=("penalty.onsite_handover",)),
    T("decided", "close", "closed", "结案", guard=onsite_fine_handed_over, effect=_closed, confirm=CLOSE_CONFIRM),
    *[T(s, "change_decision", s, "变更处罚决定", requires_reason=True, effect=_decision_changed("changed"),
        confirm="将登记处罚决定已变更，记入案件记录和公示。")
      for s in ("decided", "closed")],
    *[T(s, "annul_decision", "closed", "撤销处罚决定", requires_reason=True, effect=_decision_changed("annulled"),
        confirm=ANNUL_CONFIRM)
      for s in ("decided", "closed")],
])

PERMIT_DECISION_RULES = ("permit.decision", "permit.joint_decision")

PERMIT = Workflow("permit", model=Case, state_labels=STATE_LABELS, transitions=[
    T("applied", "request_materials", "pending_materials", "一次性告知补正材料",
      stops=("permit.materials_notice",)),
    T("applied", "accept", "accepted", "受理", stops=("permit.materials_notice",), starts=("permit.decision",)),
    T("pending_materials", "accept", "accepted", "受理", starts=("permit.decision",)),
    # 统一办理、联合办理、集中办理 (行政许可法 art. 42 ¶2): 45 working days (+15 with approval)
    T("applied", "accept_joint", "accepted", "受理（统一、联合、集中办理）", stops=("permit.materials_notice",),
      starts=("permit.joint_decision",)),
    T("pending_materials", "accept_joint", "accepted", "受理（统一、联合、集中办理）", starts=("permit.joint_decision",)),
    T("accepted", "approve", "approved", "准予许可", effect=_decided, stops=PERMIT_DECISION_RULES,
      starts=("permit.issue", "permit.publicity")),
    T("accepted", "refuse", "refused", "不予许可", confirm="将作出不予许可决定，此操作不可撤回。", effect=_decided,
      stops=PERMIT_DECISION_RULES, requires_reason=True),
    T("approved", "issue", "issued", "颁发许可证件", stops=("permit.issue",)),
    T("issued", "close", "closed", "办结", effect=_closed),
    T("refused", "close", "closed", "办结", effect=_closed),
])

COERCION = Workflow("coercion", model=Case, state_labels=STATE_LABELS, transitions=[
    T("filed", "seize", "seized", "实施查封、扣押", guard=two_certified_officers, starts=("coercion.seizure",)),
    T("seized", "release", "released", "解除查封、扣押", guard=two_certified_officers, effect=_decided,
      stops=("coercion.seizure",)),
    T("released", "close", "closed", "结案", effect=_closed, confirm=CLOSE_CONFIRM),
    # 冻结存款、汇款 (art. 32): 30 days, +30 with the head's approval (the deadline's extension)
    T("filed", "freeze", "frozen", "实施冻结", guard=two_certified_officers, starts=("coercion.freezing",)),
    T("frozen", "unfreeze", "released", "解除冻结", guard=two_certified_officers, effect=_decided,
      stops=("coercion.freezing",)),
    # 申请人民法院强制执行 (arts. 53, 54): 催告 first, ten working days, within three months
    T("filed", "remind", "reminded", "送达催告书", guard=remedy_end_given, effect=_reminded),
    T("reminded", "apply_court", "court_applied", "申请人民法院强制执行", guard=may_apply_to_court,
      effect=_court_applied, stops=("coercion.court_application",)),
    T("reminded", "close", "closed", "结案（当事人已履行）", effect=_closed, stops=("coercion.court_application",),
      confirm=CLOSE_CONFIRM),
    T("court_applied", "close", "closed", "结案", effect=_closed, confirm=CLOSE_CONFIRM),
])

INSPECTION = Workflow("inspection", model=Case, state_labels=STATE_LABELS, transitions=[
    T("planned", "inspect", "inspecting", "实施检查", guard=two_certified_officers),
    T("inspecting", "close", "closed", "检查结束", guard=two_certified_officers, effect=_closed),
])

INITIAL_STATE = {"penalty": "filed", "permit": "applied", "coercion": "filed", "inspection": "planned",
                 "other": "planned"}
# the deadline started at filing, per (case type, procedure)
FILING_DEADLINES = {("penalty", "general"): ("penalty.decision",), ("permit", "general"): ("permit.materials_notice",)}
TERMINAL_STATES = ("closed",)


def workflow_for(case) -> Workflow:
    if case.case_type == "penalty":
        return PENALTY_SUMMARY if case.procedure == Procedure.SUMMARY else PENALTY
    return {"permit": PERMIT, "coercion": COERCION}.get(case.case_type, INSPECTION)
