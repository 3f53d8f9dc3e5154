"""Objective items (客观项) computed from enforcement data for a batch of sampled cases.

`compute(case_ids)` answers `{case_id: [(check_code, detail), ...]}` with a fixed number
of queries whatever the batch size (cases with their officers, the cases' tracked
deadlines, the cases that have process records). A sheet item names the check it is
pre-filled from in `SheetItem.check_code`; the evaluator confirms or rejects each
suggestion."""

from collections import defaultdict

from django.db.models import Prefetch

from yifa.deadlines.models import DeadlineState, TrackedDeadline
from yifa.enforcement.models import Case, Officer, ProcessRecord, Procedure, PublicityState, ReviewResult
from yifa.enforcement.workflows import needs_legal_review

CASE_OWNER = "enforcement.case"

CHECKS = {
    "late_steps": "办案环节超过法定期限（跟踪期限超期办结或未按时办结）",
    "missing_service_receipt": "决定书无送达记录（无送达日期）",
    "missing_records": "案件无执法全过程记录",
    "two_officers": "决定日有效持证执法人员少于两人",
    "missing_legal_review": "依法应当法制审核的决定未经审核通过",
    "missing_publicity": "行政处罚决定未公示",
}
CHECK_CHOICES = [("", "—（人工评查）")] + list(CHECKS.items())


def _is_general_penalty(case) -> bool:
    return case.case_type == "penalty" and case.procedure == Procedure.GENERAL


def compute(case_ids) -> dict[int, list[tuple[str, str]]]:
    case_ids = list(case_ids)
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if not case_ids:
        return out
    cases = (Case.objects.filter(pk__in=case_ids)
             .prefetch_related(Prefetch("officers", queryset=Officer.objects.order_by("pk"))))
    late = defaultdict(list)
    for d in (TrackedDeadline.objects.filter(owner_type=CASE_OWNER, owner_id__in=[str(i) for i in case_ids])
              .select_related("rule").order_by("due")):
        if d.state == DeadlineState.MISSED or (d.closed_on is not None and d.closed_on > d.due):
            late[int(d.owner_id)].append(f"{d.rule.name}届满 {d.due:%Y-%m-%d}，"
                                         f"办结 {d.closed_on:%Y-%m-%d}" if d.closed_on else
                                         f"{d.rule.name}届满 {d.due:%Y-%m-%d}，超期办结")
    with_records = set(ProcessRecord.objects.filter(case_id__in=case_ids).values_list("case_id", flat=True)
                       .distinct())
    for case in cases:
        found = out[case.pk]
        if late.get(case.pk):
            found.append(("late_steps", "；".join(late[case.pk])))
        elif case.on_time is False:
            found.append(("late_steps", f"案件结案日 {case.closed_on or '—'}，按时办结标记为“否”"))
        decided = case.decided_on
        if _is_general_penalty(case) and decided and case.served_on is None:
            found.append(("missing_service_receipt", f"决定日期 {decided:%Y-%m-%d}，无送达日期"))
        if case.case_type in ("penalty", "coercion") and case.procedure == Procedure.GENERAL \
                and case.pk not in with_records:
            found.append(("missing_records", "系统中无该案的现场照片、音视频或文书记录"))
        day = decided or case.closed_on
        if day is not None and case.case_type != "permit":
            officers = list(case.officers.all())
            valid = [o for o in officers if o.certified_on(day)]
            if len(valid) < 2:
                invalid = [o.name for o in officers if not o.certified_on(day)]
                extra = f"（执法证无效：{'、'.join(invalid)}）" if invalid else ""
                found.append(("two_officers", f"{day:%Y-%m-%d} 有效持证执法人员 {len(valid)} 人{extra}"))
        if decided and needs_legal_review(case) and case.legal_review_result != ReviewResult.PASSED:
            found.append(("missing_legal_review", f"罚款 {case.amount or '—'} 元 / {case.get_sanction_display() or '—'}，"
                                                  "属应当法制审核情形，未见审核通过记录"))
        if _is_general_penalty(case) and decided and case.publicity_state in (PublicityState.PENDING,
                                                                             PublicityState.NONE):
            found.append(("missing_publicity", f"决定日期 {decided:%Y-%m-%d}，公示状态：{case.get_publicity_state_display()}"))
    return out
