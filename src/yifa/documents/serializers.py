from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import IssuedDocument


class IssuedDocumentSerializer(serializers.ModelSerializer):
    doc_type_name = serializers.CharField(read_only=True, help_text="文种名称")
    docx_url = serializers.SerializerMethodField(help_text="Word 文件下载地址（校验 SM3 后提供）")
    pdf_url = serializers.SerializerMethodField(help_text="PDF 文件下载地址（校验 SM3 后提供）")
    date = serializers.SerializerMethodField(help_text="成文日期")

    class Meta:
        model = IssuedDocument
        fields = ["id", "org", "doc_type", "doc_type_name", "doc_number", "year", "serial", "title", "date",
                  "owner_type", "owner_id", "status", "void_reason", "voided_at", "created_by", "created_at",
                  "version", "docx_url", "pdf_url", "docx_sm3", "pdf_sm3"]

    def _url(self, obj, fmt):
        url = reverse(f"document-issued-{fmt}", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(OpenApiTypes.URI)
    def get_docx_url(self, obj):
        return self._url(obj, "docx")

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, obj):
        return self._url(obj, "pdf")

    @extend_schema_field(OpenApiTypes.DATE)
    def get_date(self, obj):
        return (obj.content or {}).get("date")


class IssuedDocumentDetailSerializer(IssuedDocumentSerializer):
    content = serializers.JSONField(read_only=True, help_text="OfficialContent：发文机关、标题、正文段落等")

    class Meta(IssuedDocumentSerializer.Meta):
        fields = IssuedDocumentSerializer.Meta.fields + ["content"]
