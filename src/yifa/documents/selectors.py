"""Every read of the documents app, already scoped."""

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
