"""Reads of the accountability app, scoped through `visible_to`; statistics computed from the
records (never typed in)."""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum

from yifa.orgs.models import Organization, Role

from .models import (Backtrack, BacktrackState, CheckKind, Decision, EducationSession, Involvement, Litigation, Notice,
                     Person, Problem, ProblemCategory, Recommendation, Reconsideration, Trigger, WrongCase)


def wrong_cases_visible_to(user):
    return WrongCase.objects.visible_to(user).select_related("org", "backtrack")


def litigations_visible_to(user):
    return Litigation.objects.visible_to(user).select_related("org", "enforcement_case")


def reconsiderations_visible_to(user):
    return Reconsideration.objects.visible_to(user).select_related("org", "enforcement_case")


def persons_visible_to(user):
    return Person.objects.visible_to(user).select_related("org", "officer", "user")


def decisions_visible_to(user):
    return Decision.objects.visible_to(user).select_related("person", "method", "org", "wrong_case")


def can_see_person(user, person) -> bool:
    return Person.objects.visible_to(user).filter(pk=person.pk).exists()


def _in(qs, org, field="org"):
    return qs.filter(**{f"{field}__path__startswith": org.path}) if org is not None else qs


def quarter_figures(root: Organization, start: date, end: date) -> dict:
    """The figures of a period under `root`: counts by source and by check, letters, persons."""
    wcs = _in(WrongCase.objects.filter(opened_on__range=(start, end)).exclude(state="withdrawn"), root)
    by_source = dict(wcs.values_list("trigger").annotate(n=Count("id")).values_list("trigger", "n"))
    problems = _in(Problem.objects.filter(found_on__range=(start, end)), root)
    by_check = dict(problems.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {
        "start": start.isoformat(), "end": end.isoformat(),
        "wrong_cases": wcs.count(),
        "backtracks_completed": _in(Backtrack.objects.filter(completed_on__range=(start, end)), root).count(),
        "problems": problems.count(),
        "recommendations": _in(Recommendation.objects.filter(issued_on__range=(start, end)), root).count(),
        "persons_held": _in(Decision.objects.filter(decided_on__range=(start, end)), root)
        .values("person").distinct().count(),
        "by_source": [{"code": c, "label": Trigger(c).label, "count": by_source.get(c, 0)} for c in Trigger.values],
        "by_check": [{"code": c, "label": CheckKind(c).label, "count": by_check.get(c, 0)} for c in CheckKind.values],
    }


def accountability_metrics(org, start: date, end: date) -> dict:
    """For the dashboard / assessment: the unit's (and its subtree's) figures over a period.
    Backtracks by source, problems by check, letters, people held accountable by method,
    people under an impact period at `end`, education delivered."""
    wcs = _in(WrongCase.objects.filter(opened_on__range=(start, end)).exclude(state="withdrawn"), org)
    by_source = dict(wcs.values_list("trigger").annotate(n=Count("id")).values_list("trigger", "n"))
    bts = _in(Backtrack.objects.filter(started_on__range=(start, end)), org)
    problems = _in(Problem.objects.filter(found_on__range=(start, end)), org)
    by_check = dict(problems.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    decisions = _in(Decision.objects.filter(decided_on__range=(start, end)), org)
    by_method = list(decisions.values("method__code", "method__name").annotate(persons=Count("person",
                                                                                             distinct=True))
                     .order_by("method__sort_order"))
    under = _in(Decision.objects.filter(impact_from__lte=end, impact_until__gte=end), org)
    sessions = _in(EducationSession.objects.filter(held_on__range=(start, end)), org)
    agg = sessions.aggregate(n=Count("id"), people=Sum("attendance"))
    return {
        "wrong_cases": wcs.count(),
        "open_wrong_cases": wcs.exclude(state="closed").count(),
        "backtracks": bts.count(),
        "backtracks_completed": bts.filter(state=BacktrackState.COMPLETED).count(),
        "backtracks_by_source": {c: by_source.get(c, 0) for c in Trigger.values},
        "problems": problems.count(),
        "problems_by_check": {c: by_check.get(c, 0) for c in CheckKind.values},
        "recommendations": _in(Recommendation.objects.filter(issued_on__range=(start, end)), org).count(),
        "persons_held": decisions.values("person").distinct().count(),
        "persons_by_method": {r["method__code"]: r["persons"] for r in by_method},
        "persons_by_method_labels": {r["method__code"]: r["method__name"] for r in by_method},
        "persons_under_impact": under.values("person").distinct().count(),
        "education_sessions": agg["n"] or 0,
        "education_attendance": agg["people"] or 0,
        "rules_adopted": rules_adopted_count(org, start, end),
    }


def stats_by_unit(user, start: date, end: date):
    """One row per unit directly under the user's scope root (or the root itself when it
    has none), each with `accountability_metrics` of its subtree."""
    root = user.scope_root
    if root is None:
        return []
    units = list(Organization.objects.filter(parent=root).order_by("sort_order", "path")) or [root]
    rows = []
    # one grouped query per measure over the whole scope, bucketed by the unit prefix
    buckets = {u.path: u for u in units}

    def bucket(path):
        for p, u in buckets.items():
            if path.startswith(p):
                return u.pk
        return None

    def grouped(qs, field="org__path"):
        out = {}
        for path, n in qs.values_list(field).annotate(n=Count("id")).values_list(field, "n"):
            k = bucket(path)
            if k is not None:
                out[k] = out.get(k, 0) + n
        return out

    wcs = _in(WrongCase.objects.filter(opened_on__range=(start, end)).exclude(state="withdrawn"), root)
    lost = grouped(wcs.filter(trigger=Trigger.LITIGATION_LOST))
    corrected = grouped(wcs.filter(trigger=Trigger.RECONSIDERATION_CORRECTED))
    other = grouped(wcs.filter(trigger__in=(Trigger.SUPERVISION_FOUND, Trigger.HEAD_ABSENT, Trigger.HIDDEN_LOSS)))
    opened = grouped(wcs.exclude(state="closed"))
    probs = _in(Problem.objects.filter(found_on__range=(start, end)), root)
    by_check = {k: grouped(probs.filter(kind=k)) for k in CheckKind.values}
    recs = grouped(_in(Recommendation.objects.filter(issued_on__range=(start, end)), root))
    persons = {}
    for path, pid in _in(Decision.objects.filter(decided_on__range=(start, end)), root).values_list("org__path",
                                                                                                    "person_id"):
        k = bucket(path)
        if k is not None:
            persons.setdefault(k, set()).add(pid)
    under = {}
    for path, pid in _in(Decision.objects.filter(impact_from__lte=end, impact_until__gte=end), root).values_list(
            "org__path", "person_id"):
        k = bucket(path)
        if k is not None:
            under.setdefault(k, set()).add(pid)
    sess = grouped(_in(EducationSession.objects.filter(held_on__range=(start, end)), root))
    for u in units:
        rows.append({"org": u, "litigation_lost": lost.get(u.pk, 0), "reconsideration_corrected": corrected.get(u.pk, 0),
                     "other": other.get(u.pk, 0), "open": opened.get(u.pk, 0),
                     **{f"check_{k}": by_check[k].get(u.pk, 0) for k in CheckKind.values},
                     "recommendations": recs.get(u.pk, 0), "persons_held": len(persons.get(u.pk, ())),
                     "persons_under_impact": len(under.get(u.pk, ())), "sessions": sess.get(u.pk, 0)})
    return rows


def restricted_persons(user, on: date):
    """Persons visible to the user under an impact period on `on`."""
    ids = (Decision.objects.visible_to(user).filter(impact_from__lte=on, impact_until__gte=on)
           .filter(Q(method__restricts_promotion=True) | Q(method__restricts_title=True)
                   | Q(method__restricts_commendation=True)).values("person_id"))
    return persons_visible_to(user).filter(pk__in=ids)


def is_unit_leader_or_supervisor(user) -> bool:
    return user.has_role(Role.SUPERVISOR, Role.LEADER)


def notices_visible_to(user):
    return Notice.objects.visible_to(user).select_related("org")


def sessions_visible_to(user):
    return EducationSession.objects.visible_to(user).select_related("org")


def _adopted_rule_model():
    try:
        from yifa.supervision.meetings.models import AdoptedRule
    except ImportError:  # the meetings module is not installed
        return None
    return AdoptedRule


def rules_adopted_for(wrong_case, user):
    """Rules adopted because of this wrong case (meetings.AdoptedRule, generic source)."""
    from django.contrib.contenttypes.models import ContentType

    model = _adopted_rule_model()
    if model is None:
        return []
    ct = ContentType.objects.get_for_model(WrongCase)
    return list(model.objects.visible_to(user).filter(source_type=ct, source_id=wrong_case.pk).order_by("adopted_on"))


def rules_adopted_count(org, start, end) -> int:
    from django.contrib.contenttypes.models import ContentType

    model = _adopted_rule_model()
    if model is None:
        return 0
    ct = ContentType.objects.get_for_model(WrongCase)
    return _in(model.objects.filter(source_type=ct, adopted_on__range=(start, end)), org).count()


# --- public typical cases (portal, no login) ----------------------------------------------------

_ORG_MARKERS = ("公司", "集团", "企业", "厂", "店", "行", "社", "中心", "协会", "学校", "学院", "医院", "银行", "局",
                "委员会", "政府", "办公室", "所", "院", "部", "站", "场", "馆", "会", "合作", "事务", "工作室")
_NAME_SPLIT = re.compile(r"[、，,；;/\s]+")


def _individual_names(text: str) -> list:
    """Names in a claimant / third-party field that may be individuals (anything not looking like
    an organisation is treated as an individual: over-masking is the safe side)."""
    return [n for n in _NAME_SPLIT.split(text or "") if len(n) >= 2 and not any(m in n for m in _ORG_MARKERS)]


def _method_phrase(name: str) -> str:
    head, sep, tail = name.partition("：")
    return f"{head}（{tail}）" if sep else name


def public_typical_cases(limit=None) -> list:
    """Wrong cases marked 典型案例 for the public portal: only public fields, personal data masked.
    Rows: {id, org_name, title, day, trigger, trigger_label, summary}. The summary tells the
    source, the problem categories the four checks found and the accountability applied in
    general terms ("1人受到政务处分（记过）") — never a person's name, an individual party's name,
    an ID number or a phone number. Independent of any user; a fixed number of queries."""
    from yifa.enforcement.masking import mask_text

    qs = (WrongCase.objects.filter(is_typical=True).select_related("org", "enforcement_case", "litigation",
                                                                  "reconsideration", "exemption__reason")
          .order_by("-opened_on", "-id"))
    if limit is not None:
        qs = qs[:max(0, int(limit))]
    cases = list(qs)
    if not cases:
        return []
    ids = [w.pk for w in cases]
    names = {pk: set() for pk in ids}
    for pk, name in Involvement.objects.filter(backtrack__wrong_case_id__in=ids, removed_at__isnull=True).values_list(
            "backtrack__wrong_case_id", "person__name"):
        names[pk].add(name)
    problems = {pk: [] for pk in ids}
    for pk, cat in (Problem.objects.filter(check_item__backtrack__wrong_case_id__in=ids)
                    .order_by("check_item__kind", "id").values_list("check_item__backtrack__wrong_case_id", "category")):
        if cat not in problems[pk]:
            problems[pk].append(cat)
    held = {pk: {} for pk in ids}
    for pk, person_id, person_name, method_name in (
            Decision.objects.filter(wrong_case_id__in=ids).order_by("method__sort_order", "id")
            .values_list("wrong_case_id", "person_id", "person__name", "method__name")):
        names[pk].add(person_name)
        held[pk].setdefault(method_name, set()).add(person_id)
    category_labels = dict(ProblemCategory.choices)
    rows = []
    for w in cases:
        hidden = set(names[w.pk])
        ecase = w.enforcement_case
        if ecase is not None and ecase.party_kind == "individual":
            hidden.add(ecase.party_name)
        for challenge in (w.litigation, w.reconsideration):
            if challenge is not None:
                hidden.update(_individual_names(challenge.claimant))
                hidden.update(_individual_names(challenge.third_parties))
        # longest first, so that a full name is masked before a shorter one it contains
        hidden = sorted((n for n in hidden if n), key=len, reverse=True)
        parts = [f"来源：{Trigger(w.trigger).label}。"]
        if problems[w.pk]:
            parts.append("倒查（四查）发现问题：" + "、".join(category_labels.get(c, c) for c in problems[w.pk]) + "。")
        elif w.state != "backtracking":
            parts.append("倒查（四查）未发现问题。")
        else:
            parts.append("倒查进行中。")
        if held[w.pk]:
            parts.append("问责情况：" + "；".join(f"{len(p)}人受到{_method_phrase(m)}" for m, p in held[w.pk].items())
                         + "。")
        exemption = getattr(w, "exemption", None)  # reverse one-to-one: missing → AttributeError
        if exemption is not None:
            parts.append(f"经认定免予问责（{exemption.reason.name}）。")
        rows.append({"id": w.pk, "org_name": w.org.name, "title": mask_text(w.title, names=hidden),
                     "day": w.opened_on, "trigger": w.trigger, "trigger_label": Trigger(w.trigger).label,
                     "summary": mask_text("".join(parts), names=hidden)})
    return rows


def commendation_restricted_until(on: date, match: Q):
    """A subquery for person lists (评优评先): the latest end of an impact period that bars
    commendation on `on`, for the person the outer row is (`match`, a Q on Decision with
    OuterRef, e.g. Q(person=OuterRef("pk"))); NULL when not restricted. A subquery, so it
    multiplies no other aggregate of the list."""
    from django.db.models import Subquery

    return Subquery(Decision.objects.filter(match, impact_from__lte=on, impact_until__gte=on,
                                            method__restricts_commendation=True)
                    .order_by("-impact_until").values("impact_until")[:1])


# --- periods that pause the late-payment surcharge (行政处罚法 art. 73 ¶3) ---------------------

def remedy_periods(case_ids: list[int]) -> dict:
    """The reconsideration and litigation periods of enforcement cases `case_ids`, keyed by
    case id: from filing to the day the outcome took effect; an outcome not yet effective (no
    outcome, or a first-instance judgment in its appeal period or under appeal) leaves the
    period running. Registered with `yifa.enforcement.remedies` (see apps.py). Two queries."""
    from yifa.enforcement.remedies import RemedyPeriod

    out: dict[int, list] = {}
    for model in (Reconsideration, Litigation):
        rows = (model.objects.filter(enforcement_case_id__in=case_ids)
                .values_list("enforcement_case_id", "case_number", "filed_on", "effective_on"))
        for case_id, number, filed_on, effective_on in rows:
            out.setdefault(case_id, []).append(
                RemedyPeriod(kind_label=model.kind_label, reference=number, start=filed_on, end=effective_on))
    return out


@dataclass
class FilingLimit:
    """The claimant's own time limit for a registered challenge and whether it was kept:
    the unit's first argument in its defence when it was not."""
    rule: str
    label: str
    basis: str
    start: date | None
    due: date | None
    provisional: bool
    applied_on: date | None
    late: bool | None          # None: not known (a date is missing)
    text: str


FILING_RULES = {
    # kind, after reconsideration, notified → (rule, what the period is, what it starts from)
    ("reconsideration", False, True): ("reconsideration.application", "申请行政复议期限（六十日）",
                                       "知道或应当知道行政行为之日"),
    ("reconsideration", False, False): ("reconsideration.application_unnotified",
                                        "未告知申请复议权利和期限时的最长申请期限（一年）", "知道或应当知道行政行为内容之日"),
    ("litigation", False, True): ("litigation.filing", "直接起诉期限（六个月）", "知道或应当知道作出行政行为之日"),
    ("litigation", False, False): ("litigation.filing_unnotified", "未告知起诉期限时的最长起诉期限（一年）",
                                   "知道或应当知道行政行为内容之日"),
    ("litigation", True, True): ("litigation.after_reconsideration", "经复议后起诉期限（十五日）", "收到复议决定书之日"),
    ("litigation", True, False): ("litigation.after_reconsideration", "经复议后起诉期限（十五日）", "收到复议决定书之日"),
}


def filing_limit(challenge) -> FilingLimit:
    """Was the suit or the reconsideration application brought in time? Counted by the
    deadline engine from the day the claimant knew of the act (or received the
    reconsideration decision); a missing date never blocks anything and is said."""
    from yifa.deadlines import engine

    kind = challenge.kind
    after = bool(getattr(challenge, "reconsideration_decision_on", None))
    code, label, start_label = FILING_RULES[(kind, after, bool(challenge.remedy_notified))]
    start = challenge.reconsideration_decision_on if after else challenge.known_on
    applied = challenge.applied_on or challenge.filed_on
    applied_label = "起诉" if kind == "litigation" else "申请"
    if start is None:
        return FilingLimit(code, label, "", None, None, False, applied, None,
                           f"{label}：未填写{start_label}，无法判断是否超过期限。")
    result = engine.compute(code, start, org=challenge.org)
    mark = "（暂定）" if result.waiting_for_year else ""
    late = applied > result.due
    verdict = (f"{applied_label}日期 {applied:%Y-%m-%d} 已超过期限，可在答辩/答复中主张" if late
               else f"{applied_label}日期 {applied:%Y-%m-%d} 在期限内")
    return FilingLimit(code, label, result.basis, start, result.due, bool(result.waiting_for_year), applied, late,
                       f"{label}：自{start_label}（{start:%Y-%m-%d}）起算，至 {result.due:%Y-%m-%d}{mark} 届满"
                       f"（{result.basis}）；{verdict}。")
