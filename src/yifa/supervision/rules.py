"""线上监督 rules: set-based queries over enforcement case data that raise clues.

Each rule is a function `cases(today) -> QuerySet[Case]` returning the offending cases;
`run_rules` turns them into `Clue` rows with one bulk insert per rule (unique per
(rule, case), so a rerun adds nothing), leaving out units that switched the rule off."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import Cast, Coalesce, Trim

from yifa.deadlines.models import ACTIVE_STATES, DeadlineState, TrackedDeadline
from yifa.enforcement import rules as enf_rules
from yifa.enforcement.models import (Case, CaseType, DiscretionBenchmark, OfficerStatus, PartyKind, Procedure,
                                     ProcessRecord, RecordKind, ReviewResult, Sanction, party_key)

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


def overdue_deadline(today):
    return Case.objects.filter(pk__in=_case_ids(TrackedDeadline.objects.filter(state__in=ACTIVE_STATES,
                                                                                 due__lt=today)))


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

    One pass over the window's fines: a window count per (unit, party) — not a count per
    fine — so the cost follows the fines of the period, read through `enf_case_fine_decided`;
    the follow-up check is an index probe on `enf_case_inspection_party` per flagged fine."""
    since = today - timedelta(days=param("fines.repeated", "window_days"))
    fines = Case.objects.filter(case_type=CaseType.PENALTY, sanction=Sanction.FINE, decided_on__gte=since,
                                decided_on__lte=today).annotate(_party=_party_key())
    repeated = (fines.annotate(_n=Window(Count("pk"), partition_by=[F("org_id"), F("_party")]))
                .filter(_n__gte=param("fines.repeated", "count")).values("pk"))
    follow_up = (Case.objects.annotate(_party=_party_key())
                 .filter(case_type=CaseType.INSPECTION, org=OuterRef("org"), _party=OuterRef("_party"),
                         filed_on__gte=since))
    return Case.objects.filter(pk__in=repeated).annotate(_party=_party_key()).exclude(Exists(follow_up))


RULES = {r.code: r for r in (
    Rule("deadline.overdue", "办案期限超期", "案件有已届满仍未办结的法定期限（期限监控红灯）。",
         "《行政处罚法》第六十条；《行政许可法》第四十二条", overdue_deadline),
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
         rationale=REPEAT_FINES_RATIONALE, params=REPEAT_FINES_PARAMS),
)}


# Rules about records other than one case (units, officers, findings, complaints), declared
# in their own module with this module's Rule and Param.
from . import subject_rules as _subject_rules  # noqa: E402

RULES.update((r.code, r) for r in _subject_rules.declare(Rule, Param))
