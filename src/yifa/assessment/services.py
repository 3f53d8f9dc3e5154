"""Writes of the assessment app: every one atomic, validated, audited.

Who: the supervision office's supervisors (考核评分人) and administrators, for periods
organised by a unit in their scope. Leaders and units read (selectors)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from yifa.core import clock
from yifa.core.validation import check_version as _check_version, text_field as _text
from yifa.audit.services import record
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization, OrgKind, Role

from . import formulas, metrics
from .defaults import DEFAULT_TREE
from .models import (AssessmentPeriod, Category, FormulaKind, Indicator, IndicatorKind, IndicatorScore, Interview,
                     ManualScore, MetricSnapshot, PeriodState, UnitResult)

MANAGING_ROLES = (Role.ADMIN, Role.SUPERVISOR)
ASSESSED_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP)
HUNDRED = Decimal(100)


def can_manage(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*MANAGING_ROLES)


def _require_manager(actor, org, what="管理考核"):
    if actor is None:
        return
    if not can_manage(actor):
        raise PermissionDenied(f"只有监督员或系统管理员可以{what}。")
    root = actor.scope_root
    if root is None or not org.path.startswith(root.path):
        raise PermissionDenied("该考核不在您的管理范围内。")


def _require_open(period):
    if period.state == PeriodState.CLOSED:
        raise DomainError("该考核期间已关闭，考核数据已冻结，不能修改。", {"period": ["已关闭"]})


def _decimal(value, field, label, lo=None, hi=None) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"{label}应为数字。", {field: ["应为数字"]}) from None
    if not d.is_finite():
        raise DomainError(f"{label}应为数字。", {field: ["应为数字"]})
    if (lo is not None and d < lo) or (hi is not None and d > hi):
        raise DomainError(f"{label}应在 {lo}～{hi} 之间。", {field: [f"应在 {lo}～{hi} 之间"]})
    return formulas.q2(d)


def _lock(period) -> AssessmentPeriod:
    return AssessmentPeriod.objects.select_for_update(of=("self",)).select_related("org").get(pk=period.pk)


# --- periods and the indicator tree ----------------------------------------------------------------

def _period_snapshot(p):
    return {"name": p.name, "start": p.start, "end": p.end, "state": p.state}


@transaction.atomic
def create_period(*, actor, org: Organization, year: int | None = None, name: str = "", start: date | None = None,
                  end: date | None = None, copy_from: AssessmentPeriod | None = None) -> AssessmentPeriod:
    """A period (default: the calendar year `year`) with the default indicator tree, or a
    copy of `copy_from`'s tree."""
    if org is None:
        raise DomainError("请指定组织考核单位。", {"org": ["必填"]})
    _require_manager(actor, org, "创建考核")
    if start is None and end is None:
        year = year or clock.today().year
        if not 2000 <= int(year) <= 2100:
            raise DomainError("年度无效。", {"year": ["年度无效"]})
        start, end = date(int(year), 1, 1), date(int(year), 12, 31)
    if not start or not end:
        raise DomainError("请填写考核期间。", {"start": ["必填"], "end": ["必填"]})
    if end < start:
        raise DomainError("考核期间止不能早于起。", {"end": ["不能早于开始日期"]})
    name = _text(name, "name", "考核名称", 120, required=False) or (
        f"{start.year}年度法治政府建设考核" if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        and start.year == end.year else f"法治政府建设考核（{start:%Y-%m-%d}至{end:%Y-%m-%d}）")
    period = AssessmentPeriod.objects.create(org=org, name=name, start=start, end=end, created_by=actor)
    if copy_from is not None:
        tree = [(c.name, str(c.weight), [(i.name, str(i.weight), i.kind, i.metric_code, i.formula, i.params,
                                          i.description, i.rationale) for i in c.indicators.all()])
                for c in copy_from.categories.prefetch_related("indicators")]
    else:
        tree = DEFAULT_TREE
    for ci, (cname, cweight, inds) in enumerate(tree):
        cat = Category.objects.create(period=period, name=cname, weight=Decimal(cweight), sort_order=ci)
        Indicator.objects.bulk_create([
            Indicator(category=cat, name=n, weight=Decimal(w), kind=k, metric_code=m, formula=f, params=dict(p),
                      description=d, rationale=r, sort_order=ii) for ii, (n, w, k, m, f, p, d, r) in enumerate(inds)])
    record(actor, "assessment.period.create", period, after=_period_snapshot(period))
    return period


