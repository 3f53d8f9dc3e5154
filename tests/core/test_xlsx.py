"""The one Excel writer: text a spreadsheet would run as a formula is stored as text, and
control characters the format cannot hold are removed instead of failing the export."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from yifa.core.xlsx import Formatted, Workbook, month, percent

INJECTIONS = ["=HYPERLINK(\"http://x\",\"点我\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def _read(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_formula_like_text_is_stored_as_text_and_control_characters_removed():
    wb = Workbook()
    ws = wb.create_sheet("表\x01一")
    ws.append([*INJECTIONS, "案由\x07含控制字符", 12, 3.5, date(2026, 1, 2), None])
    buf = io.BytesIO()
    wb.save(buf)
    sheet = _read(buf.getvalue())
    cells = list(sheet[1])
    assert sheet.title == "表一"
    for cell, text in zip(cells, INJECTIONS):
        assert cell.data_type == "s" and cell.value == text
    assert cells[6].value == "案由含控制字符"
    assert (cells[7].value, cells[8].value) == (12, 3.5)
    assert cells[9].value.date() == date(2026, 1, 2)


def test_percentages_and_months_keep_their_type_with_a_number_format():
    from decimal import Decimal

    wb = Workbook()
    ws = wb.create_sheet("格式")
    ws.append([percent(Decimal("98.5")), percent(None), month(date(2026, 3, 1)), Formatted(Decimal("-2.5"), "0.0"),
               Formatted("=1+1", "@")])
    buf = io.BytesIO()
    wb.save(buf)
    a, b, c, d, e = list(_read(buf.getvalue())[1])
    assert a.data_type == "n" and a.value == pytest.approx(0.985) and a.number_format == "0.0%"
    assert b.value is None
    assert c.is_date and c.value.date() == date(2026, 3, 1) and "年" in c.number_format
    assert d.value == pytest.approx(-2.5) and d.data_type == "n"
    assert e.data_type == "s" and e.value == "=1+1"  # still never a formula


@pytest.mark.django_db
def test_case_export_with_a_formula_and_a_control_character_in_the_title(world, client_for):
    from yifa.enforcement.models import Case, EnforcementItem

    item = EnforcementItem.objects.create(org=world.dept_a, code="XLSX-1", name="导出测试事项", category="penalty",
                                          legal_basis="《测试条例》")
    Case.objects.create(org=world.dept_a, case_no="XLSX-1", title="=1+1\x0b恶意案由", item=item, party_name="@某人",
                        party_kind="individual", filed_on=date(2026, 3, 1), source_case_no="XLSX-1")
    resp = client_for(world.dept_a_legal).get("/enforcement/export/case.xlsx")
    assert resp.status_code == 200
    data = b"".join(resp.streaming_content)
    rows = {r[0].value: r for r in _read(data).iter_rows(min_row=2)}
    row = rows["XLSX-1"]
    titles = [c for c in row if c.value == "=1+1恶意案由"]
    parties = [c for c in row if c.value == "@某人"]
    assert titles and titles[0].data_type == "s" and parties and parties[0].data_type == "s"
