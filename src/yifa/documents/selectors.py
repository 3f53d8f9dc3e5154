"""Every read of the documents app, already scoped."""

from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError

from yifa.audit.hashing import sm3_hex
from yifa.core.errors import DomainError

from .models import IssuedDocument, media_path


def documents_visible_to(user):
    return IssuedDocument.objects.visible_to(user).select_related("org", "created_by")


def documents_of(owner, *, user=None):
    """The documents issued for one business record (newest first); scoped when `user` is given."""
    if isinstance(owner, tuple):
        owner_type, owner_id = str(owner[0]), str(owner[1])
    else:
        owner_type, owner_id = owner._meta.label_lower, str(owner.pk)
    qs = documents_visible_to(user) if user is not None else IssuedDocument.objects.select_related("org")
    return qs.filter(owner_type=owner_type, owner_id=owner_id)


def document_years(user) -> list[int]:
    return list(IssuedDocument.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct())


class FileIntegrityError(DomainError):
    """A stored file is missing or its SM3 no longer matches: it is not served (HTTP 409)."""

    status = 409
    code = "file_integrity"


def verified_file(document, fmt: str) -> bytes:
    """The bytes of the document's "docx" or "pdf" file, after checking them against the
    SM3 stored at issue. Raises FileIntegrityError when the file is gone or altered."""
    relative, expected = document.file_info(fmt)
    try:
        data = media_path(relative).read_bytes()
    except (OSError, ValueError) as exc:
        raise FileIntegrityError(f"公文文件缺失（{document.doc_number} {fmt}），请联系系统管理员。",
                                 fields={"file": "missing"}) from exc
    if sm3_hex(data) != expected:
        raise FileIntegrityError(f"公文文件校验失败（{document.doc_number} {fmt}）：文件与印发时的 SM3 摘要不符，"
                                 "可能已被篡改，系统拒绝提供下载。请联系系统管理员。", fields={"file": "tampered"})
    return data


@dataclass
class FileCheck:
    checked: int = 0
    problems: list[tuple[IssuedDocument, str, str]] = field(default_factory=list)  # (document, fmt, problem)
    orphans: list[str] = field(default_factory=list)  # files under documents/ no row refers to

    @property
    def ok(self) -> bool:
        return not self.problems


def check_files(*, chunk_size: int = 500) -> FileCheck:
    """Verify every issued document's files against their stored SM3 and list the files
    under MEDIA_ROOT/documents that no document refers to (left by a rolled-back caller)."""
    result = FileCheck()
    known = set()
    qs = IssuedDocument.objects.only("id", "doc_number", "title", "docx_file", "docx_sm3", "pdf_file", "pdf_sm3")
    for doc in qs.order_by("id").iterator(chunk_size=chunk_size):
        for fmt in ("docx", "pdf"):
            known.add(doc.file_info(fmt)[0])
            try:
                verified_file(doc, fmt)
            except FileIntegrityError as exc:
                result.problems.append((doc, fmt, exc.fields.get("file", "")))
            result.checked += 1
    root = Path(settings.MEDIA_ROOT)
    base = root / "documents"
    if base.exists():
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.relative_to(root).as_posix() not in known:
                result.orphans.append(path.relative_to(root).as_posix())
    return result


def owner_of(document, user):
    """(label, url) of the record a document belongs to, when that record is scoped,
    visible to `user` and has a page; else None."""
    try:
        model = apps.get_model(document.owner_type)
    except (LookupError, ValueError):
        return None
    manager = model._default_manager
    if not hasattr(manager, "visible_to"):
        return None
    try:
        obj = manager.visible_to(user).filter(pk=document.owner_id).first()
    except (ValueError, TypeError, ValidationError):
        return None
    if obj is None or not hasattr(obj, "get_absolute_url"):
        return None
    return str(obj), obj.get_absolute_url()
