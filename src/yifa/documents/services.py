"""Every write of the documents app: keyword-only `actor`, atomic, audited.

Other apps call `issue_document(actor=…, org=…, doc_type=…, owner=…, content=…)` inside
(or outside) their own transaction; it takes the next 发文字号 of the unit for the type
and year, renders docx + pdf, stores both files with their SM3 hashes and audits
`document.issue`. `render_docx` / `render_pdf` render without issuing (previews).
"""

from __future__ import annotations

import copy
import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from yifa.core import clock
from yifa.audit.hashing import sm3_hex
from yifa.audit.services import record
from yifa.core.errors import DomainError
from yifa.core.scoping import is_visible
from yifa.orgs.models import Role

from .content import Block, OfficialContent
from .models import DocumentNumberPrefix, DocumentSequence, DocumentStatus, IssuedDocument, media_path
from .rendering import render_docx, render_pdf  # noqa: F401  (public API; looked up here at call time)
from .types import DOC_TYPES, DocType, default_prefix

__all__ = ["issue_document", "take_serials", "register_document", "void_document", "render_docx", "render_pdf", "number_prefix", "next_number_preview",
           "set_number_prefix", "VOID_ROLES"]

REGISTERED_NOTE = "本公文在系统外印发，此处仅登记文号，系统中没有电子文件。"

# Who may void an issued document of a unit in their scope.
VOID_ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.LEADER, Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER)


def _owner_key(owner) -> tuple[str, str]:
    if owner is None:
        raise DomainError("公文必须属于一条业务记录。", fields={"owner": "缺少所属记录。"})
    if isinstance(owner, tuple):
        return str(owner[0]), str(owner[1])
    if owner.pk is None:
        raise DomainError("所属记录尚未保存。", fields={"owner": "所属记录尚未保存。"})
    return owner._meta.label_lower, str(owner.pk)


def number_prefix(org, doc_type: DocType) -> str:
    """The 发文机关代字 for `org` and `doc_type`: the unit's override, else the default."""
    override = DocumentNumberPrefix.objects.filter(org=org, doc_type=doc_type.code).values_list("prefix", flat=True)
    return next(iter(override), None) or default_prefix(org, doc_type)


def _take_serial(org, year: int, doc_type: str) -> int:
    """Next 发文顺序号, with the sequence row locked until the transaction ends.

    The row is created in a savepoint first (a concurrent creator makes ours fail on the
    unique constraint, which is fine), then locked with SELECT … FOR UPDATE (PostgreSQL;
    SQLite runs every transaction with BEGIN IMMEDIATE, which serialises writers)."""
    if not DocumentSequence.objects.filter(org=org, year=year, doc_type=doc_type).exists():
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(org=org, year=year, doc_type=doc_type, last_number=0)
        except IntegrityError:
            pass
    seq = DocumentSequence.objects.select_for_update(of=("self",)).get(org=org, year=year, doc_type=doc_type)
    seq.last_number += 1
    seq.save(update_fields=["last_number"])
    return seq.last_number


def take_serials(*, org_id: int, year: int, series: str, count: int, seed=None) -> int:
    """Reserve `count` consecutive numbers of a unit's per-year series in one step and
    return the first; the sequence row stays locked until the caller's transaction ends.

    The same rows as the 发文字号 (`DocumentSequence`), so every numbered thing of a unit
    and year — documents, and number series such as the enforcement case numbers
    (`NUMBER_SERIES`) — is counted in one place. `seed()` gives the numbers already in use
    when the series' row is first created (numbers made before the series existed)."""
    if count <= 0:
        raise ValueError("count must be positive")
    if not DocumentSequence.objects.filter(org_id=org_id, year=year, doc_type=series).exists():
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(org_id=org_id, year=year, doc_type=series,
                                                last_number=int(seed()) if seed else 0)
        except IntegrityError:
            pass
    seq = DocumentSequence.objects.select_for_update(of=("self",)).get(org_id=org_id, year=year, doc_type=series)
    first = seq.last_number + 1
    DocumentSequence.objects.filter(pk=seq.pk).update(last_number=seq.last_number + count)
    return first


def next_number_preview(*, org, doc_type: str, year: int | None = None) -> str:
    """The number the next issue would get (for display only: it is not reserved)."""
    dtype = DOC_TYPES[doc_type]
    year = year or clock.today().year
    last = DocumentSequence.objects.filter(org=org, year=year, doc_type=doc_type).values_list(
        "last_number", flat=True).first() or 0
    return dtype.format_number(prefix=number_prefix(org, dtype), year=year, serial=last + 1)


