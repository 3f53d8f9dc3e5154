"""Reads for the dashboard: sums of rollup rows over a unit's subtree and a run of months."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from .figures import BY_CODE, RATES, SECTIONS, active_figures
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
    return FigureRollup.objects.filter(org__path__startswith=org.path)


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
            if f.section == key:
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
    return BY_CODE.get(code)


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
