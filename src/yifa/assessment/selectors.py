"""Reads of the assessment app, always through `visible_to`."""

import importlib
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch

from yifa.orgs.models import User

from .models import AssessmentPeriod, IndicatorScore, Interview, ManualScore, UnitResult


def periods_visible_to(user):
    return AssessmentPeriod.objects.visible_to(user).select_related("org").annotate(
        unit_count=Count("results", distinct=True))


def results_visible_to(user):
    return UnitResult.objects.visible_to(user).select_related("org", "period")


def ranking(user, period):
    """The period's results the user may see (a unit: its own; the county: all)."""
    return (UnitResult.objects.visible_to(user).filter(period=period).select_related("org")
            .order_by("rank", "-total", "org__path"))


def result_scores(result):
    return (IndicatorScore.objects.filter(result=result).select_related("indicator__category")
            .order_by("indicator__category__sort_order", "indicator__category_id", "indicator__sort_order",
                      "indicator_id"))


def missing_scores(user, period):
    """(unit, [indicator names]) for every visible unit of the period still missing a score."""
    rows = (UnitResult.objects.visible_to(user).filter(period=period, complete=False).select_related("org")
            .prefetch_related(Prefetch("scores", queryset=IndicatorScore.objects.filter(missing=True)
                                       .select_related("indicator"), to_attr="missing_scores"))
            .order_by("org__path"))
    return [(r.org, r.missing_scores) for r in rows]


def interviews_visible_to(user):
    return Interview.objects.visible_to(user).select_related("org", "period", "recorded_by")


def manual_scores_visible_to(user):
    return ManualScore.objects.visible_to(user).select_related("org", "indicator", "period", "scored_by")


# --- commendation / promotion lists: accountability impact periods ---------------------------------

@dataclass
class Candidate:
    person: object
    checked: bool  # False: the accountability registry could not be consulted
    restricted: bool
    reason: str


RESTRICTION_SOURCES = ("yifa.accountability.services", "yifa.accountability.selectors", "yifa.accountability")


def restriction_checker():
    """`yifa.accountability`'s `restriction_on(person, date)`, or None while it is absent."""
    for name in RESTRICTION_SOURCES:
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        fn = getattr(mod, "restriction_on", None)
        if callable(fn):
            return fn
    return None


def _describe(restriction) -> str:
    if restriction is None or restriction is False:
        return ""
    if isinstance(restriction, str):
        return restriction
    if isinstance(restriction, dict):
        parts = [str(restriction.get(k)) for k in ("reason", "measure", "method", "description") if restriction.get(k)]
        until = restriction.get("until") or restriction.get("end") or restriction.get("ends_on")
        if until:
            parts.append(f"影响期至 {until}")
        return "，".join(parts) or "处于问责影响期"
    parts = [str(getattr(restriction, k)) for k in ("reason", "measure", "method", "description")
             if getattr(restriction, k, None)]
    until = next((getattr(restriction, k) for k in ("until", "end", "ends_on", "impact_until")
                  if getattr(restriction, k, None)), None)
    if until:
        parts.append(f"影响期至 {until}")
    return "，".join(parts) or str(restriction)


PURPOSES = {"commendation": "评优", "promotion": "晋升"}


def _restricted(r, purpose) -> bool:
    """`restriction_on` answers {promotion, title_evaluation, commendation: bool, until, reasons}."""
    if isinstance(r, dict):
        return bool(r.get(purpose))
    return bool(r)


def _describe_for(r) -> str:
    if isinstance(r, dict) and isinstance(r.get("reasons"), list) and r["reasons"]:
        return "；".join(str(x) for x in r["reasons"])
    return _describe(r)


def commendation_candidates(persons, on: date, purpose: str = "commendation") -> dict:
    """评优推荐名单 (purpose "commendation") or 晋升名单 ("promotion"): each person flagged
    when an accountability impact period restricts it on `on`. While the accountability
    registry is absent, nobody is reported as clear: every row says it was not checked."""
    check = restriction_checker()
    rows = []
    for p in persons:
        if check is None:
            rows.append(Candidate(p, False, False, "无法核查：错案问责模块尚未提供影响期查询服务（restriction_on），"
                                                   "请人工核实后再推荐。"))
            continue
        try:
            r = check(p, on)
        except Exception as exc:  # their service failed: not checked, never "clear"
            rows.append(Candidate(p, False, False, f"无法核查：影响期查询出错（{type(exc).__name__}）。"))
            continue
        restricted = _restricted(r, purpose)
        rows.append(Candidate(p, True, restricted,
                              _describe_for(r) if restricted else f"未处于限制{PURPOSES.get(purpose, '')}的问责影响期"))
    return {"on": on, "available": check is not None, "rows": rows,
            "restricted": sum(1 for r in rows if r.restricted), "unchecked": sum(1 for r in rows if not r.checked)}


def persons_visible_to(user):
    return User.objects.visible_to(user).filter(is_active=True).select_related("org").order_by("org__path", "username")
