"""An official document described independently of its format (docx / pdf).

Apps build an `OfficialContent` and hand it to `services.issue_document`; the content is
stored as JSON on the issued document (`to_dict` / `from_dict`) so it can be re-rendered
identically later.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

BLOCK_KINDS = ("heading1", "heading2", "paragraph", "table", "list")


@dataclass
class Block:
    """One body element: "heading1" (一、 黑体), "heading2" (（一） 楷体), "paragraph",
    "table" (`rows`: the first row is the header) or "list" (`items`)."""

    kind: str
    text: str = ""
    rows: list[list[str]] | None = None
    items: list[str] | None = None

    def to_dict(self) -> dict:
        data = {"kind": self.kind, "text": self.text}
        if self.rows is not None:
            data["rows"] = [[str(c) for c in row] for row in self.rows]
        if self.items is not None:
            data["items"] = [str(i) for i in self.items]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Block:
        return cls(kind=data.get("kind", "paragraph"), text=data.get("text", "") or "",
                   rows=data.get("rows"), items=data.get("items"))

    def problems(self) -> list[str]:
        if self.kind not in BLOCK_KINDS:
            return [f"未知的正文段落类型：{self.kind}"]
        if self.kind == "table":
            if not self.rows or not all(isinstance(r, (list, tuple)) for r in self.rows):
                return ["表格缺少行数据"]
        elif self.kind == "list":
            if not self.items:
                return ["列表缺少条目"]
        elif not (self.text or "").strip():
            return ["段落内容为空"]
        return []


def _as_block(value) -> Block:
    if isinstance(value, Block):
        return value
    if isinstance(value, str):
        return Block("paragraph", value)
    if isinstance(value, dict):
        return Block.from_dict(value)
    raise TypeError(f"not a body block: {value!r}")


@dataclass
class OfficialContent:
    """The elements of an official document (GB/T 9704-2012).

    `issuer` is the 发文机关标志 as printed (e.g. "清河县司法局文件" or "清河县司法局");
    `doc_number` is filled in by the service; `date` (成文日期) defaults to today.
    `issuer_red=False` gives a plain document without the red 版头 (e.g. a report).
    """

    issuer: str
    title: str
    body: list[Block]
    addressee: str = ""
    signature: str = ""
    date: datetime.date | None = None
    cc: list[str] = ()
    attachments: list[str] = ()
    issuer_red: bool = True
    doc_number: str = ""
    secrecy: str = ""
    urgency: str = ""

    def __post_init__(self):
        # Accept plain strings / dicts in the body for convenience; keep lists everywhere.
        self.body = [_as_block(b) for b in (self.body or [])]
        self.cc = [str(c) for c in (self.cc or ()) if str(c).strip()]
        self.attachments = [str(a) for a in (self.attachments or ()) if str(a).strip()]
        if isinstance(self.date, str) and self.date:
            self.date = datetime.date.fromisoformat(self.date)

    def to_dict(self) -> dict:
        return {
            "issuer": self.issuer,
            "title": self.title,
            "body": [b.to_dict() for b in self.body],
            "addressee": self.addressee,
            "signature": self.signature,
            "date": self.date.isoformat() if self.date else None,
            "cc": list(self.cc),
            "attachments": list(self.attachments),
            "issuer_red": bool(self.issuer_red),
            "doc_number": self.doc_number,
            "secrecy": self.secrecy,
            "urgency": self.urgency,
        }

    @classmethod
    def from_dict(cls, data: dict) -> OfficialContent:
        return cls(
            issuer=data.get("issuer", ""),
            title=data.get("title", ""),
            body=[Block.from_dict(b) for b in data.get("body") or []],
            addressee=data.get("addressee", "") or "",
            signature=data.get("signature", "") or "",
            date=datetime.date.fromisoformat(data["date"]) if data.get("date") else None,
            cc=data.get("cc") or [],
            attachments=data.get("attachments") or [],
            issuer_red=data.get("issuer_red", True),
            doc_number=data.get("doc_number", "") or "",
            secrecy=data.get("secrecy", "") or "",
            urgency=data.get("urgency", "") or "",
        )

    def problems(self) -> dict[str, str]:
        """Field → message for what makes this content unfit to issue (empty if fine)."""
        errors = {}
        if not (self.issuer or "").strip():
            errors["issuer"] = "请填写发文机关。"
        if not (self.title or "").strip():
            errors["title"] = "请填写公文标题。"
        if not self.body:
            errors["body"] = "公文正文不能为空。"
        else:
            for i, block in enumerate(self.body, start=1):
                msgs = block.problems()
                if msgs:
                    errors["body"] = f"正文第 {i} 段：{msgs[0]}"
                    break
        return errors


def chinese_date(day: datetime.date) -> str:
    """成文日期 per GB/T 9704-2012: Arabic numerals, no leading zeros: 2026年11月28日."""
    return f"{day.year}年{day.month}月{day.day}日"


def addressee_line(addressee: str) -> str:
    """主送机关 ends with a full-width colon."""
    text = (addressee or "").strip().rstrip(":：")
    return f"{text}：" if text else ""


def cc_line(cc) -> str:
    """版记 抄送: names separated by 、/，, ending with 。."""
    names = [c.strip().rstrip("，,。") for c in cc if c.strip()]
    return "抄送：" + "，".join(names) + "。" if names else ""


def attachment_lines(attachments) -> list[str]:
    """附件说明: "附件：name", or "附件：1.name" / "2.name" … when there are several."""
    items = [a.strip() for a in attachments if a.strip()]
    if len(items) == 1:
        return [f"附件：{items[0]}"]
    return [("附件：" if i == 1 else "") + f"{i}.{name}" for i, name in enumerate(items, start=1)]



def labelled(label: str, text: str) -> str:
    """“label：text” without doubling a label the text already starts with (a title such as
    “行政诉讼败诉：（2026）鲁0102行初5号” keeps one “行政诉讼败诉：”)."""
    label, text = (label or "").strip().rstrip("：:"), (text or "").strip()
    if not label:
        return text
    for sep in ("：", ":"):
        if text.startswith(label + sep):
            text = text[len(label) + 1:].lstrip()
            break
    return f"{label}：{text}" if text else label

