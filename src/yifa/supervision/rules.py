"""线上监督 rules: set-based queries over enforcement case data that raise clues.

Each rule is a function `cases(today) -> QuerySet[Case]` returning the offending cases;
`run_rules` turns them into `Clue` rows with one bulk insert per rule (unique per
(rule, case), so a rerun adds nothing), leaving out units that switched the rule off."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Trim

from yifa.deadlines.models import ACTIVE_STATES, DeadlineState, TrackedDeadline
from yifa.enforcement import rules as enf_rules
from yifa.enforcement.models import (
    Case,
    CaseType,
    DiscretionBenchmark,
    Officer,
    OfficerStatus,
    PartyKind,
    Procedure,
    ProcessRecord,
    RecordKind,
    ReviewResult,
    Sanction,
    party_key,
)

CASE_OWNER = "enforcement.case"
PUBLICITY_RULES = ("penalty.publicity", "permit.publicity", "enforcement.publicity")


@dataclass(frozen=True)
class Param:
    """A threshold a rule reads through `param(code, key)`: its default, what it means to a
    supervisor (`label`, `unit`) and why the default is what it is. An administrator's value
    lives in `RuleParam`."""
    key: str
    label: str
    default: Decimal | int
    unit: str = ""
    rationale: str = ""
    # "count" (a whole number ≥ 1: times, days), "amount" (a positive number), "share" (a
    # fraction in (0, 1]); left empty, a whole default means "count", any other "amount".
    kind: str = ""

    @property
    def value_kind(self) -> str:
        if self.kind:
            return self.kind
        return "count" if Decimal(str(self.default)) == Decimal(str(self.default)).to_integral_value() else "amount"


SEVERITIES = {"high": "严重", "medium": "一般", "low": "提示"}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    description: str
    citation: str
    cases: Callable
    setting: str = ""  # the setting that tunes the rule (its Chinese name is in supervision.labels)
    # True: a case's hit depends only on the case as last saved (its dates, officers, records
    # added with it), so the sweep may look only at the cases changed since its last pass.
    # False: the hit depends on today (deadlines running out, the window of 以罚代管) and the
    # rule's own query is already bounded by open work or by its period.
    changed_only: bool = False
    severity: str = "medium"  # a key of SEVERITIES
    rationale: str = ""  # why a supervisor should look at what the rule finds
    params: tuple = ()  # Param, read with param(code, key)
    # A rule about records other than one case (a unit, an officer, a finding, a complaint)
    # declares `subjects(today)` instead of `cases` (pass cases=None): a values() queryset
    # with the keys of `subjects.SUBJECT_KEYS`; `run_rules` inserts one clue per (subject,
    # period). `evidence(clue)` lists the records that triggered such a clue, as
    # (words, url) pairs, for its page.
    subjects: Callable | None = None
    evidence: Callable | None = None
    # True: `cases(today, unclued=True)` leaves out the cases that already hold this rule's
    # clue where that is cheapest (on the few open deadlines, before the case table is read).
    # The sweep asks for it and still excludes them itself; others get every hit.
    drops_clued: bool = False
    # True: `cases` counts over several cases (a window function), so a condition on single
    # cases must stay outside its query: the sweep leaves out the clued cases around it.
    windowed: bool = False

    def __post_init__(self):
        if self.windowed and self.changed_only:
            # "changed since the last pass" is a condition on single cases: inside the
            # window it would count only the changed ones
            raise ValueError(f"rule {self.code}: a windowed rule cannot be changed_only")


def param(code: str, key: str):
    """The value of threshold `key` of rule `code`: the administrator's (RuleParam) or the
    rule's declared default; an int when it is whole (counts, days)."""
    from .models import RuleParam

    rule = RULES[code]
    declared = next((p for p in rule.params if p.key == key), None)
    if declared is None:
        raise KeyError(f"{code} has no parameter {key}")
    row = RuleParam.objects.filter(rule_code=code, key=key).values_list("value", flat=True).first()
    value = Decimal(row) if row is not None else Decimal(str(declared.default))
    return int(value) if value == value.to_integral_value() else value


