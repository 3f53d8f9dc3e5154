"""Rendering an `OfficialContent` to docx (python-docx) and pdf (WeasyPrint).

Layout per GB/T 9704-2012 《党政机关公文格式》:
- A4 210×297 mm; margins top 37, bottom 35, left 28, right 26 mm (版心 156×225 mm);
  22 lines per page, fixed line pitch ≈ 28.95 pt;
- 发文机关标志 red (小标宋), centered, its top 35 mm below the 版心 top; 发文字号 two lines
  below, centered; a red rule the width of the 版心 4 mm under it;
- title 2号 (22 pt) 小标宋 centered, two lines below the rule; 主送机关 flush left
  with a full-width colon; body 3号 (16 pt) 仿宋 with a two-character first-line
  indent; level-1 headings 黑体, level-2 楷体;
- 附件说明, 署名 and 成文日期 (right, "2026年11月28日"), 版记 (抄送) between rules;
- page numbers "— 1 —" in 4号 (14 pt) 宋体 in the footer.

Fonts: the GB fonts (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体) are named in the docx
(Word on a government PC has them). The PDF uses them when the server has them; otherwise
the body is set in AR PL UKai CN (Debian fonts-arphic-ukai — Debian packages no 仿宋 that
covers simplified Chinese: cwTeX 仿宋 is Big5 only), headings in Noto Serif / Sans CJK SC.
"""

from __future__ import annotations

import io
import re

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .content import OfficialContent, addressee_line, attachment_lines, cc_line, chinese_date

RED = RGBColor(0xC0, 0x00, 0x00)
RED_HEX = "C00000"

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
FOOTER_SIZE = Pt(14)  # 4号
CHAR = BODY_SIZE  # one full-width character of body text

FONT_FANGSONG = "仿宋_GB2312"
FONT_HEITI = "黑体"
FONT_KAITI = "楷体_GB2312"
FONT_XBS = "方正小标宋简体"
FONT_SONG = "宋体"
FONT_LATIN = "Times New Roman"

_NUMBERED = re.compile(r"^\s*(\d+[.．、]|（\d+）|\(\d+\)|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def issuer_size(issuer: str) -> Pt:
    """发文机关标志 size: large for a short name, smaller so a long one fits one line."""
    n = len(issuer)
    if n <= 8:
        return Pt(36)
    if n <= 11:
        return Pt(30)
    return Pt(26)


def list_item_text(index: int, item: str) -> str:
    """List items are numbered 1. 2. … unless they carry their own number."""
    return item if _NUMBERED.match(item) else f"{index}.{item}"


# --- docx ---------------------------------------------------------------------------

def _set_run_font(run, east_asia: str, size, *, bold=False, color=None, latin: str = FONT_LATIN):
    font = run.font
    font.name = latin
    font.size = size
    font.bold = bold
    if color is not None:
        font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def _paragraph(doc_or_cell, text="", *, font=FONT_FANGSONG, size=BODY_SIZE, bold=False, color=None,
               align=None, first_line_chars: int | None = 2, left_indent=None, right_indent=None,
               space_before=None, space_after=None, exact_line=True):
    p = doc_or_cell.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    if exact_line:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = space_before if space_before is not None else Pt(0)
    fmt.space_after = space_after if space_after is not None else Pt(0)
    if first_line_chars:
        fmt.first_line_indent = Pt(size.pt * first_line_chars)
        ind = p._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    else:
        fmt.first_line_indent = Pt(0)
    if left_indent is not None:
        fmt.left_indent = left_indent
    if right_indent is not None:
        fmt.right_indent = right_indent
    if text:
        _set_run_font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _border(paragraph, edge: str, *, color: str, size_eighths: int, space_pt: int = 1):
    ppr = paragraph._p.get_or_add_pPr()
    pbdr = ppr.find(qn("w:pBdr"))
    if pbdr is None:
        pbdr = OxmlElement("w:pBdr")
        # w:pBdr must come before w:spacing / w:ind / w:jc in pPr.
        anchor = None
        for tag in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"):
            anchor = ppr.find(qn(tag))
            if anchor is not None:
                break
        if anchor is not None:
            anchor.addprevious(pbdr)
        else:
            ppr.append(pbdr)
    el = OxmlElement(f"w:{edge}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), str(space_pt))
    el.set(qn("w:color"), color)
    order = ["top", "left", "bottom", "right"]
    for existing in list(pbdr):
        if order.index(existing.tag.split("}")[1]) > order.index(edge):
            existing.addprevious(el)
            break
    else:
        pbdr.append(el)


def _page_number_footer(footer):
    """"— n —" with a PAGE field, centered, 4号 宋体."""
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)

    def run(text=None):
        r = p.add_run(text or "")
        _set_run_font(r, FONT_SONG, FOOTER_SIZE, latin=FONT_SONG)
        return r

    run("— ")
    begin = run()._r
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "begin")
    begin.append(fld)
    instr_run = run()._r
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instr_run.append(instr)
    sep = run()._r
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "separate")
    sep.append(fld)
    run("1")
    end = run()._r
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end.append(fld)
    run(" —")


