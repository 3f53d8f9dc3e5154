"""The leader dashboard (领导驾驶舱), its drill-down to records, its Excel export and the
annual report draft. Every page is limited to the user's scope: a unit outside it is 404."""

import json
from datetime import date

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from yifa.core import clock
from yifa.core.navigation import require_module
from yifa.orgs.models import Organization
from yifa.core.xlsx import xlsx_response

from . import annual, selectors
from .figures import BY_CODE, RATE_BY_CODE, SECTIONS
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


@login_required
def dashboard(request):
    org, start, end = scope_params(request)
    root = request.user.scope_root
    units = (Organization.objects.filter(path__startswith=root.path, depth__lte=root.depth + 2, is_active=True)
             .order_by("path").only("id", "name", "depth")[:300])
    trend_start = add_months(month_start(end), -35)
    trend = selectors.monthly_rate(org, "monitoring.closed_on_time", "monitoring.cases_closed", trend_start, end)
    years = selectors.yearly_rate(org, "monitoring.closed_on_time", "monitoring.cases_closed",
                                  list(range(end.year - 3, end.year + 1)))
    chart = {"months": [f"{r['month']:%Y-%m}" for r in trend],
             "rates": [float(r["rate"]) if r["rate"] is not None else None for r in trend],
             "years": [f"{r['year']}年" for r in years],
             "year_rates": [float(r["rate"]) if r["rate"] is not None else None for r in years]}
    return render(request, "reports/dashboard.html", {
        "org": org, "start": start, "end": end, "units": units, "query": _query(org, start, end),
        "sections": selectors.dashboard(org, start, end), "chart": json.dumps(chart),
        "years": years, "ranking": selectors.latest_ranking(request.user), "last_run": selectors.last_run(),
        "report_year": end.year if end.month == 12 else end.year - 1,
    })


def _chain(obj, dotted):
    for part in dotted.replace("__", ".").split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


@login_required
def drilldown(request, code):
    fig = BY_CODE.get(code)
    if fig is None or fig.model.split(".")[0] not in apps.app_configs:
        raise Http404
    org, start, end = scope_params(request)
    today = clock.today()
    qs = fig.records(org, start, end, today)
    manager = fig.model_class().objects
    if hasattr(manager, "visible_to"):
        qs = qs.filter(pk__in=manager.visible_to(request.user).values("pk"))
    related = [fig.org_field]
    if "." in fig.detail_pk:
        related.append("__".join(fig.detail_pk.split(".")[:-1]))
    qs = qs.select_related(*related)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
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
def dashboard_export(request):
    org, start, end = scope_params(request)
    rows = []
    for s in selectors.dashboard(org, start, end):
        for v in s["items"]:
            rows.append([s["title"], v.label, v.display if v.unit == "%" else v.value, v.unit,
                         v.numerator if v.unit == "%" else "", v.denominator if v.unit == "%" else ""])
    return xlsx_response(f"领导驾驶舱-{org.name}-{start:%Y%m}-{end:%Y%m}.xlsx",
                         [("指标", ["板块", "指标", "数值", "单位", "分子", "分母"], rows)])


@login_required
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
