"""The paperwork in the Nghị định 30/2020 layout (core.documents): the decision with its annex of
awardees and amounts, the tờ trình with its list, the council's minutes (…/BB-HĐTĐKT), and the
certificate (Giấy khen) printed on a unit's pre-printed blanks at the positions of its setting."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from sqlalchemy import select

from thiduaweb.awards import council as council_service
from thiduaweb.awards import season
from thiduaweb.awards.models import COUNCIL_ROLES, Award, CertificateLayout, CouncilSession, Decision, Nomination
from thiduaweb.core.documents import (Annex, Heading, OfficialDocument, Paragraph, Signature, Table,
                                      format_place_date)
from thiduaweb.core.vntext import format_date, format_number, name_sort_key
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit


def _place(unit: Unit) -> str:
    return unit.place_name or unit.name.replace("Xã ", "").replace("Phường ", "")


def _unit_title(unit: Unit) -> str:
    return unit.name.upper()


def _level_word(unit: Unit) -> str:
    return "xã" if unit.is_commune_level else "thành phố" if unit.kind == "city" else "tỉnh"


# --- Decision -----------------------------------------------------------------------------------------

def decision_document(decision: Decision) -> OfficialDocument:
    unit = db.session.get(Unit, decision.unit_id)
    awards = sorted(decision.awards, key=lambda a: (a.award_type.position, a.nominee_kind != "person",
                                                     name_sort_key(a.nominee_name)))
    live = [a for a in awards if not a.revoked_on]
    salary = season.base_salary_on(decision.decided_on)
    total = season.decision_total(decision)
    names = list(dict.fromkeys(a.award_type.name for a in awards))
    bases = list(dict.fromkeys(a.award_type.legal_basis for a in awards if a.award_type.legal_basis))
    version = awards[0].award_type.version if awards else None
    preamble = [Paragraph(f"CHỦ TỊCH ỦY BAN NHÂN DÂN {_unit_title(unit)}", bold=True),
                "Căn cứ Luật Tổ chức chính quyền địa phương;",
                f"Căn cứ {version.legal_basis};" if version else "Căn cứ Luật Thi đua, khen thưởng;"]
    preamble += [f"Căn cứ {b};" for b in bases[:3]]
    sessions = sorted({n.council_session_id for n in _nominations_of(decision) if n.council_session_id})
    minutes = [s.minutes_symbol for s in db.session.scalars(select(CouncilSession).where(
        CouncilSession.id.in_(sessions))) if s.minutes_symbol] if sessions else []
    preamble.append("Xét đề nghị của Hội đồng Thi đua – Khen thưởng "
                    + (f"(Biên bản số {', '.join(minutes)}) " if minutes else "")
                    + "và của công chức phụ trách công tác thi đua, khen thưởng.")
    money_line = ""
    if salary and total:
        money_line = (f" Mức tiền thưởng theo hệ số của từng danh hiệu, hình thức nhân với mức lương cơ sở "
                      f"{format_number(salary.amount)} đồng ({salary.legal_basis}); hộ gia đình được thưởng gấp 1,5 "
                      f"lần mức của cá nhân. Tổng số tiền thưởng: {format_number(total)} đồng, chi từ quỹ thi đua, "
                      f"khen thưởng của {unit.name}.")
    body = [Heading("QUYẾT ĐỊNH:", centered=True),
            Paragraph(f"Điều 1. Tặng {', '.join(names)} cho {len(live)} cá nhân, tập thể, hộ gia đình "
                      f"có tên trong danh sách kèm theo Quyết định này."),
            Paragraph("Điều 2. Các cá nhân, tập thể, hộ gia đình có tên tại Điều 1 được tặng giấy chứng nhận và "
                      "tiền thưởng theo quy định." + money_line),
            Paragraph("Điều 3. Văn phòng HĐND và UBND, công chức phụ trách thi đua, khen thưởng và các cá nhân, "
                      "tập thể, hộ gia đình có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này. "
                      "Quyết định có hiệu lực kể từ ngày ký.")]
    rows = [[str(i), a.nominee_name + (" (đã thu hồi)" if a.revoked_on else ""), a.body_name or "",
             a.award_type.name, format_number(season.amount_of(a, decision.decided_on))]
            for i, a in enumerate(awards, start=1)]
    rows.append(["", "Tổng cộng", "", "", format_number(total)])
    annex = Annex(["DANH SÁCH CÁ NHÂN, TẬP THỂ, HỘ GIA ĐÌNH ĐƯỢC KHEN THƯỞNG"],
                  Table(["STT", "Họ và tên, tên tập thể, hộ gia đình", "Thôn, xóm, cơ quan", "Danh hiệu, hình thức",
                         "Tiền thưởng (đồng)"], rows, column_widths_cm=[1.2, 5.0, 3.8, 3.8, 2.7]),
                  subtitle=f"(Kèm theo Quyết định số {decision.number_symbol} ngày {format_date(decision.decided_on)} "
                           f"của Chủ tịch UBND {unit.name})")
    return OfficialDocument(
        issuer_name=["ỦY BAN NHÂN DÂN", _unit_title(unit)], number_symbol=decision.number_symbol,
        place_date=format_place_date(_place(unit), decision.decided_on), doc_kind_title="QUYẾT ĐỊNH",
        title_lines=[decision.title], preamble=preamble, body=body,
        recipients=["Như Điều 3", "Thường trực Đảng ủy, HĐND " + _level_word(unit), "Lưu: VT, TĐKT"],
        signature=Signature("", "CHỦ TỊCH", decision.signer_name), annexes=[annex])


def _nominations_of(decision: Decision) -> list[Nomination]:
    ids = [a.nomination_id for a in decision.awards if a.nomination_id]
    if not ids:
        return []
    return list(db.session.scalars(select(Nomination).where(Nomination.id.in_(ids))))


def change_document(decision: Decision, change) -> OfficialDocument:
    unit = db.session.get(Unit, decision.unit_id)
    revoke = change.kind == "revoke"
    awards = {a.id: a for a in decision.awards}
    if revoke:
        title = f"Về việc thu hồi khen thưởng tại Quyết định số {decision.number_symbol}"
        items = [awards[i] for i in change.award_ids if i in awards]
        body = [Heading("QUYẾT ĐỊNH:", centered=True),
                Paragraph(f"Điều 1. Thu hồi khen thưởng đã tặng tại Quyết định số {decision.number_symbol} ngày "
                          f"{format_date(decision.decided_on)} đối với: "
                          + "; ".join(f"{a.nominee_name} ({a.award_type.name})" for a in items) + "."),
                Paragraph(f"Lý do: {change.reason}"),
                Paragraph(f"Điều 2. Thu hồi giấy chứng nhận và số tiền thưởng đã nhận: "
                          f"{format_number(change.amount_to_recover)} đồng, nộp vào quỹ thi đua, khen thưởng."),
                Paragraph("Điều 3. Quyết định có hiệu lực kể từ ngày ký.")]
    else:
        title = f"Về việc sửa đổi, đính chính Quyết định số {decision.number_symbol}"
        lines = []
        for key, values in change.changes.items():
            if key == "title":
                lines.append(f"Trích yếu: “{values[0]}” sửa thành “{values[1]}”.")
                continue
            for column, (old, new) in values.items():
                lines.append(f"{season.AMENDABLE.get(column, column)}: “{old or ''}” sửa thành “{new or ''}”.")
        body = [Heading("QUYẾT ĐỊNH:", centered=True),
                Paragraph(f"Điều 1. Sửa đổi, đính chính Quyết định số {decision.number_symbol} ngày "
                          f"{format_date(decision.decided_on)} như sau:")] + lines + [
                Paragraph(f"Lý do: {change.reason}"),
                Paragraph("Điều 2. Các nội dung khác giữ nguyên. Quyết định có hiệu lực kể từ ngày ký.")]
    return OfficialDocument(
        issuer_name=["ỦY BAN NHÂN DÂN", _unit_title(unit)], number_symbol=change.number_symbol,
        place_date=format_place_date(_place(unit), change.decided_on), doc_kind_title="QUYẾT ĐỊNH",
        title_lines=[title], preamble=[f"Căn cứ Quyết định số {decision.number_symbol};"], body=body,
        recipients=["Như Điều 1", "Lưu: VT, TĐKT"], signature=Signature("", "CHỦ TỊCH", change.actor_name))


# --- Tờ trình ---------------------------------------------------------------------------------------

def proposal_document(unit: Unit, symbol: str, nominations: list[Nomination]) -> OfficialDocument:
    first = nominations[0]
    parent = unit.parent
    names = list(dict.fromkeys(n.award_type.name for n in nominations))
    from thiduaweb.awards.models import NominationStep

    step = db.session.scalar(select(NominationStep).where(NominationStep.nomination_id == first.id,
                                                          NominationStep.transition == "propose"))
    signer = step.actor_name if step else ""
    rows = [[str(i), n.nominee.display_name, (n.nominee.body.name if n.nominee.body else ""), n.award_type.name,
             (n.achievements or "")[:300]] for i, n in enumerate(nominations, start=1)]
    to = f"Ủy ban nhân dân {parent.name}" if parent else "cấp trên"
    body = [f"Kính gửi: {to}.",
            f"Căn cứ {first.award_type.version.legal_basis};",
            f"Căn cứ kết quả bình xét, công khai và thẩm định của Hội đồng Thi đua – Khen thưởng {unit.name}; "
            f"Ủy ban nhân dân {unit.name} kính trình {to} xem xét, tặng {', '.join(names)} cho "
            f"{len(nominations)} cá nhân, tập thể, hộ gia đình có tên trong danh sách kèm theo.",
            "Hồ sơ kèm theo gồm: báo cáo thành tích, biên bản họp Hội đồng, kết quả công khai.",
            f"Ủy ban nhân dân {unit.name} kính trình {to} xem xét, quyết định./."]
    annex = Annex(["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"],
                  Table(["STT", "Họ và tên, tên tập thể", "Thôn, xóm, cơ quan", "Danh hiệu, hình thức đề nghị",
                         "Tóm tắt thành tích"], rows, column_widths_cm=[1.2, 4.0, 3.3, 3.5, 4.5]),
                  subtitle=f"(Kèm theo Tờ trình số {symbol} ngày {format_date(first.proposed_on)} "
                           f"của UBND {unit.name})")
    return OfficialDocument(
        issuer_name=["ỦY BAN NHÂN DÂN", _unit_title(unit)], number_symbol=symbol,
        place_date=format_place_date(_place(unit), first.proposed_on), doc_kind_title="TỜ TRÌNH",
        title_lines=[f"Về việc đề nghị tặng {', '.join(names)}"[:255]], body=body,
        recipients=["Như trên", "Lưu: VT, TĐKT"], signature=Signature("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", signer),
        annexes=[annex])


# --- Minutes ---------------------------------------------------------------------------------------

def minutes_document(session: CouncilSession) -> OfficialDocument:
    unit = db.session.get(Unit, session.unit_id)
    members = council_service.members_of(session)
    present = session.present_ids
    chair, secretary = council_service.chair_and_secretary(session)
    absent = [m for m in members if m.id not in present]
    body = [f"Hôm nay, ngày {format_date(session.held_on)}, tại {session.place}, {session.council.name} họp "
            f"xét đề nghị khen thưởng.",
            Heading("I. THÀNH PHẦN"),
            f"Tổng số thành viên Hội đồng: {len(members)}; có mặt: {len(present)}; vắng mặt: {len(absent)}"
            + (" (" + "; ".join(f"{m.full_name}" + (f": {a.absence_reason}" if (a := _att(session, m.id)) and
                                                    a.absence_reason else "") for m in absent) + ")" if absent else "")
            + ".",
            f"Chủ trì: {chair.full_name if chair else '—'}; thư ký: {secretary.full_name if secretary else '—'}."]
    body += [f"- {m.full_name}, {COUNCIL_ROLES.get(m.role, m.role)}" + (f", {m.job_title}" if m.job_title else "")
             + ("" if m.id in present else " (vắng)") + ";" for m in members]
    body.append(Heading("II. NỘI DUNG VÀ KẾT QUẢ BIỂU QUYẾT"))
    if session.content:
        body.append(session.content)
    rows = []
    for i, item in enumerate(session.items, start=1):
        n = item.nomination
        o = item.outcome or {}
        recused = "; ".join(f"{r}" for r in (o.get("recused_names") or {}).values())
        rows.append([str(i), n.nominee.display_name, n.award_type.name,
                     "Bỏ phiếu kín" if item.method == "secret" else "Công khai",
                     f"{item.votes_for or 0}/{o.get('base', '')}", item.result_label
                     + (f" (không biểu quyết: {recused})" if recused else "")])
    body.append(Table(["STT", "Người, tập thể được đề nghị", "Danh hiệu, hình thức", "Hình thức biểu quyết",
                       "Đồng ý", "Kết quả"], rows, column_widths_cm=[1.1, 4.0, 3.6, 2.6, 1.7, 3.5]))
    rules = sorted({(item.outcome or {}).get("rule", "") + " (" + (item.outcome or {}).get("article", "") + ")"
                    for item in session.items if item.outcome})
    body += [f"Quy định áp dụng: {r}." for r in rules]
    body.append(f"Biên bản được thông qua tại phiên họp; thư ký: {secretary.full_name if secretary else '—'}.")
    return OfficialDocument(
        issuer_name=["HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"], issuer_parent=f"ỦY BAN NHÂN DÂN {_unit_title(unit)}",
        number_symbol=session.minutes_symbol or "…/BB-HĐTĐKT",
        place_date=format_place_date(_place(unit), session.held_on), doc_kind_title="BIÊN BẢN",
        title_lines=["Họp Hội đồng Thi đua – Khen thưởng xét đề nghị khen thưởng"], body=body,
        recipients=["Các thành viên Hội đồng", "Lưu: VT, TĐKT"], filed_at="VT, TĐKT",
        signature=Signature("TM. HỘI ĐỒNG", "CHỦ TỊCH HỘI ĐỒNG", chair.full_name if chair else ""))


def _att(session, member_id):
    return next((a for a in session.attendance if a.member_id == member_id), None)


# --- Certificates on pre-printed blanks ---------------------------------------------------------------

CERTIFICATE_FIELDS = {
    "title": ("Tên hình thức (GIẤY KHEN)", 0, 70, 20),
    "name": ("Họ và tên, tên tập thể", 0, 95, 22),
    "body": ("Thôn, xóm, cơ quan", 0, 110, 15),
    "achievement": ("Thành tích (dòng “Đã có thành tích …”)", 0, 122, 14),
    "decision": ("Số quyết định, ngày", 30, 175, 12),
    "place_date": ("Địa danh, ngày tháng năm", 160, 150, 13),
    "signer": ("Họ tên người ký", 160, 190, 15),
}
#: A field's x of 0 means centred across the sheet.


def layout_fields_text(fields) -> str | None:
    """A certificate layout's positions as the audit trail shows them."""
    if not isinstance(fields, dict):
        return None
    parts = []
    for key, at in fields.items():
        name = CERTIFICATE_FIELDS[key][0] if key in CERTIFICATE_FIELDS else key
        if isinstance(at, dict):
            x = "giữa" if at.get("x") == 0 else f"{at.get('x')} mm"
            parts.append(f"{name}: trái {x}, trên {at.get('y')} mm, cỡ {at.get('size')}")
        else:
            parts.append(f"{name}: {at}")
    return "; ".join(parts)


