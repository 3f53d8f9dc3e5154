"""公众门户: public pages, no login. Each view is `public = True` (set by `public_page`),
rendered without the request's context processors (no session read, no cookies set) and
served with `Cache-Control: public` and an ETag (see caching.py)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.loader import render_to_string

from yifa.core import clock
from . import selectors, services
from .caching import public_page

ADVISORS_PER_PAGE = 20


def _render(template, context):
    """Render without the request: no context processor reads the session or the user."""
    return HttpResponse(render_to_string(template, context))


def _links() -> dict:
    return selectors.links()


# --- landing page -------------------------------------------------------------------------------

def _home_data(request):
    today = clock.today()
    return {"site": selectors.site_name(), "today": today.isoformat(), "decisions": selectors.latest_decisions(),
            "typical": selectors.typical_cases(), "figures": services.figures(today.year), "links": _links()}


@public_page(_home_data)
def home(request, data):
    return _render("portal/home.html", {**data, "title": "首页"})


# --- typical cases --------------------------------------------------------------------------------

def _typical_data(request):
    return {"site": selectors.site_name(), "typical": selectors.typical_cases(limit=50), "links": _links()}


@public_page(_typical_data)
def typical(request, data):
    return _render("portal/typical.html", {**data, "title": "典型案例"})


# --- legal advisors -------------------------------------------------------------------------------

def _advisor_data(request):
    q = (request.GET.get("q") or "").strip()[:50]
    tier = request.GET.get("tier") or ""
    if tier not in selectors.TIER_LABELS:
        tier = ""
    page = Paginator(selectors.advisors(q, tier), ADVISORS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [selectors.advisor_row(r) for r in page.object_list]
    return {"site": selectors.site_name(), "q": q, "tier": tier, "rows": rows, "number": page.number,
            "num_pages": page.paginator.num_pages, "count": page.paginator.count,
            "has_previous": page.has_previous(), "has_next": page.has_next(), "links": _links()}


@public_page(_advisor_data)
def advisors(request, data):
    return _render("portal/advisors.html", {**data, "title": "法律顾问名录",
                                            "tiers": list(selectors.TIER_LABELS.items())})


# --- public figures -----------------------------------------------------------------------------

METRICS = [
    ("decisions_published", "公示行政执法决定", "件"),
    ("cases_closed", "办结执法案件", "件"),
    ("on_time_rate", "执法案件按时办结率", "%"),
    ("reviews_completed", "完成合法性审查", "件"),
    ("case_reviews", "重大执法决定法制审核", "件"),
    ("letters_issued", "制发行政执法监督通知书、意见书", "份"),
    ("decisions_issued", "制发行政执法监督决定书", "份"),
    ("letters_rectified", "通知书、意见书整改到位", "份"),
    ("rectification_rate", "通知书、意见书整改率", "%"),
    ("complaints_received", "收到投诉举报", "件"),
    ("complaints_closed", "其中已办结的投诉举报", "件"),
]


def _stats_data(request):
    today = clock.today()
    current, previous = services.figures_for(today)
    return {"site": selectors.site_name(), "current": current, "previous": previous,
            "accuracy": services.accuracy(today.year), "links": _links()}


@public_page(_stats_data)
def statistics(request, data):
    current, previous = data["current"], data["previous"]
    rows = [{"key": key, "label": label, "unit": unit, "current": current.get(key), "previous": previous.get(key)}
            for key, label, unit in METRICS if current.get(key) is not None or previous.get(key) is not None]
    counts = [r for r in rows if r["unit"] != "%"]
    chart = {"labels": [r["label"] for r in counts],
             "series": [{"name": f"{previous['year']}年", "data": [r["previous"] or 0 for r in counts]},
                        {"name": f"{current['year']}年", "data": [r["current"] or 0 for r in counts]}]}
    return _render("portal/statistics.html", {**data, "rows": rows, "title": "公开数据",
                                              "chart": chart})
