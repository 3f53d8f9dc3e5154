"""Writes of the accountability app: every one atomic, validated, audited.

"一案一倒查、一案一问责": a losing outcome, a corrected reconsideration, an absent head or a
supervisor's major finding opens exactly one wrong case (unique on trigger + source record);
the wrong case carries one backtrack with the four checks and persons involved, and closes
only with an accountability decision or a recorded exemption.
"""

import unicodedata
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.db import IntegrityError, transaction
from django.db.models import Q

from yifa.core import clock
from yifa.core.validation import check_version as _check_version, text_field
from yifa.audit.services import record
from yifa.core.errors import DomainError, IllegalTransition
from yifa.deadlines import services as deadline_services
from yifa.deadlines.engine import add_months
from yifa.deadlines.words import due_text
from yifa.deadlines.models import ACTIVE_STATES, DeadlineRule, DeadlineState
from yifa.deadlines.selectors import deadlines_for_owner
from yifa.orgs.models import Role

from .models import (APPEAL_RULES, BACKTRACK_RULE, SIMPLE_DECISION_RULE, answer_rule, AppealState, OutcomeForm, DEFENCE_RULES, LOST_OUTCOMES, OPINION_REPLY_RULE, AssessmentGrade,
                     AssessmentMark, Backtrack, BacktrackState, Check, CheckKind, Decision,
                     EducationSession, Exemption, ExemptionReason, FaultShare, Involvement, Litigation, Method,
                     Notice, Outcome, Person, PersonRole, Problem, ProblemCategory, Recommendation, Reconsideration,
                     TitleEligibilityLoss, Trigger, WrongCase, WrongCaseState)

MANAGING_ROLES = (Role.SUPERVISOR, Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER)
RECOMMENDATION_DOC_TYPE = "accountability_recommendation"
OUTCOME_TRIGGERS = (Trigger.LITIGATION_LOST, Trigger.RECONSIDERATION_CORRECTED, Trigger.HIDDEN_LOSS)
NOTICE_DOC_TYPE = "notice"


# --- helpers ------------------------------------------------------------------------------------

def can_manage(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*MANAGING_ROLES)