def tree_errors(categories) -> list[str]:
    """Per level: the categories' weights sum to 100, and each category's indicators too."""
    errors = []
    cats = list(categories)
    total = sum((Decimal(c.weight) for c in cats), Decimal(0))
    if not cats:
        errors.append("尚未设置考核指标。")
    elif total != HUNDRED:
        errors.append(f"一级指标权重合计为 {total.normalize():f}%，应为 100%。")
    for c in cats:
        inds = list(c.indicators.all())
        s = sum((Decimal(i.weight) for i in inds), Decimal(0))
        if not inds:
            errors.append(f"一级指标“{c.name}”下没有二级指标。")
        elif s != HUNDRED:
            errors.append(f"一级指标“{c.name}”下各二级指标权重合计为 {s.normalize():f}%，应为 100%。")
    return errors


def tree_of(period):
    return list(period.categories.prefetch_related("indicators").order_by("sort_order", "id"))


def validate_tree(period):
    errors = tree_errors(tree_of(period))
    if errors:
        raise DomainError("权重设置有误：" + "；".join(errors), {"weights": errors})


@transaction.atomic
def set_weights(*, actor, period, categories: dict, indicators: dict, expected_version=None):
    """Save the weights of the whole tree at once; refused (nothing saved) unless every
    level sums to 100%."""
    period = _lock(period)
    _require_manager(actor, period.org, "修改指标权重")
    _require_open(period)
    _check_version(period, expected_version)
    tree = tree_of(period)
    before = {"categories": {c.pk: str(c.weight) for c in tree},
              "indicators": {i.pk: str(i.weight) for c in tree for i in c.indicators.all()}}
    known_c = {c.pk: c for c in tree}
    known_i = {i.pk: i for c in tree for i in c.indicators.all()}
    for key, value in (categories or {}).items():
        c = known_c.get(int(key)) if str(key).isdigit() else None
        if c is None:
            raise DomainError("一级指标不属于该考核期间。", {"categories": ["无效的指标"]})
        c.weight = _decimal(value, f"category_{key}", f"“{c.name}”的权重", Decimal(0), HUNDRED)
    for key, value in (indicators or {}).items():
        i = known_i.get(int(key)) if str(key).isdigit() else None
        if i is None:
            raise DomainError("二级指标不属于该考核期间。", {"indicators": ["无效的指标"]})
        i.weight = _decimal(value, f"indicator_{key}", f"“{i.name}”的权重", Decimal(0), HUNDRED)
    errors = tree_errors(tree)
    if errors:
        raise DomainError("权重未保存：" + "；".join(errors), {"weights": errors})
    Category.objects.bulk_update(tree, ["weight"])
    Indicator.objects.bulk_update(list(known_i.values()), ["weight"])
    period.version += 1
    period.save(update_fields=["version"])
    record(actor, "assessment.tree.weights", period, before=before,
           after={"categories": {c.pk: str(c.weight) for c in tree},
                  "indicators": {i.pk: str(i.weight) for i in known_i.values()}})
    return period


def _indicator_fields(kind, metric_code, formula, params):
    if kind not in IndicatorKind.values:
        raise DomainError("计分方式无效。", {"kind": ["应为平台数据计算或人工评分"]})
    if kind == IndicatorKind.MANUAL:
        return "", FormulaKind.MANUAL, {}
    if metrics.get(metric_code) is None:
        raise DomainError("请选择已登记的平台指标。", {"metric_code": ["未登记的平台指标"]})
    if formula not in (FormulaKind.RATE, FormulaKind.THRESHOLD, FormulaKind.DEDUCTION):
        raise DomainError("平台数据指标的计分公式应为比率、达标线性计分或按件扣分。", {"formula": ["无效"]})
    unit = metrics.get(metric_code).unit
    if (formula == FormulaKind.DEDUCTION) != (unit == "count"):
        raise DomainError("按件扣分只能用于件数类指标，比率类指标请用比率或达标线性计分。", {"formula": ["与指标类型不符"]})
    return metric_code, formula, formulas.validate(formula, params)