def _validate(org, doc_type: str, content) -> DocType:
    errors = {}
    dtype = DOC_TYPES.get(doc_type)
    if dtype is None:
        errors["doc_type"] = f"未知的文种：{doc_type}"
    if org is None or getattr(org, "pk", None) is None:
        errors["org"] = "请指定发文单位。"
    if not isinstance(content, OfficialContent):
        errors["content"] = "公文内容格式不正确。"
    else:
        errors.update(content.problems())
        if len(content.title) > IssuedDocument._meta.get_field("title").max_length:
            errors["title"] = "公文标题过长。"
    if errors:
        raise DomainError("公文内容不完整，未印发：" + "；".join(errors.values()), fields=errors)
    return dtype


def _write(relative: str, data: bytes):
    path = media_path(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


@transaction.atomic
def issue_document(*, actor, org, doc_type: str, owner, content: OfficialContent) -> IssuedDocument:
    """Number, render, store and audit one official document of `org`.

    `owner` is the business record the document belongs to (a model instance, or an
    `(owner_type, owner_id)` tuple). `content.doc_number` is set here, and `content.date`
    (成文日期) defaults to today (Asia/Shanghai); both are written back to the caller's
    object only once the document is issued (the stored copy is `document.content`).
    All or nothing: if validation or rendering fails, no number is consumed, no file
    stays behind and nothing is audited. `actor=None` is a system issue."""
    dtype = _validate(org, doc_type, content)
    owner_type, owner_id = _owner_key(owner)
    given, content = content, copy.deepcopy(content)
    if content.date is None:
        content.date = clock.today()
    year = content.date.year

    serial = _take_serial(org, year, doc_type)
    number = dtype.format_number(prefix=number_prefix(org, dtype), year=year, serial=serial)
    if IssuedDocument.objects.filter(org=org, doc_number=number).exists():
        raise DomainError(f"发文字号“{number}”已被本单位其他文种使用，请为该文种设置不同的发文字号代字。",
                          fields={"doc_type": "发文字号代字与其他文种重复。"})
    content.doc_number = number

    docx_bytes = render_docx(content)
    pdf_bytes = render_pdf(content)

    stem = f"documents/{year}/{org.pk}/{doc_type}-{serial}-{uuid.uuid4().hex[:12]}"
    written = []
    try:
        for ext, data in (("docx", docx_bytes), ("pdf", pdf_bytes)):
            written.append(_write(f"{stem}.{ext}", data))
        doc = IssuedDocument.objects.create(
            org=org, doc_type=doc_type, doc_number=number, year=year, serial=serial,
            title=content.title.strip(), owner_type=owner_type, owner_id=owner_id, content=content.to_dict(),
            docx_file=f"{stem}.docx", docx_sm3=sm3_hex(docx_bytes),
            pdf_file=f"{stem}.pdf", pdf_sm3=sm3_hex(pdf_bytes),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        after = {"doc_number": number, "doc_type": doc_type, "title": doc.title, "owner_type": owner_type,
                 "owner_id": owner_id, "docx_sm3": doc.docx_sm3, "pdf_sm3": doc.pdf_sm3}
        record(actor, "document.issue", doc, after=after)
        if not isinstance(owner, tuple) and hasattr(owner, "_meta"):
            # The owner's timeline shows the document too.
            record(actor, "document.issue", owner, after={"document_id": doc.pk, "doc_number": number,
                                                          "title": doc.title})
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    given.doc_number, given.date = content.doc_number, content.date
    return doc


@transaction.atomic
def register_document(*, actor, org, doc_type: str, owner, title: str, date, note: str = "") -> IssuedDocument:
    """Register (登记) a document of `org` that was printed outside the platform — a paper
    letter of the years before it, or a demo record — with a number taken from the same
    per-unit sequence as `issue_document`, so the two can never hand out the same 文号.

    Nothing is rendered: the document has no stored files (`has_files` is False) and its
    page says so. `date` (成文日期) fixes the year of the number. Audited as
    `document.register`. Demo loaders use this for the bulk of their history, because
    rendering a PDF costs about half a second per document."""
    dtype = DOC_TYPES.get(doc_type)
    title = (title or "").strip()
    errors = {}
    if dtype is None:
        errors["doc_type"] = f"未知的文种：{doc_type}"
    if org is None or getattr(org, "pk", None) is None:
        errors["org"] = "请指定发文单位。"
    if not title:
        errors["title"] = "请填写公文标题。"
    elif len(title) > IssuedDocument._meta.get_field("title").max_length:
        errors["title"] = "公文标题过长。"
    if date is None:
        errors["date"] = "请填写成文日期。"
    if errors:
        raise DomainError("公文登记信息不完整：" + "；".join(errors.values()), fields=errors)
    owner_type, owner_id = _owner_key(owner)
    serial = _take_serial(org, date.year, doc_type)
    number = dtype.format_number(prefix=number_prefix(org, dtype), year=date.year, serial=serial)
    if IssuedDocument.objects.filter(org=org, doc_number=number).exists():
        raise DomainError(f"发文字号“{number}”已被本单位其他文种使用，请为该文种设置不同的发文字号代字。",
                          fields={"doc_type": "发文字号代字与其他文种重复。"})
    content = OfficialContent(issuer=org.name, title=title, signature=org.name, date=date, doc_number=number,
                              body=[Block("paragraph", note or REGISTERED_NOTE)]).to_dict()
    doc = IssuedDocument.objects.create(
        org=org, doc_type=doc_type, doc_number=number, year=date.year, serial=serial, title=title,
        owner_type=owner_type, owner_id=owner_id, content=content, docx_file="", docx_sm3="", pdf_file="",
        pdf_sm3="", created_by=actor if getattr(actor, "pk", None) else None)
    record(actor, "document.register", doc, after={"doc_number": number, "doc_type": doc_type, "title": title,
                                                   "owner_type": owner_type, "owner_id": owner_id})
    return doc


@transaction.atomic
def void_document(*, actor, document: IssuedDocument, reason: str) -> IssuedDocument:
    """Mark an issued document void (作废). Its number stays used: never handed out again."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写作废原因。", fields={"reason": "请填写作废原因。"})
    if actor is not None:
        if not is_visible(actor, document):
            raise PermissionDenied("该公文不在您的管理范围内。")
        if not actor.has_role(*VOID_ROLES):
            raise PermissionDenied("您没有作废公文的权限。")
    doc = IssuedDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
    if doc.status == DocumentStatus.VOID:
        raise DomainError("该公文已作废。")
    if document.version != doc.version:
        from yifa.core.errors import StaleVersion

        raise StaleVersion("该公文已被他人修改，请刷新后重试。")
    before = {"status": doc.status}
    doc.status = DocumentStatus.VOID
    doc.void_reason = reason
    doc.voided_at = timezone.now()
    doc.voided_by = actor if getattr(actor, "pk", None) else None
    doc.version += 1
    doc.save(update_fields=["status", "void_reason", "voided_at", "voided_by", "version"])
    record(actor, "document.void", doc, before=before, after={"status": doc.status}, reason=reason)
    document.__dict__.update({k: getattr(doc, k) for k in
                              ("status", "void_reason", "voided_at", "voided_by_id", "version")})
    return doc


@transaction.atomic
def set_number_prefix(*, actor, org, doc_type: str, prefix: str) -> DocumentNumberPrefix | None:
    """Set (or with an empty prefix, remove) a unit's 发文机关代字 for a document type."""
    if doc_type not in DOC_TYPES:
        raise DomainError(f"未知的文种：{doc_type}", fields={"doc_type": "未知的文种。"})
    if actor is not None and not (actor.has_role(Role.ADMIN) and is_visible(actor, org)):
        raise PermissionDenied("只有系统管理员可以设置发文字号代字。")
    prefix = (prefix or "").strip()
    existing = DocumentNumberPrefix.objects.filter(org=org, doc_type=doc_type).first()
    before = {"prefix": existing.prefix} if existing else None
    if not prefix:
        if existing:
            record(actor, "document.prefix_remove", existing, before=before)
            existing.delete()
        return None
    obj, _ = DocumentNumberPrefix.objects.update_or_create(org=org, doc_type=doc_type, defaults={"prefix": prefix})
    record(actor, "document.prefix_set", obj, before=before, after={"prefix": prefix})
    return obj


@transaction.atomic
def record_integrity_failure(*, actor, document: IssuedDocument, fmt: str, problem: str):
    """Audit a refused download of a missing or altered file (a security event)."""
    record(actor, "document.integrity_failure", document, after={"format": fmt, "problem": problem})
