"""Administrative documents laid out per Nghị định 30/2020/NĐ-CP, written as .docx.

`OfficialDocument` holds the parts of a document (heading, number, place and date, kind,
subject, body, recipients, signature, annexes); `build_docx` lays them out on A4 in Times
New Roman.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell

from thiduaweb.core.vntext import collapse_whitespace, fold, slugify, strip_diacritics

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"

# Document type symbols of the number line and the kind title printed above the subject.
DOCUMENT_TYPES = {
    "KH": "KẾ HOẠCH",
    "QĐ": "QUYẾT ĐỊNH",
    "TTr": "TỜ TRÌNH",
    "BC": "BÁO CÁO",
    "BB": "BIÊN BẢN",
    "TB": "THÔNG BÁO",
    "GM": "GIẤY MỜI",
    "HD": "HƯỚNG DẪN",
}

FONT_NAME = "Times New Roman"
LANGUAGE = "vi-VN"
BODY_SIZE = Pt(14)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH_CM = 16.5  # 210 mm - 30 mm - 15 mm
HEADING_WIDTHS_CM = (6.5, 10.0)
CLOSING_WIDTHS_CM = (8.0, 8.5)
FIRST_LINE_INDENT = Cm(1.0)
SIGNATURE_SPACE = Pt(84)

# OOXML schema order: the elements that must follow a border element in its parent.
_TBL_PR_AFTER_BORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)
_P_PR_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


@dataclass
class Heading:
    """A section heading such as "I. MỤC ĐÍCH, YÊU CẦU" (bold), or "QUYẾT ĐỊNH:" centered."""

    text: str
    centered: bool = False


@dataclass
class Paragraph:
    """A justified body paragraph with a first-line indent."""

    text: str
    italic: bool = False
    bold: bool = False


@dataclass
class Table:
    """A bordered table: a header row then the data rows (e.g. a list of awardees)."""

    header: list[str]
    rows: list[list[str]]
    column_widths_cm: list[float] | None = None


Block = Heading | Paragraph | Table | str  # a plain string is a Paragraph


@dataclass
class Signature:
    """The signature block: "TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH", then the signer's name."""

    authority: str
    position: str
    signer_name: str


@dataclass
class Annex:
    """A list printed on its own page after the signature, e.g. the awardees of a decision."""

    title_lines: list[str]
    table: Table
    subtitle: str = ""


@dataclass
class OfficialDocument:
    """The parts of a document per Nghị định 30/2020; `filed_at` is the "Lưu: VT" line."""

    issuer_name: list[str]
    number_symbol: str
    place_date: str
    doc_kind_title: str
    title_lines: list[str]
    signature: Signature
    issuer_parent: str | None = None
    preamble: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    filed_at: str = "VT"
    annexes: list[Annex] = field(default_factory=list)


def format_number_symbol(number: int, doc_type: str, issuer: str) -> str:
    """Number and symbol of a document: (26, "KH", "UBND") -> "26/KH-UBND", 5 -> "05/..."."""
    if number < 1:
        raise ValueError("Số văn bản phải từ 1 trở lên.")
    return f"{number:02d}/{doc_type.strip()}-{issuer.strip()}"


def format_place_date(place: str, d: date) -> str:
    """ "Đồng Liên, ngày 05 tháng 3 năm 2021": a leading zero for days 1–9 and months 1–2 only."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def recipient_lines(recipients: list[str], filed_at: str = "VT") -> list[str]:
    """The lines under "Nơi nhận:": "- …;" for each recipient and "- Lưu: VT." last."""
    names = [_clean_recipient(r) for r in recipients]
    names = [n for n in names if n]
    archive = [n for n in names if fold(n).startswith("luu:")]
    others = [n for n in names if n not in archive]
    last = archive[-1] if archive else f"Lưu: {filed_at.strip().rstrip('.')}"
    return [f"- {n};" for n in others] + [f"- {last}."]


def _clean_recipient(text: str) -> str:
    return collapse_whitespace(text).lstrip("-– ").rstrip(";.,").strip()


def docx_response_filename(number_symbol: str, title: str = "") -> str:
    """Safe ASCII file name: "26/KH-UBND" -> "26-KH-UBND.docx"; from the title when unnumbered."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", strip_diacritics(number_symbol or "")).strip("-")
    if not re.search(r"\d", stem):
        stem = slugify(title) or stem or "van-ban"
    return f"{stem[:80].strip('-')}.docx"


