"""Documents per Nghị định 30/2020/NĐ-CP: numbering, place and date, and the .docx layout."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from thiduaweb.core.documents import (
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
    Annex,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    build_docx,
    docx_response_filename,
    format_number_symbol,
    format_place_date,
    recipient_lines,
)

PLAN_BODY = [
    Heading("I. MỤC ĐÍCH, YÊU CẦU"),
    "1. Nhằm tổ chức thực hiện phong trào thi đua yêu nước trên địa bàn xã, góp phần thực hiện "
    "thắng lợi mục tiêu, nhiệm vụ phát triển kinh tế - xã hội của xã năm 2021.",
    "2. Nâng cao chất lượng khen thưởng, đảm bảo chính xác, công khai, công bằng, dân chủ, kịp thời.",
    Heading("II. NỘI DUNG THỰC HIỆN"),
    Paragraph("9. Bảo đảm khen thưởng cho công nhân, nông dân, người lao động trực tiếp sản xuất, "
              "công tác phải đạt trên 30%."),
    Heading("III. TỔ CHỨC THỰC HIỆN"),
    "Trên đây là Kế hoạch tổ chức phong trào thi đua yêu nước và công tác thi đua, khen thưởng "
    "trên địa bàn xã năm 2021./.",
]
PLAN_RECIPIENTS = [
    "UBND thành phố;",
    "Phòng Nội vụ thành phố;",
    "TT Đảng ủy xã;",
    "TT HĐND xã;",
    "Lãnh đạo UBND xã;",
    "Thành viên Hội đồng TĐKT xã;",
    "UBMTTQ, các đoàn thể, CBCC xã;",
    "Các xóm;",
]


def seed_plan(**changes) -> OfficialDocument:
    """The commune's 2021 emulation plan, as in the seed document."""
    fields = dict(
        issuer_parent="UBND THÀNH PHỐ THÁI NGUYÊN",
        issuer_name=["ỦY BAN NHÂN DÂN", "XÃ ĐỒNG LIÊN"],
        number_symbol=format_number_symbol(26, "KH", "UBND"),
        place_date=format_place_date("Đồng Liên", date(2021, 3, 10)),
        doc_kind_title="KẾ HOẠCH",
        title_lines=[
            "Tổ chức phong trào thi đua yêu nước",
            "và công tác thi đua, khen thưởng xã Đồng Liên năm 2021",
        ],
        preamble=[
            "Thực hiện Kế hoạch số 32/KH-UBND ngày 01/3/2021 về tổ chức phong trào thi đua yêu "
            "nước và công tác thi đua, khen thưởng thành phố Thái Nguyên năm 2021, Ủy ban nhân dân "
            "xã Đồng Liên ban hành Kế hoạch như sau:"
        ],
        body=list(PLAN_BODY),
        recipients=list(PLAN_RECIPIENTS),
        filed_at="VP-UBND",
        signature=Signature("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Tạ Văn Phin"),
    )
    fields.update(changes)
    return OfficialDocument(**fields)


def read_back(data: bytes):
    return Document(io.BytesIO(data))


def all_texts(document) -> list[str]:
    """Every paragraph's text, the body's and every table cell's, in order."""
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return texts


def block_text(block) -> str:
    return block if isinstance(block, str) else block.text


# --- number, symbol, place and date -------------------------------------------------------


def test_the_plan_number_reads_26_kh_ubnd():
    assert format_number_symbol(26, "KH", "UBND") == "26/KH-UBND"


def test_numbers_below_ten_get_a_leading_zero():
    assert format_number_symbol(5, "QĐ", "UBND") == "05/QĐ-UBND"
    assert format_number_symbol(1, "TTr", "UBND") == "01/TTr-UBND"
    assert format_number_symbol(123, "QĐ", "HĐTĐKT") == "123/QĐ-HĐTĐKT"


def test_a_document_number_starts_at_one():
    with pytest.raises(ValueError):
        format_number_symbol(0, "KH", "UBND")


