"""API under /api/v1/supervision/meetings/: meetings, action items, adopted rules."""

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from yifa.core import clock
from yifa.core.api import ScopedReadOnlyViewSet
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization, User

from . import services
from .filters import ActionItemFilter, AdoptedRuleFilter, MeetingFilter
from .models import ActionItem, AdoptedRule, JointMeeting


class MeetingActionItemSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "org", "org_name", "owner", "title", "due", "state", "state_label", "overdue",
                  "completion_note", "done_on", "version"]

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(clock.today())


class JointMeetingSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = JointMeeting
        fields = ["id", "org", "org_name", "title", "held_on", "year", "quarter", "location", "participants", "topics",
                  "minutes", "version"]


class JointMeetingInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="召集单位")
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    topics = serializers.CharField(max_length=5000)
    minutes = serializers.CharField(required=False, allow_blank=True, default="", max_length=50000)
    location = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    participants = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                         max_length=500)


class MeetingActionItemInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="责任单位")
    title = serializers.CharField(max_length=300)
    due = serializers.DateField()
    owner = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="责任人（用户编号）")


class MeetingActionDoneInSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text="落实情况（必填）")
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class AdoptedRuleSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    source_model = serializers.SerializerMethodField()

    class Meta:
        model = AdoptedRule
        fields = ["id", "org", "org_name", "title", "doc_number", "adopted_on", "text", "attachment_name", "finding",
                  "case", "source_model", "source_id", "cause", "version"]

    def get_source_model(self, obj) -> str:
        return f"{obj.source_type.app_label}.{obj.source_type.model}" if obj.source_type_id else ""


class AdoptedRuleInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="制定单位")
    title = serializers.CharField(max_length=200)
    adopted_on = serializers.DateField()
    doc_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=100000)
    cause = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    finding = serializers.IntegerField(required=False, allow_null=True, default=None)
    case = serializers.IntegerField(required=False, allow_null=True, default=None)
    source_model = serializers.CharField(required=False, allow_blank=True, default="", max_length=100,
                                         help_text="起因记录类型 app_label.model，如 accountability.wrongcase")
    source_id = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


def _org(user, pk, field):
    root = user.scope_root
    org = Organization.objects.filter(pk=pk, path__startswith=root.path).first() if root else None
    if org is None:
        raise DomainError("单位不存在或不在您的范围内。", {field: ["单位不存在或不在您的范围内。"]})
    return org


def _visible(model, user, pk, field, label):
    obj = model.objects.visible_to(user).filter(pk=pk).first() if hasattr(model.objects, "visible_to") else None
    if obj is None:
        raise DomainError(f"{label}不存在或不在您的范围内。", {field: [f"{label}不存在或不在您的范围内。"]})
    return obj


class MeetingViewSet(ScopedReadOnlyViewSet):
    """联席会议：登记（季度由日期得出）、议定事项。"""

    queryset = JointMeeting.objects.all()
    serializer_class = JointMeetingSerializer
    select_related = ("org",)
    filterset_class = MeetingFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("participants").order_by("-held_on", "-id")

    @extend_schema(request=JointMeetingInSerializer, responses={201: JointMeetingSerializer})
    def create(self, request, *args, **kwargs):
        ser = JointMeetingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["org"] = _org(request.user, d["org"], "org")
        ids = list(dict.fromkeys(d["participants"]))
        root = request.user.scope_root
        parts = list(Organization.objects.filter(pk__in=ids, path__startswith=root.path)) if root else []
        if len(parts) != len(ids):
            raise DomainError("参会单位不存在或不在您的范围内。", {"participants": ["单位不存在或不在您的范围内。"]})
        d["participants"] = parts
        m = services.record_meeting(actor=request.user, **d)
        return Response(JointMeetingSerializer(m).data, status=201)

    @extend_schema(request=MeetingActionItemInSerializer, responses={201: MeetingActionItemSerializer})
    @action(detail=True, methods=["post"], url_path="items")
    def add_item(self, request, pk=None):
        meeting = self.get_object()
        ser = MeetingActionItemInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["org"] = _org(request.user, d["org"], "org")
        if d["owner"] is not None:
            d["owner"] = _visible(User, request.user, d["owner"], "owner", "责任人")
        item = services.add_action_item(actor=request.user, meeting=meeting, **d)
        return Response(MeetingActionItemSerializer(item).data, status=201)


class ActionItemViewSet(ScopedReadOnlyViewSet):
    """会议议定事项：列表（可按状态、逾期筛选）、报告落实。"""

    queryset = ActionItem.objects.all()
    serializer_class = MeetingActionItemSerializer
    select_related = ("org",)
    filterset_class = ActionItemFilter

    def get_queryset(self):
        return super().get_queryset().order_by("due", "id")

    @extend_schema(request=MeetingActionDoneInSerializer, responses=MeetingActionItemSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        item = self.get_object()
        ser = MeetingActionDoneInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        item = services.complete_action_item(actor=request.user, item=item, note=d["note"], on=d["on"],
                                             expected_version=d["version"])
        return Response(MeetingActionItemSerializer(item).data)


class AdoptedRuleViewSet(ScopedReadOnlyViewSet):
    """制度建设：因监督或问责而建立的制度，关联起因问题、案件或其他记录（如错案）。"""

    queryset = AdoptedRule.objects.all()
    serializer_class = AdoptedRuleSerializer
    select_related = ("org", "source_type")
    filterset_class = AdoptedRuleFilter

    def get_queryset(self):
        return super().get_queryset().order_by("-adopted_on", "-id")

    @extend_schema(request=AdoptedRuleInSerializer, responses={201: AdoptedRuleSerializer})
    def create(self, request, *args, **kwargs):
        from yifa.enforcement.models import Case
        from yifa.supervision.models import Finding

        ser = AdoptedRuleInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        user = request.user
        d["org"] = _org(user, d["org"], "org")
        if d["finding"] is not None:
            d["finding"] = _visible(Finding, user, d["finding"], "finding", "监督问题")
        if d["case"] is not None:
            d["case"] = _visible(Case, user, d["case"], "case", "案件")
        source_model, source_id = d.pop("source_model"), d.pop("source_id")
        if source_model or source_id:
            label, _, model = source_model.partition(".")
            ct = ContentType.objects.filter(app_label=label, model=model.lower()).first() if model else None
            model_class = ct.model_class() if ct else None
            if model_class is None or source_id is None:
                raise DomainError("起因记录类型或编号无效。", {"source_model": ["应为 app_label.model 且同时提供编号"]})
            d["source"] = _visible(model_class, user, source_id, "source_id", "起因记录")
        r = services.adopt_rule(actor=user, **d)
        return Response(AdoptedRuleSerializer(r).data, status=201)
