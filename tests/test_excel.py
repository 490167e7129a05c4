"""Excel exports: Vietnamese headers, real dates and numbers, frozen header and autofilter."""
from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from thiduaweb.core.excel import build_xlsx


def test_an_export_holds_its_rows_with_dates_and_numbers_as_values():
    rows = ((f"Xóm {i}", date(2021, 3, 10), i * 1.5) for i in range(1, 2001))
    data = build_xlsx(["Tên", "Ngày", "Số tiền"], rows, title="Danh sách xóm", subtitle="Năm 2021")
    sheet = load_workbook(BytesIO(data)).active
    assert sheet["A1"].value == "Danh sách xóm" and sheet["A2"].value == "Năm 2021"
    assert [c.value for c in sheet[3]] == ["Tên", "Ngày", "Số tiền"]
    assert sheet["A4"].value == "Xóm 1" and sheet["B4"].value.date() == date(2021, 3, 10)
    assert sheet["C2003"].value == 3000
    assert sheet.max_row == 2003
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:C2003"
