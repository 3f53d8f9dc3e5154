"""The 行政执法监督意见书 writes its dates as GB/T 9704 does (2025年10月1日, no leading zeros)."""

from datetime import date

import pytest

from yifa.documents.content import OfficialContent
from yifa.documents.rendering import render_html
from yifa.supervision import services

pytestmark = pytest.mark.django_db


def test_opinion_letter_dates_have_no_leading_zeros(world):
    finding = services.raise_finding(actor=world.supervisor, org=world.dept_a, category="publicity",
                                     description="未按规定公示行政处罚决定", on=date(2025, 8, 20))
    letter = services.issue_letter(actor=world.supervisor, findings=[finding], requirements="立即整改。",
                                   on=date(2025, 9, 1))
    due = letter.due
    assert due.day < 10 and not letter.due_provisional  # a day that a zero-padded format would pad
    html = render_html(OfficialContent.from_dict(letter.document.content))
    assert f"于{due.year}年{due.month}月{due.day}日前" in html and "2025年9月1日" in html
    assert "年0" not in html and "月0" not in html and "日日" not in html
