"""The public figures (公开数据), computed from the records — never typed in — and cached.

One dict per calendar year, cached under `portal:figures:v1:<year>` for ten minutes, so
the statistics page and the landing page cost a cache read. Definitions (each counted by
the day the act happened within the year):

- decisions_published: enforcement decisions published in the year and still public
  (withdrawn publicity is no longer counted, as it is no longer shown);
- cases_closed / cases_on_time / on_time_rate: from enforcement's on-time rollup (the
  same figures as the monitoring board: closed cases by month of closing);
- reviews_completed: legality reviews (合法性审查) whose opinion letter was issued;
- case_reviews: 重大执法决定法制审核 recorded on enforcement cases;
- letters_issued / letters_rectified / rectification_rate: supervision opinion letters
  issued in the year, and of those the ones whose rectification was accepted or closed;
- complaints_received / complaints_closed: when the complaints app provides them.
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


def _complaints(year: int) -> dict | None:
    try:
        from yifa.supervision.complaints.selectors import public_figures
    except ImportError:
        return None
    got = public_figures(year)
    return {"received": got.get("received", 0), "closed": got.get("closed", 0)}


def compute_figures(year: int) -> dict:
    """The year's figures, straight from the records (uncached)."""
    from yifa.enforcement.models import Case, OnTimeRollup, PublicityState
    from yifa.review.models import ReviewItem
    from yifa.supervision.models import LetterState, OpinionLetter

    decisions = Case.objects.filter(_year("published_on", year),
                                     publicity_state=PublicityState.PUBLISHED).order_by().count()
    case_reviews = Case.objects.filter(_year("legal_review_on", year)).exclude(legal_review_result="").count()
    rollup = OnTimeRollup.objects.filter(_year("month", year)).aggregate(closed=Sum("closed"), on_time=Sum("on_time"))
    closed, on_time = rollup["closed"] or 0, rollup["on_time"] or 0
    reviews = ReviewItem.objects.filter(_year("issued_on", year)).order_by().count()
    letters = OpinionLetter.objects.filter(_year("issued_on", year)).order_by().aggregate(
        issued=Count("id"), rectified=Count("id", filter=Q(state__in=(LetterState.ACCEPTED, LetterState.CLOSED))))
    complaints = _complaints(year)
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
        "rectification_rate": _rate(letters["rectified"], letters["issued"]),
        "complaints_received": complaints["received"] if complaints else None,
        "complaints_closed": complaints["closed"] if complaints else None,
    }


def figures(year: int) -> dict:
    """The year's figures, from the cache when computed in the last ten minutes."""
    key = cache_key(year)
    got = cache.get(key)
    if got is None:
        got = compute_figures(year)
        cache.set(key, got, CACHE_SECONDS)
    return got


def figures_for(today: date) -> list[dict]:
    """This year and last year, newest first."""
    return [figures(today.year), figures(today.year - 1)]


def forget_figures(*years: int) -> None:
    cache.delete_many([cache_key(y) for y in years])
