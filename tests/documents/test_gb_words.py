"""Documents write dates as GB/T 9704 does, say a label once, and set the PDF body in the
packaged 仿宋-style face; 署名 and 成文日期 stay together."""

import datetime
import io
import re
import shutil
import subprocess

import docx
import pytest
from django.template import Context, Template

from yifa.documents.content import labelled
from yifa.documents.rendering import render_docx, render_html
from yifa.documents.templatetags.document_tags import gb_date

from .conftest import make_content


def test_gb_date_filter_has_no_leading_zeros():
    assert gb_date(datetime.date(2027, 1, 4)) == "2027年1月4日"
    assert gb_date(datetime.datetime(2026, 10, 5, 9, 30)) == "2026年10月5日"
    assert gb_date("2027-01-04") == "2027年1月4日"
    assert gb_date(None) == "" and gb_date("") == "" and gb_date("不是日期") == ""


def test_gb_date_filter_is_available_to_templates():
    t = Template("{% load document_tags %}{{ d|gb_date }}")
    assert t.render(Context({"d": datetime.date(2027, 1, 4)})) == "2027年1月4日"


def test_official_document_prints_the_gb_date():
    html = render_html(make_content(date=datetime.date(2027, 1, 4)))
    assert "2027年1月4日" in html and "2027年01月04日" not in html


def test_labelled_says_the_label_once():
    assert labelled("行政诉讼败诉", "行政诉讼败诉：（2026）鲁0102行初5号") == "行政诉讼败诉：（2026）鲁0102行初5号"
    assert labelled("行政诉讼败诉", "（2026）鲁0102行初5号") == "行政诉讼败诉：（2026）鲁0102行初5号"
    assert labelled("行政诉讼败诉：", "行政诉讼败诉: 某案") == "行政诉讼败诉：某案"


def _css_rule(html, selector):
    m = re.search(r"(?m)^\s*" + re.escape(selector) + r"\s*\{([^}]*)\}", html)
    assert m, f"no CSS rule for {selector}"
    return m.group(1)


def test_pdf_body_font_stack_puts_the_fangsong_style_face_before_noto():
    rule = _css_rule(render_html(make_content()), "html")
    stack = [f.strip().strip('"') for f in re.search(r"font-family:([^;]+);", rule).group(1).split(",")]
    assert "AR PL UKai CN" in stack and "Noto Serif CJK SC" in stack
    assert stack.index("AR PL UKai CN") < stack.index("Noto Serif CJK SC")
    # the GB 仿宋 faces come first when a server has them; nothing else precedes the packaged face
    assert set(stack[: stack.index("AR PL UKai CN")]) <= {"仿宋_GB2312", "仿宋", "FangSong"}


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig is not installed")
def test_pdf_body_is_set_in_the_packaged_fangsong_style_face():
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    if "AR PL UKai CN" not in families:
        pytest.fail("Debian package fonts-arphic-ukai is missing (scripts/system-deps.sh installs it)")
    from weasyprint import HTML

    document = HTML(string=render_html(make_content())).render()
    document.write_pdf()
    used = {f.family for f in document.fonts.values()}
    assert "AR PL UKai CN" in used


def test_signature_and_date_are_kept_together():
    html = render_html(make_content())
    assert "break-inside: avoid" in _css_rule(html, ".sign")
    assert re.search(r'<div class="sign"><p>清河县司法局</p><p>2026年11月28日</p></div>', html)
    d = docx.Document(io.BytesIO(render_docx(make_content())))
    sign = next(p for p in d.paragraphs if p.text == "清河县司法局")
    date = next(p for p in d.paragraphs if p.text == "2026年11月28日")
    assert sign.paragraph_format.keep_with_next and date.paragraph_format.keep_together
