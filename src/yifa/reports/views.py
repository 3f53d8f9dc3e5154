"""The leader dashboard (领导驾驶舱), its drill-down to records, its Excel export and the
annual report draft. Every page is limited to the user's scope: a unit outside it is 404."""

from datetime import date

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from yifa.core import clock, xlsx
from yifa.core.paging import CappedPaginator
from yifa.core.scoping import restricts_beyond_scope
from yifa.core.navigation import require_module
from yifa.orgs.models import Organization
from yifa.core.db.replica import replica_reads

from . import annual, selectors
from .figures import RATE_BY_CODE, SECTIONS, figure_by_code
from .services import add_months, month_end, month_start


def _month(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        y, m = value[:7].split("-")
        return date(int(y), int(m), 1) if 1900 < int(y) < 2200 else default
    except (ValueError, TypeError):
        return default


def scope_params(request):
    """(org, start, end) from ?org=&start=YYYY-MM&end=YYYY-MM, defaulting to the user's
    scope and this year so far; a unit outside the user's scope is a 404. Only the roles
    that use the dashboard (core/navigation.py) open it or its API: others get a 403."""
    require_module(request.user, "reports:dashboard")
    root = request.user.scope_root
    if root is None:
        raise Http404
    org = root
    if request.GET.get("org"):
        try:
            pk = int(request.GET["org"])
            if not 0 < pk < 2**31:
                raise ValueError(pk)
            org = Organization.objects.get(pk=pk, path__startswith=root.path)
        except (ValueError, Organization.DoesNotExist):
            raise Http404 from None
    today = clock.today()
    start = _month(request.GET.get("start"), date(today.year, 1, 1))
    end = month_end(_month(request.GET.get("end"), month_start(today)))
    if end < start:
        start, end = month_start(end), month_end(start)
    return org, start, end


def _query(org, start, end):
    return f"org={org.pk}&start={start:%Y-%m}&end={end:%Y-%m}"


ON_TIME = "monitoring.on_time_rate"
COMPLAINTS = ["complaints.received", "complaints.closed"]


def _records_url(code, org, start, end):
    return f"{reverse('reports:drilldown', args=[code])}?{_query(org, start, end)}"


def _month_url(code, org, m):
    return _records_url(code, org, m, month_end(m))


def _num(v):
    return None if v is None else float(v)


def _month_label(m):
    return f"{m.year}年{m.month}月"


def chart_series(org, start, end, today):
    """The dashboard's chart series (from the rollup selectors), each point with the URL of
    its records; the same series feed the page's charts and the Excel export."""
    rate = RATE_BY_CODE[ON_TIME]
    last = min(month_end(end), month_end(today))
    # one read of the on-time months serves the 36-month trend and the 12 months of 同比 (+12 before)
    values = selectors.monthly_values(org, [rate.numerator, rate.denominator], add_months(month_start(last), -35), last)
    trend = selectors.rate_trend(org, ON_TIME, end, today, months=36, values=values)
    yoy = selectors.year_on_year(org, ON_TIME, end, today, months=12, values=values)
    ranking = selectors.unit_ranking(org, ON_TIME, start, end)
    cats = selectors.categories(org, "supervision.findings", start, end)
    complaints = selectors.monthly_counts(org, COMPLAINTS, end, today)
    return {"trend": trend, "yoy": yoy, "ranking": ranking, "categories": cats, "complaints": complaints}


def chart_data(org, start, end, today, series=None):
    """The series as the JSON the page's charts read (labels in words, numbers, links)."""
    s = series or chart_series(org, start, end, today)
    rate = RATE_BY_CODE[ON_TIME]
    trend, target = s["trend"], s["trend"]["target"]
    partial = next((i for i, p in enumerate(trend["points"]) if p["partial"]), -1)
    yoy_floor = selectors.axis_floor([p["rate"] for p in s["yoy"]] + [p["prev_rate"] for p in s["yoy"]],
                                     target.value if target else None)
    return {
        "trend": {
            "name": rate.label, "months": [_month_label(p["month"]) for p in trend["points"]],
            "rates": [_num(p["rate"]) for p in trend["points"]],
            "numerators": [_num(p["numerator"]) for p in trend["points"]],
            "denominators": [_num(p["denominator"]) for p in trend["points"]],
            "partial": partial, "partial_label": trend["points"][partial]["partial"] if partial >= 0 else "",
            "floor": trend["floor"],
            "target": ({"value": float(target.value), "name": f"{target.label} {target.value:g}%",
                        "source": target.source} if target else None),
            "links": [_month_url(rate.denominator, org, p["month"]) for p in trend["points"]],
        },
        "yoy": {
            "name": rate.label, "months": [f"{p['month'].month}月" for p in s["yoy"]],
            "current_name": f"本期（{_month_label(s['yoy'][0]['month'])}起）" if s["yoy"] else "本期",
            "previous_name": "上年同期",
            "current": [_num(p["rate"]) for p in s["yoy"]], "previous": [_num(p["prev_rate"]) for p in s["yoy"]],
            "current_titles": [_month_label(p["month"]) for p in s["yoy"]],
            "previous_titles": [_month_label(p["prev_month"]) for p in s["yoy"]],
            "partial": next((i for i, p in enumerate(s["yoy"]) if p["partial"]), -1),
            "partial_label": next((p["partial"] for p in s["yoy"] if p["partial"]), ""),
            "floor": yoy_floor, "target": float(target.value) if target else None,
            "links": [_month_url(rate.denominator, org, p["month"]) for p in s["yoy"]],
            "previous_links": [_month_url(rate.denominator, org, p["prev_month"]) for p in s["yoy"]],
        },
        "ranking": {
            "name": rate.label, "units": [r["label"] for r in s["ranking"]],
            "rates": [_num(r["rate"]) for r in s["ranking"]],
            "denominators": [_num(r["denominator"]) for r in s["ranking"]],
            "floor": selectors.axis_floor([r["rate"] for r in s["ranking"]]),
            "target": float(target.value) if target else None,
            "links": [_records_url(rate.denominator, r["org"], start, end) for r in s["ranking"]],
        },
        "categories": {
            "name": "发现问题", "labels": [c["label"] for c in s["categories"]],
            "values": [_num(c["value"]) for c in s["categories"]],
            "links": [_records_url(c["code"], org, start, end) for c in s["categories"]],
        },
        "complaints": {
            "months": [_month_label(r["month"]) for r in s["complaints"]],
            "series": [{"name": figure_by_code(code).label,
                        "values": [_num(r["values"][code]) for r in s["complaints"]],
                        "links": [_month_url(code, org, r["month"]) for r in s["complaints"]]}
                       for code in COMPLAINTS],
            "partial": next((i for i, r in enumerate(s["complaints"]) if r["partial"]), -1),
            "partial_label": next((r["partial"] for r in s["complaints"] if r["partial"]), ""),
        },
    }


@login_required
@replica_reads
def dashboard(request):
    org, start, end = scope_params(request)
    root = request.user.scope_root
    units = (Organization.objects.filter(path__startswith=root.path, depth__lte=root.depth + 2, is_active=True)
             .order_by("path").only("id", "name", "depth")[:300])
    years = selectors.yearly_rate(org, "monitoring.closed_on_time", "monitoring.cases_closed",
                                  list(range(end.year - 3, end.year + 1)))
    charts = chart_data(org, start, end, clock.today())
    return render(request, "reports/dashboard.html", {
        "org": org, "start": start, "end": end, "units": units, "query": _query(org, start, end),
        "sections": selectors.dashboard(org, start, end), "charts": charts,
        "years": years, "ranking": selectors.latest_ranking(request.user), "last_run": selectors.last_run(),
        "advisors": selectors.advisor_coverage(org, clock.today()),
        "accuracy": selectors.accuracy(request.user, org, list(range(end.year - 2, end.year + 1))),
        "report_year": end.year if end.month == 12 else end.year - 1,
    })


def _chain(obj, dotted):
    for part in dotted.replace("__", ".").split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


@login_required
@replica_reads
def drilldown(request, code):
    fig = figure_by_code(code)
    if fig is None or fig.model.split(".")[0] not in apps.app_configs:
        raise Http404
    org, start, end = scope_params(request)
    today = clock.today()
    qs = fig.records(org, start, end, today)
    model = fig.model_class()
    manager = model.objects
    # the records are those of `org`, a unit inside the user's scope: a visibility that is the
    # scope alone adds nothing (and a second unit subquery misleads the planner at scale)
    if hasattr(manager, "visible_to") and (fig.org_field != getattr(model, "scope_field", "org")
                                           or restricts_beyond_scope(model)):
        qs = qs.filter(pk__in=manager.visible_to(request.user).values("pk"))
    related = [fig.org_field]
    if "." in fig.detail_pk:
        related.append("__".join(fig.detail_pk.split(".")[:-1]))
    qs = qs.select_related(*related)
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))  # no full COUNT(*) of the period
    rows = []
    for obj in page:
        url = ""
        pk = _chain(obj, fig.detail_pk)
        if fig.detail and pk:
            try:
                url = reverse(fig.detail, args=[pk])
            except NoReverseMatch:
                url = ""
        unit = _chain(obj, fig.org_field)
        rows.append({"text": str(obj), "unit": unit.name if unit else "", "date": fig.record_date(obj), "url": url})
    rates = [r for r in RATE_BY_CODE.values() if r.denominator == code or r.numerator == code]
    return render(request, "reports/drilldown.html", {
        "figure": fig, "org": org, "start": start, "end": end, "page": page, "rows": rows,
        "query": _query(org, start, end), "section": dict(SECTIONS).get(fig.section, ""), "rates": rates,
    })


