"""API under /api/v1/supervision/foia/. Lists are masked; a single request (in scope)
carries the requester's full data. Writes call the services."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from yifa.core.api import ScopedReadOnlyViewSet
from yifa.core.errors import DomainError

from . import selectors, services
from .filters import InfoRequestFilter
from .models import InfoRequest, ReplyType, RequestChannel, RequesterKind


class InfoRequestListSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    requester_name = serializers.CharField(source="masked_name", read_only=True)
    requester_phone = serializers.CharField(source="masked_phone", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    reply_type_label = serializers.CharField(source="get_reply_type_display", read_only=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = InfoRequest
        fields = ["id", "org", "org_name", "number", "year", "seq", "requester_name", "requester_kind",
                  "requester_phone", "channel", "channel_label", "received_on", "state", "state_label", "due",
                  "due_provisional", "extended", "reply_type", "reply_type_label", "replied_on", "on_time", "version"]


class InfoRequestDetailSerializer(InfoRequestListSerializer):
    requester_name = serializers.CharField(read_only=True)
    requester_phone = serializers.CharField(read_only=True)

    class Meta(InfoRequestListSerializer.Meta):
        fields = InfoRequestListSerializer.Meta.fields + [
            "requester_address", "content", "correction_notice_on", "correction_what", "correction_due",
            "corrected_on", "withdrawn_on", "third_party", "third_party_asked_on", "third_party_answered_on",
            "third_party_opinion", "reply_text", "reply_basis"]


class InfoRequestInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="受理机关")
    channel = serializers.ChoiceField(choices=RequestChannel.choices)
    received_on = serializers.DateField(required=False, allow_null=True, default=None,
                                        help_text="收到申请日期（第三十一条；默认今天）")
    requester_kind = serializers.ChoiceField(choices=RequesterKind.choices)
    requester_name = serializers.CharField(max_length=100)
    requester_phone = serializers.CharField(max_length=20)
    requester_address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=5000)


class _Step(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class _Dated(_Step):
    on = serializers.DateField(required=False, allow_null=True, default=None)


class CorrectionRequestIn(_Dated):
    what = serializers.CharField(max_length=500)
    correction_due = serializers.DateField(help_text="补正期限")


class ConsultIn(_Dated):
    third_party = serializers.CharField(max_length=100)


class OpinionIn(_Dated):
    opinion = serializers.CharField(max_length=1000)


class ExtendIn(_Dated):
    approver = serializers.IntegerField(help_text="批准人（政府信息公开工作机构负责人）")
    reason = serializers.CharField(max_length=300)


class ReplyIn(_Dated):
    reply_type = serializers.ChoiceField(choices=ReplyType.choices)
    text = serializers.CharField(max_length=5000)
    basis = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


def _unit(user, pk):
    org = selectors.units_in_scope(user).filter(pk=pk).first()
    if org is None:
        raise DomainError("单位不存在或不在您的范围内。", {"org": ["单位不存在或不在您的范围内。"]})
    return org


class InfoRequestViewSet(ScopedReadOnlyViewSet):
    """政府信息公开申请：列表（个人信息脱敏）、详情、登记，及告知补正、收到补正、视为放弃申请、征求第三方意见、
    记录第三方意见、第三方逾期未提出意见、延长答复期限、答复。"""

    queryset = InfoRequest.objects.all()
    serializer_class = InfoRequestListSerializer
    select_related = ("org",)
    filterset_class = InfoRequestFilter

    def get_queryset(self):
        return super().get_queryset().order_by("-received_on", "-id")

    def get_serializer_class(self):
        return InfoRequestListSerializer if self.action == "list" else InfoRequestDetailSerializer

    @extend_schema(request=InfoRequestInSerializer, responses={201: InfoRequestDetailSerializer})
    def create(self, request, *args, **kwargs):
        ser = InfoRequestInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["org"] = _unit(request.user, data["org"])
        r = services.register_request(actor=request.user, **data)
        return Response(InfoRequestDetailSerializer(r).data, status=201)

    def _do(self, request, ser_class, fn, **extra):
        obj = self.get_object()
        ser = ser_class(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("version")
        result = fn(actor=request.user, info_request=obj, expected_version=version, **{**data, **extra})
        return Response(InfoRequestDetailSerializer(result).data)

    @extend_schema(request=CorrectionRequestIn, responses=InfoRequestDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-correction")
    def request_correction(self, request, pk=None):
        return self._do(request, CorrectionRequestIn, services.request_correction)

    @extend_schema(request=_Dated, responses=InfoRequestDetailSerializer)
    @action(detail=True, methods=["post"], url_path="record-correction")
    def record_correction(self, request, pk=None):
        return self._do(request, _Dated, services.record_correction)

    @extend_schema(request=_Dated, responses=InfoRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._do(request, _Dated, services.withdraw)

    @extend_schema(request=ConsultIn, responses=InfoRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def consult(self, request, pk=None):
        return self._do(request, ConsultIn, services.consult)

    @extend_schema(request=OpinionIn, responses=InfoRequestDetailSerializer)
    @action(detail=True, methods=["post"], url_path="record-opinion")
    def record_opinion(self, request, pk=None):
        return self._do(request, OpinionIn, services.record_opinion)

    @extend_schema(request=_Step, responses=InfoRequestDetailSerializer)
    @action(detail=True, methods=["post"], url_path="opinion-lapsed")
    def opinion_lapsed(self, request, pk=None):
        return self._do(request, _Step, services.opinion_lapsed)

    @extend_schema(request=ExtendIn, responses=InfoRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        obj = self.get_object()
        ser = ExtendIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        approver = selectors.approvers_for(obj).filter(pk=d.pop("approver")).first()
        if approver is None:
            raise DomainError("批准人须为受理机关的在职人员。", {"approver": ["批准人无效"]})
        version = d.pop("version")
        r = services.extend(actor=request.user, info_request=obj, approver=approver, expected_version=version, **d)
        return Response(InfoRequestDetailSerializer(r).data)

    @extend_schema(request=ReplyIn, responses=InfoRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        return self._do(request, ReplyIn, services.reply)