def _case_ids(deadlines):
    """The cases owning these deadlines, as a subquery over the deadlines (driven by their
    state/due indexes: open work), casting the text `owner_id` to the case key — not the
    case key to text, which would make every case a candidate."""
    return (deadlines.filter(owner_type=CASE_OWNER).order_by()
            .annotate(_case=Cast("owner_id", output_field=BigIntegerField())).values("_case"))


def overdue_deadline(today, *, unclued=False):
    """Cases with an active deadline past due. `unclued` (the sweep): the deadlines whose
    case already holds this clue are dropped first, so a pass with nothing new reads no case
    (the sweep's pass at 10 M cases: 3.7 s → 0.54 s), and a pass costs what became overdue since."""
    deadlines = TrackedDeadline.objects.filter(state__in=ACTIVE_STATES, due__lt=today)
    if unclued:
        from .models import Clue

        deadlines = deadlines.exclude(Exists(Clue.objects.filter(
            rule_code="deadline.overdue", case_id=Cast(OuterRef("owner_id"), output_field=BigIntegerField()))))
    return Case.objects.filter(pk__in=_case_ids(deadlines))


def fewer_than_two_officers(today):
    certified = Q(officers__status=OfficerStatus.ACTIVE, officers__valid_from__lte=F("decided_on"),
                  officers__valid_to__gte=F("decided_on"))
    return (Case.objects.filter(decided_on__isnull=False)
            .annotate(_certified=Count("officers", filter=certified, distinct=True)).filter(_certified__lt=2))


def review_required_q():
    """`enforcement.workflows.needs_legal_review` as a query (same thresholds)."""
    amount = (Q(party_kind=PartyKind.INDIVIDUAL, amount__gte=enf_rules.threshold("review_fine_individual"))
              | (~Q(party_kind=PartyKind.INDIVIDUAL)
                 & Q(amount__gte=enf_rules.threshold("review_fine_organisation"))))
    return Q(case_type="penalty", procedure=Procedure.GENERAL) & (
        Q(major_public_interest=True) | Q(hearing_requested=True)
        | Q(sanction__in=(Sanction.SUSPENSION, Sanction.REVOCATION)) | amount)


def decision_without_review(today):
    return (Case.objects.filter(decided_on__isnull=False).filter(review_required_q())
            .exclude(legal_review_result=ReviewResult.PASSED))


def late_publicity(today):
    late = TrackedDeadline.objects.filter(rule__code__in=PUBLICITY_RULES).filter(
        Q(state=DeadlineState.MISSED) | Q(state__in=ACTIVE_STATES, due__lt=today))
    return Case.objects.filter(pk__in=_case_ids(late))


def _act_date():
    """The date of the enforcement act: the decision, or the filing while undecided."""
    return Coalesce("decided_on", "filed_on")


def expired_certificate(today):
    """An officer on the case whose certificate was not valid on the act date (before its
    validity began or after it ended). Current status is not used: a certificate revoked
    later says nothing about the act date."""
    return (Case.objects.annotate(_act=_act_date())
            .filter(Q(officers__valid_to__lt=F("_act")) | Q(officers__valid_from__gt=F("_act"))).distinct())


def penalty_outside_benchmark(today):
    """A decided fine outside the item's benchmark for the recorded circumstance level,
    with no reason recorded (the same test as enforcement's `discretion_ok` guard)."""
    outside = DiscretionBenchmark.objects.filter(item=OuterRef("item"), level=OuterRef("circumstance")).filter(
        Q(min_amount__gt=OuterRef("amount")) | Q(max_amount__lt=OuterRef("amount")))
    return (Case.objects.filter(decided_on__isnull=False, amount__isnull=False).exclude(circumstance="")
            .annotate(_reason=Trim("discretion_reason"))
            .filter(_reason="").filter(Exists(outside)))


