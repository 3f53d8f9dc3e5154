"""Reads for the dashboard: sums of rollup rows over a unit's subtree and a run of months."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from yifa.orgs.selectors import subtree_ids

from .figures import (
    RATE_BY_CODE,
    RATES,
    SECTIONS,
    active_figures,
    breakdown,
    figure_by_code,
    target,
)
from .models import FigureRollup, RollupRun
from .services import add_months, month_end, month_start


@dataclass
class Value:
    code: str
    label: str
    unit: str
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    drill: str = ""  # the figure code whose records the value drills down to

    @property
    def display(self):
        if self.value is None:
            return "—"
        if self.unit == "%":
            return f"{self.value:.1f}%"
        v = self.value
        return f"{v:.1f}" if v != v.to_integral_value() else f"{int(v)}"


def normalise_period(start: date, end: date) -> tuple[date, date]:
    """Rollups are monthly: a period covers whole months."""
    return month_start(start), month_end(end)


def _rows(org):
    return FigureRollup.objects.filter(org_id__in=subtree_ids(org))


def figure_values(org, start: date, end: date) -> dict[str, Decimal]:
    """code → value for every figure over [start, end] in `org`'s subtree (snapshot
    figures — officers, items, overdue cases — are "now": the latest snapshot)."""
    start, end = normalise_period(start, end)
    figs = active_figures()
    flow = [f.code for f in figs if not f.snapshot]
    snap = [f.code for f in figs if f.snapshot]
    out = {code: Decimal(0) for code in flow + snap}
    for row in (_rows(org).filter(code__in=flow, month__gte=start, month__lte=end)
                .values("code").annotate(v=Sum("value")).order_by()):
        out[row["code"]] = row["v"] or Decimal(0)
    latest = {}
    for row in (_rows(org).filter(code__in=snap).values("code", "month")
                .annotate(v=Sum("value")).order_by("code", "month")):
        latest[row["code"]] = row["v"] or Decimal(0)
    out.update(latest)
    return out


def rate(num, den) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"))


def dashboard(org, start: date, end: date) -> list[dict]:
    """Sections with their figures and rates, ready for the page, the API and Excel."""
    values = figure_values(org, start, end)
    sections = []
    for key, title in SECTIONS:
        items = []
        for r in RATES:
            if r.section == key and r.numerator in values:
                n, d = values[r.numerator], values[r.denominator]
                items.append(Value(r.code, r.label, "%", rate(n, d), n, d, drill=r.denominator))
        for f in active_figures():
            if f.section == key and not f.parent:
                items.append(Value(f.code, f.label, f.unit, values.get(f.code, Decimal(0)), drill=f.code))
        if items:
            sections.append({"key": key, "title": title, "items": items})
    return sections


def monthly_rate(org, numerator: str, denominator: str, start: date, end: date) -> list[dict]:
    """Month by month: the two figures and their rate (for the trend chart)."""
    start, end = normalise_period(start, end)
    rows = (_rows(org).filter(code__in=[numerator, denominator], month__gte=start, month__lte=end)
            .values("code", "month").annotate(v=Sum("value")).order_by("month"))
    by_month = {}
    for r in rows:
        by_month.setdefault(r["month"], {})[r["code"]] = r["v"]
    out, m = [], start
    while m <= end:
        got = by_month.get(m, {})
        n, d = got.get(numerator, Decimal(0)), got.get(denominator, Decimal(0))
        out.append({"month": m, "numerator": n, "denominator": d, "rate": rate(n, d)})
        m = add_months(m, 1)
    return out


def yearly_rate(org, numerator: str, denominator: str, years: list[int]) -> list[dict]:
    rows = (_rows(org).filter(code__in=[numerator, denominator], month__year__in=years)
            .values("code", "month__year").annotate(v=Sum("value")).order_by())
    by_year = {}
    for r in rows:
        by_year.setdefault(r["month__year"], {})[r["code"]] = r["v"]
    out = []
    for y in years:
        got = by_year.get(y, {})
        n, d = got.get(numerator, Decimal(0)), got.get(denominator, Decimal(0))
        out.append({"year": y, "numerator": n, "denominator": d, "rate": rate(n, d)})
    return out


def last_run():
    return RollupRun.objects.order_by("-ran_at").first()


def figure(code):
    return figure_by_code(code)


def advisor_coverage(org, on):
    """党政机关法律顾问全覆盖 in `org`'s subtree (the review app's check), or None while the
    review app is absent. A live read: a county has a few dozen units to look at."""
    from django.apps import apps

    if "review" not in apps.app_configs:
        return None
    from yifa.review.selectors import advisor_coverage as coverage

    return coverage(org, on)


def accuracy(user, org, years: list[int]):
    """查处准确率 (the speech's figure: the share of supervised cases found correctly handled)
    for `years`, over all sectors, from the supervision app's count (case files graded in
    评查 and online clues handled), or None while that app is absent."""
    from django.apps import apps

    if "supervision" not in apps.app_configs:
        return None
    from yifa.supervision.statistics import accuracy_totals

    return accuracy_totals(user, years, org=org)


def latest_ranking(user, limit_top=5):
    """The latest assessment period the user may see, with its top units and bottom three."""
    from django.apps import apps

    if "assessment" not in apps.app_configs:
        return None
    from yifa.assessment.selectors import periods_visible_to, ranking

    period = periods_visible_to(user).filter(results__rank__isnull=False).order_by("-end", "-id").first()
    if period is None:
        return None
    rows = list(ranking(user, period))
    return {"period": period, "top": rows[:limit_top], "bottom": [r for r in rows if r.bottom],
            "units": len(rows)}


# --- chart series (the dashboard's ECharts read these; each point names the records behind it) ---


def _clip_to_today(end: date, today: date) -> date:
    """Months after today's have no records yet: a series stops at today's month."""
    return min(month_end(end), month_end(today))


def partial_label(month: date, today: date) -> str:
    """"本月截至X日" when `month` is today's month and not yet over, else ""."""
    if month_start(today) == month and today < month_end(month):
        return f"本月截至{today.day}日"
    return ""


