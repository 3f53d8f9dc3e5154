"""The one way yifa writes Excel (every export goes through it).

`Workbook()` is openpyxl's write-only workbook (memory stays flat however long the list)
whose sheets clean every cell on the way in:
- text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR:
  "CSV/formula injection") is stored as a plain text cell, never as a formula;
- control characters that the xlsx format cannot hold (openpyxl's IllegalCharacterError,
  which made an export a 500) are removed;
- aware datetimes are written in Asia/Shanghai; other objects as their text;
- `Formatted(value, number_format)` writes a number or date with an Excel number format
  (`percent(98.5)` is the number 0.985 shown as 98.5%, `month(d)` a date shown as 2026年3月),
  so a spreadsheet can still sum, sort and chart it.
"""

import tempfile
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook as _Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class Formatted:
    """A cell value with an Excel number format (see the module docstring)."""

    __slots__ = ("number_format", "value")

    def __init__(self, value, number_format: str):
        self.value = value
        self.number_format = number_format


def percent(value) -> Formatted | None:
    """A percentage (98.5 meaning 98.5%) as Excel's number 0.985 in percent format; None stays empty."""
    if value is None:
        return None
    return Formatted(Decimal(str(value)) / 100, "0.0%")


def month(value: date) -> Formatted:
    """A month as a date cell shown as 2026年3月."""
    return Formatted(value, 'yyyy"年"m"月"')


class _SafeSheet:
    def __init__(self, ws):
        self._ws = ws

    def append(self, row):
        self._ws.append([self._cell(v) for v in row])

    def _cell(self, v):
        if isinstance(v, Formatted):
            value = self._cell(v.value)
            if value is None:
                return None
            cell = value if isinstance(value, Cell) else WriteOnlyCell(self._ws, value=value)
            cell.number_format = v.number_format
            return cell
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