@transaction.atomic
def add_category(*, actor, period, name: str) -> Category:
    """A new category with weight 0 (then rebalance the weights on the tree page)."""
    period = _lock(period)
    _require_manager(actor, period.org, "修改指标")
    _require_open(period)
    name = _text(name, "name", "一级指标名称", 60)
    order = (period.categories.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0) + 1
    cat = Category.objects.create(period=period, name=name, weight=Decimal(0), sort_order=order)
    record(actor, "assessment.category.add", period, after={"category": name})
    return cat


@transaction.atomic
def add_indicator(*, actor, category: Category, name: str, kind: str, metric_code: str = "", formula: str = "",
                  params: dict | None = None, description: str = "") -> Indicator:
    """A new indicator with weight 0 (then rebalance the weights on the tree page)."""
    period = _lock(category.period)
    _require_manager(actor, period.org, "修改指标")
    _require_open(period)
    name = _text(name, "name", "二级指标名称", 100)
    metric_code, formula, params = _indicator_fields(kind, metric_code, formula, params)
    order = (category.indicators.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0) + 1
    ind = Indicator.objects.create(category=category, name=name, weight=Decimal(0), kind=kind, metric_code=metric_code,
                                   formula=formula, params=params, sort_order=order,
                                   description=_text(description, "description", "考核内容", 300, False))
    record(actor, "assessment.indicator.add", period, after={"indicator": name, "kind": kind, "metric": metric_code,
                                                              "formula": formula, "params": params})
    return ind


@transaction.atomic
def update_indicator(*, actor, indicator: Indicator, name: str, kind: str, metric_code: str = "", formula: str = "",
                     params: dict | None = None, description: str = "") -> Indicator:
    period = _lock(indicator.category.period)
    _require_manager(actor, period.org, "修改指标")
    _require_open(period)
    before = {"name": indicator.name, "kind": indicator.kind, "metric": indicator.metric_code,
              "formula": indicator.formula, "params": indicator.params}
    indicator.name = _text(name, "name", "二级指标名称", 100)
    indicator.metric_code, indicator.formula, indicator.params = _indicator_fields(kind, metric_code, formula, params)
    indicator.kind = kind
    indicator.description = _text(description, "description", "考核内容", 300, False)
    indicator.save()
    record(actor, "assessment.indicator.update", period, before=before,
           after={"name": indicator.name, "kind": kind, "metric": indicator.metric_code, "formula": indicator.formula,
                  "params": indicator.params})
    return indicator


RATIONALE_MAX = 2000


@transaction.atomic
def set_rationale(*, actor, indicator: Indicator, rationale: str) -> Indicator:
    """Edit an indicator's 计分依据 (why it scores the way it does): the supervisor's office
    or an administrator, in scope, while the period is open; audited with the old text."""
    period = _lock(indicator.category.period)
    _require_manager(actor, period.org, "修改计分依据")
    _require_open(period)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    text = _clean_rationale(rationale)
    if text == indicator.rationale:
        return indicator
    before = {"indicator": indicator.name, "rationale": indicator.rationale}
    indicator.rationale = text
    indicator.save(update_fields=["rationale"])
    record(actor, "assessment.indicator.rationale", period, before=before,
           after={"indicator": indicator.name, "rationale": text})
    return indicator


def _clean_rationale(value) -> str:
    text = "\n".join(line.rstrip() for line in str(value or "").replace("\r\n", "\n").split("\n")).strip()
    if len(text) > RATIONALE_MAX:
        raise DomainError(f"计分依据不超过 {RATIONALE_MAX} 字。", {"rationale": [f"不超过{RATIONALE_MAX}字"]})
    return text


# --- assessed units, manual scores ---------------------------------------------------------------