def layout_for(unit_id: int) -> CertificateLayout:
    layout = db.session.scalar(select(CertificateLayout).where(CertificateLayout.unit_id == unit_id))
    if layout is None:
        layout = CertificateLayout(unit_id=unit_id, page_width_mm=297, page_height_mm=210,
                                   fields={k: {"x": v[1], "y": v[2], "size": v[3]} for k, v in
                                           CERTIFICATE_FIELDS.items()})
    missing = {k: {"x": v[1], "y": v[2], "size": v[3]} for k, v in CERTIFICATE_FIELDS.items()
               if k not in (layout.fields or {})}
    if missing:
        layout.fields = {**(layout.fields or {}), **missing}
    return layout


def save_layout(unit: Unit, data: dict) -> CertificateLayout:
    layout = layout_for(unit.id)
    width, height = data["page_width_mm"], data["page_height_mm"]
    fields = {}
    for key in CERTIFICATE_FIELDS:
        x, y, size = data[f"{key}_x"], data[f"{key}_y"], data[f"{key}_size"]
        if x > width:
            raise season.SeasonError(f"Vị trí ngang vượt quá khổ giấy ({width} mm).", f"{key}_x")
        if y > height:
            raise season.SeasonError(f"Vị trí dọc vượt quá khổ giấy ({height} mm).", f"{key}_y")
        fields[key] = {"x": x, "y": y, "size": size}
    layout.page_width_mm, layout.page_height_mm, layout.fields = width, height, fields
    layout.print_labels = bool(data.get("print_labels"))
    if layout.id is None:
        db.session.add(layout)
    db.session.commit()
    return layout


