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


# --- imports: the template to fill in and the report of what was refused -----------------------

ERRORS_SHOWN = 20  # an import page shows this many errors; the report holds them all


def import_template_response(title: str, columns, example: dict, choices: dict | None = None) -> FileResponse:
    """The .xlsx an import reads: `columns` {field: (header, required)} in order, one example
    row (`example` {field: value}); a second sheet says, per column, whether it is required
    (`required` True/False, or the rule in words, e.g. 与用户名二选一) and which values it
    takes (`choices` {field: [label, …]})."""
    wb = Workbook()
    ws = wb.create_sheet(title)
    ws.append([header for header, _req in columns.values()])
    ws.append([example.get(field, "") for field in columns])
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "是否必填", "可填的值"])
    for field, (header, required) in columns.items():
        need = required if isinstance(required, str) else ("必填" if required else "选填")
        notes.append([header, need, "、".join(str(c) for c in (choices or {}).get(field, []))])
    notes.append(["第一行为表头，请勿修改；第二行为示例，导入前请删除或改为实际数据。"])
    return wb.response(f"{title}导入模板.xlsx")


ERROR_REPORT_HEADER = ["行号", "列", "错误说明"]


def error_rows(errors) -> list[tuple]:
    """An import's errors ({row, field, message}) as report lines (row, column, message),
    by row; row 0 (the whole file) reads 全文件."""
    out = [(int(e.get("row") or 0), str(e.get("field") or ""), str(e.get("message", ""))) for e in errors or []]
    return [(row or "全文件", field, message) for row, field, message in sorted(out, key=lambda r: r[0])]


def import_errors_response(title: str, errors) -> FileResponse:
    """The refused rows of an import, one line per error (row number as in the file, the
    column, what is wrong), as an .xlsx."""
    return xlsx_response(f"{title}导入错误报告.xlsx", [("错误报告", ERROR_REPORT_HEADER, error_rows(errors))])