def test_place_and_date_write_march_without_a_leading_zero():
    # NĐ 30/2020: a leading zero for days below 10 and for months 1 and 2 only.
    assert format_place_date("Đồng Liên", date(2021, 3, 10)) == "Đồng Liên, ngày 10 tháng 3 năm 2021"


def test_place_and_date_pad_days_below_ten_and_january_february():
    assert format_place_date("Đồng Liên", date(2021, 2, 5)) == "Đồng Liên, ngày 05 tháng 02 năm 2021"
    assert format_place_date("Đồng Liên", date(2022, 1, 1)) == "Đồng Liên, ngày 01 tháng 01 năm 2022"
    assert format_place_date("Tân Cương", date(2021, 11, 9)) == "Tân Cương, ngày 09 tháng 11 năm 2021"


def test_recipients_end_with_semicolons_and_the_archive_line_with_a_period():
    lines = recipient_lines(["UBND thành phố;", "- Các xóm"], "VT, VP")
    assert lines == ["- UBND thành phố;", "- Các xóm;", "- Lưu: VT, VP."]


def test_an_archive_line_given_as_a_recipient_is_kept_last():
    lines = recipient_lines(["Lưu: VP-UBND.", "Các xóm;"])
    assert lines == ["- Các xóm;", "- Lưu: VP-UBND."]


def test_download_name_is_the_number_in_ascii():
    assert docx_response_filename("26/KH-UBND", "Kế hoạch") == "26-KH-UBND.docx"
    assert docx_response_filename("05/QĐ-UBND", "Quyết định") == "05-QD-UBND.docx"


def test_download_name_of_an_unnumbered_draft_uses_the_title():
    assert docx_response_filename("   /TTr-UBND", "Tờ trình khen thưởng") == "to-trinh-khen-thuong.docx"
    assert docx_response_filename("", "") == "van-ban.docx"


# --- the .docx ----------------------------------------------------------------------------


def test_the_docx_holds_heading_number_body_and_every_recipient():
    texts = all_texts(read_back(build_docx(seed_plan())))
    for expected in (
        "UBND THÀNH PHỐ THÁI NGUYÊN",
        "ỦY BAN NHÂN DÂN",
        "XÃ ĐỒNG LIÊN",
        NATIONAL_TITLE,
        NATIONAL_MOTTO,
        "Số: 26/KH-UBND",
        "Đồng Liên, ngày 10 tháng 3 năm 2021",
        "KẾ HOẠCH",
        "Tổ chức phong trào thi đua yêu nước",
        "và công tác thi đua, khen thưởng xã Đồng Liên năm 2021",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Tạ Văn Phin",
    ):
        assert expected in texts
    for block in PLAN_BODY:
        assert block_text(block) in texts
    for recipient in PLAN_RECIPIENTS:
        assert f"- {recipient}" in texts
    assert texts.index("- Các xóm;") < texts.index("- Lưu: VP-UBND.")


def test_the_national_heading_sits_right_of_the_issuer_in_a_borderless_table():
    document = read_back(build_docx(seed_plan()))
    heading = document.tables[0]
    issuer_cell, national_cell = heading.rows[0].cells
    assert "XÃ ĐỒNG LIÊN" in issuer_cell.text
    assert NATIONAL_TITLE in national_cell.text
    assert heading.rows[1].cells[0].text == "Số: 26/KH-UBND"
    borders = heading._tbl.tblPr.xml
    assert 'w:val="nil"' in borders and 'w:val="single"' not in borders


def test_the_heading_is_bold_where_the_decree_says_and_the_date_is_italic():
    heading = read_back(build_docx(seed_plan())).tables[0]
    runs = {
        run.text: run
        for row in heading.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
    }
    assert not runs["UBND THÀNH PHỐ THÁI NGUYÊN"].bold
    assert runs["XÃ ĐỒNG LIÊN"].bold
    assert runs[NATIONAL_TITLE].bold and runs[NATIONAL_MOTTO].bold
    assert runs["Đồng Liên, ngày 10 tháng 3 năm 2021"].italic


