"""The leader's home: the county's key figures this year, each against the same months of
last year and with its recent monthly trend, read from the rollups (never a scan of the
records), each linking to its drill-down in the dashboard."""

from datetime import date

from django.urls import reverse

from yifa.core import clock
from yifa.core.todos import KeyFigure, register_figures
from yifa.orgs.models import Role

from . import selectors
from .services import add_months, month_start

# (rate or figure code, label) in the order the leader reads them
KEY_RATES = ["monitoring.on_time_rate", "supervision.correction_rate", "supervision.rectification_rate",
             "complaints.closed_rate", "review.adoption_rate"]
KEY_COUNTS = ["monitoring.overdue_now", "accountability.wrong_cases", "supervision.findings", "complaints.received"]
TREND_MONTHS = 6


def _pp(diff) -> str:
    if diff > 0:
        return f"较去年同期上升 {diff:.1f} 个百分点"
    if diff < 0:
        return f"较去年同期下降 {-diff:.1f} 个百分点"
    return "与去年同期持平"


def _count(v) -> str:
    return f"{int(v)}" if v == v.to_integral_value() else f"{v:.1f}"


def key_figures(org, today: date) -> list[KeyFigure]:
    from .figures import BY_CODE, RATE_BY_CODE

    start, end = date(today.year, 1, 1), today
    last_start = date(today.year - 1, 1, 1)
    last_end = date(today.year - 1, today.month, min(today.day, 28))
    now = selectors.figure_values(org, start, end)
    before = selectors.figure_values(org, last_start, last_end)
    query = f"org={org.pk}&start={start:%Y-%m}&end={end:%Y-%m}"
    period = f"{today.year}年1—{today.month}月" if today.month > 1 else f"{today.year}年1月"
    out = []
    for code in KEY_RATES:
        r = RATE_BY_CODE[code]
        if r.numerator not in now:
            continue
        value = selectors.rate(now[r.numerator], now[r.denominator])
        prior = selectors.rate(before.get(r.numerator, 0), before.get(r.denominator, 0))
        trend = []
        first = add_months(month_start(today), -(TREND_MONTHS - 1))
        for row in selectors.monthly_rate(org, r.numerator, r.denominator, first, today):
            partial = row["month"] == month_start(today)
            trend.append((f"{row['month'].month}月" + ("（至今）" if partial else ""),
                          float(row["rate"]) if row["rate"] is not None else None))
        out.append(KeyFigure(
            label=f"{r.label}（{period}）",
            value=f"{value:.1f}%" if value is not None else "暂无数据",
            compare=_pp(value - prior) if value is not None and prior is not None else "去年同期无数据",
            trend=trend, url=f"{reverse('reports:drilldown', args=[r.denominator])}?{query}"))
    for code in KEY_COUNTS:
        f = BY_CODE.get(code)
        if f is None or code not in now:
            continue
        label = f.label if f.snapshot else f"{f.label}（{period}）"
        compare = "" if f.snapshot else f"去年同期 {_count(before.get(code, 0))} {f.unit}"
        level = "danger" if code == "monitoring.overdue_now" and now[code] else "normal"
        out.append(KeyFigure(label=label, value=f"{_count(now[code])} {f.unit}", compare=compare, level=level,
                             url=f"{reverse('reports:drilldown', args=[code])}?{query}"))
    return out


@register_figures
def leader_figures(user) -> list[KeyFigure]:
    if not user.has_role(Role.LEADER) or user.scope_root is None:
        return []
    return key_figures(user.scope_root, clock.today())