def assessed_units(period) -> list[Organization]:
    """The 23 departments and 18 townships (every department/township under the organising
    unit); frozen into the period when it is closed."""
    if period.state == PeriodState.CLOSED and period.frozen_units:
        by_id = {o.pk: o for o in Organization.objects.filter(pk__in=period.frozen_units)}
        return [by_id[i] for i in period.frozen_units if i in by_id]
    return list(Organization.objects.filter(path__startswith=period.org.path, kind__in=ASSESSED_KINDS,
                                            is_active=True).exclude(pk=period.org_id)
                .order_by("kind", "sort_order", "path"))


def points_of(indicator) -> Decimal:
    return formulas.q2(Decimal(indicator.category.weight) * Decimal(indicator.weight) / HUNDRED)


@transaction.atomic
def set_manual_score(*, actor, period, indicator: Indicator, org: Organization, score, evidence: str,
                     attachment=None, on: date | None = None, expected_version=None) -> ManualScore:
    """An assessor's score with evidence: for a manual indicator, or for a platform indicator
    whose data is not available in the platform yet."""
    period = _lock(period)
    _require_manager(actor, period.org, "评分")
    _require_open(period)
    if indicator.category.period_id != period.pk:
        raise DomainError("该指标不属于此考核期间。", {"indicator": ["指标无效"]})
    if org.pk not in {u.pk for u in assessed_units(period)}:
        raise DomainError("该单位不是本期被考核单位。", {"org": ["不是被考核单位"]})
    if indicator.kind == IndicatorKind.METRIC:
        res = metrics.compute(indicator.metric_code, org, period.start, period.end)
        if res.available:
            raise DomainError("该指标由平台数据自动计算，不能人工评分。", {"indicator": ["平台数据指标"]})
    points = points_of(indicator)
    value = _decimal(score, "score", "得分", Decimal(0), points)
    evidence = _text(evidence, "evidence", "评分依据/佐证", 5000)
    if attachment is not None:
        from yifa.core.uploads import EVIDENCE, check_upload

        check_upload(attachment, kinds=EVIDENCE, max_bytes=20 * 1024 * 1024, field="attachment", what="佐证附件")
    existing = ManualScore.objects.select_for_update(of=("self",)).filter(indicator=indicator, org=org).first()
    before = None
    if existing is not None:
        _check_version(existing, expected_version)
        before = {"score": existing.score, "evidence": existing.evidence}
        existing.score, existing.evidence = value, evidence
        existing.scored_by, existing.scored_on = actor, on or clock.today()
        if attachment is not None:
            existing.attachment = attachment
        existing.version += 1
        existing.save()
        ms = existing
    else:
        ms = ManualScore.objects.create(period=period, indicator=indicator, org=org, score=value, evidence=evidence,
                                        attachment=attachment or "", scored_by=actor,
                                        scored_on=on or clock.today())
    record(actor, "assessment.manual_score.set", ms, before=before,
           after={"indicator": indicator.name, "score": value, "evidence": evidence,
                  "attachment": ms.attachment.name if ms.attachment else ""})
    return ms


# --- computing and closing ----------------------------------------------------------------------

def _metric_values(period, units, codes):
    """{(org_id, code): MetricResult}: frozen snapshots for a closed period, live otherwise."""
    out = {}
    if period.state == PeriodState.CLOSED:
        for s in MetricSnapshot.objects.filter(period=period):
            out[(s.org_id, s.metric_code)] = metrics.MetricResult(
                value=s.value, numerator=s.numerator, denominator=s.denominator, drilldown_url=s.drilldown_url,
                available=s.available, reason=s.reason)
        for u in units:
            for code in codes:
                out.setdefault((u.pk, code), metrics.MetricResult.unavailable("关闭时未冻结该指标数据。"))
        return out
    for u in units:
        for code in codes:
            out[(u.pk, code)] = metrics.compute(code, u, period.start, period.end)
    return out


def metric_codes(period) -> list[str]:
    return sorted({i.metric_code for c in tree_of(period) for i in c.indicators.all()
                   if i.kind == IndicatorKind.METRIC})


