"""Demo data: the last full year (2025) assessed, computed and closed, with the bottom
three interviewed; the current year (2026) open with some manual scores still missing.

The platform indicators are computed from the other apps' demo records. Manual scores are
the assessor's entries (deterministic pseudo-random within the indicator's points); where a
platform metric is not available yet (its module not built), the assessor's offline score
is entered as a manual score with that explanation — never a number passed off as data."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from yifa.core import clock
from yifa.core import demo

from . import metrics, services
from .models import IndicatorKind, ManualScore


def _manual_rows(period, units, rng, *, share=1.0, scorer=None, on=None):
    """Manual indicators, and platform indicators whose module is absent (whether a metric
    is available does not depend on the unit: probed on the first unit)."""
    rows = []
    tree = services.tree_of(period)
    available = {code: metrics.compute(code, units[0], period.start, period.end).available
                 for code in services.metric_codes(period)} if units else {}
    for c in tree:
        for ind in c.indicators.all():
            ind.category = c
            points = services.points_of(ind)
            for u in units:
                if ind.kind == IndicatorKind.METRIC:
                    if available[ind.metric_code]:
                        continue
                    evidence = f"平台{metrics.get(ind.metric_code).name}数据暂不可用，依据线下考核材料评分。"
                else:
                    evidence = f"{ind.description}：经查阅台账和佐证材料评定。"
                if rng.random() > share:
                    continue
                score = (points * Decimal(str(round(rng.uniform(0.6, 1.0), 2)))).quantize(Decimal("0.01"))
                rows.append(ManualScore(period=period, indicator=ind, org=u, score=score, evidence=evidence,
                                        scored_by=scorer, scored_on=on or clock.today()))
    ManualScore.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@demo.register("assessment", order=90)
def load(ctx, progress):
    import time

    t0 = time.monotonic()
    orgs, users = ctx["orgs"], ctx.get("users", {})
    county = orgs["QH-GOV"]
    supervisor = users.get("supervisor")
    rng = random.Random(20260808)
    today = clock.today()
    last_year = today.year - 1
    with transaction.atomic():
        p1 = services.create_period(actor=None, org=county, year=last_year)
        units = services.assessed_units(p1)
        n = _manual_rows(p1, units, rng, scorer=supervisor, on=date(last_year + 1, 1, 10))
        services.close_period(actor=None, period=p1)
        p1.closed_by = supervisor
        p1.save(update_fields=["closed_by"])
        bottom = list(p1.results.filter(bottom=True).select_related("org"))
        for i, r in enumerate(bottom):
            held = date(last_year + 1, 1, 20) + timedelta(days=i)
            services.record_interview(
                actor=None, period=p1, org=r.org, held_on=held, interviewers="县政府分管副县长、县司法局局长",
                unit_head=r.org.head_name or f"{r.org.name}主要负责人",
                summary=f"{r.org.name}{last_year}年度法治政府建设考核排名后三位，约谈指出执法案件按时办结、监督问题整改等方面的不足。",
                follow_up="限期报送整改方案，县行政执法监督办公室跟踪督办。", follow_up_due=held + timedelta(days=30))
        progress(f"[{time.monotonic() - t0:.1f}s] 考核评价：{p1.name}，{len(units)} 个单位，人工评分 {n} 项，已计算并关闭，约谈 {len(bottom)} 个后三名单位")
        p2 = services.create_period(actor=None, org=county, year=today.year)
        n = _manual_rows(p2, services.assessed_units(p2), rng, share=0.7, scorer=supervisor, on=today)
        s = services.compute_period(actor=None, period=p2)
        progress(f"[{time.monotonic() - t0:.1f}s] 考核评价：{p2.name} 进行中，人工评分 {n} 项，仍缺 {s['missing']} 项")