@dataclass(frozen=True)
class RecordRequirement:
    """A kind of 全过程记录 a decided or closed case must carry."""
    label: str
    case_types: tuple
    kinds: tuple
    procedures: tuple = (Procedure.GENERAL, Procedure.SUMMARY)


# Data: which records a concluded case must have (国办发〔2018〕118号 全过程记录制度: 文字记录
# through the whole process; 音像记录 for acts directly affecting persons' or property rights
# such as 查封扣押; 现场检查/调查取证 recorded by photo, audio or video).
REQUIRED_RECORDS = (
    RecordRequirement("执法文书（文字记录）", (CaseType.PENALTY,), (RecordKind.DOCUMENT,), (Procedure.GENERAL,)),
    RecordRequirement("现场取证记录（照片、录音或视频）", (CaseType.PENALTY, CaseType.INSPECTION),
                      (RecordKind.PHOTO, RecordKind.AUDIO, RecordKind.VIDEO), (Procedure.GENERAL,)),
    RecordRequirement("查封扣押全程音像记录（录音或视频）", (CaseType.COERCION,), (RecordKind.AUDIO, RecordKind.VIDEO)),
)


def concluded_q():
    return Q(decided_on__isnull=False) | Q(closed_on__isnull=False) | Q(state="closed")


def records_missing_q():
    """Q over cases: concluded, and lacking a record of at least one required kind."""
    q = Q(pk__in=[])
    for req in REQUIRED_RECORDS:
        has = ProcessRecord.objects.filter(case=OuterRef("pk"), kind__in=req.kinds)
        q |= Q(case_type__in=req.case_types, procedure__in=req.procedures) & ~Q(Exists(has))
    return concluded_q() & q


def missing_records(today):
    return Case.objects.filter(records_missing_q())


# 以罚代管 — repeated fines on one party by one unit, no follow-up: thresholds as data.
REPEAT_FINES_RATIONALE = (
    "同一单位对同一当事人在 12 个月内作出 3 次及以上罚款决定，说明违法行为反复发生而未得到根治；"
    "依照“处罚与教育相结合”原则（《行政处罚法》第六条）及“谁执法谁普法”要求，应当跟进检查、"
    "督促整改，而不是一罚了之。")
REPEAT_FINES_PARAMS = (
    Param("count", "罚款次数", 3, "次",
          "同一当事人一年内被罚款三次，已超出偶发违法的通常情形，提示执法单位跟进检查。"),
    Param("window_days", "统计期间", 365, "天", "以一年为期，与年度执法检查计划的周期一致。"),
)


def _party_key():
    return party_key()


def repeated_fines(today):
    """Fines decided within the window (ending today) on a party the same unit fined at
    least `count` times in it, with no 行政检查 case of that party by that unit filed since
    the window began (no follow-up inspection or rectification check).

    One scan of the window's fines with a count per (unit, party) over a window function
    (Django wraps the window's filter in a subquery). Every other condition here is one
    of the key — the unit, the party's follow-up — so it drops whole keys and never
    changes a count. A condition on single cases (the sweep's "no clue yet") must not go
    inside, where it would lower the counts: the rule is `windowed`, and the sweep leaves
    out the clued cases around it. (10 M cases, the sweep's query: 6.7–8.2 s against
    5.1–5.7 s for the bare query; the former grouped key set and semi-join, which scanned
    the fines twice, took 13.1 s.) The follow-up check is an anti-join on
    `enf_case_inspection_party`."""
    since = today - timedelta(days=param("fines.repeated", "window_days"))
    fines = Case.objects.filter(case_type=CaseType.PENALTY, sanction=Sanction.FINE, decided_on__gte=since,
                                decided_on__lte=today)
    follow_up = (Case.objects.annotate(_party=_party_key())
                 .filter(case_type=CaseType.INSPECTION, org=OuterRef("org"), _party=OuterRef("_party"),
                         filed_on__gte=since))
    return (fines.annotate(_party=_party_key(),
                           _n=Window(Count("pk"), partition_by=[F("org_id"), _party_key()]))
            .exclude(Exists(follow_up)).filter(_n__gte=param("fines.repeated", "count")))


