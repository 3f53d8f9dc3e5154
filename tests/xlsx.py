"""Reading an Excel download in a test: its rows, cells as openpyxl reads them (numbers
as numbers, dates as datetimes), after checking it is an xlsx attachment."""

import io

from openpyxl import load_workbook

from yifa.core.xlsx import XLSX


def sheet_rows(response, sheet=None):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(content))
    return [list(r) for r in (wb[sheet] if sheet else wb.active).iter_rows(values_only=True)]
