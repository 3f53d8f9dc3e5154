from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action, api_view
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from yifa.core import clock
from yifa.core.api import ScopedReadOnlyViewSet
from yifa.core.errors import DomainError
from yifa.orgs.models import Organization

from . import imports, selectors, services
from .filters import BodyFilter, CaseFilter, ItemFilter, OfficerFilter
from .models import Case, EnforcementBody, EnforcementItem, ImportBatch, Officer, ProcessRecord
from .serializers import (BodySerializer, CaseSerializer, CaseTransitionSerializer, CaseUpdateSerializer,
                          ImportBatchSerializer, ImportRequestSerializer, ItemSerializer, LegalReviewSerializer,
                          OfficerSerializer, PublicitySerializer, RecordSerializer, RecordUploadSerializer)


class _LibraryViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """Reads scoped; create/update through the service (audited, stale versions refused)."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def _save(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        benchmarks = data.pop("benchmarks", None)
        version = self.request.data.get("version") if instance else None
        obj = services.save_library_record(actor=self.request.user, model=self.queryset.model, data=data,
                                           instance=instance, expected_version=version)
        if benchmarks is not None:
            services.set_benchmarks(actor=self.request.user, item=obj, benchmarks=benchmarks)
        serializer.instance = obj

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class BodyViewSet(_LibraryViewSet):
    """执法主体。"""

    queryset = EnforcementBody.objects.all()
    serializer_class = BodySerializer
    filterset_class = BodyFilter
    select_related = ("org",)


class OfficerViewSet(_LibraryViewSet):
    """执法人员（执法证号、有效期、状态、培训学时）。"""

    queryset = Officer.objects.all()
    serializer_class = OfficerSerializer
    filterset_class = OfficerFilter
    select_related = ("org",)

    def get_queryset(self):
        from yifa.training.selectors import hours_subquery, year_bounds

        start, end = year_bounds(clock.today().year)
        return super().get_queryset().annotate(hours_this_year=hours_subquery(start, end))


class ItemViewSet(_LibraryViewSet):
    """执法事项（含裁量基准）。"""

    queryset = EnforcementItem.objects.all()
    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    select_related = ("org",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("benchmarks").order_by("code")


class CaseViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """执法案件。办理环节：POST …/{id}/transitions/；法制审核、公示、全过程记录见各子操作。"""

    queryset = Case.objects.all()
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    select_related = ("org", "item")

    def get_queryset(self):
        from .selectors import with_payment_due

        return with_payment_due(super().get_queryset().prefetch_related("officers")).order_by("-filed_on", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        officers = data.pop("officers", [])
        data.pop("case_no", None)
        serializer.instance = services.file_case(
            actor=self.request.user, org=data.pop("org"), item=data.pop("item"),
            case_type=data.pop("case_type", "penalty"), procedure=data.pop("procedure", "general"),
            filed_on=data.pop("filed_on", None), officers=officers,
            source_system=data.pop("source_system", "yifa"), source_case_no=data.pop("source_case_no", ""),
            **{k: v for k, v in data.items() if k in services.CASE_FIELDS})

    def _respond(self, case):
        case = self.get_queryset().get(pk=case.pk)
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseSerializer)
    def partial_update(self, request, pk=None):
        case = self.get_object()
        ser = CaseUpdateSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise DomainError("请提供读取时的版本号 version。", {"version": ["必填"]})
        return self._respond(services.update_case(actor=request.user, case=case, data=data,
                                                  expected_version=version))

    @extend_schema(request=CaseTransitionSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request, pk=None):
        case = self.get_object()
        ser = CaseTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        return self._respond(services.move_case(case, d["action"], actor=request.user, on=d.get("on"),
                                                reason=d["reason"], expected_version=d.get("version"),
                                                payload={k: d[k] for k in ("hearing_on", "remedy_end_on")
                                                         if d.get(k)} or None))

    @extend_schema(request=LegalReviewSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="legal-review")
    def legal_review(self, request, pk=None):
        case = self.get_object()
        ser = LegalReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        return self._respond(services.record_legal_review(actor=request.user, case=case, result=d["result"],
                                                          opinion=d["opinion"], on=d.get("on"),
                                                          expected_version=d.get("version")))

    @extend_schema(request=PublicitySerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="publish")
    def publish(self, request, pk=None):
        case = self.get_object()
        ser = PublicitySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._respond(services.publish(actor=request.user, case=case, on=ser.validated_data.get("on")))

    @extend_schema(request=PublicitySerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="withdraw")
    def withdraw(self, request, pk=None):
        case = self.get_object()
        ser = PublicitySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if case.publicity_state == "published":
            services.request_withdrawal(actor=request.user, case=case, reason=d["reason"], on=d.get("on"))
        return self._respond(services.withdraw(actor=request.user, case=case, reason=d["reason"], on=d.get("on")))

    @extend_schema(request={"multipart/form-data": RecordUploadSerializer}, responses={201: RecordSerializer})
    @action(detail=True, methods=["post"], url_path="records", parser_classes=[MultiPartParser])
    def records(self, request, pk=None):
        case = self.get_object()
        ser = RecordUploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        rec = services.add_record(actor=request.user, case=case, upload=d["file"], kind=d["kind"],
                                  description=d["description"])
        return Response(RecordSerializer(rec).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ImportRequestSerializer, responses={200: ImportBatchSerializer, 400: ImportBatchSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def bulk_import(self, request):
        """批量导入（JSON）：整批校验，任一行有误则全部不导入并返回逐行错误；按来源案号幂等。"""
        ser = ImportRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        batch = imports.import_rows(actor=request.user, kind=d["kind"], rows=d["rows"],
                                    source_system=d["source_system"])
        body = ImportBatchSerializer(batch).data
        if batch.errors:
            return Response({"code": "import_refused", "message": f"共 {len(batch.errors)} 处错误，本批数据全部未导入。",
                             "fields": {"rows": batch.errors}, "batch": body}, status=400)
        return Response(body)


class RecordViewSet(ScopedReadOnlyViewSet):
    """全过程记录（元数据；文件经权限检查后由页面下载）。"""

    queryset = ProcessRecord.objects.all()
    serializer_class = RecordSerializer
    filterset_fields = ["case", "kind"]

    def get_queryset(self):
        return super().get_queryset().order_by("id")


class ImportBatchViewSet(ScopedReadOnlyViewSet):
    """导入批次（进度与逐行错误）。"""

    queryset = ImportBatch.objects.all()
    serializer_class = ImportBatchSerializer


@extend_schema(responses={200: dict})
@api_view(["GET"])
def monitoring(request):
    """实时监测看板：在办案件按期限状态、单位、承办人、事项统计，及按月按时办结率。"""
    org = None
    org_id = request.query_params.get("org")
    if org_id:
        if not org_id.isdigit():
            raise DomainError("org 应为单位 ID。", {"org": ["应为整数"]})
        org = Organization.objects.visible_to(request.user).filter(pk=org_id).first()
        if org is None:
            raise DomainError("单位不存在或不在您的范围内。", {"org": ["不在范围内"]})
    data = selectors.board(request.user, clock.today(), org=org)
    for key, name in (("by_org", "org"), ("by_handler", "handler"), ("by_officer", "officer"), ("by_item", "item")):
        for r in data[key]:
            obj = r.pop(name, None)
            r[f"{name}_name"] = str(obj) if obj is not None else ""
    data["by_org_rate"] = data["by_org_rate"]
    return Response(data)


__all__ = ["PermissionDenied"]