def is_supervisor(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(Role.SUPERVISOR)


def _require(actor, org, what, roles=MANAGING_ROLES):
    """`actor` (None = system) must hold one of `roles` and `org` must lie in its scope."""
    if actor is None:
        return
    if not actor.has_role(*roles):
        labels = "、".join(Role(r).label for r in roles)
        raise PermissionDenied(f"只有{labels}可以{what}。")
    root = actor.scope_root
    if root is None or not org.path.startswith(root.path):
        raise PermissionDenied("该单位不在您的管理范围内。")


def _clean(value: str) -> str:
    """Drop control characters and lone surrogates (not representable in a document)."""
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


def _text(value, field, label, max_len=None, required=True):
    return text_field(_clean(value or ""), field, label, max_len, required)


def _date(value, field, label, required=True):
    if value is None:
        if required:
            raise DomainError(f"请填写{label}。", {field: [f"请填写{label}"]})
        return None
    if not isinstance(value, date):
        raise DomainError(f"{label}格式不正确。", {field: ["日期格式不正确"]})
    if not (1990 <= value.year <= 2100):
        raise DomainError(f"{label}超出合理范围（1990–2100年）。", {field: ["日期超出合理范围"]})
    return value


def _start_deadline(*, owner, rule_code, start, org, title):
    """Start a tracked deadline (provisional when it reaches a year whose holiday notice is
    not entered yet: never refused)."""
    return deadline_services.start_deadline(actor=None, owner=owner, rule_code=rule_code, start=start,
                                            org=org, title=title[:200])


def _close_deadlines(owner, rule_code, on):
    states = set(ACTIVE_STATES) | {DeadlineState.SUSPENDED}
    for d in deadlines_for_owner(owner):
        if d.rule.code == rule_code and d.state in states:
            deadline_services.close_deadline(actor=None, deadline=d, met_on=on)


def _unit_users(org):
    from yifa.orgs.selectors import unit_contacts

    return unit_contacts(org)


# --- registry -----------------------------------------------------------------------------------

MODELS = {"litigation": Litigation, "reconsideration": Reconsideration}


def _challenge_snapshot(o) -> dict:
    out = {f: getattr(o, f) for f in ("case_number", "claimant", "third_parties", "challenged_act", "filed_on",
                                      "served_on", "defence_submitted_on", "outcome", "outcome_on",
                                      "outcome_number", "note")}
    out.update(act_changed=o.act_changed, effective_outcome=o.effective_outcome, effective_on=o.effective_on)
    out["enforcement_case"] = o.enforcement_case_id
    if hasattr(o, "simplified"):
        out["simplified"] = o.simplified
    if isinstance(o, Litigation):
        out.update(court=o.court, instance=o.instance, hearing_on=o.hearing_on, head_appeared=o.head_appeared,
                   head_name=o.head_name, head_post=o.head_post, head_absence_reason=o.head_absence_reason,
                   outcome_form=o.outcome_form, outcome_served_on=o.outcome_served_on, appeal_state=o.appeal_state,
                   appealed_on=o.appealed_on, appellant=o.appellant, second_outcome=o.second_outcome,
                   second_outcome_on=o.second_outcome_on, second_outcome_number=o.second_outcome_number)
    else:
        out.update(organ=o.organ, opinion_received_on=o.opinion_received_on)
    return out


def defence_rule(kind):
    """The deadline rule for the unit's answer/defence, when the rule table has one."""
    return DeadlineRule.objects.filter(code=DEFENCE_RULES[kind]).first()


@transaction.atomic
def register_challenge(*, actor, kind: str, org, case_number: str, claimant: str, challenged_act: str,
                       filed_on: date, court_or_organ: str, enforcement_case=None, third_parties: str = "",
                       served_on: date | None = None, note: str = "", instance: str = "first",
                       simplified: bool = False, applied_on: date | None = None, known_on: date | None = None,
                       remedy_notified: bool = True, reconsideration_decision_on: date | None = None):
    """Register a 行政诉讼 (kind="litigation") or 行政复议 (kind="reconsideration") against
    unit `org`. When the copy of the complaint/application was received and the rule table has
    the answer/defence rule, its tracked deadline starts. A reconsideration heard under the
    simplified procedure (`simplified`, 行政复议法 art. 53) tracks its 5-working-day answer and
    the organ's 30-day decision from acceptance instead."""
    if kind not in MODELS:
        raise DomainError("案件类型无效。", {"kind": ["应为行政诉讼或行政复议"]})
    if org is None:
        raise DomainError("请指定被告/被申请人单位。", {"org": ["必填"]})
    _require(actor, org, "登记行政诉讼、行政复议案件")
    model = MODELS[kind]
    case_number = _text(case_number, "case_number", "案号", 80)
    if model.objects.filter(case_number=case_number, org=org).exists():
        raise DomainError(f"案号“{case_number}”已登记。", {"case_number": ["已登记"]})
    filed_on = _date(filed_on, "filed_on", "立案/受理日期")
    served_on = _date(served_on, "served_on", "收到副本日期", required=False)
    if served_on and served_on < filed_on:
        raise DomainError("收到副本日期不能早于立案/受理日期。", {"served_on": ["不能早于立案/受理日期"]})
    applied_on = _date(applied_on, "applied_on", "起诉/申请复议日期", required=False)
    known_on = _date(known_on, "known_on", "知道行政行为之日", required=False)
    reconsideration_decision_on = _date(reconsideration_decision_on, "reconsideration_decision_on",
                                        "收到复议决定书日期", required=False)
    if applied_on and applied_on > filed_on:
        raise DomainError("起诉/申请复议日期不能晚于立案/受理日期。", {"applied_on": ["不能晚于立案/受理日期"]})
    if known_on and known_on > (applied_on or filed_on):
        raise DomainError("知道行政行为之日不能晚于起诉/申请复议日期。", {"known_on": ["不能晚于起诉/申请日期"]})
    if reconsideration_decision_on and kind != "litigation":
        raise DomainError("收到复议决定书日期只用于经复议后提起的行政诉讼。", {"reconsideration_decision_on": ["行政复议不适用"]})
    if reconsideration_decision_on and reconsideration_decision_on > (applied_on or filed_on):
        raise DomainError("收到复议决定书日期不能晚于起诉日期。", {"reconsideration_decision_on": ["不能晚于起诉日期"]})
    if enforcement_case is not None and enforcement_case.org_id != org.pk and \
            not enforcement_case.org.path.startswith(org.path):
        raise DomainError("关联执法案件不属于被告/被申请人单位。", {"enforcement_case": ["不属于该单位"]})
    organ_label = "受理法院" if kind == "litigation" else "复议机关"
    fields = dict(org=org, case_number=case_number, claimant=_text(claimant, "claimant", "原告/申请人", 200),
                  third_parties=_text(third_parties, "third_parties", "第三人", 300, False),
                  challenged_act=_text(challenged_act, "challenged_act", "被诉/被申请行政行为", 300),
                  enforcement_case=enforcement_case, filed_on=filed_on, served_on=served_on,
                  applied_on=applied_on, known_on=known_on, remedy_notified=bool(remedy_notified),
                  note=_text(note, "note", "备注", 5000, False), created_by=actor)
    if kind == "litigation":
        if instance not in ("first", "second", "retrial"):
            raise DomainError("审级无效。", {"instance": ["无效"]})
        fields.update(court=_text(court_or_organ, "court_or_organ", organ_label, 120), instance=instance,
                      reconsideration_decision_on=reconsideration_decision_on)
        if simplified:
            raise DomainError("简易程序只适用于行政复议案件。", {"simplified": ["行政诉讼不适用"]})
    else:
        fields["organ"] = _text(court_or_organ, "court_or_organ", organ_label, 120)
        fields["simplified"] = bool(simplified)
    obj = model.objects.create(**fields)
    answer = answer_rule(obj)
    if served_on and DeadlineRule.objects.filter(code=answer).exists():
        _start_deadline(owner=obj, rule_code=answer, start=served_on, org=org, title=f"答辩/答复：{case_number}")
    if fields.get("simplified"):
        _start_deadline(owner=obj, rule_code=SIMPLE_DECISION_RULE, start=filed_on, org=org,
                        title=f"简易程序复议决定：{case_number}")
    record(actor, f"accountability.{kind}.register", obj, after=_challenge_snapshot(obj))
    return obj


def _lock(obj):
    return type(obj).objects.select_for_update(of=("self",)).select_related("org", "enforcement_case").get(pk=obj.pk)


@transaction.atomic
def record_defence(*, actor, challenge, on: date, expected_version=None):
    """The unit submitted its answer/defence: the tracked deadline closes."""
    o = _lock(challenge)
    _require(actor, o.org, "登记答辩/答复")
    _check_version(o, expected_version)
    on = _date(on, "on", "提交日期")
    if on < o.filed_on:
        raise DomainError("提交日期不能早于立案/受理日期。", {"on": ["不能早于立案/受理日期"]})
    before = _challenge_snapshot(o)
    o.defence_submitted_on = on
    o.version += 1
    o.save()
    _close_deadlines(o, answer_rule(o), on)
    record(actor, f"accountability.{o.kind}.defence", o, before=before, after=_challenge_snapshot(o))
    return o


@transaction.atomic
def record_opinion(*, actor, reconsideration, on: date, expected_version=None):
    """A 行政复议意见书 was received: `reconsideration.opinion_reply` starts."""
    o = _lock(reconsideration)
    _require(actor, o.org, "登记行政复议意见书")
    _check_version(o, expected_version)
    on = _date(on, "on", "收到日期")
    if o.opinion_received_on:
        raise DomainError("已登记收到行政复议意见书。", {"on": ["已登记"]})
    before = _challenge_snapshot(o)
    o.opinion_received_on = on
    o.version += 1
    o.save()
    _start_deadline(owner=o, rule_code=OPINION_REPLY_RULE, start=on, org=o.org,
                    title=f"落实行政复议意见书：{o.case_number}")
    record(actor, "accountability.reconsideration.opinion", o, before=before, after=_challenge_snapshot(o))
    return o


@transaction.atomic
def record_hearing(*, actor, litigation, hearing_on: date, head_appeared: bool, head_name: str = "",
                   head_post: str = "", absence_reason: str = "", expected_version=None):
    """Record a court hearing and whether the unit's head appeared (行政诉讼法 art. 3). An
    absence without a recorded 正当理由 opens a wrong case (once per litigation); with one
    (行诉法解释 art. 128) it does not."""
    o = _lock(litigation)
    _require(actor, o.org, "登记出庭应诉情况")
    _check_version(o, expected_version)
    hearing_on = _date(hearing_on, "hearing_on", "开庭日期")
    if hearing_on < o.filed_on:
        raise DomainError("开庭日期不能早于立案日期。", {"hearing_on": ["不能早于立案日期"]})
    if head_appeared is None:
        raise DomainError("请选择负责人是否出庭应诉。", {"head_appeared": ["必填"]})
    if head_appeared:
        head_name = _text(head_name, "head_name", "出庭负责人姓名", 40)
        head_post = _text(head_post, "head_post", "出庭负责人职务", 60)
        absence_reason = ""
    else:
        head_name = _text(head_name, "head_name", "应出庭负责人姓名", 40, False)
        head_post = _text(head_post, "head_post", "应出庭负责人职务", 60, False)
        absence_reason = _text(absence_reason, "absence_reason", "未出庭的正当理由", 300, False)
    before = _challenge_snapshot(o)
    o.hearing_on, o.head_appeared, o.head_name, o.head_post = hearing_on, bool(head_appeared), head_name, head_post
    o.head_absence_reason = absence_reason
    o.version += 1
    o.save()
    record(actor, "accountability.litigation.hearing", o, before=before, after=_challenge_snapshot(o))
    if not head_appeared and not absence_reason:
        open_wrong_case(actor=actor, trigger=Trigger.HEAD_ABSENT, source=o, on=hearing_on)
    elif absence_reason:
        # a 正当理由 recorded after the absence: the wrong case opened on it does not stand
        for wc in (WrongCase.objects.filter(trigger=Trigger.HEAD_ABSENT, source_key=_source_key(o))
                   .exclude(state__in=(WrongCaseState.WITHDRAWN, WrongCaseState.CLOSED))):
            _withdraw(actor, wc, f"负责人未出庭有正当理由：{absence_reason}"[:300], hearing_on)
    return o


def _validate_outcome(outcome, act_changed):
    if outcome not in Outcome.values or outcome == Outcome.PENDING:
        raise DomainError("请选择裁判/复议结果。", {"outcome": ["无效的结果"]})
    if act_changed and outcome != Outcome.WITHDRAWN:
        raise DomainError("“被告改变行政行为后撤诉”只适用于撤诉/撤回申请的结果。", {"act_changed": ["仅适用于撤诉"]})


@transaction.atomic
def record_outcome(*, actor, challenge, outcome: str, on: date, number: str = "", form: str = "judgment",
                   served_on: date | None = None, act_changed: bool = False, expected_version=None):
    """Record the first outcome: the judgment or ruling of the instance the litigation was
    registered at, or the reconsideration decision. Triggers count the *effective* outcome:
    - a reconsideration decision, a withdrawal (准予撤诉), and a second-instance or retrial
      judgment are effective at once;
    - a first-instance judgment (ruling) is effective when its appeal period (15 / 10 days
      from service, 行政诉讼法 art. 85) passes with no appeal: its tracked deadline starts
      here and the sweep makes the outcome effective (`settle_appeal_periods`).
    A withdrawal after the unit changed its act (隐性败诉) is a trigger like a loss."""
    o = _lock(challenge)
    _require(actor, o.org, "登记裁判/复议结果")
    _check_version(o, expected_version)
    act_changed = bool(act_changed)
    _validate_outcome(outcome, act_changed)
    on = _date(on, "on", "裁判/决定日期")
    if on < o.filed_on:
        raise DomainError("裁判/决定日期不能早于立案/受理日期。", {"on": ["不能早于立案/受理日期"]})
    if o.kind == "litigation" and o.outcome != Outcome.PENDING:
        # a reconsideration decision may be corrected (effective at once); a judgment is
        # recorded once, then the appeal and the second instance
        raise IllegalTransition("该案已登记一审裁判结果；上诉和二审结果请分别登记。")
    before = _challenge_snapshot(o)
    o.outcome, o.outcome_on, o.act_changed = outcome, on, act_changed
    o.outcome_number = _text(number, "number", "文书号", 100, False)
    appealable = False
    if o.kind == "litigation":
        if form not in OutcomeForm.values:
            raise DomainError("裁判形式无效。", {"form": ["应为判决或裁定"]})
        served_on = _date(served_on, "served_on", "裁判文书送达日期", required=False) or on
        if served_on < on:
            raise DomainError("送达日期不能早于裁判日期。", {"served_on": ["不能早于裁判日期"]})
        o.outcome_form, o.outcome_served_on = form, served_on
        appealable = o.instance == "first" and outcome != Outcome.WITHDRAWN
        if appealable:
            o.appeal_state = AppealState.AWAITING
    o.version += 1
    o.save()
    record(actor, f"accountability.{o.kind}.outcome", o, before=before, after=_challenge_snapshot(o))
    if getattr(o, "simplified", False):
        _close_deadlines(o, SIMPLE_DECISION_RULE, on)
    if appealable:
        _start_deadline(owner=o, rule_code=APPEAL_RULES[o.outcome_form], start=o.outcome_served_on, org=o.org,
                        title=f"上诉期：{o.case_number}")
    else:
        _make_effective(actor, o, outcome, on)
    return o


@transaction.atomic
def record_appeal(*, actor, litigation, on: date, appellant: str, expected_version=None):
    """An appeal against the first-instance outcome was filed within the appeal period: the
    outcome does not become effective; the second instance decides."""
    o = _lock(litigation)
    _require(actor, o.org, "登记上诉")
    _check_version(o, expected_version)
    if o.appeal_state != AppealState.AWAITING:
        raise IllegalTransition("只有上诉期内、尚未生效的一审裁判可以登记上诉。")
    on = _date(on, "on", "上诉日期")
    if on < o.outcome_on:
        raise DomainError("上诉日期不能早于一审裁判日期。", {"on": ["不能早于裁判日期"]})
    before = _challenge_snapshot(o)
    o.appeal_state, o.appealed_on = AppealState.APPEALED, on
    o.appellant = _text(appellant, "appellant", "上诉人", 200)
    o.version += 1
    o.save()
    _close_deadlines(o, APPEAL_RULES[o.outcome_form], on)
    record(actor, "accountability.litigation.appeal", o, before=before, after=_challenge_snapshot(o))
    return o


@transaction.atomic
def record_second_instance(*, actor, litigation, outcome: str, on: date, number: str = "", expected_version=None):
    """The second-instance judgment: effective at once. The effective outcome on the act is
    `outcome` (e.g. 维持/驳回 = the unit's act stands, 撤销 = it falls). A loss opens the wrong
    case; a first-instance loss reversed on appeal opens none, and a wrong case opened on it
    too early is withdrawn with the reason (audited)."""
    o = _lock(litigation)
    _require(actor, o.org, "登记二审结果")
    _check_version(o, expected_version)
    if o.appeal_state != AppealState.APPEALED:
        raise IllegalTransition("尚未登记上诉，不能登记二审结果。")
    _validate_outcome(outcome, False)
    on = _date(on, "on", "二审裁判日期")
    if on < o.appealed_on:
        raise DomainError("二审裁判日期不能早于上诉日期。", {"on": ["不能早于上诉日期"]})
    before = _challenge_snapshot(o)
    o.second_outcome, o.second_outcome_on = outcome, on
    o.second_outcome_number = _text(number, "number", "二审文书号", 100, False)
    o.version += 1
    o.save()
    record(actor, "accountability.litigation.second_instance", o, before=before, after=_challenge_snapshot(o))
    return _make_effective(actor, o, outcome, on)


def _effective_triggers(o, outcome):
    lost = Trigger.LITIGATION_LOST if o.kind == "litigation" else Trigger.RECONSIDERATION_CORRECTED
    if outcome in LOST_OUTCOMES:
        return lost
    if outcome == Outcome.WITHDRAWN and o.act_changed:
        return Trigger.HIDDEN_LOSS
    return None


def _make_effective(actor, o, outcome, on):
    """The outcome `outcome` of challenge `o` is effective on `on`: record it, open the wrong
    case its trigger calls for (once), withdraw an outcome-based one that no longer stands."""
    before = _challenge_snapshot(o)
    o.effective_outcome, o.effective_on = outcome, on
    if o.kind == "litigation":
        o.appeal_state = AppealState.EFFECTIVE
    o.version += 1
    o.save()
    record(actor, f"accountability.{o.kind}.effective", o, before=before, after=_challenge_snapshot(o))
    trigger = _effective_triggers(o, outcome)
    if trigger is not None:
        open_wrong_case(actor=actor, trigger=trigger, source=o, on=on)
    stale = (WrongCase.objects.filter(source_key=_source_key(o), trigger__in=OUTCOME_TRIGGERS)
             .exclude(state__in=(WrongCaseState.WITHDRAWN, WrongCaseState.CLOSED)))
    if trigger is not None:
        stale = stale.exclude(trigger=trigger)
    label = Outcome(outcome).label
    for wc in stale:
        _withdraw(actor, wc, f"生效裁判结果为“{label}”（{on:%Y-%m-%d}），不构成错案", on)
    return o


def settle_appeal_periods(today: date) -> int:
    """Make effective every first-instance outcome whose appeal period ended before `today`
    with no appeal recorded (the day after the period's last day); opens the wrong case
    then. Idempotent: a settled litigation is no longer awaiting."""
    from yifa.deadlines.models import TrackedDeadline

    label = Litigation._meta.label_lower
    due = (TrackedDeadline.objects.filter(owner_type=label, rule__code__in=APPEAL_RULES.values(),
                                          state__in=ACTIVE_STATES, due__lt=today)
           .values_list("owner_id", flat=True))
    n = 0
    for pk in sorted({int(x) for x in due}):
        with transaction.atomic():
            o = Litigation.objects.select_for_update(of=("self",)).select_related("org").get(pk=pk)
            if o.appeal_state != AppealState.AWAITING:
                continue
            rule = APPEAL_RULES[o.outcome_form]
            d = next((d for d in deadlines_for_owner(o) if d.rule.code == rule and d.state in ACTIVE_STATES), None)
            if d is None:
                continue
            effective_on = d.due + timedelta(days=1)
            deadline_services.close_deadline(actor=None, deadline=d, met_on=d.due, reason="上诉期届满，未提起上诉")
            _make_effective(None, o, o.outcome, effective_on)
            n += 1
    return n


# --- wrong cases ----------------------------------------------------------------------------------

def _source_key(source) -> str:
    return f"{source._meta.model_name}:{source.pk}"


def _wrong_case_snapshot(w) -> dict:
    return {"trigger": w.trigger, "source_key": w.source_key, "title": w.title, "opened_on": w.opened_on,
            "state": w.state, "closed_on": w.closed_on, "withdrawn_on": w.withdrawn_on,
            "withdrawn_reason": w.withdrawn_reason, "enforcement_case": w.enforcement_case_id,
            "is_typical": w.is_typical}


def open_wrong_case(*, actor, trigger: str, source, on: date, title: str = "", major_confirmed_by=None):
    """Open the wrong case for (trigger, source) unless it exists: returns (wrong_case, created)."""
    key = _source_key(source)
    existing = WrongCase.objects.filter(trigger=trigger, source_key=key).first()
    if existing is not None:
        return existing, False
    links = {}
    if isinstance(source, Litigation):
        links["litigation"] = source
    elif isinstance(source, Reconsideration):
        links["reconsideration"] = source
    else:
        links["finding"] = source
    ecase = getattr(source, "enforcement_case", None)
    if ecase is None and trigger == Trigger.SUPERVISION_FOUND:
        clue = source.clues.select_related("case").first() if hasattr(source, "clues") else None
        ecase = clue.case if clue else None
    label = Trigger(trigger).label
    if not title:
        what = getattr(source, "case_number", "") or (getattr(source, "description", "") or "")[:60]
        title = f"{label}：{what}"
    try:
        with transaction.atomic():
            wc = WrongCase.objects.create(org=source.org, trigger=trigger, source_key=key, enforcement_case=ecase,
                                          title=title[:300], opened_on=on, major_confirmed_by=major_confirmed_by,
                                          **links)
    except IntegrityError:  # a concurrent recording of the same outcome won the race
        return WrongCase.objects.get(trigger=trigger, source_key=key), False
    bt = Backtrack.objects.create(org=wc.org, wrong_case=wc, started_on=on)
    d = _start_deadline(owner=bt, rule_code=BACKTRACK_RULE, start=on, org=wc.org, title=f"倒查：{wc.title}")
    bt.due, bt.due_provisional = d.due, d.provisional
    bt.save(update_fields=["due", "due_provisional"])
    suggest_persons(bt)
    record(actor, "accountability.wrong_case.open", wc, after=_wrong_case_snapshot(wc))
    from yifa.core.services import notify

    recipients = _unit_users(wc.org)
    transaction.on_commit(lambda: notify(
        recipients=recipients, title=f"认定错案：{wc.title}", body=f"请于 {due_text(bt)} 前完成倒查。",
        url=f"/accountability/wrong-cases/{wc.pk}/", level="yellow", dedupe_key=f"accountability.wc.{wc.pk}.open"))
    return wc, True


@transaction.atomic
def open_from_finding(*, actor, finding, on: date | None = None, confirm_major: bool = False, title: str = ""):
    """A supervisor opens a wrong case from a major supervision finding. If the finding model
    has `is_major`, it must be set; otherwise the supervisor confirms that it is major and the
    confirmation is recorded on the wrong case."""
    if actor is None or not is_supervisor(actor):
        raise PermissionDenied("只有监督员可以将监督发现的问题认定为错案。")
    _require(actor, finding.org, "认定错案", roles=(Role.SUPERVISOR,))
    if hasattr(finding, "is_major"):
        if not finding.is_major:
            raise DomainError("该问题未被认定为重大问题，不能认定为错案。", {"finding": ["非重大问题"]})
    elif not confirm_major:
        raise DomainError("请确认该问题属于监督发现的重大错案。", {"confirm_major": ["须确认为重大问题"]})
    on = _date(on, "on", "认定日期", required=False) or clock.today()
    if on < finding.raised_on:
        raise DomainError("认定日期不能早于问题发现日期。", {"on": ["不能早于发现日期"]})
    wc, created = open_wrong_case(actor=actor, trigger=Trigger.SUPERVISION_FOUND, source=finding, on=on,
                                  title=title, major_confirmed_by=actor)
    if not created:
        raise DomainError("该问题已认定为错案。", {"finding": ["已认定为错案"]})
    return wc


def _lock_wc(wc) -> WrongCase:
    return WrongCase.objects.select_for_update(of=("self",)).select_related("org").get(pk=wc.pk)


@transaction.atomic
def set_typical(*, actor, wrong_case, typical: bool):
    wc = _lock_wc(wrong_case)
    _require(actor, wc.org, "标记典型案例", roles=(Role.SUPERVISOR,))
    before = _wrong_case_snapshot(wc)
    wc.is_typical = bool(typical)
    wc.version += 1
    wc.save()
    record(actor, "accountability.wrong_case.typical", wc, before=before, after=_wrong_case_snapshot(wc))
    return wc


@transaction.atomic
def record_exemption(*, actor, wrong_case, reason: ExemptionReason, text: str, on: date | None = None):
    wc = _lock_wc(wrong_case)
    _require(actor, wc.org, "认定免责", roles=(Role.SUPERVISOR,))
    if reason is None:
        raise DomainError("请选择免责情形。", {"reason": ["必填"]})
    if hasattr(wc, "exemption"):
        raise DomainError("该错案已认定免责。")
    if wc.state == WrongCaseState.CLOSED:
        raise IllegalTransition("该错案已办结。")
    text = _text(text, "text", "免责说明", 5000)
    on = _date(on, "on", "认定日期", required=False) or clock.today()
    ex = Exemption.objects.create(org=wc.org, wrong_case=wc, reason=reason, text=text, decided_on=on,
                                  decided_by=actor)
    record(actor, "accountability.wrong_case.exempt", wc, after={"reason": reason.code, "text": text})
    return ex


@transaction.atomic
def close_wrong_case(*, actor, wrong_case, on: date | None = None, expected_version=None):
    """Close: refused unless the backtrack is complete and there is an accountability decision
    or a recorded exemption (一案一倒查、一案一问责)."""
    wc = _lock_wc(wrong_case)
    _require(actor, wc.org, "办结错案", roles=(Role.SUPERVISOR,))
    on = _date(on, "on", "办结日期", required=False)
    _check_version(wc, expected_version)
    if wc.state == WrongCaseState.CLOSED:
        raise IllegalTransition("该错案已办结。")
    if wc.state != WrongCaseState.BACKTRACKED:
        raise IllegalTransition("倒查尚未完成，不能办结错案。")
    if not wc.decisions.exists() and not Exemption.objects.filter(wrong_case=wc).exists():
        raise IllegalTransition("尚无问责决定或免责认定，不能办结错案（一案一问责）。")
    on = on or clock.today()
    before = _wrong_case_snapshot(wc)
    wc.state, wc.closed_on = WrongCaseState.CLOSED, on
    wc.version += 1
    wc.save()
    record(actor, "accountability.wrong_case.close", wc, before=before, after=_wrong_case_snapshot(wc))
    return wc


@transaction.atomic
def withdraw_wrong_case(*, actor, wrong_case, reason: str, on: date | None = None):
    """Withdraw a wrong case that should not have been opened (e.g. opened on a first-instance
    loss that the appeal reversed): its backtrack deadline closes, the reason is recorded and
    audited. A closed wrong case (decision taken) is not withdrawn here."""
    _require(actor, wrong_case.org, "撤销错案认定", roles=(Role.SUPERVISOR,))
    return _withdraw(actor, wrong_case, reason, on)


def _withdraw(actor, wrong_case, reason, on):
    """Withdraw (no role check: also the consequence of an outcome or reason the unit recorded)."""
    wc = _lock_wc(wrong_case)
    if wc.state == WrongCaseState.WITHDRAWN:
        raise IllegalTransition("该错案认定已撤销。")
    if wc.state == WrongCaseState.CLOSED:
        raise IllegalTransition("该错案已办结，不能撤销认定。")
    reason = _text(reason, "reason", "撤销理由", 300)
    on = _date(on, "on", "撤销日期", required=False) or clock.today()
    before = _wrong_case_snapshot(wc)
    wc.state, wc.withdrawn_on, wc.withdrawn_reason = WrongCaseState.WITHDRAWN, on, reason
    wc.version += 1
    wc.save()
    bt = getattr(wc, "backtrack", None)
    if bt is not None:
        _close_deadlines(bt, BACKTRACK_RULE, max(on, bt.started_on))
    record(actor, "accountability.wrong_case.withdraw", wc, before=before, after=_wrong_case_snapshot(wc),
           reason=reason)
    return wc


# --- persons and backtracks -------------------------------------------------------------------------

def person_for(*, officer=None, user=None, org=None, name: str = "", post: str = "") -> Person:
    """The accountability record of an officer and/or a user (created on first use)."""
    if officer is not None and officer.user_id and user is None:
        user = officer.user
    q = Q(pk__in=[])
    if officer is not None:
        q |= Q(officer=officer)
    if user is not None:
        q |= Q(user=user)
    p = Person.objects.filter(q).first() if (officer is not None or user is not None) else None
    if p is not None:
        changed = False
        if officer is not None and p.officer_id is None and not Person.objects.filter(officer=officer).exists():
            p.officer, changed = officer, True
        if user is not None and p.user_id is None and not Person.objects.filter(user=user).exists():
            p.user, changed = user, True
        if changed:
            p.save()
        return p
    if officer is not None:
        return Person.objects.create(org=officer.org, name=officer.name, officer=officer, user=user,
                                     post=post or "执法人员")
    if user is not None:
        return Person.objects.create(org=user.org, name=user.display_name or user.username, user=user,
                                     post=post or user.post)
    if org is None:
        raise DomainError("请指定人员所在单位。", {"org": ["必填"]})
    return Person.objects.create(org=org, name=_text(name, "name", "姓名", 40), post=_text(post, "post", "职务", 60,
                                                                                          False))


def suggest_persons(bt: Backtrack) -> int:
    """Suggest the persons involved from the linked enforcement case: handler, officers,
    legal reviewer (unconfirmed until the backtrack confirms them)."""
    case = bt.wrong_case.enforcement_case
    if case is None:
        return 0
    pairs = []
    if case.handler_id:
        pairs.append((person_for(user=case.handler), PersonRole.HANDLER))
    for officer in case.officers.select_related("user", "org"):
        pairs.append((person_for(officer=officer), PersonRole.OFFICER))
    if case.legal_reviewer_id:
        pairs.append((person_for(user=case.legal_reviewer), PersonRole.LEGAL_REVIEWER))
    n = 0
    for person, role in pairs:
        _, created = Involvement.objects.get_or_create(backtrack=bt, person=person, removed_at__isnull=True,
                                                       defaults={"org": bt.org, "role": role, "suggested": True})
        n += created
    return n


def _lock_bt(bt) -> Backtrack:
    return Backtrack.objects.select_for_update(of=("self",)).select_related("org", "wrong_case").get(pk=bt.pk)


def _open_bt(actor, bt, what):
    b = _lock_bt(bt)
    _require(actor, b.org, what)
    if b.wrong_case.state == WrongCaseState.WITHDRAWN:
        raise IllegalTransition("该错案认定已撤销，不再倒查。")
    if b.state != BacktrackState.IN_PROGRESS:
        raise IllegalTransition("倒查已完成，不能再修改。")
    return b


@transaction.atomic
def record_check(*, actor, backtrack, kind: str, has_problem: bool, finding: str, problems=(),
                 on: date | None = None):
    """One of the four checks: a finding and the problems found (category, description)."""
    b = _open_bt(actor, backtrack, "开展倒查")
    if kind not in CheckKind.values:
        raise DomainError("四查类别无效。", {"kind": ["无效"]})
    finding = _text(finding, "finding", "核查结论", 5000)
    problems = [(c, (d or "").strip()) for c, d in (problems or []) if (d or "").strip()]
    for c, d in problems:
        if c not in ProblemCategory.values:
            raise DomainError("问题类别无效。", {"problems": ["无效的问题类别"]})
        if len(d) > 500:
            raise DomainError("问题描述不能超过 500 字。", {"problems": ["过长"]})
    if has_problem and not problems:
        raise DomainError("发现问题时请逐条填写问题及类别。", {"problems": ["至少一条"]})
    if not has_problem and problems:
        raise DomainError("未发现问题时不应填写问题。", {"problems": ["与结论不一致"]})
    on = _date(on, "on", "核查日期", required=False) or clock.today()
    if on < b.started_on:
        raise DomainError("核查日期不能早于倒查开始日期。", {"on": ["不能早于开始日期"]})
    check, created = Check.objects.get_or_create(backtrack=b, kind=kind, defaults={
        "has_problem": bool(has_problem), "finding": finding, "checked_on": on})
    before = None
    if not created:
        before = {"has_problem": check.has_problem, "finding": check.finding,
                  "problems": list(check.problems.values_list("category", "description"))}
        check.has_problem, check.finding, check.checked_on = bool(has_problem), finding, on
        check.save()
        check.problems.all().delete()
    Problem.objects.bulk_create([Problem(org=b.org, check_item=check, kind=kind, category=c, description=d,
                                         found_on=on) for c, d in problems])
    b.version += 1
    b.save(update_fields=["version"])
    record(actor, "accountability.backtrack.check", b, before=before,
           after={"kind": kind, "has_problem": bool(has_problem), "finding": finding, "problems": problems})
    return check


@transaction.atomic
def add_involvement(*, actor, backtrack, role: str, officer=None, user=None, name: str = "", post: str = "",
                    org=None):
    b = _open_bt(actor, backtrack, "添加涉及人员")
    if role not in PersonRole.values:
        raise DomainError("角色无效。", {"role": ["无效"]})
    if org is not None:
        _require(actor, org, "添加涉及人员")
    person = person_for(officer=officer, user=user, org=org or b.org, name=name, post=post)
    inv, created = Involvement.objects.get_or_create(backtrack=b, person=person, removed_at__isnull=True,
                                                     defaults={"org": b.org, "role": role})
    if not created:
        raise DomainError("该人员已在涉及人员中。", {"name": ["已存在"]})
    record(actor, "accountability.backtrack.person_add", b, after={"person": person.pk, "role": role})
    return inv


@transaction.atomic
def confirm_involvement(*, actor, involvement, fault_share: str, reasons: str, circumstance=None,
                        proposed_method=None):
    inv = Involvement.objects.select_for_update(of=("self",)).get(pk=involvement.pk)
    _open_bt(actor, inv.backtrack, "确认涉及人员")
    if inv.is_removed:
        raise IllegalTransition("该人员已移除，不能再确认责任；如需认定，请重新添加。")
    if fault_share not in FaultShare.values:
        raise DomainError("请选择责任划分。", {"fault_share": ["直接/主要/重要/次要责任"]})
    reasons = _text(reasons, "reasons", "认定理由", 5000)
    before = {"fault_share": inv.fault_share, "reasons": inv.reasons, "confirmed": inv.confirmed}
    inv.fault_share, inv.reasons, inv.confirmed = fault_share, reasons, True
    inv.circumstance, inv.proposed_method = circumstance, proposed_method
    inv.save()
    record(actor, "accountability.backtrack.person_confirm", inv.backtrack, before=before,
           after={"person": inv.person_id, "fault_share": fault_share, "reasons": reasons,
                  "circumstance": getattr(circumstance, "code", None), "method": getattr(proposed_method, "code",
                                                                                          None)})
    return inv


@transaction.atomic
def remove_involvement(*, actor, involvement, reason: str):
    """Take a person off the backtrack. The row stays, marked 已移除 with who, when and why,
    so the page and the history go on showing that the person was considered."""
    inv = Involvement.objects.select_for_update(of=("self",)).get(pk=involvement.pk)
    b = _open_bt(actor, inv.backtrack, "移除涉及人员")
    if inv.is_removed:
        raise IllegalTransition("该人员已移除。")
    reason = _text(reason, "reason", "移除理由", 300)
    before = {"person": inv.person_id, "role": inv.role, "confirmed": inv.confirmed,
              "fault_share": inv.fault_share}
    inv.removed_at, inv.removed_by, inv.removed_reason = timezone.now(), actor, reason
    inv.confirmed = False
    inv.save(update_fields=["removed_at", "removed_by", "removed_reason", "confirmed"])
    record(actor, "accountability.backtrack.person_remove", b, before=before,
           after={"person": inv.person_id, "removed": True}, reason=reason)
    return inv


@transaction.atomic
def complete_backtrack(*, actor, backtrack, summary: str, on: date | None = None, expected_version=None):
    """Complete: all four checks recorded, every suggested person confirmed or removed."""
    b = _open_bt(actor, backtrack, "完成倒查")
    _check_version(b, expected_version)
    have = set(b.checks.values_list("kind", flat=True))
    missing = [CheckKind(k).label for k in CheckKind.values if k not in have]
    if missing:
        raise DomainError("四查尚未完成：" + "、".join(missing), {"checks": missing})
    pending = list(b.involvements.filter(confirmed=False, removed_at__isnull=True).select_related("person").values_list("person__name",
                                                                                               flat=True))
    if pending:
        raise DomainError("以下人员尚未确认责任或移除：" + "、".join(pending), {"involvements": pending})
    summary = _text(summary, "summary", "倒查结论", 10000)
    on = _date(on, "on", "完成日期", required=False) or clock.today()
    if on < b.started_on:
        raise DomainError("完成日期不能早于开始日期。", {"on": ["不能早于开始日期"]})
    b.state, b.completed_on, b.summary = BacktrackState.COMPLETED, on, summary
    b.version += 1
    b.save()
    _close_deadlines(b, BACKTRACK_RULE, on)
    wc = _lock_wc(b.wrong_case)
    before = _wrong_case_snapshot(wc)
    wc.state = WrongCaseState.BACKTRACKED
    wc.version += 1
    wc.save()
    record(actor, "accountability.backtrack.complete", b, after={"summary": summary, "completed_on": on})
    record(actor, "accountability.wrong_case.backtracked", wc, before=before, after=_wrong_case_snapshot(wc))
    return b


# --- recommendation letters --------------------------------------------------------------------------

def impact_until_for(method: Method, start: date):
    if method.impact_months is None:
        return None
    return add_months(start, method.impact_months)


def _recommendation_content(rec, wc, bt, invs, on):
    from yifa.documents.content import Block, OfficialContent, chinese_date, labelled

    src = wc.litigation or wc.reconsideration
    # The title often already starts with the trigger (“行政诉讼败诉：…”): say it once.
    facts = labelled(wc.get_trigger_display(), wc.title).rstrip("。") + "。"
    if src is not None:
        # A case or decision number carries its own brackets (“（2026）鲁0102行初5号”):
        # it is named, never wrapped in another pair.
        facts += (f"案号{src.case_number}，原告/申请人{src.claimant}，被诉行政行为：{src.challenged_act}；"
                  f"结果：{src.get_outcome_display()}"
                  + (f"，文书号{src.outcome_number}" if src.outcome_number else "") + "。")
    if wc.enforcement_case_id:
        c = wc.enforcement_case
        facts += f"关联执法案件：{c.case_no}《{c.title}》。"
    body = [Block("paragraph", f"根据《县行政错案问责追责办法》，{rec.issuer.name}对{wc.org.name}错案开展了倒查，"
                               "现将有关情况及问责建议函告如下："),
            Block("heading1", "一、案件基本情况"), Block("paragraph", facts),
            Block("heading1", "二、倒查发现的问题（四查）")]
    rows = [["核查事项", "结论", "发现的问题"]]
    for check in bt.checks.all():
        probs = "；".join(f"{p.get_category_display()}：{p.description}" for p in check.problems.all()) or "未发现问题"
        rows.append([check.get_kind_display(), check.finding, probs])
    body.append(Block("table", rows=rows))
    body.append(Block("paragraph", f"倒查结论：{bt.summary}"))
    body.append(Block("heading1", "三、责任人员及问责建议"))
    rows = [["姓名", "职务", "角色", "责任划分", "问责情形", "建议问责方式", "影响期"]]
    for inv in invs:
        m = inv.proposed_method
        impact = f"{m.impact_months}个月（{m.impact_citation}）" if m and m.impact_months else "—"
        rows.append([inv.person.name, inv.person.post or "—", inv.get_role_display(), inv.get_fault_share_display(),
                     str(inv.circumstance) if inv.circumstance else "—", m.name if m else "—", impact])
    body.append(Block("table", rows=rows))
    for inv in invs:
        body.append(Block("paragraph", f"{inv.person.name}：{inv.reasons}"))
    body.append(Block("heading1", "四、反馈要求"))
    body.append(Block("paragraph", f"请{rec.authority}依照干部管理权限研究作出处理决定，并于{chinese_date(rec.feedback_due)}"
                                   f"前将处理结果书面反馈{rec.issuer.name}。"))
    return OfficialContent(issuer=rec.issuer.name, title=f"关于{wc.org.name}行政错案问责的建议书", body=body,
                           addressee=rec.authority, signature=rec.issuer.name, date=on)


@transaction.atomic
def issue_recommendation(*, actor, wrong_case, authority: str, feedback_due: date, on: date | None = None):
    """Issue a numbered 错案问责建议书 (docx + pdf) to the competent authority after the
    backtrack, proposing a method for each confirmed person."""
    from yifa.documents.services import issue_document

    wc = _lock_wc(wrong_case)
    _require(actor, wc.org, "印发错案问责建议书", roles=(Role.SUPERVISOR,))
    if wc.state != WrongCaseState.BACKTRACKED:
        raise IllegalTransition("倒查完成后方可印发错案问责建议书。")
    if actor is None or actor.org is None:
        raise DomainError("无法确定发文单位。", {"issuer": ["缺少发文单位"]})
    bt = wc.backtrack
    invs = list(bt.involvements.filter(confirmed=True).select_related("person", "circumstance", "proposed_method"))
    if not invs or any(i.proposed_method_id is None for i in invs):
        raise DomainError("请先为每名责任人员确认责任并提出建议问责方式。", {"involvements": ["缺少建议问责方式"]})
    authority = _text(authority, "authority", "有权机关", 120)
    on = _date(on, "on", "印发日期", required=False) or clock.today()
    feedback_due = _date(feedback_due, "feedback_due", "反馈期限")
    if feedback_due <= on:
        raise DomainError("反馈期限应晚于印发日期。", {"feedback_due": ["应晚于印发日期"]})
    rec = Recommendation.objects.create(org=wc.org, issuer=actor.org, wrong_case=wc, authority=authority,
                                        issued_on=on, feedback_due=feedback_due, issued_by=actor)
    doc = issue_document(actor=actor, org=actor.org, doc_type=RECOMMENDATION_DOC_TYPE, owner=rec,
                         content=_recommendation_content(rec, wc, bt, invs, on))
    rec.document, rec.doc_number = doc, doc.doc_number
    rec.save()
    record(actor, "accountability.recommendation.issue", rec,
           after={"doc_number": rec.doc_number, "wrong_case": wc.pk, "authority": authority,
                  "feedback_due": feedback_due})
    return rec


# --- decisions -----------------------------------------------------------------------------------------

def _decision_snapshot(d) -> dict:
    return {"person": d.person_id, "method": d.method.code, "authority": d.authority, "decided_on": d.decided_on,
            "doc_number": d.doc_number, "impact_from": d.impact_from, "impact_until": d.impact_until,
            "impact_basis": d.impact_basis, "wrong_case": d.wrong_case_id,
            "circumstance": d.circumstance_id}


@transaction.atomic
def record_decision(*, actor, person: Person, method: Method, authority: str, decided_on: date, doc_number: str,
                    wrong_case=None, circumstance=None, recommendation=None, impact_from: date | None = None,
                    impact_until: date | None = None, impact_basis: str = ""):
    """Record the competent authority's decision. A method with a statutory impact period
    needs an impact period consistent with it (from the effective date, N months); a method
    whose period the deciding organ sets by its own rules needs its end date and basis; other
    methods carry none."""
    if person is None or method is None:
        raise DomainError("请选择被问责人和问责方式。", {"person": ["必填"], "method": ["必填"]})
    _require(actor, person.org, "登记问责决定", roles=(Role.SUPERVISOR,))
    if wrong_case is not None:
        wc = _lock_wc(wrong_case)
        if wc.state == WrongCaseState.CLOSED:
            raise IllegalTransition("该错案已办结，不能再登记问责决定。")
        if recommendation is not None and recommendation.wrong_case_id != wc.pk:
            raise DomainError("问责建议书不属于该错案。", {"recommendation": ["不属于该错案"]})
    authority = _text(authority, "authority", "决定机关", 120)
    doc_number = _text(doc_number, "doc_number", "决定文号", 100)
    decided_on = _date(decided_on, "decided_on", "决定日期")
    impact_until = _date(impact_until, "impact_until", "影响期至", required=False)
    impact_from = _date(impact_from, "impact_from", "影响期起", required=False)
    impact_from = impact_from or (decided_on if (method.needs_impact or impact_until) else None)
    if method.needs_impact and method.impact_editable:
        # pre-filled from the method's period; the deciding organ may set another end under
        # its own rules, stating the basis (local defaults are unverified: LEGAL_RULES.md)
        expected = impact_until_for(method, impact_from)
        if impact_until is None or impact_until == expected:
            impact_until, impact_basis = expected, method.impact_citation
        else:
            impact_basis = _text(impact_basis, "impact_basis", "影响期另定的依据", 300)
    elif method.needs_impact:
        expected = impact_until_for(method, impact_from)
        if impact_until is None:
            raise DomainError(f"“{method.name}”须填写影响期（{method.impact_months}个月，{method.impact_citation}）。",
                              {"impact_until": [f"应为 {expected:%Y-%m-%d}"]})
        if impact_until != expected:
            raise DomainError(f"影响期与问责方式不一致：“{method.name}”的影响期为{method.impact_months}个月"
                              f"（{method.impact_citation}），自 {impact_from:%Y-%m-%d} 起应至 {expected:%Y-%m-%d}。",
                              {"impact_until": [f"应为 {expected:%Y-%m-%d}"]})
        impact_basis = method.impact_citation
    elif method.custom_impact:
        if impact_until is not None:
            impact_basis = _text(impact_basis, "impact_basis", "影响期依据", 300)
        else:
            impact_from, impact_basis = None, ""
    elif impact_until is not None:
        raise DomainError(f"“{method.name}”没有法定影响期，不应填写影响期。", {"impact_until": ["不应填写"]})
    if impact_until is not None and impact_from is not None and impact_until <= impact_from:
        raise DomainError("影响期截止日期应晚于起始日期。", {"impact_until": ["应晚于起始日期"]})
    d = Decision.objects.create(org=person.org, wrong_case=wrong_case, person=person, recommendation=recommendation,
                                circumstance=circumstance, method=method, authority=authority, decided_on=decided_on,
                                doc_number=doc_number, impact_from=impact_from, impact_until=impact_until,
                                impact_basis=impact_basis, recorded_by=actor)
    record(actor, "accountability.decision.record", d, after=_decision_snapshot(d))
    return d


@transaction.atomic
def record_assessment_mark(*, actor, person: Person, year: int, grade: str, reason: str, wrong_case=None):
    _require(actor, person.org, "登记年度考核等次", roles=(Role.SUPERVISOR,))
    if grade not in AssessmentGrade.values:
        raise DomainError("考核等次无效。", {"grade": ["无效"]})
    if not year or not (2000 <= int(year) <= 2100):
        raise DomainError("年度无效。", {"year": ["无效"]})
    if AssessmentMark.objects.filter(person=person, year=year).exists():
        raise DomainError(f"{year}年度考核等次已登记。", {"year": ["已登记"]})
    m = AssessmentMark.objects.create(org=person.org, person=person, year=int(year), grade=grade,
                                      reason=_text(reason, "reason", "依据/理由", 300), wrong_case=wrong_case)
    record(actor, "accountability.person.assessment_mark", m, after={"person": person.pk, "year": year,
                                                                      "grade": grade, "reason": m.reason})
    return m


@transaction.atomic
def record_title_loss(*, actor, person: Person, from_date: date, until: date, reason: str, wrong_case=None):
    _require(actor, person.org, "登记取消职称评审资格", roles=(Role.SUPERVISOR,))
    from_date = _date(from_date, "from_date", "起始日期")
    until = _date(until, "until", "截止日期")
    if until < from_date:
        raise DomainError("截止日期不能早于起始日期。", {"until": ["不能早于起始日期"]})
    t = TitleEligibilityLoss.objects.create(org=person.org, person=person, from_date=from_date, until=until,
                                            reason=_text(reason, "reason", "依据/理由", 300), wrong_case=wrong_case)
    record(actor, "accountability.person.title_loss", t, after={"person": person.pk, "from": from_date,
                                                                 "until": until, "reason": t.reason})
    return t


# --- notices and education --------------------------------------------------------------------------------

def quarter_bounds(year: int, quarter: int):
    if quarter not in (1, 2, 3, 4):
        raise DomainError("季度无效。", {"quarter": ["应为 1–4"]})
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    from datetime import timedelta

    return start, end - timedelta(days=1)


@transaction.atomic
def issue_notice(*, actor, year: int, quarter: int, typical_cases=(), requirements: str, on: date | None = None):
    """Draft and issue the quarterly wrong-case notice from the quarter's records (counts by
    source and by check computed here) with the typical cases the user chose."""
    from yifa.documents.content import Block, OfficialContent, chinese_date
    from yifa.documents.services import issue_document

    from . import selectors

    if actor is None or not is_supervisor(actor):
        raise PermissionDenied("只有监督员可以印发错案通报。")
    root = actor.scope_root
    start, end = quarter_bounds(int(year), int(quarter))
    figures = selectors.quarter_figures(root, start, end)
    typical = list(typical_cases or [])
    outside = [w.pk for w in typical if not w.org.path.startswith(root.path)]
    if outside:
        raise DomainError("典型案例不在您的范围内。", {"typical_cases": ["不在范围内"]})
    requirements = _text(requirements, "requirements", "工作要求", 10000)
    on = _date(on, "on", "印发日期", required=False) or clock.today()
    title = f"关于{year}年第{quarter}季度行政错案问责情况的通报"
    body = [Block("paragraph", f"现将{year}年第{quarter}季度（{chinese_date(start)}至{chinese_date(end)}）"
                               "全县行政错案倒查问责情况通报如下："),
            Block("heading1", "一、总体情况"),
            Block("paragraph", f"本季度认定错案{figures['wrong_cases']}件，完成倒查{figures['backtracks_completed']}件，"
                               f"发现问题{figures['problems']}个，印发错案问责建议书{figures['recommendations']}份，"
                               f"问责{figures['persons_held']}人。"),
            Block("table", rows=[["错案来源", "件数"]] + [[r["label"], str(r["count"])] for r in figures["by_source"]]),
            Block("table", rows=[["四查", "发现问题数"]] + [[r["label"], str(r["count"])] for r in figures["by_check"]]),
            Block("heading1", "二、典型案例")]
    if typical:
        for i, w in enumerate(typical, 1):
            text = f"{i}. {w.org.name}：{w.title}（{w.get_trigger_display()}）"
            if hasattr(w, "backtrack") and w.backtrack.summary:
                text += f"。倒查结论：{w.backtrack.summary}"
            body.append(Block("paragraph", text))
    else:
        body.append(Block("paragraph", "本季度无典型案例。"))
    body += [Block("heading1", "三、工作要求"), Block("paragraph", requirements)]
    n = Notice.objects.create(org=actor.org, year=year, quarter=quarter, title=title, figures=figures,
                              requirements=requirements, issued_on=on)
    n.typical_cases.set(typical)
    doc = issue_document(actor=actor, org=actor.org, doc_type=NOTICE_DOC_TYPE, owner=n,
                         content=OfficialContent(issuer=actor.org.name, title=title, body=body,
                                                 addressee="各乡镇（街道）、县直各部门", signature=actor.org.name,
                                                 date=on))
    n.document, n.doc_number = doc, doc.doc_number
    n.save()
    record(actor, "accountability.notice.issue", n, after={"doc_number": n.doc_number, "figures": figures,
                                                            "typical": [w.pk for w in typical]})
    return n


@transaction.atomic
def record_session(*, actor, org, title: str, held_on: date, attendance: int, units=(), wrong_cases=(),
                   kind: str = "warning"):
    if org is None:
        raise DomainError("请指定组织单位。", {"org": ["必填"]})
    _require(actor, org, "登记警示教育")
    if kind not in ("warning", "training"):
        raise DomainError("类型无效。", {"kind": ["无效"]})
    held_on = _date(held_on, "held_on", "日期")
    if attendance is None or int(attendance) <= 0:
        raise DomainError("参加人次应为正整数。", {"attendance": ["应为正整数"]})
    s = EducationSession.objects.create(org=org, title=_text(title, "title", "名称", 200), held_on=held_on,
                                        attendance=int(attendance), kind=kind)
    s.units.set(units)
    s.wrong_cases.set(wrong_cases)
    record(actor, "accountability.session.record", s, after={"title": s.title, "held_on": held_on,
                                                              "attendance": s.attendance,
                                                              "units": [u.pk for u in units]})
    return s


# --- the restriction service ------------------------------------------------------------------------------

def persons_of(subject):
    """Person records for a Person, an enforcement Officer or an orgs User."""
    from yifa.enforcement.models import Officer

    if isinstance(subject, Person):
        return [subject]
    if isinstance(subject, Officer):
        q = Q(officer=subject)
        if subject.user_id:
            q |= Q(user_id=subject.user_id)
        return list(Person.objects.filter(q))
    if getattr(subject, "pk", None) is not None and hasattr(subject, "role_assignments"):
        return list(Person.objects.filter(Q(user=subject) | Q(officer__user=subject)))
    raise TypeError(f"not a person: {subject!r}")


def restriction_on(person, on: date) -> dict:
    """Is `person` (Person / Officer / User) restricted on `on` from promotion, title
    evaluation or commendation? {promotion, title_evaluation, commendation: bool, until, reasons}."""
    persons = persons_of(person)
    out = {"promotion": False, "title_evaluation": False, "commendation": False, "until": None, "reasons": []}
    if not persons:
        return out
    ids = [p.pk for p in persons]
    decisions = (Decision.objects.filter(person_id__in=ids, impact_from__lte=on, impact_until__gte=on)
                 .select_related("method").order_by("impact_until"))
    for d in decisions:
        m = d.method
        flags = [("promotion", m.restricts_promotion), ("title_evaluation", m.restricts_title),
                 ("commendation", m.restricts_commendation)]
        if not any(f for _, f in flags):
            continue
        for key, f in flags:
            out[key] = out[key] or f
        out["until"] = max(filter(None, [out["until"], d.impact_until]))
        out["reasons"].append(f"{m.name}（{d.authority} {d.doc_number}，影响期至 {d.impact_until:%Y-%m-%d}；"
                              f"{d.impact_basis or m.restriction_basis}）")
    for t in TitleEligibilityLoss.objects.filter(person_id__in=ids, from_date__lte=on, until__gte=on):
        out["title_evaluation"] = True
        out["until"] = max(filter(None, [out["until"], t.until]))
        out["reasons"].append(f"取消职称评审资格至 {t.until:%Y-%m-%d}（{t.reason}）")
    return out