def _setup_section(doc):
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    # 页码一字线上距版心下边缘 7 mm: the footer sits in the bottom margin.
    section.footer_distance = Mm(35 - 7 - 5)
    section.header_distance = Mm(15)
    # Document grid: 22 lines per page, 28 characters per line.
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(round(LINE_PITCH.pt * 20))))
    grid.set(qn("w:charSpace"), "0")
    _page_number_footer(section.footer)


def _setup_styles(doc):
    normal = doc.styles["Normal"]
    normal.font.name = FONT_LATIN
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), FONT_FANGSONG)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.widow_control = False


def _table(doc, rows):
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=0, cols=width)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, row in enumerate(rows):
        cells = table.add_row().cells
        for j in range(width):
            cell = cells[j]
            text = str(row[j]) if j < len(row) else ""
            p = cell.paragraphs[0]
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else None
            if text:
                _set_run_font(p.add_run(text), FONT_HEITI if i == 0 else FONT_FANGSONG, Pt(14))
    return table


def render_docx(content: OfficialContent) -> bytes:
    """The document as a .docx (GB/T 9704-2012 layout)."""
    doc = Document()
    _setup_styles(doc)
    _setup_section(doc)
    body = doc.paragraphs[0]._p if doc.paragraphs else None  # python-docx's template has none
    if body is not None:
        body.getparent().remove(body)

    lines_above = 0
    for marker in (content.secrecy, content.urgency):
        if marker:
            _paragraph(doc, marker, font=FONT_HEITI, first_line_chars=None)
            lines_above += 1

    if content.issuer_red:
        # 发文机关标志: top edge 35 mm below the 版心 top.
        gap = Mm(35).pt - lines_above * LINE_PITCH.pt
        _paragraph(doc, content.issuer, font=FONT_XBS, size=issuer_size(content.issuer), color=RED,
                   align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=None, exact_line=False,
                   space_before=Pt(max(gap, 0)))
        # 发文字号: two lines below, centered; the red rule 4 mm under it.
        number = _paragraph(doc, content.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=None,
                            space_before=Pt(2 * LINE_PITCH.pt))
        _border(number, "bottom", color=RED_HEX, size_eighths=12, space_pt=11)
        title_gap = Pt(2 * LINE_PITCH.pt)
    else:
        if content.doc_number:
            _paragraph(doc, content.doc_number, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line_chars=None)
        title_gap = Pt(LINE_PITCH.pt)

    title = _paragraph(doc, content.title, font=FONT_XBS, size=TITLE_SIZE, bold=True,
                       align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=None, space_before=title_gap,
                       space_after=Pt(LINE_PITCH.pt))
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.keep_with_next = True

    if content.addressee:
        _paragraph(doc, addressee_line(content.addressee), first_line_chars=None)

    for block in content.body:
        if block.kind == "heading1":
            _paragraph(doc, block.text, font=FONT_HEITI).paragraph_format.keep_with_next = True
        elif block.kind == "heading2":
            _paragraph(doc, block.text, font=FONT_KAITI).paragraph_format.keep_with_next = True
        elif block.kind == "table":
            _table(doc, block.rows or [[]])
        elif block.kind == "list":
            for i, item in enumerate(block.items or [], start=1):
                _paragraph(doc, list_item_text(i, item))
        else:
            for line in (block.text or "").splitlines() or [""]:
                if line.strip():
                    _paragraph(doc, line.strip())

    attachments = attachment_lines(content.attachments)
    for i, line in enumerate(attachments):
        # "附件：" at two characters in; further items aligned after the colon.
        _paragraph(doc, line, first_line_chars=None, left_indent=Pt(CHAR.pt * (2 if i == 0 else 5)),
                   space_before=Pt(LINE_PITCH.pt) if i == 0 else None)

    if content.signature or content.date:
        lines = [t for t in (content.signature, chinese_date(content.date) if content.date else "") if t]
        for i, text in enumerate(lines):
            # Two blank lines above the 署名 leave room for the seal; right, 4 characters in.
            p = _paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line_chars=None,
                           right_indent=Pt(CHAR.pt * 4),
                           space_before=Pt(2 * LINE_PITCH.pt) if i == 0 else None)
            # 署名 and 成文日期 stay on one page.
            p.paragraph_format.keep_with_next = i < len(lines) - 1
            p.paragraph_format.keep_together = True

    cc = cc_line(content.cc)
    if cc:
        p = _paragraph(doc, cc, size=Pt(14), first_line_chars=None, left_indent=Pt(14), right_indent=Pt(14),
                       space_before=Pt(2 * LINE_PITCH.pt))
        _border(p, "top", color="000000", size_eighths=8, space_pt=4)
        _border(p, "bottom", color="000000", size_eighths=8, space_pt=4)

    props = doc.core_properties
    props.title = content.title
    props.author = content.signature or content.issuer
    props.subject = content.doc_number
    props.keywords = ""
    props.comments = ""

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- pdf ----------------------------------------------------------------------------

