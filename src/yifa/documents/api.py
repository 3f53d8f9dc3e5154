import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action

from yifa.core.api import ScopedReadOnlyViewSet

from .models import DocumentStatus, IssuedDocument
from .selectors import NoStoredFile
from .serializers import IssuedDocumentDetailSerializer, IssuedDocumentSerializer
from .types import DOC_TYPE_CHOICES
from .views import file_response, verified_or_refused


class IssuedDocumentApiFilter(django_filters.FilterSet):
    doc_type = django_filters.ChoiceFilter(choices=DOC_TYPE_CHOICES)
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices)
    year = django_filters.NumberFilter()
    owner_type = django_filters.CharFilter()
    owner_id = django_filters.CharFilter()
    q = django_filters.CharFilter(method="filter_q", help_text="文号或标题包含")

    class Meta:
        model = IssuedDocument
        fields = ["org", "doc_type", "status", "year", "owner_type", "owner_id"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(doc_number__icontains=value) | Q(title__icontains=value)) if value else qs


_FILE_RESPONSES = {
    200: OpenApiResponse(OpenApiTypes.BINARY, description="文件（SM3 校验通过）"),
    404: OpenApiResponse(description="不存在或不在您的范围内"),
    409: OpenApiResponse(description="文件缺失或与印发时的 SM3 不符（疑被篡改），拒绝提供"),
}


class IssuedDocumentViewSet(ScopedReadOnlyViewSet):
    """已印发公文（仅限本单位及下级单位）。"""

    queryset = IssuedDocument.objects.all()
    serializer_class = IssuedDocumentSerializer
    filterset_class = IssuedDocumentApiFilter
    select_related = ("org",)

    def get_serializer_class(self):
        return IssuedDocumentDetailSerializer if self.action == "retrieve" else IssuedDocumentSerializer

    def _file(self, request, fmt):
        document = self.get_object()
        if not document.has_files:
            raise NoStoredFile(f"{document.doc_number} 为登记的系统外公文，系统中没有电子文件。", fields={"file": "none"})
        return file_response(document, fmt, verified_or_refused(request, document, fmt))

    @extend_schema(responses=_FILE_RESPONSES)
    @action(detail=True, methods=["get"], url_path="docx", url_name="docx")
    def docx(self, request, pk=None):
        """下载 Word 文件（先校验 SM3）。"""
        return self._file(request, "docx")

    @extend_schema(responses=_FILE_RESPONSES)
    @action(detail=True, methods=["get"], url_path="pdf", url_name="pdf")
    def pdf(self, request, pk=None):
        """下载 PDF 文件（先校验 SM3）。"""
        return self._file(request, "pdf")