def build_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes: A4, Nghị định 30/2020 margins, Times New Roman."""
    document = Document()
    _configure_fonts(document)
    _configure_page(document)
    document.core_properties.title = collapse_whitespace(" ".join(doc.title_lines))
    document.core_properties.language = LANGUAGE
    _clear_body(document)
    _add_heading_table(document, doc)
    _add_titles(document, doc)
    for block in doc.preamble + doc.body:
        _add_block(document, block)
    _add_closing_table(document, doc)
    for annex in doc.annexes:
        _add_annex(document, annex)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- page and fonts ---------------------------------------------------------------------


def _configure_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT


def _configure_fonts(document) -> None:
    """Times New Roman for Latin, East Asian and complex scripts, in the defaults and in Normal."""
    defaults_rpr = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault"))
    if defaults_rpr is not None:
        _set_rpr_fonts(defaults_rpr.find(qn("w:rPr")))
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = BODY_SIZE
    _set_rpr_fonts(normal.element.get_or_add_rPr())


def _set_rpr_fonts(rpr) -> None:
    if rpr is None:
        return
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme_attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme_attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT_NAME)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _clear_body(document) -> None:
    """Drop the template's empty first paragraph so the heading table starts the page."""
    for paragraph in list(document.paragraphs):
        if not paragraph.text:
            paragraph._element.getparent().remove(paragraph._element)


# --- paragraphs ---------------------------------------------------------------------------


def _format_paragraph(paragraph, *, align, indent=None, before=0, after=0) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = indent
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0 if indent is None else 1.15


def _add_run(paragraph, text: str, *, size: float = 14, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    return run


def _centered_line(container, text: str, *, size=14, bold=False, italic=False, after=0):
    paragraph = _new_paragraph(container)
    _format_paragraph(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after=after)
    _add_run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _new_paragraph(container):
    """A new paragraph; a fresh table cell's own empty paragraph is used first."""
    if isinstance(container, _Cell):
        paragraphs = container.paragraphs
        if len(paragraphs) == 1 and not paragraphs[0].runs and paragraphs[0]._p.pPr is None:
            return paragraphs[0]
    return container.add_paragraph()


def _add_rule(container, width_cm: float, container_width_cm: float) -> None:
    """A short centered horizontal line (the line under the issuer, the motto, the subject)."""
    paragraph = _new_paragraph(container)
    side = max((container_width_cm - width_cm) / 2, 0)
    _format_paragraph(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_P_PR_AFTER_BORDERS)


def _add_block(document, block: Block) -> None:
    if isinstance(block, str):
        block = Paragraph(block)
    if isinstance(block, Table):
        _add_bordered_table(document, block)
        return
    paragraph = document.add_paragraph()
    if isinstance(block, Heading):
        align = WD_ALIGN_PARAGRAPH.CENTER if block.centered else WD_ALIGN_PARAGRAPH.JUSTIFY
        indent = None if block.centered else FIRST_LINE_INDENT
        _format_paragraph(paragraph, align=align, indent=indent, before=6, after=6)
        paragraph.paragraph_format.keep_with_next = True
        _add_run(paragraph, block.text, bold=True)
        return
    _format_paragraph(
        paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=FIRST_LINE_INDENT, after=6
    )
    _add_run(paragraph, block.text, bold=block.bold, italic=block.italic)


# --- tables -------------------------------------------------------------------------------


def _new_table(document, widths_cm, rows: int, *, borders: bool) -> DocxTable:
    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_table_width(table._tbl.tblPr, sum(widths_cm))
    _set_table_borders(table._tbl.tblPr, "single" if borders else "nil")
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    return table


def _set_table_width(tbl_pr, width_cm: float) -> None:
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(Cm(width_cm).twips))


def _set_table_borders(tbl_pr, value: str) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.insert_element_before(borders, *_TBL_PR_AFTER_BORDERS)


