"""The docx follows GB/T 9704-2012; the pdf renders the same content."""

import datetime
import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from yifa.documents.content import Block, OfficialContent, attachment_lines, cc_line, chinese_date
from yifa.documents.rendering import render_docx, render_html, render_pdf

from .conftest import make_content

NUMBER = "清河司法审〔2026〕7号"


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def runs(document):
    return [(p, r) for p in document.paragraphs for r in p.runs]


def find_run(document, text):
    for p, r in runs(document):
        if text in r.text:
            return p, r
    raise AssertionError(f"no run containing {text!r}")


@pytest.fixture(scope="module")
def rendered():
    content = make_content(doc_number=NUMBER)
    return content, open_docx(render_docx(content))


def test_docx_page_is_a4_with_gb_margins(rendered):
    _, d = rendered
    s = d.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.1) and abs(s.page_height - Mm(297)) < Mm(0.1)
    for actual, mm in ((s.top_margin, 37), (s.bottom_margin, 35), (s.left_margin, 28), (s.right_margin, 26)):
        assert abs(actual - Mm(mm)) < Mm(0.1)
    assert abs((s.page_width - s.left_margin - s.right_margin) - Mm(156)) < Mm(0.2)  # 版心 width
    assert abs((s.page_height - s.top_margin - s.bottom_margin) - Mm(225)) < Mm(0.2)  # 版心 height


def test_docx_issuer_is_red_large_and_centered(rendered):
    content, d = rendered
    p, r = find_run(d, content.issuer)
    assert r.font.color.rgb in (RGBColor(0xC0, 0, 0), RGBColor(0xFF, 0, 0))
    assert Pt(26) <= r.font.size <= Pt(36)
    assert p.alignment == 1  # CENTER
    assert r._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_docx_number_then_red_rule(rendered):
    _, d = rendered
    p, _ = find_run(d, NUMBER)
    assert p.alignment == 1
    bottom = p._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")).upper() in ("C00000", "FF0000")


def test_docx_title_body_and_headings(rendered):
    content, d = rendered
    _, title = find_run(d, "合法性审查意见书")
    assert title.font.size == Pt(22) and title.font.bold
    p, body = find_run(d, "你局报送的")
    assert body.font.size == Pt(16)
    assert body._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert p.paragraph_format.first_line_indent == Pt(32)  # two characters
    assert p.paragraph_format.line_spacing_rule == 4  # EXACTLY
    assert Pt(28) <= p.paragraph_format.line_spacing <= Pt(29)
    _, h1 = find_run(d, "一、关于制定主体")
    assert h1._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体" and h1.font.size == Pt(16)
    _, h2 = find_run(d, "（一）具体条款")
    assert h2._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    find_run(d, "1.第三条")
    assert d.paragraphs[[p.text for p in d.paragraphs].index("县城市管理局：")]


def test_docx_table_attachments_signature_date_and_cc(rendered):
    _, d = rendered
    assert len(d.tables) == 1
    table = d.tables[0]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["条款", "问题", "建议"]
    texts = [p.text for p in d.paragraphs]
    assert "附件：1.审查意见明细表" in texts and "2.相关法律依据" in texts
    sig = d.paragraphs[texts.index("清河县司法局")]
    date = d.paragraphs[texts.index("2026年11月28日")]
    assert sig.alignment == date.alignment == 2  # RIGHT
    assert texts.index("清河县司法局") < texts.index("2026年11月28日") < texts.index("抄送：县人民政府办公室，县人大常委会法工委。")
    assert texts[-1].startswith("抄送：")


def test_docx_footer_has_page_field(rendered):
    _, d = rendered
    footer = d.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
    assert footer.runs[0].font.size == Pt(14)


def test_docx_core_properties(rendered):
    content, d = rendered
    assert d.core_properties.title == content.title
    assert d.core_properties.subject == NUMBER


def test_docx_is_a_valid_zip_with_word_document():
    data = render_docx(make_content(doc_number=NUMBER))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        assert "word/document.xml" in z.namelist()


def test_plain_document_has_no_red_header():
    d = open_docx(render_docx(make_content(issuer_red=False, doc_number=NUMBER, issuer="清河县人民政府")))
    reds = [r for _, r in runs(d) if r.font.color is not None and r.font.color.type is not None]
    assert not reds
    assert "清河县人民政府" not in [p.text for p in d.paragraphs[:2]]
    assert d.paragraphs[0].text == NUMBER and d.paragraphs[0].alignment == 2


def test_secrecy_and_urgency_precede_the_issuer():
    d = open_docx(render_docx(make_content(secrecy="内部", urgency="特急", doc_number=NUMBER)))
    assert [p.text for p in d.paragraphs[:3]] == ["内部", "特急", "清河县司法局文件"]


def test_long_issuer_gets_a_smaller_size():
    d = open_docx(render_docx(make_content(issuer="清河县人民政府办公室关于行政执法监督文件", doc_number=NUMBER)))
    _, r = find_run(d, "清河县人民政府办公室")
    assert r.font.size == Pt(26)


def pdf_texts(html: str) -> str:
    from weasyprint import HTML

    document = HTML(string=html).render()
    out = []

    def walk(box):
        if getattr(box, "text", None):
            out.append(box.text)
        for child in getattr(box, "children", None) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return "".join(out), len(document.pages)


def test_pdf_is_a_pdf_with_the_content():
    content = make_content(doc_number=NUMBER)
    data = render_pdf(content)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    text, pages = pdf_texts(render_html(content))
    assert pages >= 1
    for expected in ("清河县司法局文件", NUMBER, "合法性审查意见书", "县城市管理局：", "一、关于制定主体和权限",
                     "2026年11月28日", "抄送：县人民政府办公室", "附件：1.审查意见明细表", "— 1 —"):
        assert expected in text, expected


def test_pdf_html_uses_the_gb_page():
    html = render_html(make_content(doc_number=NUMBER))
    assert "size: A4" in html and "margin: 37mm 26mm 35mm 28mm" in html
    assert "counter(page)" in html and "#C00000" in html
    assert '"Noto Serif CJK SC"' in html and '"Noto Sans CJK SC"' in html


def test_content_round_trips_through_json():
    content = make_content(doc_number=NUMBER, secrecy="内部")
    again = OfficialContent.from_dict(content.to_dict())
    assert again == content
    assert again.to_dict() == content.to_dict()
    assert render_html(again) == render_html(content)


def test_body_accepts_strings_and_dicts():
    c = OfficialContent(issuer="X", title="T", body=["段落", {"kind": "heading1", "text": "一、标题"}])
    assert c.body == [Block("paragraph", "段落"), Block("heading1", "一、标题")]
    assert c.cc == [] and c.attachments == []


def test_formatting_helpers():
    assert chinese_date(datetime.date(2026, 1, 5)) == "2026年1月5日"
    assert attachment_lines(["甲"]) == ["附件：甲"]
    assert attachment_lines(["甲", "乙"]) == ["附件：1.甲", "2.乙"]
    assert cc_line(["县政府办", "县人大。"]) == "抄送：县政府办，县人大。"
    assert cc_line([]) == ""


def test_content_problems():
    assert OfficialContent(issuer="X", title="T", body=[Block("table", rows=[])]).problems() == {
        "body": "正文第 1 段：表格缺少行数据"}
    assert "body" in OfficialContent(issuer="X", title="T", body=[Block("poem", "x")]).problems()