def render_html(content: OfficialContent) -> str:
    """The HTML (documents/official.html) that WeasyPrint turns into the pdf."""
    body = []
    for block in content.body:
        item = {"kind": block.kind, "text": block.text}
        if block.kind == "table":
            rows = block.rows or [[]]
            width = max(len(r) for r in rows) if rows else 0
            item["header"] = [str(c) for c in rows[0]] + [""] * (width - len(rows[0])) if rows else []
            item["rows"] = [[str(c) for c in r] + [""] * (width - len(r)) for r in rows[1:]]
        elif block.kind == "list":
            item["items"] = [list_item_text(i, it) for i, it in enumerate(block.items or [], start=1)]
        elif block.kind == "paragraph":
            item["lines"] = [line.strip() for line in (block.text or "").splitlines() if line.strip()]
        body.append(item)
    return render_to_string("documents/official.html", {
        "c": content,
        "issuer_size": issuer_size(content.issuer).pt,
        "addressee": addressee_line(content.addressee),
        "body": body,
        "attachments": attachment_lines(content.attachments),
        "cc": cc_line(content.cc),
        "issuer_gap_mm": max(35 - (bool(content.secrecy) + bool(content.urgency)) * LINE_PITCH.mm, 0),
    })


def render_pdf(content: OfficialContent) -> bytes:
    """The document as a PDF (same data, same layout rules, via WeasyPrint)."""
    from weasyprint import HTML  # imported lazily: it loads fonts and native libraries

    return HTML(string=render_html(content), base_url=None).write_pdf()