def evaluate(period, values=None) -> dict:
    """Scores of every unit on every indicator (nothing written): per unit the indicator
    rows, total (None when any score is missing) and the missing items. `values`: metric
    results already computed ({(org_id, code): MetricResult}); default: snapshots of a
    closed period, live values otherwise."""
    tree = tree_of(period)
    units = assessed_units(period)
    indicators = [i for c in tree for i in c.indicators.all()]
    for c in tree:
        for i in c.indicators.all():
            i.category = c
    codes = sorted({i.metric_code for i in indicators if i.kind == IndicatorKind.METRIC})
    if values is None:
        values = _metric_values(period, units, codes)
    manual = {(m.indicator_id, m.org_id): m for m in ManualScore.objects.filter(period=period)}
    rows = []
    for u in units:
        scores, missing = [], []
        for ind in indicators:
            points = points_of(ind)
            row = {"indicator": ind, "points": points, "score": None, "missing": False, "source": "",
                   "value": None, "numerator": None, "denominator": None, "drilldown_url": "", "explanation": ""}
            ms = manual.get((ind.pk, u.pk))
            if ind.kind == IndicatorKind.METRIC:
                res = values[(u.pk, ind.metric_code)]
                row.update(value=res.value, numerator=res.numerator, denominator=res.denominator,
                           drilldown_url=res.drilldown_url)
                if res.available:
                    row["score"], row["explanation"] = formulas.score(ind.formula, ind.params, points, res)
                    row["source"] = "metric"
                elif ms is not None:
                    row.update(score=min(ms.score, points), source="manual",
                               explanation=f"平台数据暂不可用，人工评分：{ms.evidence[:200]}")
                else:
                    row.update(missing=True, source="missing", explanation=f"{res.reason} 请评分人依据佐证人工评分。")
            elif ms is not None:
                row.update(score=min(ms.score, points), source="manual", explanation=f"人工评分：{ms.evidence[:200]}")
            else:
                row.update(missing=True, source="missing", explanation="尚未人工评分。")
            if row["missing"]:
                missing.append(ind)
            scores.append(row)
        total = None if missing else formulas.q2(sum((r["score"] for r in scores), Decimal(0)))
        rows.append({"org": u, "scores": scores, "missing": missing, "total": total})
    complete = all(not r["missing"] for r in rows)
    rank_units(rows, complete)
    return {"units": rows, "complete": complete, "tree_errors": tree_errors(tree)}


def rank_units(rows, complete):
    """Competition ranking (1, 2, 2, 4) by total, only when every unit is fully scored;
    the bottom three are the units whose total is at or below the third-lowest total
    (ties at the boundary are all flagged), when more than three units are assessed."""
    for r in rows:
        r["rank"], r["bottom"] = None, False
    if not complete or not rows:
        return
    ordered = sorted(rows, key=lambda r: (-r["total"], r["org"].path))
    prev, rank = None, 0
    for pos, r in enumerate(ordered, start=1):
        if r["total"] != prev:
            rank, prev = pos, r["total"]
        r["rank"] = rank
    if len(ordered) > 3:
        threshold = sorted(r["total"] for r in ordered)[2]
        for r in ordered:
            r["bottom"] = r["total"] <= threshold


@transaction.atomic
def compute_period(*, actor, period) -> dict:
    """Compute and store every unit's scores, total, rank and the bottom three. A closed
    period is recomputed from its frozen snapshots, giving the same result."""
    period = _lock(period)
    _require_manager(actor, period.org, "计算考核结果")
    errors = tree_errors(tree_of(period))
    if errors:
        raise DomainError("权重设置有误，不能计算：" + "；".join(errors), {"weights": errors})
    result = evaluate(period)
    now = timezone.now()
    UnitResult.objects.filter(period=period).delete()
    results = UnitResult.objects.bulk_create([
        UnitResult(period=period, org=r["org"], total=r["total"], complete=not r["missing"],
                   missing_count=len(r["missing"]), rank=r["rank"], bottom=r["bottom"], computed_at=now)
        for r in result["units"]])
    IndicatorScore.objects.bulk_create([
        IndicatorScore(result=res, indicator=s["indicator"], points=s["points"], score=s["score"], missing=s["missing"],
                       source=s["source"], value=s["value"], numerator=s["numerator"], denominator=s["denominator"],
                       drilldown_url=s["drilldown_url"][:500], explanation=s["explanation"][:500])
        for res, r in zip(results, result["units"]) for s in r["scores"]], batch_size=1000)
    period.computed_at = now
    period.save(update_fields=["computed_at"])
    summary = {"units": len(results), "complete": result["complete"],
               "missing": sum(len(r["missing"]) for r in result["units"]),
               "bottom": [r["org"].name for r in result["units"] if r["bottom"]]}
    record(actor, "assessment.period.compute", period, after=summary)
    return summary


