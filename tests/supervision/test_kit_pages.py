"""The view kit on the supervision pages: Excel export of 意见书, 发现问题 and 线索 (only
the rows in the user's scope), the confirm dialogs on irreversible acts, input kept."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from yifa.core.xlsx import XLSX
from yifa.supervision import services

from .test_letters import _finding, _letter

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


def test_letter_and_finding_exports_are_scoped(world, client_for):
    letter = _letter(world)
    theirs = _finding(world, org=world.dept_b, text="环境局的问题")
    rows = _rows(client_for(world.dept_a_legal).get("/supervision/letters/?export=xlsx"))
    assert any(letter.doc_number in str(c) for r in rows[1:] for c in r)
    assert any(isinstance(c, datetime) for c in rows[1])  # dates are date cells
    rows = _rows(client_for(world.dept_b_legal).get("/supervision/letters/?export=xlsx"))
    assert not any(letter.doc_number in str(c) for r in rows[1:] for c in r)
    found = _rows(client_for(world.dept_a_legal).get("/supervision/findings/?export=xlsx"))
    text = " ".join(str(c) for r in found for c in r)
    assert "未按规定公示行政处罚决定" in text and theirs.description not in text
    assert "环境局的问题" in " ".join(str(c) for r in _rows(client_for(world.supervisor).get(
        "/supervision/findings/?export=xlsx")) for c in r)


def test_clue_list_exports(world, client_for):
    rows = _rows(client_for(world.supervisor).get("/supervision/clues/?export=xlsx"))
    assert rows[0] and all(isinstance(h, str) and h for h in rows[0])


def test_issuing_and_closing_ask_first(world, client_for):
    sup = client_for(world.supervisor)
    f = _finding(world)
    form = sup.get(f"/supervision/letters/new/?finding={f.pk}").content.decode()
    assert 'data-confirm="将印发并编号' in form
    letter = _letter(world)
    services.submit_rectification(actor=world.dept_a_legal, letter=letter, content="已整改", evidence="照片",
                                  files=[], on=date(2025, 9, 10))
    page = sup.get(f"/supervision/letters/{letter.pk}/").content.decode()
    reject = page[page.index('id="reject-report"') - 300:page.index('id="reject-report"') + 200]
    assert "data-confirm=" in reject


def test_form_error_keeps_the_selection(world, client_for):
    f1, f2 = _finding(world), _finding(world, text="听证告知书缺失")
    sup = client_for(world.supervisor)
    r = sup.post("/supervision/letters/new/", {"findings": [f1.pk, f2.pk], "requirements": "",
                                               "on": "2025-09-01"})
    assert r.status_code == 200
    page = r.content.decode()
    for f in (f1, f2):
        i = page.index(f'value="{f.pk}"')
        assert "checked" in page[i - 120:i + 120] or "selected" in page[i - 120:i + 120]
