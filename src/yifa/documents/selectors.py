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
    if not document.has_files:
        raise NoStoredFile(f"{document.doc_number} 为登记的系统外公文，系统中没有电子文件。", fields={"file": "none"})
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


class NoStoredFile(DomainError):
    """A registered (登记) document has no stored files to serve (HTTP 404)."""

    status = 404
    code = "no_file"


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
    for doc in qs.exclude(docx_file="").order_by("id").iterator(chunk_size=chunk_size):
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


# --- numbering ---------------------------------------------------------------------------------------

def numbered_models():
    """Every model that shows the 文号 of an issued document (declares `numbered_by`)."""
    return [m for m in apps.get_models() if getattr(m, "numbered_by", None) is not None]


@dataclass
class NumberCheck:
    # (unit id, unit name, number) → the holders: "公文 #id" or "<model> #pk"
    duplicates: list[tuple[int, str, str, list[str]]] = field(default_factory=list)
    unbacked: list[str] = field(default_factory=list)    # a number with no issued document behind it
    mismatched: list[str] = field(default_factory=list)  # a copy that differs from its document's number
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not (self.duplicates or self.unbacked or self.mismatched)


def check_numbers(*, chunk_size: int = 2000) -> NumberCheck:
    """Every 文号 in the database, per issuing unit: issued documents and the number copies
    on business records. A number held by two different documents (or by a record without a
    document and anything else) is a duplicate; the database refuses both since the
    numbering authority, so this finds what came before it or bypassed it."""
    from yifa.orgs.models import Organization

    result = NumberCheck()
    holders: dict[tuple[int, str], set[str]] = {}
    doc_numbers: dict[int, tuple[int, str]] = {}
    for pk, org_id, number in IssuedDocument.objects.order_by("id").values_list("id", "org_id", "doc_number").iterator(
            chunk_size=chunk_size):
        doc_numbers[pk] = (org_id, number)
        holders.setdefault((org_id, number), set()).add(f"公文 #{pk}")
        result.checked += 1
    for model in numbered_models():
        spec = model.numbered_by
        number_f = model._meta.get_field(spec.number).attname
        document_f = model._meta.get_field(spec.document).attname
        issuer_f = model._meta.get_field(spec.issuer).attname
        label = model._meta.verbose_name
        qs = model._base_manager.exclude(**{number_f: ""}).order_by("pk")
        for pk, number, doc_id, issuer_id, org_id in qs.values_list("pk", number_f, document_f, issuer_f,
                                                                     "org_id").iterator(chunk_size=chunk_size):
            result.checked += 1
            where = f"{label} #{pk}"
            if doc_id is None or doc_id not in doc_numbers:
                result.unbacked.append(f"{where}：{number}")
                holders.setdefault((issuer_id or org_id, number), set()).add(where)
            elif doc_numbers[doc_id][1] != number:
                result.mismatched.append(f"{where}：{number}（公文 #{doc_id} 为 {doc_numbers[doc_id][1]}）")
    dup = {key: sorted(v) for key, v in holders.items() if len(v) > 1}
    names = dict(Organization.objects.filter(pk__in={k[0] for k in dup}).values_list("pk", "name"))
    result.duplicates = [(org_id, names.get(org_id, str(org_id)), number, who)
                         for (org_id, number), who in sorted(dup.items(), key=lambda kv: (kv[0][0], kv[0][1]))]
    return result
