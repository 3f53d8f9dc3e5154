import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .models import DocumentStatus, IssuedDocument


def status_badge(value):
    cls = "success" if value == DocumentStatus.ISSUED else "secondary"
    return format_html('<span class="badge text-bg-{}">{}</span>', cls, DocumentStatus(value).label)


class IssuedDocumentTable(tables.Table):
    doc_number = tables.Column("发文字号", linkify=("documents:detail", {"pk": tables.A("pk")}))
    title = tables.Column("标题")
    doc_type = tables.Column("文种")
    org = tables.Column("发文单位", order_by=("org__path",))
    created_at = tables.DateTimeColumn(verbose_name="印发时间", format="Y-m-d H:i")
    status = tables.Column("状态")
    files = tables.Column("下载", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = IssuedDocument
        fields = ("doc_number", "title", "doc_type", "org", "created_at", "status")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "document-table"}

    def render_status(self, value, record):
        return status_badge(record.status)

    def render_files(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-primary py-0" href="{}">Word</a> '
            '<a class="btn btn-sm btn-outline-danger py-0" href="{}">PDF</a>',
            reverse("documents:download", args=[record.pk, "docx"]),
            reverse("documents:download", args=[record.pk, "pdf"]))