def _frame(paragraph, x_mm: float, y_mm: float, width_mm: float) -> None:
    """Pin a paragraph at an absolute position of the page (a text frame: Word and LibreOffice honour it)."""
    frame = OxmlElement("w:framePr")
    frame.set(qn("w:w"), str(int(Mm(width_mm).twips)))
    frame.set(qn("w:hAnchor"), "page")
    frame.set(qn("w:vAnchor"), "page")
    frame.set(qn("w:x"), str(int(Mm(x_mm).twips)))
    frame.set(qn("w:y"), str(int(Mm(y_mm).twips)))
    frame.set(qn("w:wrap"), "around")
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, frame)


def certificate_values(award: Award) -> dict[str, str]:
    decision = award.decision
    unit = db.session.get(Unit, award.unit_id)
    title = "GIẤY KHEN" if award.award_code == "giay_khen" else "GIẤY CHỨNG NHẬN"
    achievement = (f"Đã đạt danh hiệu {award.award_type.name} năm {award.year}" if award.award_type.category == "title"
                   else "Đã có thành tích xuất sắc" + (f" năm {award.year}" if award.year else ""))
    nomination = db.session.get(Nomination, award.nomination_id) if award.nomination_id else None
    if nomination and nomination.movement_name:
        achievement += f" trong {nomination.movement_name}"
    return {"title": title, "name": award.nominee_name, "body": award.body_name or "",
            "achievement": achievement,
            "decision": f"Quyết định số {decision.number_symbol} ngày {format_date(decision.decided_on)}",
            "place_date": format_place_date(_place(unit), decision.decided_on),
            "signer": decision.signer_name}


