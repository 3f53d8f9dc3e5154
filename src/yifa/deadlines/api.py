import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from yifa.core import clock
from yifa.core.api import ScopedReadOnlyViewSet
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization

from . import engine
from .filters import STATUS_CHOICES
from .models import DeadlineRule, DeadlineState, TrackedDeadline
from .serializers import (ComputeQuerySerializer, ComputeResultSerializer, DeadlineRuleSerializer,
                          TrackedDeadlineSerializer)


@extend_schema(parameters=[ComputeQuerySerializer], responses={200: ComputeResultSerializer})
@api_view(["GET"])
def compute(request):
    """法定期限计算：按规则代码和起算日计算届满日（起算日当日不计入）。期限跨入尚未录入完整放假安排的年度时，
    按法定节日给出暂定届满日（provisional: true，waiting_for_year 指明年份）；strict=1 时改为返回 400 并指明年份。"""
    params = ComputeQuerySerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    data = params.validated_data
    org = None
    if data.get("org") is not None:
        org = Organization.objects.visible_to(request.user).filter(pk=data["org"]).first()
        if org is None:
            raise DomainError("单位不存在或不在您的范围内。", fields={"org": "单位不存在或不在您的范围内。"})
    result = engine.compute(data["rule"], data["start"], org=org, strict=data.get("strict", False))
    return Response(result.as_dict(with_skipped=True))


class DeadlineRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """期限规则（法律即数据）。"""

    queryset = DeadlineRule.objects.order_by("code")
    serializer_class = DeadlineRuleSerializer
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9_.]+"
    filterset_fields = ["unit", "direction"]


class TrackedDeadlineApiFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status",
                                         help_text="normal 正常 / yellow 临期 / red 超期")
    state = django_filters.ChoiceFilter(choices=DeadlineState.choices)
    rule = django_filters.CharFilter(field_name="rule__code")
    owner_type = django_filters.CharFilter()
    owner_id = django_filters.CharFilter()

    class Meta:
        model = TrackedDeadline
        fields = ["status", "state", "rule", "org", "owner_type", "owner_id"]

    def filter_status(self, qs, name, value):
        return qs.with_status(value, clock.today())


class TrackedDeadlineViewSet(ScopedReadOnlyViewSet):
    """跟踪期限（仅限本单位及下级单位）。"""

    queryset = TrackedDeadline.objects.all()
    serializer_class = TrackedDeadlineSerializer
    filterset_class = TrackedDeadlineApiFilter
    select_related = ("rule",)

    def get_queryset(self):
        return super().get_queryset().with_due_status(clock.today()).order_by("due", "id")