def _add_heading_table(document, doc: OfficialDocument) -> None:
    """Issuer and number on the left; national title, motto and place/date on the right."""
    left_width, right_width = HEADING_WIDTHS_CM
    table = _new_table(document, HEADING_WIDTHS_CM, rows=2, borders=False)
    issuer_cell, national_cell = table.rows[0].cells
    number_cell, date_cell = table.rows[1].cells
    if doc.issuer_parent:
        _centered_line(issuer_cell, doc.issuer_parent.upper(), size=13)
    for line in doc.issuer_name:
        _centered_line(issuer_cell, line.upper(), size=13, bold=True)
    _add_rule(issuer_cell, 2.5, left_width)
    _centered_line(national_cell, NATIONAL_TITLE, size=12, bold=True)
    _centered_line(national_cell, NATIONAL_MOTTO, size=13, bold=True)
    _add_rule(national_cell, 5.6, right_width)
    _centered_line(number_cell, f"Số: {doc.number_symbol}", size=13)
    _centered_line(date_cell, doc.place_date, size=14, italic=True)
    for cell in (number_cell, date_cell):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _add_titles(document, doc: OfficialDocument) -> None:
    kind = _centered_line(document, doc.doc_kind_title.upper(), bold=True)
    kind.paragraph_format.space_before = Pt(18)
    kind.paragraph_format.keep_with_next = True
    for line in doc.title_lines:
        subject = _centered_line(document, line, bold=True)
        subject.paragraph_format.keep_with_next = True
    if doc.title_lines:
        _add_rule(document, 3.5, TEXT_WIDTH_CM)
    document.paragraphs[-1].paragraph_format.space_after = Pt(12)


def _add_closing_table(document, doc: OfficialDocument) -> None:
    """Recipients on the left, the signature block on the right."""
    table = _new_table(document, CLOSING_WIDTHS_CM, rows=1, borders=False)
    recipients_cell, signature_cell = table.rows[0].cells
    label = _new_paragraph(recipients_cell)
    _format_paragraph(label, align=WD_ALIGN_PARAGRAPH.LEFT, before=6)
    _add_run(label, RECIPIENTS_LABEL, size=12, bold=True, italic=True)
    for line in recipient_lines(doc.recipients, doc.filed_at):
        paragraph = _new_paragraph(recipients_cell)
        _format_paragraph(paragraph, align=WD_ALIGN_PARAGRAPH.LEFT)
        _add_run(paragraph, line, size=11)
    _add_signature(signature_cell, doc.signature)
    _add_spacer(document)


def _add_spacer(document) -> None:
    """A tiny paragraph after a table: Word expects the body to end with a paragraph."""
    paragraph = document.add_paragraph()
    _format_paragraph(paragraph, align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph.paragraph_format.line_spacing = Pt(1)


def _add_signature(cell, signature: Signature) -> None:
    first = None
    if signature.authority:
        first = _centered_line(cell, signature.authority.upper(), bold=True)
    position = _centered_line(
        cell, signature.position.upper(), bold=True, after=SIGNATURE_SPACE.pt
    )
    (first or position).paragraph_format.space_before = Pt(6)
    _centered_line(cell, signature.signer_name, bold=True)


def _add_bordered_table(document, data: Table) -> None:
    columns = len(data.header)
    widths = data.column_widths_cm or [TEXT_WIDTH_CM / columns] * columns
    table = _new_table(document, widths, rows=1 + len(data.rows), borders=True)
    _mark_header_row(table.rows[0])
    for cell, text in zip(table.rows[0].cells, data.header):
        _centered_line(cell, text, size=13, bold=True)
    for row, values in zip(table.rows[1:], data.rows):
        for cell, value in zip(row.cells, values):
            paragraph = _new_paragraph(cell)
            _format_paragraph(paragraph, align=WD_ALIGN_PARAGRAPH.LEFT)
            _add_run(paragraph, "" if value is None else str(value), size=13)
    _add_spacer(document)


def _mark_header_row(row) -> None:
    """Repeat the header row on every page the table spans."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _add_annex(document, annex: Annex) -> None:
    page_break = document.add_paragraph()
    page_break.add_run().add_break(WD_BREAK.PAGE)
    for line in annex.title_lines:
        _centered_line(document, line, bold=True)
    if annex.subtitle:
        _centered_line(document, annex.subtitle, italic=True, after=12)
    _add_bordered_table(document, annex.table)
