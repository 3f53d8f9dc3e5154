"""One upload validator for every uploaded file (evidence, attachments, drafts, imports).

`check_upload(upload, kinds=…, max_bytes=…)` accepts a file only when
- it is not empty and not larger than the limit;
- its name's extension belongs to one of the allowed kinds;
- its content, as detected from its bytes (puremagic's signature table), is that same kind
  — an executable named `.pdf`, a PDF named `.exe`, a PNG named `.html` are refused;
- the kind's own structure holds (a .docx is a zip with `word/document.xml`, an .mp4 starts
  with a sane `ftyp` box followed by an ISO media box, a .csv is text without NUL bytes);
- its first kilobytes carry no web page markup a browser could be talked into running
  (`<html`, `<script`, … behind an image or video header).
It returns the kind, the content type to store and serve, the size and the SM3 digest.
Refusals are `DomainError`s in Chinese naming the field."""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import DomainError
from .text import clean_text

HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    extensions: tuple[str, ...]
    content_type: str
    detected_as: tuple[str, ...] = ()  # puremagic extensions that mean this kind; () = no signature (text)
    structure: Callable[[object, bytes], str] | None = None  # returns a problem ('' when sound)


def _zip_member(required: str):
    def check(f, head: bytes) -> str:
        try:
            f.seek(0)
            with zipfile.ZipFile(f) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "文件已损坏，无法作为压缩文档打开"
        finally:
            f.seek(0)
        return "" if required in names else "文件内容与扩展名不符"

    return check


_ISO_BOXES = {b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"styp", b"pdin", b"meta", b"moof", b"sidx"}


def _mp4(f, head: bytes) -> str:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return "文件内容与扩展名不符"
    size = struct.unpack(">I", head[:4])[0]
    if size < 16 or size > 1024 or size % 4:
        return "视频文件头不完整"
    brand = head[8:12]
    if not re.fullmatch(rb"[0-9A-Za-z ]{4}", brand):
        return "视频文件头不完整"
    nxt = head[size + 4:size + 8]
    if len(head) >= size + 8 and nxt not in _ISO_BOXES:
        return "视频文件结构不完整"
    return ""


def _text(f, head: bytes) -> str:
    if b"\x00" in head:
        return "文本文件中含有二进制内容"
    for enc in ("utf-8-sig", "gb18030"):
        try:
            head.decode(enc)
            return ""
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the head
                return ""
    return "文本文件编码无法识别（应为 UTF-8 或 GBK）"


KINDS: dict[str, FileKind] = {k.code: k for k in [
    FileKind("pdf", "PDF", (".pdf",), "application/pdf", (".pdf",)),
    FileKind("jpeg", "JPEG 图片", (".jpg", ".jpeg"), "image/jpeg", (".jpg", ".jpeg", ".jfif", ".jpe")),
    FileKind("png", "PNG 图片", (".png",), "image/png", (".png",)),
    FileKind("docx", "Word 文档（.docx）", (".docx",),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",),
             _zip_member("word/document.xml")),
    FileKind("xlsx", "Excel 表格（.xlsx）", (".xlsx",),
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",),
             _zip_member("xl/workbook.xml")),
    FileKind("mp3", "MP3 录音", (".mp3",), "audio/mpeg", (".mp3",)),
    FileKind("wav", "WAV 录音", (".wav",), "audio/wav", (".wav",)),
    FileKind("mp4", "MP4 视频", (".mp4",), "video/mp4", (".mp4", ".m4v", ".mov"), _mp4),
    FileKind("csv", "CSV 表格", (".csv",), "text/csv", (), _text),
]}

# Groups the modules ask for
PHOTOS = ("jpeg", "png")
SCANS = PHOTOS + ("pdf",)
EVIDENCE = SCANS + ("docx",)
MEDIA = ("mp3", "wav", "mp4")
TABLES = ("xlsx", "csv")

# Markup a browser would render or run if it ever sniffed the file as a page
_MARKUP = re.compile(rb"<\s*(html|script|body|iframe|svg|object|embed|!doctype)\b", re.I)


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    name: str
    size: int
    sm3: str

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def labels(kinds: Iterable[str]) -> str:
    seen: list[str] = []
    for code in kinds:
        label = KINDS[code].label
        if label not in seen:
            seen.append(label)
    return "、".join(seen)


def safe_name(name: str | None, default: str = "file") -> str:
    """The file's own name without directories or control characters, at most 200 characters."""
    name = clean_text(os.path.basename((name or "").replace("\\", "/"))).strip()
    return (name or default)[-200:]


