"""The view kit on the documents pages: the list's Excel export holds the visible rows
only (dates as dates, no download buttons), 作废 asks first, a refusal keeps the reason."""

from datetime import datetime

import pytest
from django.urls import reverse

from tests.xlsx import sheet_rows
from yifa.documents import services

pytestmark = pytest.mark.django_db


def test_export_is_scoped_with_dates(world, client_for):
    rows = sheet_rows(client_for(world.walker_a).get(reverse("documents:list") + "?export=xlsx"))
    header, data = rows[0], rows[1:]
    numbers = [r[header.index("发文字号")] for r in data]
    assert world.document_a.doc_number in numbers and world.document_b.doc_number not in numbers
    assert "下载" not in header  # buttons are not data
    assert isinstance(data[0][header.index("印发时间")], datetime)
    assert data[0][header.index("状态")] in ("已印发", "已作废")  # in words
    page = client_for(world.walker_a).get(reverse("documents:list")).content.decode()
    assert 'id="export-link"' in page and "export=xlsx" in page


def test_void_asks_first_and_keeps_the_reason(world, client_for):
    c = client_for(world.walker_a)
    url = reverse("documents:void", args=[world.document_a.pk])
    page = c.get(url).content.decode()
    assert 'data-confirm="将作废本公文，文号不再使用' in page
    services.void_document(actor=world.walker_a, document=world.document_a, reason="先前已作废")
    resp = c.post(url, {"reason": "第二次作废的原因"})  # refused: already void
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "该公文已作废" in body and "第二次作废的原因" in body
