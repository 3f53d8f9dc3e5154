"""API under /api/v1/supervision/complaints/. Lists are masked; a single complaint (in
scope) carries the complainant's full data. Writes call the services."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from yifa.core.api import ScopedReadOnlyViewSet
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization
from yifa.supervision.models import FindingCategory

from . import selectors, services
from .filters import ComplaintFilter
from .models import Complaint, ComplaintCategory, ComplaintSource


class ComplaintListSerializer(serializers.ModelSerializer):
    complainant_name = serializers.CharField(source="masked_name", read_only=True)
    complainant_phone = serializers.CharField(source="masked_phone", read_only=True)
    complainant_id_no = serializers.CharField(source="masked_id_no", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    subject_unit_name = serializers.CharField(source="subject_unit.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "query_code", "source", "hotline_ticket", "complainant_name", "complainant_phone",
                  "complainant_id_no", "subject_unit", "subject_unit_name", "org", "org_name", "category",
                  "received_on", "state", "state_label", "routed_on", "due", "replied_on", "closed_on", "finding",
                  "version"]


class ComplaintDetailSerializer(ComplaintListSerializer):
    complainant_name = serializers.CharField(read_only=True)
    complainant_phone = serializers.CharField(read_only=True)
    complainant_id_no = serializers.CharField(read_only=True)

    class Meta(ComplaintListSerializer.Meta):
        fields = ComplaintListSerializer.Meta.fields + ["content", "route_note", "reply", "reject_reason",
                                                        "attachment_name", "attachment_size"]


class ComplaintInSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=ComplaintSource.choices)
    hotline_ticket = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    subject_unit = serializers.IntegerField(help_text="被投诉单位")
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    complainant_name = serializers.CharField(max_length=50)
    complainant_phone = serializers.CharField(max_length=20)
    complainant_id_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=18)
    content = serializers.CharField(max_length=20000)
    on = serializers.DateField(required=False, allow_null=True, default=None, help_text="接收日期（默认今天）")


class RouteInSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="承办单位")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReplyInSerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=5000)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class CloseInSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class RejectInSerializer(CloseInSerializer):
    reason = serializers.CharField(max_length=500)


class FindingInSerializer(CloseInSerializer):
    category = serializers.ChoiceField(choices=FindingCategory.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


def _unit(user, pk, field):
    root = user.scope_root
    org = Organization.objects.filter(pk=pk, path__startswith=root.path).first() if root else None
    if org is None:
        raise DomainError("单位不存在或不在您的范围内。", {field: ["单位不存在或不在您的范围内。"]})
    return org


class ComplaintViewSet(ScopedReadOnlyViewSet):
    """投诉举报：列表（个人信息脱敏）、详情、登记（含 12345 转办，按工单号幂等）、转办、答复、办结、不予受理、转为监督问题。"""

    queryset = Complaint.objects.all()
    serializer_class = ComplaintListSerializer
    select_related = ("org", "subject_unit")
    filterset_class = ComplaintFilter

    def get_queryset(self):
        return super().get_queryset().order_by("-received_on", "-id")

    def get_serializer_class(self):
        return ComplaintListSerializer if self.action == "list" else ComplaintDetailSerializer

    @extend_schema(request=ComplaintInSerializer, responses={201: ComplaintDetailSerializer,
                                                             200: ComplaintDetailSerializer})
    def create(self, request, *args, **kwargs):
        ser = ComplaintInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["subject_unit"] = _unit(request.user, data["subject_unit"], "subject_unit")
        c, created = services.register_complaint(actor=request.user, **data)
        return Response(ComplaintDetailSerializer(c).data, status=201 if created else 200)

    def _do(self, request, ser_class, fn):
        obj = self.get_object()
        ser = ser_class(data=request.data)
        ser.is_valid(raise_exception=True)
        result = fn(obj, dict(ser.validated_data))
        return Response(ComplaintDetailSerializer(result).data)

    @extend_schema(request=RouteInSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        return self._do(request, RouteInSerializer, lambda c, d: services.route(
            actor=request.user, complaint=c, unit=_unit(request.user, d["unit"], "unit"), note=d["note"], on=d["on"],
            expected_version=d["version"]))

    @extend_schema(request=ReplyInSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        return self._do(request, ReplyInSerializer, lambda c, d: services.reply(
            actor=request.user, complaint=c, text=d["reply"], on=d["on"], expected_version=d["version"]))

    @extend_schema(request=CloseInSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._do(request, CloseInSerializer, lambda c, d: services.close(
            actor=request.user, complaint=c, on=d["on"], expected_version=d["version"]))

    @extend_schema(request=RejectInSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._do(request, RejectInSerializer, lambda c, d: services.reject(
            actor=request.user, complaint=c, reason=d["reason"], on=d["on"], expected_version=d["version"]))

    @extend_schema(request=FindingInSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"], url_path="to-finding")
    def to_finding(self, request, pk=None):
        def fn(c, d):
            services.to_finding(actor=request.user, complaint=c, category=d["category"],
                                description=d["description"], on=d["on"], expected_version=d["version"])
            return Complaint.objects.select_related("org", "subject_unit").get(pk=c.pk)

        return self._do(request, FindingInSerializer, fn)


class StatsSerializer(serializers.Serializer):
    summary = serializers.DictField()
    by_source = serializers.ListField(child=serializers.DictField())
    by_state = serializers.ListField(child=serializers.DictField())
    by_unit = serializers.ListField(child=serializers.DictField())


@extend_schema(parameters=[OpenApiParameter("start", str, description="接收日期起（YYYY-MM-DD）"),
                           OpenApiParameter("end", str, description="接收日期止（YYYY-MM-DD）")],
               responses=StatsSerializer)
@api_view(["GET"])
def statistics(request):
    """按来源、状态、承办单位统计（本人范围内）。"""
    from datetime import date

    from django.utils.dateparse import parse_date

    today = timezone.localdate()
    try:
        start = parse_date(request.query_params.get("start") or "") or date(today.year, 1, 1)
        end = parse_date(request.query_params.get("end") or "") or today
    except ValueError as exc:
        raise DomainError("日期格式不正确。", {"start": ["应为 YYYY-MM-DD"]}) from exc
    data = selectors.statistics(request.user, start, end, today)
    data["by_unit"] = [{"org_name": r.pop("org__name"), **r} for r in data["by_unit"]]
    return Response(data)