# --- process rules (先决定后审核, hearings, limitation, execution, coercion, rest days, 扰企,
# restricted officers, permit time limits, publicity withdrawal) --------------------------

def decision_before_review(today):
    """A decision dated before its legal review (先决定后审核): the review exists but is later."""
    return Case.objects.filter(decided_on__isnull=False, legal_review_on__isnull=False,
                               decided_on__lt=F("legal_review_on"))


def decision_before_hearing(today):
    """A hearing was requested and held, but the decision is dated before the hearing."""
    return Case.objects.filter(hearing_requested=True, decided_on__isnull=False, hearing_held_on__isnull=False,
                               decided_on__lt=F("hearing_held_on"))


def hearing_not_held(today):
    """A hearing was requested (the workflow accepts a request only within the request
    period) and the case was decided or closed with no hearing recorded."""
    return (Case.objects.filter(hearing_requested=True, hearing_held_on__isnull=True)
            .filter(Q(decided_on__isnull=False) | Q(closed_on__isnull=False)))


def _month_index(field):
    from django.db.models.functions import ExtractMonth, ExtractYear

    return ExtractYear(field) * 12 + ExtractMonth(field)


def filed_after_limitation(today):
    """A penalty case whose violation was discovered (or, without a discovery date, filed)
    after the limitation period of art. 36 counted from the act (or its end): the period's
    months (`penalty.limitation` / `penalty.limitation_major` in the deadline rule table)
    added to the act date — the same day-of-month, or the month's last day — compared in
    whole months and days, so no date arithmetic is needed in SQL. The roll-forward of a
    last day falling on a rest day is not applied (a discovery on the next working day
    after such a day is raised; the supervisor dismisses it)."""
    from django.db.models import Case as CaseWhen
    from django.db.models import When
    from django.db.models.functions import ExtractDay

    from yifa.deadlines.models import DeadlineRule

    months = dict(DeadlineRule.objects.filter(code__in=("penalty.limitation", "penalty.limitation_major"))
                  .values_list("code", "n"))
    two, five = months.get("penalty.limitation", 24), months.get("penalty.limitation_major", 60)
    found = Coalesce("discovered_on", "filed_on")
    qs = (Case.objects.filter(case_type=CaseType.PENALTY, act_on__isnull=False)
          .annotate(_found=found, _n=CaseWhen(When(limitation_five_years=True, then=Value(five)), default=Value(two)))
          .annotate(_gap=_month_index("_found") - _month_index("act_on") - F("_n")))
    return qs.filter(Q(_gap__gt=0) | Q(_gap=0, _found__day__gt=ExtractDay("act_on")))


def _months_before(day, months):
    """`day` minus whole months (the same day-of-month, or the month's last day)."""
    import calendar

    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def fine_not_enforced(today):
    """A served fine still unpaid, with no enforcement step (the case never went to 执行)
    once the party's remedy periods (litigation: six months from service) and the three
    months for applying to the court have run out."""
    from yifa.enforcement.models import DecisionChange

    code = "fines.no_court_application"
    cutoff = _months_before(today, int(param(code, "remedy_months")) + int(param(code, "apply_months")))
    return (Case.objects.filter(is_open=True, case_type=CaseType.PENALTY, sanction=Sanction.FINE, amount__gt=0,
                                paid_on__isnull=True, state="served", served_on__lt=cutoff)
            .exclude(decision_change=DecisionChange.ANNULLED))