def certificates_docx(awards: list[Award], layout: CertificateLayout) -> bytes:
    """One page per awardee; only the variable fields, each at its position on the blank."""
    document = Document()
    section = document.sections[0]
    width, height = layout.page_width_mm, layout.page_height_mm
    section.orientation = WD_ORIENT.LANDSCAPE if width > height else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    for margin in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, margin, Mm(5))
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr()
    for paragraph in list(document.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)
    for index, award in enumerate(awards):
        values = certificate_values(award)
        first = None
        for key, (label, *_defaults) in CERTIFICATE_FIELDS.items():
            spec = layout.fields.get(key) or {}
            x, y, size = float(spec.get("x", 0)), float(spec.get("y", 0)), float(spec.get("size", 14))
            text = values[key]
            if not text:
                continue
            paragraph = document.add_paragraph()
            centred = x == 0
            box = width - 20 if centred else min(130.0, width - x - 5)
            _frame(paragraph, 10 if centred else x, y, max(box, 20))
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run((f"{label}: " if layout.print_labels else "") + text)
            run.font.size = Pt(size)
            run.font.name = "Times New Roman"
            run.font.bold = key in ("title", "name", "signer")
            run.font.italic = key == "place_date"
            first = first or paragraph
        if index < len(awards) - 1:
            breaker = document.add_paragraph()
            breaker.add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
