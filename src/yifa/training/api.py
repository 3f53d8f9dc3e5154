"""API under /api/v1/training/: sessions with attendance (bulk and Excel), attendance
rows, officers' hours and certificates, statistics, metrics and the yearly requirement.
Reads go through `visible_to`; writes call the services."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action, api_view
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from yifa.core import clock
from yifa.core.api import ScopedReadOnlyViewSet
from yifa.core.errors import DomainError
from yifa.enforcement.models import Officer
from yifa.orgs.models import User

from . import imports, selectors, services
from .models import Attendance, AttendanceStatus, HoursRequirement, Training, TrainingKind


def _year(request) -> int:
    raw = str(request.query_params.get("year") or "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return clock.today().year


def _org_in_scope(user, org_id, field="org"):
    org = selectors.orgs_for(user).filter(pk=org_id).first() if str(org_id).isdigit() else None
    if org is None:
        raise DomainError("单位不存在或不在您的范围内。", {field: ["单位不存在或不在您的范围内。"]})
    return org


class TrainingSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    attended = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Training
        fields = ["id", "org", "org_name", "title", "kind", "kind_label", "held_on", "hours", "location", "trainer",
                  "targets", "description", "attended", "version"]


class TrainingInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="组织单位")
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=TrainingKind.choices, default=TrainingKind.LAW)
    held_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    trainer = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    targets = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=500)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")


class TrainingUpdateSerializer(TrainingInSerializer):
    version = serializers.IntegerField(required=False, help_text="读取时的版本号；不一致时返回 409")


class AttendanceEntrySerializer(serializers.Serializer):
    officer = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="执法人员 id")
    user = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="工作人员（用户）id")
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, default=AttendanceStatus.ATTENDED)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True, default=None,
                                     help_text="认定学时（默认本次培训学时；缺席为 0）")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AttendanceInSerializer(serializers.Serializer):
    entries = AttendanceEntrySerializer(many=True, help_text="每人一项；任一项有误则全部不登记")


class ImportInSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="出勤表 .xlsx/.csv：执法证号或用户名、姓名、出勤、认定学时、备注")


class RecordResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class AttendanceSerializer(serializers.ModelSerializer):
    training_title = serializers.CharField(source="training.title", read_only=True)
    attendee_name = serializers.CharField(read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "org", "org_name", "training", "training_title", "officer", "user", "attendee_name", "status",
                  "hours_credited", "held_on", "note"]


class OfficerHoursSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    hours_done = serializers.DecimalField(max_digits=7, decimal_places=1, read_only=True)
    hours_required = serializers.DecimalField(max_digits=7, decimal_places=1, read_only=True)
    meets = serializers.BooleanField(read_only=True)
    cert_state = serializers.CharField(read_only=True)
    cert_state_label = serializers.SerializerMethodField()
    can_be_assigned = serializers.SerializerMethodField()

    class Meta:
        model = Officer
        fields = ["id", "org", "org_name", "name", "certificate_no", "status", "valid_from", "valid_to", "hours_done",
                  "hours_required", "meets", "cert_state", "cert_state_label", "can_be_assigned"]

    def get_cert_state_label(self, obj) -> str:
        return selectors.CERT_LABELS.get(obj.cert_state, obj.cert_state)

    def get_can_be_assigned(self, obj) -> bool:
        return obj.cert_state != "invalid"


class TrainingViewSet(ScopedReadOnlyViewSet):
    """培训：登记（组织单位须在本人范围内）、批量登记出勤、Excel 导入出勤（整批成功或整批不导入）。"""

    queryset = Training.objects.all()
    serializer_class = TrainingSerializer
    select_related = ("org",)
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = selectors.trainings_for(self.request.user).prefetch_related("targets").order_by("-held_on", "-id")
        year = self.request.query_params.get("year")
        if year and str(year).isdigit():
            qs = qs.filter(held_on__year=int(year))
        return qs

    @extend_schema(request=TrainingInSerializer, responses={201: TrainingSerializer})
    def create(self, request, *args, **kwargs):
        ser = TrainingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["org"] = _org_in_scope(request.user, data["org"])
        ids = list(dict.fromkeys(data["targets"]))
        data["targets"] = list(selectors.orgs_for(request.user).filter(pk__in=ids))
        if len(data["targets"]) != len(ids):
            raise DomainError("参训单位不存在或不在您的范围内。", {"targets": ["不存在或不在您的范围内"]})
        t = services.create_training(actor=request.user, **data)
        t.attended = 0
        return Response(TrainingSerializer(t).data, status=201)

    @extend_schema(request=TrainingUpdateSerializer, responses={200: TrainingSerializer})
    def partial_update(self, request, *args, **kwargs):
        t = self.get_object()
        ser = TrainingUpdateSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("version", None)
        if "org" in data:
            data["org"] = _org_in_scope(request.user, data["org"])
        if "targets" in data:
            ids = list(dict.fromkeys(data["targets"]))
            data["targets"] = list(selectors.orgs_for(request.user).filter(pk__in=ids))
            if len(data["targets"]) != len(ids):
                raise DomainError("参训单位不存在或不在您的范围内。", {"targets": ["不存在或不在您的范围内"]})
        services.update_training(actor=request.user, training=t, expected_version=version, **data)
        return Response(TrainingSerializer(self.get_queryset().get(pk=t.pk)).data)

    @extend_schema(request=AttendanceInSerializer, responses={200: RecordResultSerializer})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def attendance(self, request, pk=None):
        t = self.get_object()
        ser = AttendanceInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rows = ser.validated_data["entries"]
        if len(rows) > 5000:
            raise DomainError("一次最多登记 5000 人。", {"entries": ["过多"]})
        oids = {r["officer"] for r in rows if r["officer"] is not None}
        uids = {r["user"] for r in rows if r["user"] is not None}
        officers = {o.pk: o for o in Officer.objects.visible_to(request.user).filter(pk__in=oids).select_related("org")}
        users = {u.pk: u for u in User.objects.visible_to(request.user).filter(pk__in=uids).select_related("org")}
        errors, entries = [], []
        for i, r in enumerate(rows, start=1):
            if r["officer"] is not None and r["officer"] not in officers:
                errors.append({"row": i, "field": "officer", "message": "执法人员不存在或不在您的范围内"})
                continue
            if r["user"] is not None and r["user"] not in users:
                errors.append({"row": i, "field": "user", "message": "工作人员不存在或不在您的范围内"})
                continue
            entries.append({"row": i, "officer": officers.get(r["officer"]), "user": users.get(r["user"]),
                            "status": r["status"], "hours": r["hours"], "note": r["note"]})
        if errors:
            raise DomainError(f"出勤登记未保存：共 {len(errors)} 处错误，本批全部未登记。", {"rows": errors})
        return Response(services.record_attendance(actor=request.user, training=t, entries=entries))

    @extend_schema(request={"multipart/form-data": ImportInSerializer}, responses={200: RecordResultSerializer})
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_attendance(self, request, pk=None):
        t = self.get_object()
        ser = ImportInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(imports.import_file(actor=request.user, training=t, upload=ser.validated_data["file"]))


class AttendanceViewSet(ScopedReadOnlyViewSet):
    """出勤记录（本单位人员的记录；监督办公室为全县）。可按 officer、training、year 筛选。"""

    queryset = Attendance.objects.all()
    serializer_class = AttendanceSerializer
    select_related = ("training", "officer", "user", "org")

    def get_queryset(self):
        qs = super().get_queryset().order_by("-held_on", "-id")
        p = self.request.query_params
        for field in ("officer", "training"):
            if str(p.get(field) or "").isdigit():
                qs = qs.filter(**{field: int(p[field])})
        if str(p.get("year") or "").isdigit():
            qs = qs.filter(held_on__year=int(p["year"]))
        return qs


class OfficerHoursViewSet(ScopedReadOnlyViewSet):
    """执法人员的年度学时（由出勤计算）、应修学时、是否达标与执法证状态。
    `status`: below / met / expiring_90 / expiring_30 / invalid；`org`：单位（含下级）；`year`。"""

    queryset = Officer.objects.all()
    serializer_class = OfficerHoursSerializer

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("status", str),
                               OpenApiParameter("org", int)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        qs = selectors.officers_for(self.request.user, year=_year(self.request), today=clock.today())
        if str(p.get("org") or "").isdigit():
            org = selectors.orgs_for(self.request.user).filter(pk=int(p["org"])).first()
            qs = qs.filter(org__path__startswith=org.path) if org else qs.none()
        return selectors.filter_officers(qs, p.get("status")).order_by("org__path", "name", "id")

    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        officer = self.get_object()
        rows = selectors.officer_history(request.user, officer)[:500]
        return Response({"officer": OfficerHoursSerializer(officer).data,
                         "yearly": selectors.yearly_hours(request.user, officer),
                         "attendances": AttendanceSerializer(rows, many=True).data})


class RequirementSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = HoursRequirement
        fields = ["id", "org", "org_name", "year", "hours", "version"]


class RequirementInSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)


class RequirementViewSet(ScopedReadOnlyViewSet):
    """年度应修学时（按单位设定，适用于下级单位；未设定时为系统默认）。POST 设定或修改。"""

    queryset = HoursRequirement.objects.all()
    serializer_class = RequirementSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().order_by("-year", "org__path")

    @extend_schema(request=RequirementInSerializer, responses={201: RequirementSerializer})
    def create(self, request, *args, **kwargs):
        ser = RequirementInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        req = services.set_requirement(actor=request.user, org=_org_in_scope(request.user, d["org"]), year=d["year"],
                                       hours=d["hours"])
        return Response(RequirementSerializer(req).data, status=201)


class StatRowSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    org_name = serializers.CharField()
    year = serializers.IntegerField()
    sessions = serializers.IntegerField()
    attendances = serializers.IntegerField()
    absences = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    officers = serializers.IntegerField()
    meeting = serializers.IntegerField()
    below = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)
    expiring_90 = serializers.IntegerField()
    expiring_30 = serializers.IntegerField()
    invalid = serializers.IntegerField()


@extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("org", int)],
               responses={200: StatRowSerializer(many=True)})
@api_view(["GET"])
def statistics(request):
    """每个单位本年度：组织培训、出席/缺席人次、学时、在岗执法人员、达标人数、完成率、执法证到期/无效。"""
    year = _year(request)
    raw = request.query_params.get("org")
    org = selectors.orgs_for(request.user).filter(pk=int(raw)).first() if str(raw or "").isdigit() else None
    rows = selectors.unit_statistics(request.user, year, clock.today(), org=org)
    return Response(StatRowSerializer(rows, many=True).data)


def _date_param(request, name, default):
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise DomainError(f"{name} 日期格式应为 YYYY-MM-DD。", {name: ["日期格式错误"]}) from None


class MetricsSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    sessions = serializers.IntegerField()
    attendances = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=14, decimal_places=1)
    officers = serializers.IntegerField()
    officers_meeting = serializers.IntegerField()
    officers_below = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)
    certificates_expiring_90 = serializers.IntegerField()
    certificates_expiring_30 = serializers.IntegerField()
    certificates_invalid = serializers.IntegerField()
    records = serializers.ListField(child=serializers.DictField(), required=False,
                                    help_text="drilldown 时：该指标对应的前 200 条记录")


@extend_schema(parameters=[OpenApiParameter("org", int), OpenApiParameter("start", str),
                           OpenApiParameter("end", str), OpenApiParameter("drilldown", str)],
               responses={200: MetricsSerializer})
@api_view(["GET"])
def metrics(request):
    """`training_metrics(org, start, end)` of a unit in scope (default: the caller's scope
    and this year); with `drilldown=<metric>` the first 200 records behind that figure."""
    user = request.user
    today = clock.today()
    raw = request.query_params.get("org")
    org = _org_in_scope(user, raw) if raw else user.scope_root
    if org is None:
        raise DomainError("您没有可查看的单位。")
    start = _date_param(request, "start", date(today.year, 1, 1))
    end = _date_param(request, "end", date(today.year, 12, 31))
    if end < start or (end - start).days > 3660:
        raise DomainError("统计期间无效。", {"end": ["应不早于开始日期，且不超过十年"]})
    data = {"org": org.pk, "start": start, "end": end, **selectors.training_metrics(org, start, end)}
    metric = request.query_params.get("drilldown")
    if metric:
        if metric not in selectors.METRICS:
            raise DomainError("未知的指标。", {"drilldown": ["应为 " + "、".join(selectors.METRICS) + " 之一"]})
        qs = selectors.training_drilldown(org, start, end, metric)[:200]
        if metric == "sessions":
            data["records"] = TrainingSerializer(qs, many=True).data
        elif metric in ("attendances", "hours"):
            data["records"] = AttendanceSerializer(qs, many=True).data
        else:
            data["records"] = OfficerHoursSerializer(qs, many=True).data
    return Response(data)