def surcharge_not_computed(today):
    """An open case with a served fine, unpaid past the payment period, that carries no
    `penalty.payment` deadline: the late-payment surcharge (art. 72) is computed from that
    deadline (`enforcement.selectors.late_payment_surcharge`), so for this case none is
    computed or shown — typically a case taken in from another system or whose service was
    recorded outside the workflow. The system records no surcharge decision of its own."""
    from yifa.enforcement.models import DecisionChange

    code = "fines.surcharge_missing"
    served_before = today - timedelta(days=int(param(code, "payment_days")))
    payment = TrackedDeadline.objects.filter(rule__code="penalty.payment")
    return (Case.objects.filter(is_open=True, case_type=CaseType.PENALTY, sanction=Sanction.FINE, amount__gt=0,
                                paid_on__isnull=True, served_on__lt=served_before)
            .exclude(decision_change=DecisionChange.ANNULLED)
            .exclude(pk__in=_case_ids(payment)))


def coercion_overdue(today):
    """Seizure/sealing or freezing kept past its period (the period an approved extension
    gave included): the deadline was missed, or is still running past its due day."""
    late = TrackedDeadline.objects.filter(rule__code__in=("coercion.seizure", "coercion.freezing")).filter(
        Q(state=DeadlineState.MISSED) | Q(state__in=ACTIVE_STATES, due__lt=today))
    return Case.objects.filter(pk__in=_case_ids(late))


def closed_same_day(today):
    """A general-procedure penalty decided and closed on the day it was filed: the procedure's
    steps (investigation, notice, the party's statement and hearing period) cannot fit in a day."""
    return Case.objects.filter(case_type=CaseType.PENALTY, procedure=Procedure.GENERAL, decided_on__isnull=False,
                               closed_on=F("filed_on"))


def decided_on_rest_day(today):
    """A general-procedure decision dated on a rest day — a Saturday or Sunday that is not a
    make-up working day, or a statutory holiday of the holiday table — with no reason recorded."""
    from yifa.deadlines.models import HolidayDay, HolidayKind

    holiday = HolidayDay.objects.filter(date=OuterRef("decided_on"), kind=HolidayKind.HOLIDAY)
    makeup = HolidayDay.objects.filter(date=OuterRef("decided_on"), kind=HolidayKind.MAKEUP_WORKDAY)
    weekend = Q(decided_on__iso_week_day__gte=6) & ~Q(Exists(makeup))
    return (Case.objects.filter(procedure=Procedure.GENERAL, decided_on__isnull=False)
            .annotate(_reason=Trim("rest_day_reason")).filter(_reason="")
            .filter(weekend | Q(Exists(holiday))))


def frequent_inspections(today):
    """扰企: inspections of one party by one unit filed within the last `window_days` days,
    where that unit inspected the party more than `count` times in the window — one window
    count per (unit, party) over the period's inspections (`enf_case_inspection_party`)."""
    code = "inspections.frequent"
    since = today - timedelta(days=int(param(code, "window_days")))
    inspections = (Case.objects.filter(case_type=CaseType.INSPECTION, filed_on__gt=since, filed_on__lte=today)
                   .annotate(_party=_party_key()))
    crowded = (inspections.annotate(_n=Window(Count("pk"), partition_by=[F("org_id"), F("_party")]))
               .filter(_n__gt=int(param(code, "count"))).values("pk"))
    return Case.objects.filter(pk__in=crowded)


