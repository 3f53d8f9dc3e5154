"""API under /api/v1/assessment/: periods (tree, weights, compute, close, ranking),
results, manual scores, interviews, the metric registry and the commendation check.
Reads go through `visible_to`; writes call the services."""

from datetime import date

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from yifa.core import clock
from yifa.core.api import ScopedReadOnlyViewSet
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization

from . import formulas, metrics, selectors, services
from .models import AssessmentPeriod, Indicator, Interview, ManualScore, UnitResult


MAX_ID = 2**63 - 1  # larger ids cannot exist (and overflow the database driver)


def IdField(**kw):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kw)


class PeriodSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = AssessmentPeriod
        fields = ["id", "org", "org_name", "name", "start", "end", "state", "state_label", "computed_at", "closed_at",
                  "version"]


class IndicatorScoreSerializer(serializers.Serializer):
    indicator = IdField(source="indicator_id")
    indicator_name = serializers.CharField(source="indicator.name")
    category = serializers.CharField(source="indicator.category.name")
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    missing = serializers.BooleanField()
    source = serializers.CharField()
    value = serializers.DecimalField(max_digits=12, decimal_places=6, allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    drilldown_url = serializers.CharField()
    explanation = serializers.CharField()
    formula = serializers.SerializerMethodField()

    def get_formula(self, s) -> str:
        m = metrics.get(s.indicator.metric_code)
        return formulas.describe(s.indicator.formula, s.indicator.params, m.name if m else "")


class ResultSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    period_name = serializers.CharField(source="period.name", read_only=True)

    class Meta:
        model = UnitResult
        fields = ["id", "org", "org_name", "period", "period_name", "total", "complete", "missing_count", "rank",
                  "bottom", "computed_at"]


class ResultDetailSerializer(ResultSerializer):
    scores = serializers.SerializerMethodField()

    class Meta(ResultSerializer.Meta):
        fields = ResultSerializer.Meta.fields + ["scores"]

    def get_scores(self, r) -> list[dict]:
        return IndicatorScoreSerializer(selectors.result_scores(r), many=True).data


class ManualScoreSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)

    class Meta:
        model = ManualScore
        fields = ["id", "org", "org_name", "period", "indicator", "indicator_name", "score", "evidence", "scored_on",
                  "version"]


class InterviewSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Interview
        fields = ["id", "org", "org_name", "period", "held_on", "interviewers", "unit_head", "summary", "follow_up",
                  "follow_up_due", "version"]


class PeriodInSerializer(serializers.Serializer):
    org = IdField(help_text="组织考核单位")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="默认自然年度")
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)


class WeightsInSerializer(serializers.Serializer):
    categories = serializers.DictField(child=serializers.CharField(max_length=20), help_text="{一级指标id: 权重%}")
    indicators = serializers.DictField(child=serializers.CharField(max_length=20), help_text="{二级指标id: 权重%}")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class VersionInSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ManualScoreInSerializer(serializers.Serializer):
    period = IdField()
    indicator = IdField()
    org = IdField(help_text="被考核单位")
    score = serializers.DecimalField(max_digits=7, decimal_places=2)
    evidence = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class InterviewInSerializer(serializers.Serializer):
    period = IdField()
    org = IdField(help_text="被约谈单位（须为后三名）")
    held_on = serializers.DateField()
    interviewers = serializers.CharField(max_length=200)
    unit_head = serializers.CharField(max_length=60)
    summary = serializers.CharField(max_length=10000)
    follow_up = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    follow_up_due = serializers.DateField(required=False, allow_null=True, default=None)


def _scoped_org(user, pk, field="org"):
    root = user.scope_root
    org = Organization.objects.filter(pk=pk, path__startswith=root.path).first() if root else None
    if org is None:
        raise DomainError("单位不存在或不在您的范围内。", {field: ["单位不存在或不在您的范围内。"]})
    return org