@transaction.atomic
def close_period(*, actor, period, expected_version=None) -> AssessmentPeriod:
    """Freeze the period: the assessed units and every metric value are stored as snapshots,
    then the results are computed from them. Refused while any score is missing."""
    period = _lock(period)
    _require_manager(actor, period.org, "关闭考核")
    _require_open(period)
    _check_version(period, expected_version)
    validate_tree(period)
    units = assessed_units(period)
    values = _metric_values(period, units, metric_codes(period))  # live, computed once
    result = evaluate(period, values)
    if not result["complete"]:
        missing = [f"{r['org'].name}：{'、'.join(i.name for i in r['missing'])}" for r in result["units"] if r["missing"]]
        raise DomainError("仍有评分缺失，不能关闭：" + "；".join(missing[:10]) + ("……" if len(missing) > 10 else ""),
                          {"missing": missing})
    MetricSnapshot.objects.filter(period=period).delete()
    snaps = [MetricSnapshot(period=period, org_id=org_id, metric_code=code, available=res.available,
                            reason=res.reason[:300], value=res.value, numerator=res.numerator,
                            denominator=res.denominator, drilldown_url=res.drilldown_url[:500])
             for (org_id, code), res in values.items()]
    MetricSnapshot.objects.bulk_create(snaps, batch_size=1000)
    period.frozen_units = [u.pk for u in units]
    period.state = PeriodState.CLOSED
    period.closed_at, period.closed_by = timezone.now(), actor
    period.version += 1
    period.save()
    compute_period(actor=actor, period=period)
    record(actor, "assessment.period.close", period, before={"state": "open"},
           after={"state": "closed", "snapshots": len(snaps), "units": len(units)})
    return period


# --- interviews (约谈) ---------------------------------------------------------------------------

@transaction.atomic
def record_interview(*, actor, period, org: Organization, held_on: date, interviewers: str, unit_head: str,
                     summary: str, follow_up: str = "", follow_up_due: date | None = None) -> Interview:
    """约谈 the head of a unit flagged among the bottom three of the computed period."""
    period = _lock(period)
    _require_manager(actor, period.org, "记录约谈")
    res = UnitResult.objects.filter(period=period, org=org).first()
    if res is None or not res.bottom:
        raise DomainError("只能对考核结果排名后三位的单位记录约谈（请先计算考核结果）。", {"org": ["不是后三名单位"]})
    if not held_on:
        raise DomainError("请填写约谈日期。", {"held_on": ["必填"]})
    if follow_up_due and follow_up_due < held_on:
        raise DomainError("跟进期限不能早于约谈日期。", {"follow_up_due": ["不能早于约谈日期"]})
    iv = Interview.objects.create(
        period=period, org=org, held_on=held_on, interviewers=_text(interviewers, "interviewers", "约谈人", 200),
        unit_head=_text(unit_head, "unit_head", "被约谈单位负责人", 60),
        summary=_text(summary, "summary", "约谈情况", 10000),
        follow_up=_text(follow_up, "follow_up", "整改跟进", 10000, False), follow_up_due=follow_up_due,
        recorded_by=actor)
    record(actor, "assessment.interview.record", iv,
           after={"period": period.pk, "held_on": held_on, "interviewers": iv.interviewers, "unit_head": iv.unit_head,
                  "summary": iv.summary, "follow_up": iv.follow_up, "follow_up_due": follow_up_due})
    return iv
