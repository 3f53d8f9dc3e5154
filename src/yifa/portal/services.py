"""The public figures (公开数据), computed from the records — never typed in — and cached.

The figures are the county's (the subtree of the county government the portal speaks
for, see `selectors.county`). One dict per calendar year, cached under `portal:figures:v1:<year>` for ten minutes, so
the statistics page and the landing page cost a cache read. Definitions (each counted by
the day the act happened within the year):

- decisions_published: enforcement decisions published in the year and still public
  (withdrawn publicity is no longer counted, as it is no longer shown);
- cases_closed / cases_on_time / on_time_rate: from enforcement's on-time rollup (the
  same figures as the monitoring board: closed cases by month of closing);
- reviews_completed: legality reviews (合法性审查) whose opinion letter was issued;
- case_reviews: 重大执法决定法制审核 recorded on enforcement cases;
- letters_issued / letters_rectified / rectification_rate: supervision notices and opinion letters
- decisions_issued: supervision decisions (决定书)
  issued in the year, and of those the ones whose rectification was accepted or closed;
- complaints_received / complaints_closed: complaints received in the year, and of those
  the ones closed (the complaints app's own `complaint_metrics`).
"""

from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q, Sum

CACHE_SECONDS = 600
CACHE_VERSION = "v1"


def cache_key(year: int) -> str:
    return f"portal:figures:{CACHE_VERSION}:{year}"


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _year(field: str, year: int) -> Q:
    return Q(**{f"{field}__gte": date(year, 1, 1), f"{field}__lt": date(year + 1, 1, 1)})


def _complaints(county, year: int) -> dict | None:
    try:
        from yifa.supervision.complaints.selectors import complaint_metrics
    except ImportError:
        return None
    got = complaint_metrics(county, date(year, 1, 1), date(year, 12, 31))
    return {"received": got["total"], "closed": got["closed"]}


def compute_figures(year: int) -> dict:
    """The year's figures, straight from the records (uncached)."""
    from yifa.enforcement.models import Case, OnTimeRollup, PublicityState
    from yifa.review.models import ReviewItem
    from yifa.supervision.models import LetterState, OpinionLetter, SupervisionDecision

    from .selectors import county_org, county_units

    county = county_org()
    unit_ids = county_units()
    if county is None or unit_ids is None:
        return {"year": year, **{k: None for k in FIGURE_KEYS}}
    units = Q(org_id__in=unit_ids)
    cases = Case.objects.filter(units).order_by()
    decisions = cases.filter(_year("published_on", year), publicity_state=PublicityState.PUBLISHED).count()
    case_reviews = cases.filter(_year("legal_review_on", year)).exclude(legal_review_result="").count()
    rollup = OnTimeRollup.objects.filter(units, _year("month", year)).aggregate(closed=Sum("closed"),
                                                                                on_time=Sum("on_time"))
    closed, on_time = rollup["closed"] or 0, rollup["on_time"] or 0
    reviews = ReviewItem.objects.filter(units, _year("issued_on", year)).order_by().count()
    letters = OpinionLetter.objects.filter(units, _year("issued_on", year)).order_by().aggregate(
        issued=Count("id"), rectified=Count("id", filter=Q(state__in=(LetterState.ACCEPTED, LetterState.CLOSED))))
    supervision_decisions = SupervisionDecision.objects.filter(units, _year("issued_on", year)).order_by().count()
    complaints = _complaints(county, year)
    return {
        "year": year,
        "decisions_published": decisions,
        "cases_closed": closed,
        "cases_on_time": on_time,
        "on_time_rate": _rate(on_time, closed),
        "reviews_completed": reviews,
        "case_reviews": case_reviews,
        "letters_issued": letters["issued"],
        "letters_rectified": letters["rectified"],
        "decisions_issued": supervision_decisions,
        "rectification_rate": _rate(letters["rectified"], letters["issued"]),
        "complaints_received": complaints["received"] if complaints else None,
        "complaints_closed": complaints["closed"] if complaints else None,
    }


FIGURE_KEYS = ("decisions_published", "cases_closed", "cases_on_time", "on_time_rate", "reviews_completed",
               "case_reviews", "letters_issued", "decisions_issued", "letters_rectified", "rectification_rate", "complaints_received",
               "complaints_closed")


def figures(year: int) -> dict:
    """The year's figures, from the cache when computed in the last ten minutes."""
    return cache.get_or_set(cache_key(year), lambda: compute_figures(year), CACHE_SECONDS)


def figures_for(today: date) -> list[dict]:
    """This year and last year, newest first."""
    return [figures(today.year), figures(today.year - 1)]


def forget_figures(*years: int) -> None:
    cache.delete_many([cache_key(y) for y in years] + [accuracy_cache_key(y) for y in years])


# --- 查处准确率 --------------------------------------------------------------------------------

ACCURACY_YEARS = 3  # this year and the two before, as on the leader's dashboard


def accuracy_cache_key(year: int) -> str:
    return f"portal:accuracy:{CACHE_VERSION}:{year}"


def compute_accuracy(year: int) -> dict:
    """The county's 查处准确率 (supervision's definition, `supervision.statistics.
    accuracy_by_sector`: of the case files graded in 评查 and the online clues handled, the
    share found correctly handled) for `year` and the years before it: `total` per year and
    `rows` per sector — only the sectors with something judged in one of the years."""
    from yifa.supervision.statistics import accuracy_by_sector

    from .selectors import county_org

    years = list(range(year - ACCURACY_YEARS + 1, year + 1))
    county = county_org()
    if county is None:
        return {"years": years, "total": [], "rows": []}
    got = accuracy_by_sector(None, years, org=county)
    rows = [{"name": r["name"], "years": r["years"]} for r in got["rows"] if any(c["judged"] for c in r["years"])]
    return {"years": years, "total": got["total"], "rows": rows}


def accuracy(year: int) -> dict:
    """`compute_accuracy`, from the cache when computed in the last ten minutes."""
    return cache.get_or_set(accuracy_cache_key(year), lambda: compute_accuracy(year), CACHE_SECONDS)