def _scoped_period(user, pk):
    p = AssessmentPeriod.objects.visible_to(user).filter(pk=pk).first()
    if p is None:
        raise DomainError("考核期间不存在或不在您的范围内。", {"period": ["不存在或不在您的范围内。"]})
    return p


class PeriodViewSet(ScopedReadOnlyViewSet):
    """考核期间：指标体系（权重各层级合计须为 100%）、计算、关闭（冻结指标数据）、排名。"""

    queryset = AssessmentPeriod.objects.all()
    serializer_class = PeriodSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().order_by("-start", "-id")

    @extend_schema(request=PeriodInSerializer, responses={201: PeriodSerializer})
    def create(self, request, *args, **kwargs):
        ser = PeriodInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        p = services.create_period(actor=request.user, org=_scoped_org(request.user, d["org"]), year=d.get("year"),
                                   name=d["name"])
        return Response(PeriodSerializer(p).data, status=201)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def tree(self, request, pk=None):
        p = self.get_object()
        tree = services.tree_of(p)
        out = []
        for c in tree:
            inds = []
            for i in c.indicators.all():
                i.category = c
                m = metrics.get(i.metric_code)
                inds.append({"id": i.pk, "name": i.name, "weight": str(i.weight), "points": str(services.points_of(i)),
                             "kind": i.kind, "metric": i.metric_code, "formula": i.formula, "params": i.params,
                             "formula_text": formulas.describe(i.formula, i.params, m.name if m else "")})
            out.append({"id": c.pk, "name": c.name, "weight": str(c.weight), "indicators": inds})
        return Response({"period": p.pk, "categories": out, "errors": services.tree_errors(tree)})

    @extend_schema(request=WeightsInSerializer, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"])
    def weights(self, request, pk=None):
        p = self.get_object()
        ser = WeightsInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        for group in ("categories", "indicators"):
            if any(not str(k).isdigit() or int(k) > MAX_ID for k in d[group]):
                raise DomainError("指标编号应为整数。", {group: ["指标编号应为整数"]})
        p = services.set_weights(actor=request.user, period=p, categories=d["categories"], indicators=d["indicators"],
                                 expected_version=d["version"])
        return Response(PeriodSerializer(p).data)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        return Response(services.compute_period(actor=request.user, period=self.get_object()))

    @extend_schema(request=VersionInSerializer, responses={200: PeriodSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        ser = VersionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        p = services.close_period(actor=request.user, period=self.get_object(),
                                  expected_version=ser.validated_data["version"])
        return Response(PeriodSerializer(p).data)

    @extend_schema(responses={200: ResultSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        p = self.get_object()
        return Response(ResultSerializer(selectors.ranking(request.user, p).select_related("period"), many=True).data)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def missing(self, request, pk=None):
        p = self.get_object()
        return Response([{"org": org.pk, "org_name": org.name,
                          "indicators": [{"id": s.indicator_id, "name": s.indicator.name} for s in items]}
                         for org, items in selectors.missing_scores(request.user, p)])


class ResultViewSet(ScopedReadOnlyViewSet):
    """各单位考核结果（本单位只见本单位），含每项指标得分、计分公式和明细链接。"""

    queryset = UnitResult.objects.all()
    serializer_class = ResultSerializer
    select_related = ("org", "period")

    def get_queryset(self):
        qs = super().get_queryset().order_by("-period__start", "rank", "org__path")
        period = self.request.query_params.get("period", "")
        return qs.filter(period_id=int(period)) if period.isdigit() and int(period) <= MAX_ID else qs

    def get_serializer_class(self):
        return ResultDetailSerializer if self.action == "retrieve" else ResultSerializer


class ManualScoreViewSet(ScopedReadOnlyViewSet):
    """人工评分（须附评分依据）。"""

    queryset = ManualScore.objects.all()
    serializer_class = ManualScoreSerializer
    select_related = ("org", "indicator")

    def get_queryset(self):
        return super().get_queryset().order_by("-id")

    @extend_schema(request=ManualScoreInSerializer, responses={201: ManualScoreSerializer})
    def create(self, request, *args, **kwargs):
        ser = ManualScoreInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        period = _scoped_period(request.user, d["period"])
        indicator = Indicator.objects.filter(pk=d["indicator"], category__period=period).select_related(
            "category").first()
        if indicator is None:
            raise DomainError("指标不属于该考核期间。", {"indicator": ["指标无效"]})
        ms = services.set_manual_score(actor=request.user, period=period, indicator=indicator,
                                       org=_scoped_org(request.user, d["org"]), score=d["score"],
                                       evidence=d["evidence"], expected_version=d["version"])
        return Response(ManualScoreSerializer(ms).data, status=201)


class InterviewViewSet(ScopedReadOnlyViewSet):
    """约谈记录（仅限后三名单位）。"""

    queryset = Interview.objects.all()
    serializer_class = InterviewSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().order_by("-held_on", "-id")

    @extend_schema(request=InterviewInSerializer, responses={201: InterviewSerializer})
    def create(self, request, *args, **kwargs):
        ser = InterviewInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        period = _scoped_period(request.user, d.pop("period"))
        d["org"] = _scoped_org(request.user, d["org"])
        iv = services.record_interview(actor=request.user, period=period, **d)
        return Response(InterviewSerializer(iv).data, status=201)


@extend_schema(responses={200: dict})
@api_view(["GET"])
def metric_list(request):
    """平台指标登记表。"""
    return Response([{"code": m.code, "name": m.name, "unit": m.unit, "source": m.source, "description": m.description,
                      "external": bool(m.external)} for m in metrics.REGISTRY.values()])


@extend_schema(parameters=[OpenApiParameter("metric", str), OpenApiParameter("org", int),
                           OpenApiParameter("start", str), OpenApiParameter("end", str)], responses={200: dict})
@api_view(["GET"])
def metric_value(request):
    """一个平台指标对一个单位在一个期间的值（含明细链接；不可用时说明原因）。"""
    q = request.query_params
    metric = metrics.get(q.get("metric", ""))
    if metric is None:
        raise DomainError("未登记的平台指标。", {"metric": ["未登记"]})
    org_id = q.get("org", "")
    if not org_id.isdigit() or int(org_id) > MAX_ID:
        raise DomainError("请指定单位。", {"org": ["必填"]})
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=int(org_id))
    try:
        start, end = date.fromisoformat(q.get("start", "")), date.fromisoformat(q.get("end", ""))
    except ValueError:
        raise DomainError("请按 YYYY-MM-DD 填写期间。", {"start": ["日期无效"], "end": ["日期无效"]}) from None
    if end < start:
        raise DomainError("期间止不能早于起。", {"end": ["不能早于开始日期"]})
    return Response({"metric": metric.code, "org": org.pk, "start": start, "end": end,
                     **metrics.compute(metric.code, org, start, end).as_dict()})


class CommendationInSerializer(serializers.Serializer):
    persons = serializers.ListField(child=IdField(), max_length=500)
    on = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema(request=CommendationInSerializer, responses={200: dict})
@api_view(["POST"])
def commendation(request):
    """评优推荐名单核查：标出处于错案问责影响期的人员；影响期登记不可查询时逐人标明未能核查。"""
    ser = CommendationInSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    d = ser.validated_data
    people = list(selectors.persons_visible_to(request.user).filter(pk__in=d["persons"]))
    result = selectors.commendation_candidates(people, d["on"] or clock.today())
    return Response({"on": result["on"], "registry_available": result["available"],
                     "restricted": result["restricted"], "unchecked": result["unchecked"],
                     "rows": [{"person": r.person.pk, "name": r.person.display_name, "org": r.person.org_id,
                               "checked": r.checked, "restricted": r.restricted, "reason": r.reason}
                              for r in result["rows"]]})