def test_the_page_is_a4_with_decree_margins():
    section = read_back(build_docx(seed_plan())).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20


def test_text_is_times_new_roman_for_every_script_and_13_to_14_points():
    document = read_back(build_docx(seed_plan()))
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.rFonts
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(qn(f"w:{attr}")) == "Times New Roman"
    body = [p for p in document.paragraphs if p.text == block_text(PLAN_BODY[1])][0]
    assert body.runs[0].font.size.pt in (13, 14)
    assert body.paragraph_format.first_line_indent > 0


def test_recipients_and_signature_share_the_closing_table():
    closing = read_back(build_docx(seed_plan())).tables[-1]
    recipients_cell, signature_cell = closing.rows[0].cells
    label = recipients_cell.paragraphs[0].runs[0]
    assert label.text == "Nơi nhận:" and label.bold and label.italic
    assert [p.text for p in signature_cell.paragraphs if p.text] == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Tạ Văn Phin",
    ]


def test_an_annex_lists_the_awardees_under_a_header_row():
    annex = Annex(
        title_lines=["DANH SÁCH", "Cá nhân được tặng danh hiệu Lao động tiên tiến năm 2021"],
        subtitle="(Kèm theo Quyết định số 05/QĐ-UBND ngày 10/12/2021 của Chủ tịch UBND xã Đồng Liên)",
        table=Table(
            header=["STT", "Họ và tên", "Chức vụ, đơn vị"],
            rows=[["1", "Nguyễn Văn Bình", "Xóm Đồng Kiệm"], ["2", "Trần Thị An", "Trường Mầm non"]],
            column_widths_cm=[1.5, 6.0, 9.0],
        ),
    )
    decision = seed_plan(
        number_symbol=format_number_symbol(5, "QĐ", "UBND"),
        doc_kind_title="QUYẾT ĐỊNH",
        title_lines=["Về việc tặng danh hiệu Lao động tiên tiến năm 2021"],
        preamble=[Heading("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐỒNG LIÊN", centered=True),
                  Paragraph("Căn cứ Luật Thi đua, khen thưởng ngày 26/11/2003;", italic=True)],
        body=[Heading("QUYẾT ĐỊNH:", centered=True), "Điều 1. Tặng danh hiệu Lao động tiên tiến."],
        annexes=[annex],
    )
    document = read_back(build_docx(decision))
    texts = all_texts(document)
    assert "Số: 05/QĐ-UBND" in texts
    assert annex.subtitle in texts
    awardees = document.tables[-1]
    assert [c.text for c in awardees.rows[0].cells] == ["STT", "Họ và tên", "Chức vụ, đơn vị"]
    assert [c.text for c in awardees.rows[2].cells] == ["2", "Trần Thị An", "Trường Mầm non"]
    assert awardees.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_a_table_can_sit_inside_the_body():
    body = ["Kết quả bình xét như sau:", Table(["Xóm", "Số hộ"], [["Đồng Kiệm", "120"]]), "Hết."]
    document = read_back(build_docx(seed_plan(body=body)))
    assert any(t.rows[0].cells[0].text == "Xóm" for t in document.tables)


def test_a_document_without_parent_or_recipients_still_builds():
    document = read_back(build_docx(seed_plan(issuer_parent=None, recipients=[], preamble=[])))
    texts = all_texts(document)
    assert "UBND THÀNH PHỐ THÁI NGUYÊN" not in texts
    assert "- Lưu: VP-UBND." in texts


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice not installed"
)
def test_libreoffice_converts_the_docx(tmp_path):
    source = tmp_path / "26-KH-UBND.docx"
    source.write_bytes(build_docx(seed_plan()))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert (tmp_path / "26-KH-UBND.pdf").stat().st_size > 0