@login_required
@replica_reads
def dashboard_export(request):
    """The dashboard as a workbook: its figures and every chart's series, numbers stored as
    numbers (rates as numbers in percent format), months and dates as dates."""
    org, start, end = scope_params(request)
    today = clock.today()
    s = chart_series(org, start, end, today)
    rate = RATE_BY_CODE[ON_TIME]
    figures = []
    for sec in selectors.dashboard(org, start, end):
        for v in sec["items"]:
            if v.unit == "%":
                figures.append([sec["title"], v.label, xlsx.percent(v.value), "%", v.numerator, v.denominator])
            else:
                figures.append([sec["title"], v.label, v.value, v.unit, None, None])
    run = selectors.last_run()
    about = [["单位", org.name], ["统计期间起", start], ["统计期间止", end],
             ["数据汇总时间", run.ran_at if run else "尚未汇总"], ["导出日期", today]]
    target = s["trend"]["target"]
    if target:
        about.append([f"{rate.label}{target.label}", xlsx.percent(target.value)])
        about.append(["目标值依据", target.source])

    def note(p, empty):
        return f"{p['partial']}，当月尚未结束" if p["partial"] else (empty if not p.get("denominator") else "")

    trend = [[xlsx.month(p["month"]), p["denominator"], p["numerator"], xlsx.percent(p["rate"]),
              note(p, "无办结案件，不计比率")] for p in s["trend"]["points"]]
    yoy = [[xlsx.month(p["month"]), xlsx.percent(p["rate"]), xlsx.month(p["prev_month"]), xlsx.percent(p["prev_rate"]),
            None if p["change"] is None else xlsx.Formatted(p["change"], "0.0"), p["partial"]] for p in s["yoy"]]
    ranking = [[r["rank"], r["label"], r["denominator"], r["numerator"], xlsx.percent(r["rate"])]
               for r in s["ranking"]]
    cats = [[c["label"], c["value"]] for c in s["categories"]]
    received, closed = COMPLAINTS
    complaints = [[xlsx.month(r["month"]), r["values"][received], r["values"][closed], r["partial"]]
                  for r in s["complaints"]]
    return xlsx.xlsx_response(f"领导驾驶舱-{org.name}-{start:%Y%m}-{end:%Y%m}.xlsx", [
        ("指标", ["板块", "指标", "数值", "单位", "分子", "分母"], figures),
        ("说明", ["项目", "内容"], about),
        (f"{rate.label}走势", ["月份", "办结", "按时办结", rate.label, "备注"], trend),
        (f"{rate.label}同比", ["月份", rate.label, "上年同期月份", f"上年同期{rate.label}", "同比变化（百分点）", "备注"], yoy),
        ("单位排名", ["名次", "单位", "办结", "按时办结", rate.label], ranking),
        ("发现问题类别", ["问题类别", "问题数"], cats),
        ("投诉举报趋势", ["月份", figure_by_code(received).label, figure_by_code(closed).label, "备注"], complaints),
    ])


@login_required
@replica_reads
def annual_report(request):
    org, _start, _end = scope_params(request)
    today = clock.today()
    try:
        year = int(request.GET.get("year") or today.year - 1)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= today.year:
        raise Http404
    fmt = "pdf" if request.GET.get("fmt") == "pdf" else "docx"
    data = annual.render(org, year, fmt, today=today)
    name = f"{org.name}{year}年度法治政府建设情况报告（草稿）.{fmt}"
    ctype = ("application/pdf" if fmt == "pdf"
             else "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    from urllib.parse import quote

    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp
