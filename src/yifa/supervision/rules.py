"""线上监督 rules: set-based queries over enforcement case data that raise clues.

Each rule is a function `cases(today) -> QuerySet[Case]` returning the offending cases;
`run_rules` turns them into `Clue` rows with one bulk insert per rule (unique per
(rule, case), so a rerun adds nothing), leaving out units that switched the rule off."""

from dataclasses import dataclass
from collections.abc import Callable

from django.db.models import CharField, Count, Exists, F, OuterRef, Q
from django.db.models.functions import Cast

from yifa.deadlines.models import ACTIVE_STATES, DeadlineState, TrackedDeadline
from yifa.enforcement import rules as enf_rules
from yifa.enforcement.models import Case, OfficerStatus, PartyKind, Procedure, ReviewResult, Sanction

CASE_OWNER = "enforcement.case"
PUBLICITY_RULES = ("penalty.publicity", "permit.publicity", "enforcement.publicity")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    description: str
    citation: str
    cases: Callable


def _case_deadlines():
    return TrackedDeadline.objects.filter(owner_type=CASE_OWNER,
                                          owner_id=Cast(OuterRef("pk"), output_field=CharField()))


def overdue_deadline(today):
    overdue = _case_deadlines().filter(state__in=ACTIVE_STATES, due__lt=today)
    return Case.objects.filter(Exists(overdue))


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
    late = _case_deadlines().filter(rule__code__in=PUBLICITY_RULES).filter(
        Q(state=DeadlineState.MISSED) | Q(state__in=ACTIVE_STATES, due__lt=today))
    return Case.objects.filter(Exists(late))


RULES = {r.code: r for r in (
    Rule("deadline.overdue", "办案期限超期", "案件有已届满仍未办结的法定期限（期限监控红灯）。",
         "《行政处罚法》第六十条；《行政许可法》第四十二条", overdue_deadline),
    Rule("officers.two_certified", "执法人员不足两人", "已作出决定的案件，决定日有效持证执法人员少于两人。",
         enf_rules.RULE_TWO_OFFICERS, fewer_than_two_officers),
    Rule("review.missing", "未经法制审核作出决定", "依法应当进行法制审核的案件，未经审核通过即作出决定。",
         enf_rules.RULE_LEGAL_REVIEW, decision_without_review),
    Rule("publicity.late", "未按时公示", "行政执法决定未在规定期限内公示，或逾期仍未公示。",
         "《行政处罚法》第四十八条；《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》",
         late_publicity),
)}
