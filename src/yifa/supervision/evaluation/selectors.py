"""Reads of the evaluation app, always scoped; `evaluation_metrics` is the figure other
modules (assessment, dashboards) read: files evaluated, problems found, grade counts."""

from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, Q

from yifa.orgs.models import Organization

from .models import (Campaign, Category, Deduction, EvaluationFile, FileState, Grade, ScoringSheet, SheetItem)


def campaigns_visible_to(user):
    return (Campaign.objects.visible_to(user).select_related("org", "sheet")
            .annotate(file_count=Count("files", distinct=True),
                      done_count=Count("files", filter=Q(files__state=FileState.SUBMITTED), distinct=True)))


def files_visible_to(user):
    return EvaluationFile.objects.visible_to(user).select_related("campaign", "org", "case", "evaluator")


def sheets():
    return ScoringSheet.objects.annotate(item_count=Count("items")).order_by("-is_active", "name")


def sheet_items(sheet):
    return SheetItem.objects.filter(sheet=sheet).order_by("sort_order", "id")


def target_orgs_for(user):
    root = user.scope_root
    if root is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=root.path).order_by("path")


def evaluator_candidates(user):
    from yifa.orgs.models import User

    root = user.scope_root
    if root is None:
        return User.objects.none()
    return User.objects.filter(org__path__startswith=root.path, is_active=True).select_related("org") \
        .order_by("org__path", "username")


def pending_files_for(user):
    """Files the user is an evaluator of, in a campaign being scored, not yet graded."""
    from .models import CampaignState

    return (EvaluationFile.objects.filter(campaign__evaluator_links__user=user, campaign__state=CampaignState.SCORING,
                                          state=FileState.PENDING)
            .select_related("campaign", "case", "org").order_by("campaign_id", "seq"))


def _grade_counts():
    return {"excellent": Count("id", filter=Q(grade=Grade.EXCELLENT)),
            "pass": Count("id", filter=Q(grade=Grade.PASS)),
            "fail": Count("id", filter=Q(grade=Grade.FAIL))}


def _avg(value):
    return Decimal(value).quantize(Decimal("0.1")) if value is not None else None


def campaign_results(campaign) -> dict:
    """Per target unit: files sampled and evaluated, average score, grade counts and problems
    by category; plus the totals. Two grouped queries whatever the number of units."""
    targets = list(campaign.targets.select_related("org").order_by("org__path"))
    files = {r["org"]: r for r in EvaluationFile.objects.filter(campaign=campaign).values("org").annotate(
        sampled=Count("id"), evaluated=Count("id", filter=Q(state=FileState.SUBMITTED)),
        average=Avg("score", filter=Q(state=FileState.SUBMITTED)), **_grade_counts())}
    problems = {}
    for r in (Deduction.objects.filter(file__campaign=campaign, file__state=FileState.SUBMITTED)
              .values("file__org", "category").annotate(n=Count("id"))):
        problems.setdefault(r["file__org"], {})[r["category"]] = r["n"]
    rows = []
    for t in targets:
        f = files.get(t.org_id, {})
        by_cat = problems.get(t.org_id, {})
        rows.append({"org": t.org_id, "org_name": t.org.name, "quota": t.quota_label(), "available": t.available,
                     "sampled": f.get("sampled", 0), "evaluated": f.get("evaluated", 0),
                     "average": _avg(f.get("average")), "excellent": f.get("excellent", 0),
                     "pass": f.get("pass", 0), "fail": f.get("fail", 0),
                     "problems": sum(by_cat.values()), "by_category": {c: by_cat.get(c, 0) for c in Category.values}})
    all_files = EvaluationFile.objects.filter(campaign=campaign, state=FileState.SUBMITTED).aggregate(
        average=Avg("score"), evaluated=Count("id"), **_grade_counts())
    totals = {"sampled": sum(r["sampled"] for r in rows), "evaluated": all_files["evaluated"],
              "average": _avg(all_files["average"]), "excellent": all_files["excellent"], "pass": all_files["pass"],
              "fail": all_files["fail"], "problems": sum(r["problems"] for r in rows),
              "by_category": {c: sum(r["by_category"][c] for r in rows) for c in Category.values}}
    return {"rows": rows, "totals": totals}


def common_problems(campaign, limit=10):
    labels = dict(Category.choices)
    rows = (Deduction.objects.filter(file__campaign=campaign, file__state=FileState.SUBMITTED)
            .values("item_text", "category").annotate(count=Count("id")).order_by("-count", "item_text")[:limit])
    return [dict(r, category_label=labels.get(r["category"], r["category"])) for r in rows]


def _window(qs, start: date | None, end: date | None, field="submitted_on"):
    if start is not None:
        qs = qs.filter(**{f"{field}__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{field}__lte": end})
    return qs


def evaluation_metrics(org: Organization | None, start: date | None = None, end: date | None = None) -> dict:
    """Figures for `org` and the units under it (None: every unit), over files graded between
    `start` and `end` (inclusive; either may be None): files evaluated, problems found,
    grade counts, average score and problems by category. For assessment and dashboards
    (the caller has decided the user may see `org`)."""
    files = EvaluationFile.objects.filter(state=FileState.SUBMITTED)
    if org is not None:
        files = files.filter(org__path__startswith=org.path)
    files = _window(files, start, end)
    agg = files.aggregate(evaluated=Count("id"), average=Avg("score"), **_grade_counts())
    deductions = _window(Deduction.objects.filter(file__state=FileState.SUBMITTED), start, end, "file__submitted_on")
    if org is not None:
        deductions = deductions.filter(file__org__path__startswith=org.path)
    by_cat = {r["category"]: r["n"] for r in deductions.values("category").annotate(n=Count("id"))}
    return {"files_evaluated": agg["evaluated"], "problems_found": sum(by_cat.values()),
            "grades": {"excellent": agg["excellent"], "pass": agg["pass"], "fail": agg["fail"]},
            "average_score": _avg(agg["average"]),
            "problems_by_category": {c: by_cat.get(c, 0) for c in Category.values}}


def evaluation_metrics_by_unit(orgs, start: date | None = None, end: date | None = None) -> dict[int, dict]:
    """`evaluation_metrics` for several units at once (each unit's subtree), two queries per unit
    at most — for ranking pages listing a few dozen units."""
    return {o.pk: evaluation_metrics(o, start, end) for o in orgs}
