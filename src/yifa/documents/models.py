"""Issued official documents and the per-unit, per-year number sequences."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from yifa.core.scoping import ScopedManager

from .types import DOC_TYPE_CHOICES, doc_type_name


class DocumentSequence(models.Model):
    """The last 发文顺序号 used by a unit for a document type in a year. Rows are locked
    (select_for_update) while a number is taken, so two issues never share a number;
    the counter only grows, so a voided number is never handed out again."""

    org = models.ForeignKey("orgs.Organization", verbose_name="发文单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    doc_type = models.CharField("文种", max_length=64, choices=DOC_TYPE_CHOICES)
    last_number = models.PositiveIntegerField("已用至", default=0)

    objects = ScopedManager()
    # derived data, not a record of an act: no state in audit rows (a counter advanced by every issued document (the documents are audited))
    audit_tracks_state = False

    class Meta:
        verbose_name = "发文序号"
        verbose_name_plural = "发文序号"
        constraints = [models.UniqueConstraint(fields=["org", "year", "doc_type"], name="document_sequence_unique")]

    def __str__(self):
        return f"{self.org} {self.year} {doc_type_name(self.doc_type)}：{self.last_number}"


class DocumentNumberPrefix(models.Model):
    """A unit's own 发文机关代字 for a document type (e.g. 清河司法审), overriding the
    default derived from the unit's short name."""

    org = models.ForeignKey("orgs.Organization", verbose_name="发文单位", on_delete=models.CASCADE, related_name="+")
    doc_type = models.CharField("文种", max_length=64, choices=DOC_TYPE_CHOICES)
    prefix = models.CharField("发文字号代字", max_length=40, help_text="如：清河司法审（不含年份和序号）")

    objects = ScopedManager()

    class Meta:
        verbose_name = "发文字号代字"
        verbose_name_plural = "发文字号代字"
        constraints = [models.UniqueConstraint(fields=["org", "doc_type"], name="document_prefix_unique")]

    def __str__(self):
        return f"{self.org} {doc_type_name(self.doc_type)}：{self.prefix}"


class DocumentStatus(models.TextChoices):
    ISSUED = "issued", "已印发"
    VOID = "void", "已作废"


class IssuedDocument(models.Model):
    org = models.ForeignKey("orgs.Organization", verbose_name="发文单位", on_delete=models.PROTECT,
                            related_name="issued_documents")
    doc_type = models.CharField("文种", max_length=64, choices=DOC_TYPE_CHOICES)
    doc_number = models.CharField("发文字号", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("顺序号")
    title = models.CharField("标题", max_length=300)
    owner_type = models.CharField("所属记录类型", max_length=100)
    owner_id = models.CharField("所属记录编号", max_length=64)
    content = models.JSONField("内容", help_text="OfficialContent.to_dict()：可据此重新生成同样的公文")
    docx_file = models.CharField("Word 文件", max_length=255, help_text="相对 MEDIA_ROOT 的路径")
    docx_sm3 = models.CharField("Word 文件 SM3", max_length=64)
    pdf_file = models.CharField("PDF 文件", max_length=255, help_text="相对 MEDIA_ROOT 的路径")
    pdf_sm3 = models.CharField("PDF 文件 SM3", max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="印发人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("印发时间", default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    status = models.CharField("状态", max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.ISSUED)
    void_reason = models.TextField("作废原因", blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="作废人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = "公文"
        verbose_name_plural = "公文"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "doc_number"], name="document_number_unique"),
            models.UniqueConstraint(fields=["org", "doc_type", "year", "serial"], name="document_serial_unique"),
        ]
        indexes = [
            models.Index(fields=["owner_type", "owner_id"], name="document_owner"),
            models.Index(fields=["doc_type", "year"], name="document_type_year"),
            models.Index(fields=["-created_at", "-id"], name="document_created"),
        ]

    def __str__(self):
        return f"{self.doc_number} {self.title}"

    @property
    def doc_type_name(self) -> str:
        return doc_type_name(self.doc_type)

    @property
    def has_files(self) -> bool:
        """False for a registered (登记) document: printed outside the platform, no stored files."""
        return bool(self.docx_file)

    @property
    def is_void(self) -> bool:
        return self.status == DocumentStatus.VOID

    def file_info(self, fmt: str) -> tuple[str, str]:
        """(relative path, stored SM3) of the "docx" or "pdf" file."""
        if fmt == "docx":
            return self.docx_file, self.docx_sm3
        if fmt == "pdf":
            return self.pdf_file, self.pdf_sm3
        raise ValueError(fmt)

    def file_path(self, fmt: str) -> Path:
        return media_path(self.file_info(fmt)[0])

    def download_name(self, fmt: str) -> str:
        return f"{self.doc_number} {self.title}.{fmt}"


def media_path(relative: str) -> Path:
    """The absolute path of a stored file, refusing anything outside MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError(f"path outside MEDIA_ROOT: {relative}")
    return path
