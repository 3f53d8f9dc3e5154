"""The 错案问责建议书 says the trigger once, does not wrap a bracketed case number in
another pair of brackets, and writes dates as GB/T 9704 does."""

from datetime import date

from yifa.accountability import services
from yifa.accountability.models import WrongCase
from yifa.documents.content import OfficialContent
from yifa.documents.rendering import render_html

from .test_services import _do_backtrack


def test_recommendation_html_has_no_doubled_label_or_brackets(world, lost):
    wc = WrongCase.objects.get(litigation=lost)
    assert wc.title.startswith("行政诉讼败诉：")  # the title carries the trigger already
    _do_backtrack(world, wc)
    rec = services.issue_recommendation(actor=world.supervisor, wrong_case=wc, authority="测试县市场监督管理局党组",
                                        feedback_due=date(2025, 10, 1), on=date(2025, 9, 1))
    html = render_html(OfficialContent.from_dict(rec.document.content))
    assert "行政诉讼败诉：行政诉讼败诉：" not in html
    assert html.count("行政诉讼败诉：") == 1
    assert "（（" not in html and "））" not in html
    assert "（2025）测0102行初5号判决书" in html
    assert "于2025年10月1日前" in html and "2025年9月1日" in html
    assert "年0" not in html and "月0" not in html