def restricted_officer(today):
    """An officer on the case who, on the filing or decision date, was within the impact
    period of an accountability decision that restricts him (the restrictions of
    `accountability.services.restriction_on`); or an open case still carrying an officer whose
    certificate is now suspended or revoked (the status has no date: only current work is
    judged by it)."""
    from yifa.accountability.models import Decision

    restricting = Decision.objects.filter(Q(method__restricts_promotion=True) | Q(method__restricts_title=True)
                                          | Q(method__restricts_commendation=True))
    # driven by the few restricted or suspended officers, through the case–officer links'
    # officer index: the cost follows their cases, not every case ever (10 M cases: 35 s)
    punished = (restricting.filter(person__officer__isnull=False).order_by().values("person__officer")
                .union(Officer.objects.filter(user__in=restricting.filter(person__user__isnull=False)
                                              .values("person__user")).order_by().values("pk")))
    person = Q(person__officer=OuterRef("officer_id")) | Q(person__user__isnull=False,
                                                           person__user=OuterRef("officer__user_id"))
    during = restricting.filter(person).filter(
        Q(impact_from__lte=OuterRef("case__filed_on"), impact_until__gte=OuterRef("case__filed_on"))
        | Q(impact_from__lte=OuterRef("case__decided_on"), impact_until__gte=OuterRef("case__decided_on")))
    links = Case.officers.through.objects
    hits = links.filter(officer__in=punished).filter(Exists(during)).values("case_id")
    suspended = links.filter(officer__status__in=(OfficerStatus.SUSPENDED, OfficerStatus.REVOKED),
                             case__is_open=True).values("case_id")
    return Case.objects.filter(pk__in=hits.union(suspended))


def _missed(codes):
    return Case.objects.filter(pk__in=_case_ids(TrackedDeadline.objects.filter(rule__code__in=codes,
                                                                                 state=DeadlineState.MISSED)))


def permit_decided_late(today):
    """A permit decided after its legal limit (its decision deadline closed as missed)."""
    return _missed(("permit.decision", "permit.joint_decision"))


def permit_materials_late(today):
    """The one-time notice of missing materials (or the acceptance) came after 5 working days."""
    return _missed(("permit.materials_notice",))


def withdrawal_late(today):
    """Publicity of a changed or annulled decision withdrawn after its 3 working days, or
    still online past them."""
    late = TrackedDeadline.objects.filter(rule__code="penalty.publicity_withdraw").filter(
        Q(state=DeadlineState.MISSED) | Q(state__in=ACTIVE_STATES, due__lt=today))
    return Case.objects.filter(pk__in=_case_ids(late))