def monthly_values(org, codes: list[str], start: date, end: date) -> dict[date, dict[str, Decimal]]:
    """month → {code: value} summed over `org`'s subtree (one query)."""
    start, end = normalise_period(start, end)
    rows = (_rows(org).filter(code__in=codes, month__gte=start, month__lte=end)
            .values("code", "month").annotate(v=Sum("value")).order_by())
    out: dict[date, dict[str, Decimal]] = {}
    for r in rows:
        out.setdefault(r["month"], {})[r["code"]] = r["v"] or Decimal(0)
    return out


def _months(start: date, end: date):
    m = month_start(start)
    while m <= end:
        yield m
        m = add_months(m, 1)


def axis_floor(values, *extra) -> int:
    """A y-axis floor (percent) below every value shown: the lowest value (or target) less
    at least 5 points, down to a multiple of 10; never below 0."""
    shown = [float(v) for v in list(values) + list(extra) if v is not None]
    if not shown:
        return 0
    return max(0, int(math.floor((min(shown) - 5) / 10) * 10))


def rate_trend(org, rate_code: str, end: date, today: date, months: int = 36, values=None) -> dict:
    """A rate month by month over the `months` months ending at `end` (not past today's
    month). A month without a denominator (nothing due / closed) is a gap (rate None),
    never 100%; today's unfinished month is flagged `partial` with its "本月截至X日" label.
    Carries the target line (value and source) and a y-axis floor below every point.
    `values`: monthly_values already read for these months (saves the query)."""
    r = RATE_BY_CODE[rate_code]
    last = _clip_to_today(end, today)
    first = add_months(month_start(last), -(months - 1))
    if values is None:
        values = monthly_values(org, [r.numerator, r.denominator], first, last)
    points = []
    for m in _months(first, last):
        got = values.get(m, {})
        n, d = got.get(r.numerator, Decimal(0)), got.get(r.denominator, Decimal(0))
        points.append({"month": m, "numerator": n, "denominator": d, "rate": rate(n, d),
                       "partial": partial_label(m, today)})
    t = target(rate_code)
    return {"rate": r, "points": points, "target": t,
            "floor": axis_floor([p["rate"] for p in points], t.value if t else None)}


