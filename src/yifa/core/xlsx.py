"""The one way yifa writes Excel (every export goes through it).

`Workbook()` is openpyxl's write-only workbook (memory stays flat however long the list)
whose sheets clean every cell on the way in:
- text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR:
  "CSV/formula injection") is stored as a plain text cell, never as a formula;
- control characters that the xlsx format cannot hold (openpyxl's IllegalCharacterError,
  which made an export a 500) are removed;
- aware datetimes are written in Asia/Shanghai; other objects as their text.
"""

import tempfile
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook as _Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class _SafeSheet:
    def __init__(self, ws):
        self._ws = ws

    def append(self, row):
        self._ws.append([self._cell(v) for v in row])

    def _cell(self, v):
        if v is None or isinstance(v, (bool, int, float, Decimal)):
            return v
        if isinstance(v, datetime):
            return timezone.localtime(v).replace(tzinfo=None) if timezone.is_aware(v) else v
        if isinstance(v, date):
            return v
        text = ILLEGAL_CHARACTERS_RE.sub("", str(v))
        if text.startswith(FORMULA_TRIGGERS):
            cell = WriteOnlyCell(self._ws, value=text)
            cell.data_type = "s"  # text, never a formula
            return cell
        return text

    def __getattr__(self, name):
        return getattr(self._ws, name)


class Workbook:
    """A write-only workbook whose sheets clean their cells (see the module docstring)."""

    def __init__(self, write_only: bool = True):
        self._wb = _Workbook(write_only=True)

    def create_sheet(self, title: str):
        return _SafeSheet(self._wb.create_sheet(ILLEGAL_CHARACTERS_RE.sub("", title)[:31]))

    def save(self, target):
        self._wb.save(target)

    def response(self, filename: str) -> FileResponse:
        """The workbook as a download, streamed from a temporary file."""
        tmp = tempfile.TemporaryFile()
        self._wb.save(tmp)
        tmp.seek(0)
        return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX)


def xlsx_response(filename: str, sheets) -> FileResponse:
    """sheets: (title, headers, iterable of rows)."""
    wb = Workbook()
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(headers)
        for row in rows:
            ws.append(row)
    return wb.response(filename)
