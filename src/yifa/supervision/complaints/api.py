"""API under /api/v1/supervision/complaints/. Lists are masked; a single complaint (in
scope) carries the complainant's full data. Writes call the services."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import (action, api_view, authentication_classes, parser_classes,
                                       permission_classes)
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from yifa.core import clock
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
                  "received_on", "state", "state_label", "routed_on", "due", "due_provisional", "replied_on", "closed_on", "finding",
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


class ComplaintRouteInSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="承办单位")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ComplaintReplyInSerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=5000)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ComplaintCloseInSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ComplaintRejectInSerializer(ComplaintCloseInSerializer):
    reason = serializers.CharField(max_length=500)


class ComplaintFindingInSerializer(ComplaintCloseInSerializer):
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

    @extend_schema(request=ComplaintRouteInSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        return self._do(request, ComplaintRouteInSerializer, lambda c, d: services.route(
            actor=request.user, complaint=c, unit=_unit(request.user, d["unit"], "unit"), note=d["note"], on=d["on"],
            expected_version=d["version"]))

    @extend_schema(request=ComplaintReplyInSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        return self._do(request, ComplaintReplyInSerializer, lambda c, d: services.reply(
            actor=request.user, complaint=c, text=d["reply"], on=d["on"], expected_version=d["version"]))

    @extend_schema(request=ComplaintCloseInSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._do(request, ComplaintCloseInSerializer, lambda c, d: services.close(
            actor=request.user, complaint=c, on=d["on"], expected_version=d["version"]))

    @extend_schema(request=ComplaintRejectInSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._do(request, ComplaintRejectInSerializer, lambda c, d: services.reject(
            actor=request.user, complaint=c, reason=d["reason"], on=d["on"], expected_version=d["version"]))

    @extend_schema(request=ComplaintFindingInSerializer, responses=ComplaintDetailSerializer)
    @action(detail=True, methods=["post"], url_path="to-finding")
    def to_finding(self, request, pk=None):
        def fn(c, d):
            services.to_finding(actor=request.user, complaint=c, category=d["category"],
                                description=d["description"], on=d["on"], expected_version=d["version"])
            return Complaint.objects.select_related("org", "subject_unit").get(pk=c.pk)

        return self._do(request, ComplaintFindingInSerializer, fn)


class ComplaintStatsSerializer(serializers.Serializer):
    summary = serializers.DictField()
    by_source = serializers.ListField(child=serializers.DictField())
    by_state = serializers.ListField(child=serializers.DictField())
    by_unit = serializers.ListField(child=serializers.DictField())


@extend_schema(parameters=[OpenApiParameter("start", str, description="接收日期起（YYYY-MM-DD）"),
                           OpenApiParameter("end", str, description="接收日期止（YYYY-MM-DD）")],
               responses=ComplaintStatsSerializer)
@api_view(["GET"])
def statistics(request):
    """按来源、状态、承办单位统计（本人范围内）。"""
    from datetime import date

    from django.utils.dateparse import parse_date

    today = clock.today()
    try:
        start = parse_date(request.query_params.get("start") or "") or date(today.year, 1, 1)
        end = parse_date(request.query_params.get("end") or "") or today
    except ValueError as exc:
        raise DomainError("日期格式不正确。", {"start": ["应为 YYYY-MM-DD"]}) from exc
    data = selectors.statistics(request.user, start, end, today)
    data["by_unit"] = [{"org_name": r.pop("org__name"), **r} for r in data["by_unit"]]
    return Response(data)


# --- public (no login): file a complaint and follow it with the query code --------------------

class ComplaintPublicInSerializer(serializers.Serializer):
    subject_unit = serializers.IntegerField(help_text="被投诉单位（行政执法部门或乡镇、街道）")
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    complainant_name = serializers.CharField(max_length=50)
    complainant_phone = serializers.CharField(max_length=20)
    complainant_id_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=18)
    content = serializers.CharField(max_length=20000)
    attachment = serializers.FileField(required=False, allow_null=True, default=None,
                                       help_text="JPG、PNG 图片或 PDF 文件（multipart 提交）")


class ComplaintPublicReceiptSerializer(serializers.Serializer):
    query_code = serializers.CharField()
    received_on = serializers.DateField()
    state = serializers.CharField()


class ComplaintPublicQueryInSerializer(serializers.Serializer):
    query_code = serializers.CharField(max_length=20)
    phone_last4 = serializers.RegexField(r"^\d{4}$", error_messages={"invalid": "请输入联系电话后四位数字"})


class ComplaintPublicStatusSerializer(serializers.Serializer):
    query_code = serializers.CharField()
    received_on = serializers.DateField()
    subject_unit_name = serializers.CharField(source="subject_unit.name")
    category = serializers.CharField(source="get_category_display")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    handling_unit = serializers.SerializerMethodField()
    routed_on = serializers.DateField(allow_null=True)
    due = serializers.DateField(allow_null=True)
    reply = serializers.CharField()
    replied_on = serializers.DateField(allow_null=True)
    reject_reason = serializers.CharField()

    def get_handling_unit(self, obj) -> str:
        return obj.org.name if obj.routed_on else ""


def _ip(request):
    from yifa.core.net import client_ip  # one rule for the form, the API and the login lockout

    return client_ip(request)


@extend_schema(request={"application/json": ComplaintPublicInSerializer, "multipart/form-data": ComplaintPublicInSerializer},
               responses={201: ComplaintPublicReceiptSerializer}, auth=[])
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@parser_classes([JSONParser, MultiPartParser, FormParser])
def public_submit(request):
    """公众投诉举报（无需登录；同一 IP 每小时限次）。返回查询码。"""
    services.check_rate(_ip(request))
    ser = ComplaintPublicInSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    d = dict(ser.validated_data)
    unit = selectors.units_for_public().filter(pk=d.pop("subject_unit")).first()
    if unit is None:
        raise DomainError("请选择列表中的被投诉单位。", {"subject_unit": ["请选择列表中的单位"]})
    c = services.submit_public(subject_unit=unit, **d)
    services.note_attempt(_ip(request))
    return Response(ComplaintPublicReceiptSerializer(c).data, status=201)


@extend_schema(request=ComplaintPublicQueryInSerializer, responses={200: ComplaintPublicStatusSerializer}, auth=[])
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def public_query(request):
    """凭查询码和联系电话后四位查询办理状态和答复（不含个人信息）。"""
    ser = ComplaintPublicQueryInSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    c = services.lookup(query_code=ser.validated_data["query_code"], phone_last4=ser.validated_data["phone_last4"],
                        ip=_ip(request))
    if c is None:
        raise NotFound("未查到该投诉举报：请核对查询码和联系电话后四位。")
    return Response(ComplaintPublicStatusSerializer(c).data)
