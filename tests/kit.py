"""Helpers for the tests of pages built on the view kit: an export's rows, the input kept
after a refused action."""

import io
import json

from openpyxl import load_workbook

from yifa.core.xlsx import XLSX


def xlsx_rows(response, sheet=0):
    """The rows (lists of cell values) of an .xlsx download."""
    assert response.status_code == 200 and response["Content-Type"] == XLSX, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(content))
    return [list(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]


def kept_input(page: str):
    """The input yifa.js puts back into the refused form (None when nothing was kept)."""
    if 'id="kept-input"' not in page:
        return None
    block = page[page.index('id="kept-input"'):]
    return json.loads(block[block.index(">") + 1:block.index("</script>")])