def _detected_extensions(head: bytes) -> set[str]:
    import puremagic

    try:
        return {m.extension.lower() for m in puremagic.magic_string(head)}
    except (puremagic.PureError, ValueError):
        return set()


def sm3_file(f) -> str:
    from yifa.audit.hashing import sm3_hex

    f.seek(0)
    try:
        h = hashlib.new("sm3")
    except ValueError:
        digest = sm3_hex(f.read())
        f.seek(0)
        return digest
    for chunk in iter(lambda: f.read(1024 * 1024), b""):
        h.update(chunk)
    f.seek(0)
    return h.hexdigest()


def check_upload(upload, *, kinds: Iterable[str], max_bytes: int, field: str = "file",
                 what: str = "文件") -> CheckedUpload:
    """Validate `upload` (a Django UploadedFile, or any file object with `.name` and
    `.size`/seekable content) against `kinds`; see the module docstring."""
    kinds = tuple(kinds)
    allowed = labels(kinds)
    if upload is None:
        raise DomainError(f"请选择{what}。", {field: [f"请选择{what}"]})
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if not size:
        raise DomainError(f"{what}是空文件。", {field: ["空文件"]})
    if size > max_bytes:
        limit = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB"
        raise DomainError(f"{what}超过大小限制（{limit}）。", {field: [f"{what}不能超过 {limit}"]})
    name = safe_name(getattr(upload, "name", ""))
    ext = os.path.splitext(name)[1].lower()
    kind = next((KINDS[c] for c in kinds if ext in KINDS[c].extensions), None)
    if kind is None:
        shown = f"扩展名“{ext}”" if ext else "没有扩展名的文件"
        raise DomainError(f"不允许的文件类型：{shown}不在允许范围内，仅接受{allowed}。",
                          {field: [f"仅接受{allowed}"]})
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if kind.detected_as:
        if not _detected_extensions(head) & set(kind.detected_as):
            raise DomainError(f"文件内容与扩展名不符：“{name}”的内容不是{kind.label}。",
                              {field: [f"内容不是{kind.label}"]})
    if kind.structure is not None:
        problem = kind.structure(upload, head)
        if problem:
            raise DomainError(f"{what}“{name}”无法接收：{problem}。", {field: [problem]})
    if kind.code != "csv" and _MARKUP.search(head[:4096]):
        raise DomainError(f"{what}“{name}”无法接收：文件中含有网页代码。", {field: ["文件中含有网页代码"]})
    return CheckedUpload(kind=kind, name=name, size=size, sm3=sm3_file(upload))


# --- tables (imports) -----------------------------------------------------------------------

IMPORT_MAX_BYTES = 50 * 1024 * 1024


def _cell(value):
    return clean_text(value) if isinstance(value, str) else value


def read_table(upload, *, field: str = "file", max_bytes: int = IMPORT_MAX_BYTES) -> list[dict]:
    """Rows of an .xlsx or .csv upload as dicts keyed by the header row, checked like any
    upload first (extension and content agree) and with control characters removed from
    every cell."""
    from openpyxl import load_workbook

    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".xls"):
        raise DomainError("不支持 .xls 旧格式，请另存为 .xlsx 或 .csv。", {field: ["格式不支持"]})
    checked = check_upload(upload, kinds=TABLES, max_bytes=max_bytes, field=field, what="导入文件")
    upload.seek(0)
    if checked.kind.code == "xlsx":
        try:
            wb = load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 — any unreadable workbook is the user's input error
            raise DomainError("无法读取该 Excel 文件。", {field: ["文件已损坏或不是有效的 xlsx"]}) from exc
        try:
            it = wb.worksheets[0].iter_rows(values_only=True)
            header = [clean_text(str(h)).strip() if h is not None else "" for h in next(it, [])]
            return [dict(zip(header, (_cell(c) for c in r), strict=False)) for r in it
                    if any(c not in (None, "") for c in r)]
        finally:
            wb.close()
    raw = upload.read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = clean_text(raw.decode(enc))
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError("无法识别文件编码（应为 UTF-8 或 GB18030）。", {field: ["编码错误"]})
    import csv

    reader = csv.DictReader(io.StringIO(text))
    return [{(k or "").strip(): v for k, v in r.items()} for r in reader
            if any((v or "").strip() for v in r.values() if isinstance(v, str))]