RULES = {r.code: r for r in (
    Rule("deadline.overdue", "办案期限超期", "案件有已届满仍未办结的法定期限（期限监控红灯）。",
         "《行政处罚法》第六十条；《行政许可法》第四十二条", overdue_deadline, drops_clued=True),
    Rule("officers.two_certified", "执法人员不足两人", "已作出决定的案件，决定日有效持证执法人员少于两人。",
         enf_rules.RULE_TWO_OFFICERS, fewer_than_two_officers, changed_only=True),
    Rule("review.missing", "未经法制审核作出决定", "依法应当进行法制审核的案件，未经审核通过即作出决定。",
         enf_rules.RULE_LEGAL_REVIEW, decision_without_review, changed_only=True),
    Rule("publicity.late", "未按时公示", "行政执法决定未在规定期限内公示，或逾期仍未公示。",
         "《行政处罚法》第四十八条；《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》",
         late_publicity),
    Rule("officers.certificate_expired", "执法证件失效", "执法人员在执法行为发生之日执法证不在有效期内（未生效或已过期）。",
         "《行政处罚法》第四十二条；国办发〔2018〕118号（执法人员持证上岗）", expired_certificate, changed_only=True),
    Rule("discretion.outside_benchmark", "超出裁量基准未说明理由",
         "罚款金额超出该事项对应情节的裁量基准，且未记录超出理由。", enf_rules.RULE_DISCRETION,
         penalty_outside_benchmark, changed_only=True),
    Rule("records.missing", "缺少全过程记录",
         "已作出决定或已办结的案件，缺少应有的全过程记录：" + "；".join(
             f"{r.label}" for r in REQUIRED_RECORDS) + "。",
         "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》"
         "（国办发〔2018〕118号）", missing_records, changed_only=True),
    Rule("fines.repeated", "以罚代管",
         "同一单位在统计期间内对同一当事人罚款达到规定次数及以上，且此期间无对该当事人的跟进检查（行政检查案件）。",
         "《行政处罚法》第六条（处罚与教育相结合）；国办发〔2018〕118号", repeated_fines,
         rationale=REPEAT_FINES_RATIONALE, params=REPEAT_FINES_PARAMS, windowed=True),
    Rule("decision.before_review", "先决定后审核", "处罚决定日期早于法制审核日期：决定作出在先、法制审核在后。",
         "《行政处罚法》第五十八条", decision_before_review, changed_only=True, severity="high",
         rationale="法制审核是作出重大执法决定前的法定程序，审核晚于决定即等于未审核，审核流于形式；"
                   "常见于事后补材料、倒签日期，应调阅案卷核实。"),
    Rule("hearing.decided_before", "听证结束前作出决定", "当事人申请听证，处罚决定日期早于听证举行日期。",
         "《行政处罚法》第六十三条、第六十四条、第六十五条", decision_before_hearing, changed_only=True,
         severity="high",
         rationale="听证结束后，行政机关应当根据听证笔录作出决定；先决定后听证剥夺了当事人的听证权利，"
                   "决定存在被撤销的风险。"),
    Rule("hearing.not_held", "申请听证未组织听证", "当事人依法申请了听证，案件已作出决定或已结案，但没有听证记录。",
         "《行政处罚法》第六十四条、第六十五条", hearing_not_held, changed_only=True, severity="high",
         rationale="当事人在法定期限内申请听证的，行政机关应当组织听证；未听证即决定属程序违法，"
                   "应核实是否当事人撤回申请（须有书面记录）。"),
    Rule("penalty.limitation", "超过追责时效立案", "违法行为自发生（或终了）之日起超过二年（涉及公民生命健康安全、"
         "金融安全且有危害后果的为五年）才被发现或立案，仍予处罚。",
         "《行政处罚法》第三十六条", filed_after_limitation, changed_only=True, severity="high",
         rationale="超过追责时效的违法行为不再给予行政处罚；立案时系统已核对时效，此规则发现导入或事后修改"
                   "日期的案件。时效期间取期限规则表“追责时效”的月数。"),
    Rule("fines.no_court_application", "罚款未缴且未申请强制执行",
         "罚款决定送达后当事人未缴纳，复议、诉讼期限届满后三个月内仍未进入执行程序（申请人民法院强制执行）。",
         "《行政强制法》第五十三条；《行政处罚法》第七十二条", fine_not_enforced, severity="medium",
         rationale="罚款长期不缴又不申请强制执行，超过申请期限后法院不再受理，处罚决定落空，损害执法权威。",
         params=(Param("remedy_months", "当事人救济期限", 6, "个月",
                       "提起行政诉讼的期限为知道作出行政行为之日起六个月（《行政诉讼法》第四十六条），"
                       "长于复议期限六十日，以送达日起算。"),
                 Param("apply_months", "申请强制执行期限", 3, "个月",
                       "《行政强制法》第五十三条：自期限届满之日起三个月内申请人民法院强制执行。"))),
    Rule("fines.surcharge_missing", "逾期未缴罚款未计加处罚款",
         "罚款决定送达后超过缴款期限仍未缴纳，但案件没有缴款期限记录，系统无法计算加处罚款。",
         "《行政处罚法》第六十七条、第七十二条", surcharge_not_computed, severity="low",
         rationale="当事人逾期不缴纳罚款的，每日按罚款数额的百分之三加处罚款；没有缴款期限就无法计算和告知加处罚款，"
                   "也无法确定申请强制执行的时间，通常是送达未按流程登记或外部系统导入的数据不完整。",
         params=(Param("payment_days", "缴款期限", 15, "日",
                       "《行政处罚法》第六十七条：当事人应当自收到行政处罚决定书之日起十五日内缴纳罚款。"),)),
    Rule("coercion.overdue", "查封扣押冻结超期", "查封、扣押或冻结超过法定期限（含经批准延长的期限）仍未解除，"
         "或超期后才解除。", "《行政强制法》第二十五条、第三十二条", coercion_overdue, severity="high",
         rationale="查封、扣押、冻结的期限不得超过三十日，情况复杂的经负责人批准可延长三十日；"
                   "超期未解除直接侵害当事人财产权，易引发赔偿。"),
    Rule("case.closed_same_day", "普通程序当日立案当日结案", "普通程序处罚案件的立案、决定、结案在同一天。",
         "《行政处罚法》第五十四条至第六十二条（普通程序：调查、告知、陈述申辩与听证期限）", closed_same_day,
         changed_only=True, severity="medium",
         rationale="普通程序须经调查取证、事先告知并给予当事人陈述、申辩和申请听证的期限，一日内无法走完；"
                   "当日立案当日结案通常意味着程序被省略或日期倒签。"),
    Rule("decision.rest_day", "休息日作出决定未说明理由",
         "普通程序决定日期为周六、周日（调休上班日除外）或法定节假日，且未记录休息日作出决定的理由。",
         "国办发〔2018〕118号（执法全过程记录）；《全国年节及纪念日放假办法》", decided_on_rest_day,
         changed_only=True, severity="low",
         rationale="休息日集中出现的决定常是倒签或补办手续的信号；确因紧急情况作出的，应在案件中记录理由。"
                   "节假日和调休上班日以系统节假日表为准。"),
    Rule("inspections.frequent", "重复检查扰企", "同一单位在规定天数内对同一当事人实施行政检查超过规定次数。",
         "《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）", frequent_inspections,
         severity="medium",
         rationale="同一单位短期内对同一企业反复检查，增加企业负担，可能存在随意检查、重复检查；"
                   "应核实检查是否有依据、能否合并或联合检查。次数和天数为本地默认值，可由管理员调整。",
         params=(Param("count", "检查次数上限", 3, "次", "超过该次数即提示；本地默认值，未经核实。"),
                 Param("window_days", "统计天数", 180, "天", "按立案（检查）日期统计的滚动期间；本地默认值。"))),
    Rule("officers.restricted", "受限人员参与执法",
         "执法人员在立案或决定之日处于问责决定的影响期内，或执法证已被暂扣、注销仍在办理中的案件上。",
         "《行政处罚法》第四十二条；《公职人员政务处分法》第八条；国办发〔2018〕118号（持证上岗）",
         restricted_officer, severity="high",
         rationale="被问责人员在影响期内、证件被暂扣或注销的人员继续办案，执法主体资格存疑；"
                   "应核实是否及时调整了办案人员。"),
    Rule("permit.decided_late", "许可超期作出决定", "行政许可决定超过法定期限（二十个工作日，联合办理四十五个工作日，"
         "含经批准延长的期限）才作出。", "《行政许可法》第四十二条、第八十二条", permit_decided_late,
         severity="medium",
         rationale="许可超期影响申请人的经营和权益，是营商环境投诉的主要来源；超期原因应在案卷中说明。"),
    Rule("permit.materials_late", "补正告知超期", "申请材料不齐全的，未在五个工作日内一次告知需要补正的全部内容"
         "（或超过五个工作日才受理）。", "《行政许可法》第三十二条、第八十二条", permit_materials_late,
         severity="medium",
         rationale="逾期不告知的，自收到申请材料之日起即为受理；超期告知使申请人多跑路，"
                   "也使许可期限的起算出现争议。"),
    Rule("publicity.withdraw_late", "撤回公示超期", "处罚决定被变更、撤销后，未在三个工作日内撤回已公示的信息。",
         enf_rules.RULE_PUBLICITY_WITHDRAW + "；《市场监督管理行政处罚信息公示规定》第十一条", withdrawal_late,
         severity="medium",
         rationale="被撤销或变更的决定继续公示，对当事人信用造成不应有的影响，可能引发赔偿和舆情。"),
)}


# Rules about records other than one case (units, officers, findings, complaints), declared
# in their own module with this module's Rule and Param.
from . import subject_rules as _subject_rules  # noqa: E402

RULES.update((r.code, r) for r in _subject_rules.declare(Rule, Param))
