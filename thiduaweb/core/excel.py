"""Excel export of any list: the same rows the list shows, as an .xlsx download (xlsxwriter)."""
from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from flask import Response

from thiduaweb.core.vntext import slugify


def build_xlsx(columns: Sequence[str], rows: Iterable[Sequence], *, title: str = "Danh sách",
               subtitle: str = "") -> bytes:
    """A workbook with one sheet: a title row, optional subtitle, the header and the rows.

    Written in xlsxwriter's constant-memory mode (row by row through a temporary file), so a
    large export never holds the whole sheet in memory; the rows may be a generator.
    """
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        _write_workbook(handle.name, columns, rows, title=title, subtitle=subtitle)
        handle.seek(0)
        return handle.read()


def _write_workbook(path: str, columns: Sequence[str], rows: Iterable[Sequence], *, title: str,
                    subtitle: str) -> None:
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "remove_timezone": True})
    sheet = workbook.add_worksheet(title[:31] or "Danh sách")
    bold = workbook.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 13})
    header = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True,
                                  "valign": "vcenter", "font_name": "Times New Roman"})
    cell = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_name": "Times New Roman"})
    dated = workbook.add_format({"border": 1, "num_format": "dd/mm/yyyy", "valign": "top",
                                 "font_name": "Times New Roman"})
    timed = workbook.add_format({"border": 1, "num_format": "dd/mm/yyyy hh:mm", "valign": "top",
                                 "font_name": "Times New Roman"})
    number = workbook.add_format({"border": 1, "num_format": "#,##0.##", "valign": "top",
                                  "font_name": "Times New Roman"})
    sheet.write(0, 0, title, bold)
    first = 1
    if subtitle:
        sheet.write(1, 0, subtitle)
        first = 2
    header_row = first
    widths = [max(10, min(50, len(str(c)) + 4)) for c in columns]
    for col, name in enumerate(columns):
        sheet.write(header_row, col, name, header)
    row_index = header_row
    for row_index, row in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(row_index, col, value, timed if value.time() != datetime.min.time() else dated)
            elif isinstance(value, date):
                sheet.write_datetime(row_index, col, datetime(value.year, value.month, value.day), dated)
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                sheet.write_number(row_index, col, float(value), number)
            else:
                text = "" if value is None else str(value)
                sheet.write_string(row_index, col, text, cell)
                if col < len(widths):
                    widths[col] = max(widths[col], min(60, len(text) + 2))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(header_row + 1, 0)
    if row_index > header_row:
        sheet.autofilter(header_row, 0, row_index, max(len(columns) - 1, 0))
    workbook.close()


def xlsx_response(filename: str, columns: Sequence[str], rows: Iterable[Sequence], *, title: str = "Danh sách",
                  subtitle: str = "") -> Response:
    """The list as an Excel download; `filename` without extension, any text (made ASCII-safe)."""
    data = build_xlsx(columns, rows, title=title, subtitle=subtitle)
    return download_response(data, f"{slugify(filename) or 'danh-sach'}.xlsx",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def download_response(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def docx_response(document) -> Response:
    """An OfficialDocument (core.documents) as a .docx download named after its number."""
    from thiduaweb.core.documents import build_docx, docx_response_filename

    title = " ".join(document.title_lines) if document.title_lines else document.doc_kind_title
    return download_response(build_docx(document), docx_response_filename(document.number_symbol or "", title),
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
