"""API under /api/v1/supervision/: inspections and findings. Reads go through
`visible_to`; writes call the services."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from yifa.core.api import ScopedReadOnlyViewSet
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization

from . import selectors, services
from .models import Finding, FindingCategory, FindingSource, Inspection, InspectionKind


class InspectionSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "org", "org_name", "kind", "title", "plan", "targets", "team", "period_start", "period_end",
                  "checklist", "joint_bodies", "version"]


class FindingSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "org", "org_name", "inspection", "category", "source", "description", "raised_on", "due",
                  "state", "state_label", "evidence", "corrected_on", "verified_on", "version"]


class InspectionInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="组织单位")
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    title = serializers.CharField(max_length=200)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    targets = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=500)
    plan = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    team = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    checklist = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    joint_bodies = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class FindingInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="被监督单位")
    category = serializers.ChoiceField(choices=FindingCategory.choices)
    source = serializers.ChoiceField(choices=FindingSource.choices, required=False, default="administrative")
    description = serializers.CharField(max_length=5000)
    on = serializers.DateField(required=False, allow_null=True, default=None, help_text="发现日期（默认今天）")
    inspection = serializers.IntegerField(required=False, allow_null=True, default=None)


class CorrectInSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=10000, help_text="整改情况及佐证（必填）")
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class VerifyInSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


def _orgs_in_scope(user, ids, field):
    root = user.scope_root
    ids = list(dict.fromkeys(ids))
    found = list(Organization.objects.filter(pk__in=ids, path__startswith=root.path)) if root else []
    if len(found) != len(ids):
        raise DomainError("单位不存在或不在您的范围内。", {field: ["单位不存在或不在您的范围内。"]})
    return found


class InspectionViewSet(ScopedReadOnlyViewSet):
    """监督检查（日常/专项）。新建须监督员、部门法制员或乡镇法制员。"""

    queryset = Inspection.objects.all()
    serializer_class = InspectionSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("targets").order_by("-period_start", "-id")

    @extend_schema(request=InspectionInSerializer, responses={201: InspectionSerializer})
    def create(self, request, *args, **kwargs):
        ser = InspectionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["org"] = _orgs_in_scope(request.user, [data["org"]], "org")[0]
        data["targets"] = _orgs_in_scope(request.user, data["targets"], "targets")
        insp = services.create_inspection(actor=request.user, **data)
        return Response(InspectionSerializer(insp).data, status=201)


class FindingViewSet(ScopedReadOnlyViewSet):
    """监督发现问题：登记（开始整改期限）、报告整改（须佐证）、核验。"""

    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().order_by("-raised_on", "-id")

    @extend_schema(request=FindingInSerializer, responses={201: FindingSerializer})
    def create(self, request, *args, **kwargs):
        ser = FindingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["org"] = _orgs_in_scope(request.user, [data["org"]], "org")[0]
        insp_id = data.pop("inspection")
        inspection = None
        if insp_id is not None:
            inspection = Inspection.objects.visible_to(request.user).filter(pk=insp_id).first()
            if inspection is None:
                raise DomainError("监督检查不存在或不在您的范围内。", {"inspection": ["不存在或不在您的范围内"]})
        f = services.raise_finding(actor=request.user, inspection=inspection, **data)
        return Response(FindingSerializer(f).data, status=201)

    @extend_schema(request=CorrectInSerializer, responses={200: FindingSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        f = self.get_object()
        ser = CorrectInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        f = services.correct_finding(actor=request.user, finding=f, evidence=d["evidence"], on=d["on"],
                                     expected_version=d["version"])
        return Response(FindingSerializer(f).data)

    @extend_schema(request=VerifyInSerializer, responses={200: FindingSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        f = self.get_object()
        ser = VerifyInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        f = services.verify_finding(actor=request.user, finding=f, on=d["on"], expected_version=d["version"])
        return Response(FindingSerializer(f).data)


class RateSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    org_name = serializers.CharField(source="org__name")
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


@extend_schema(responses={200: RateSerializer(many=True)})
@api_view(["GET"])
def rectification_rates(request):
    """各被监督单位的问题整改率（已整改或已核验 / 全部）。"""
    return Response(RateSerializer(selectors.rectification_rates(request.user), many=True).data)