def year_on_year(org, rate_code: str, end: date, today: date, months: int = 12, values=None) -> list[dict]:
    """同比: for each of the `months` months ending at `end` (not past today's month), the
    rate of that month and of the same month a year earlier (None when either has no
    denominator). `values`: monthly_values already read for these months and the year before."""
    r = RATE_BY_CODE[rate_code]
    last = _clip_to_today(end, today)
    first = add_months(month_start(last), -(months - 1))
    if values is None:
        values = monthly_values(org, [r.numerator, r.denominator], add_months(first, -12), last)

    def at(m):
        got = values.get(m, {})
        n, d = got.get(r.numerator, Decimal(0)), got.get(r.denominator, Decimal(0))
        return n, d, rate(n, d)

    out = []
    for m in _months(first, last):
        prev = add_months(m, -12)
        n, d, cur = at(m)
        pn, pd, before = at(prev)
        out.append({"month": m, "rate": cur, "numerator": n, "denominator": d,
                    "prev_month": prev, "prev_rate": before, "prev_numerator": pn, "prev_denominator": pd,
                    "change": None if cur is None or before is None else cur - before,
                    "partial": partial_label(m, today)})
    return out


def unit_ranking(org, rate_code: str, start: date, end: date) -> list[dict]:
    """The units directly under `org` (each with its whole subtree; `org`'s own records as
    "本级"), ranked by the rate over [start, end], best first; a unit with no denominator
    has no rate and is left out. Only units inside `org` ever appear."""
    from yifa.orgs.models import Organization

    r = RATE_BY_CODE[rate_code]
    start, end = normalise_period(start, end)
    rows = (_rows(org).filter(code__in=[r.numerator, r.denominator], month__gte=start, month__lte=end)
            .values("org__path", "code").annotate(v=Sum("value")).order_by())
    children = {o.path: o for o in Organization.objects.filter(parent=org).only("id", "name", "path")}
    totals: dict[int, dict] = {}
    seg = len(org.path)
    for row in rows:
        path = row["org__path"]
        head = path[: path.find(".", seg) + 1] if path != org.path else org.path
        unit = children.get(head, org)
        t = totals.setdefault(unit.pk, {"org": unit, "numerator": Decimal(0), "denominator": Decimal(0)})
        t["numerator" if row["code"] == r.numerator else "denominator"] += row["v"] or Decimal(0)
    out = []
    for t in totals.values():
        t["rate"] = rate(t["numerator"], t["denominator"])
        if t["rate"] is None:
            continue
        t["label"] = f"{org.name}（本级）" if t["org"].pk == org.pk else t["org"].name
        out.append(t)
    out.sort(key=lambda t: (-t["rate"], -t["denominator"], t["org"].path))
    for i, t in enumerate(out, 1):
        t["rank"] = i
    return out


def categories(org, figure_code: str, start: date, end: date) -> list[dict]:
    """A figure split by its breakdown (e.g. findings by category) over [start, end],
    largest first; categories with nothing are left out."""
    figs = breakdown(figure_code)
    start, end = normalise_period(start, end)
    rows = (_rows(org).filter(code__in=[f.code for f in figs], month__gte=start, month__lte=end)
            .values("code").annotate(v=Sum("value")).order_by())
    got = {r["code"]: r["v"] or Decimal(0) for r in rows}
    out = [{"code": f.code, "label": f.short_label or f.label, "value": got[f.code]} for f in figs if got.get(f.code)]
    out.sort(key=lambda c: -c["value"])
    return out


def monthly_counts(org, codes: list[str], end: date, today: date, months: int = 12) -> list[dict]:
    """Several figures month by month over the `months` months ending at `end` (not past
    today's month), e.g. complaints received and closed; today's month flagged partial."""
    last = _clip_to_today(end, today)
    first = add_months(month_start(last), -(months - 1))
    values = monthly_values(org, codes, first, last)
    return [{"month": m, "values": {c: values.get(m, {}).get(c, Decimal(0)) for c in codes},
             "partial": partial_label(m, today)} for m in _months(first, last)]
