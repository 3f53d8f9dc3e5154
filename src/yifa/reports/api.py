"""GET /api/v1/reports/dashboard/?org=&start=YYYY-MM&end=YYYY-MM — the dashboard figures of a
unit in the caller's scope, each with the URL of its records."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from yifa.core.db.replica import replica_reads

from . import selectors
from .views import _query, scope_params


@extend_schema(summary="领导驾驶舱指标", parameters=[
    OpenApiParameter("org", int, description="单位 ID（须在本人范围内，默认本人范围）"),
    OpenApiParameter("start", str, description="起始月份 YYYY-MM（默认本年1月）"),
    OpenApiParameter("end", str, description="截止月份 YYYY-MM（默认本月）"),
], responses={200: dict})
@api_view(["GET"])
@replica_reads
def dashboard(request):
    org, start, end = scope_params(request)
    q = _query(org, start, end)
    sections = []
    for s in selectors.dashboard(org, start, end):
        sections.append({"key": s["key"], "title": s["title"], "figures": [{
            "code": v.code, "label": v.label, "unit": v.unit,
            "value": None if v.value is None else float(v.value),
            "numerator": None if v.numerator is None else float(v.numerator),
            "denominator": None if v.denominator is None else float(v.denominator),
            "records_url": f"{reverse('reports:drilldown', args=[v.drill])}?{q}",
        } for v in s["items"]]})
    run = selectors.last_run()
    return Response({"org": {"id": org.pk, "name": org.name}, "start": f"{start:%Y-%m}", "end": f"{end:%Y-%m}",
                     "rolled_up_at": run.ran_at if run else None, "sections": sections})
