"""The annual report (báo cáo tổng kết công tác thi đua, khen thưởng năm …) of a commune or the city.

Its figures come from the data: the summary rows for the counts and the register for the tables.
As .docx (Nghị định 30/2020 layout through core.documents) and .xlsx with the standard tables.
A report is numbered (…/BC-UBND) once, when the unit issues it; before that it is a draft.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass

import xlsxwriter
from sqlalchemy import func, select

from thiduaweb.awards.models import DIRECT_LABOUR_GROUPS, NOMINEE_KINDS, Award, AwardType
from thiduaweb.complaints.models import KINDS as PETITION_KINDS, STATUSES as PETITION_STATUSES, Petition
from thiduaweb.core import clock
from thiduaweb.core.documents import (Heading, OfficialDocument, Paragraph, Signature, Table, format_place_date)
from thiduaweb.core.numbering import issue_number, number_of
from thiduaweb.core.tenancy import all_units
from thiduaweb.core.vntext import format_number
from thiduaweb.dashboard import services
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

OBJECT_TYPE = "AnnualReport"
CATEGORY_LABELS = {"title": "Danh hiệu thi đua", "form": "Hình thức khen thưởng"}


@dataclass
class ReportData:
    unit: Unit
    year: int
    figures: dict
    by_award: list  # (category label, award name, persons, collectives, households, total)
    by_kind: list  # (kind label, count)
    share: list  # (unit name, persons, direct, percent or None)
    petitions: list  # (kind label, received, {status: n})
    statuses: list  # status keys in column order


def _unit_ids(unit: Unit) -> list[int]:
    if unit.is_commune_level:
        return [unit.id]
    return [unit.id] + list(db.session.scalars(select(Unit.id).where(Unit.parent_id == unit.id)))


def collect(unit: Unit, year: int) -> ReportData:
    ids = _unit_ids(unit)
    if unit.is_commune_level:
        figures = services.unit_figures(unit, year)
    else:
        figures = services.city_table(unit, year).totals
        own = services.unit_figures(unit, year)
        for key in ("award_total", "award_person", "award_direct"):
            figures[key] = (figures.get(key) or 0) + (own.get(key) or 0)
    live = Award.revoked_on.is_(None)
    rows = db.session.execute(all_units(
        select(AwardType.category, Award.award_code, func.max(AwardType.name), Award.nominee_kind, func.count())
        .join(AwardType, AwardType.id == Award.award_type_id)
        .where(Award.unit_id.in_(ids), Award.year == year, live)
        .group_by(AwardType.category, Award.award_code, Award.nominee_kind))).all()
    table: dict = {}
    for category, code, name, kind, n in rows:
        entry = table.setdefault((category, code), {"name": name, "person": 0, "collective": 0, "household": 0})
        entry[kind] = entry.get(kind, 0) + n
    by_award = [(CATEGORY_LABELS.get(cat, cat), e["name"], e["person"], e["collective"], e["household"],
                 e["person"] + e["collective"] + e["household"])
                for (cat, _code), e in sorted(table.items(), key=lambda kv: (kv[0][0] != "title", kv[1]["name"]))]
    kinds: dict = {}
    for _cat, _code, _name, kind, n in rows:
        kinds[kind] = kinds.get(kind, 0) + n
    by_kind = [(NOMINEE_KINDS.get(k, k), kinds.get(k, 0)) for k in NOMINEE_KINDS]
    direct = Award.occupation_group.in_(sorted(DIRECT_LABOUR_GROUPS))
    share_rows = db.session.execute(all_units(
        select(Unit.name, func.count(Award.id), func.sum(func.cast(direct, db.Integer)))
        .join(Unit, Unit.id == Award.unit_id)
        .where(Award.unit_id.in_(ids), Award.year == year, live, Award.nominee_kind == "person")
        .group_by(Unit.name).order_by(Unit.name))).all()
    share = [(name, total, int(d or 0), (int(d or 0) * 100.0 / total) if total else None)
             for name, total, d in share_rows]
    year_clause = func.extract("year", Petition.received_on) == year
    prow = db.session.execute(all_units(
        select(Petition.kind, Petition.status, func.count()).where(Petition.unit_id.in_(ids), year_clause)
        .group_by(Petition.kind, Petition.status))).all()
    statuses = [s for s in PETITION_STATUSES if any(r[1] == s for r in prow)]
    petitions = []
    for kind, label in PETITION_KINDS.items():
        counts = {s: n for k, s, n in prow if k == kind}
        petitions.append((label, sum(counts.values()), counts))
    return ReportData(unit, year, figures, by_award, by_kind, share, petitions, statuses)


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")


def _n(value) -> str:
    return format_number(value or 0)


def _unit_title(unit: Unit) -> str:
    return unit.name.upper()


def issue(unit: Unit, year: int):
    """Number the report (…/BC-UBND) and keep the number; returns the IssuedNumber (commits)."""
    existing = number_of(OBJECT_TYPE, year, "BC")
    if existing and existing.unit_id == unit.id:
        return existing
    issued = issue_number(unit.id, "BC", clock.today(), object_type=OBJECT_TYPE, object_id=year)
    db.session.commit()
    return issued


def document(data: ReportData) -> OfficialDocument:
    unit, year, f = data.unit, data.year, data.figures
    issued = number_of(OBJECT_TYPE, year, "BC")
    number_symbol = issued.symbol if issued and issued.unit_id == unit.id else "     /BC-UBND"
    place = unit.place_name if getattr(unit, "place_name", None) else unit.name
    scope = "trên địa bàn" if unit.is_commune_level else "của các xã, phường trực thuộc"
    body = [
        Heading("I. KẾT QUẢ TRIỂN KHAI CÔNG TÁC THI ĐUA"),
        Paragraph(f"Năm {year}, {unit.name} đã ban hành {_n(f.get('plans_adopted'))} kế hoạch thực hiện kế hoạch "
                  f"của cấp trên (trong đó {_n(f.get('plans_late'))} kế hoạch ban hành muộn); triển khai "
                  f"{_n(f.get('mov_running'))} phong trào thi đua; tiến độ bình quân các chỉ tiêu đạt "
                  f"{_pct(f.get('mov_progress'))}."),
        Heading("II. KẾT QUẢ CÔNG TÁC KHEN THƯỞNG"),
        Paragraph(f"Tiếp nhận {_n(f.get('nom_total'))} đề nghị khen thưởng {scope}; đã khen thưởng "
                  f"{_n(f.get('award_total'))} lượt, trong đó {_n(f.get('award_title'))} danh hiệu thi đua và "
                  f"{_n(f.get('award_form'))} hình thức khen thưởng. Tỷ lệ khen thưởng công nhân, nông dân, người "
                  f"lao động trực tiếp đạt {_pct(f.get('share'))} (chỉ tiêu trên 30%)."),
        Table(["STT", "Loại", "Danh hiệu, hình thức", "Cá nhân", "Tập thể", "Hộ gia đình", "Cộng"],
              [[str(i), *[str(c) if isinstance(c, str) else _n(c) for c in row]]
               for i, row in enumerate(data.by_award, start=1)] or [["", "Chưa có khen thưởng", "", "", "", "", ""]],
              column_widths_cm=[1.0, 3.0, 4.6, 1.9, 1.9, 2.2, 1.6]),
        Heading("III. CÔNG TÁC GIẢI QUYẾT ĐƠN THƯ VỀ THI ĐUA, KHEN THƯỞNG"),
        Paragraph(f"Tiếp nhận {_n(sum(p[1] for p in data.petitions))} đơn thư; hiện còn {_n(f.get('pet_open'))} đơn "
                  f"đang giải quyết, trong đó {_n(f.get('pet_overdue'))} đơn quá hạn."),
        Table(["Loại đơn", "Tiếp nhận", *[PETITION_STATUSES[s] for s in data.statuses]],
              [[label, _n(total), *[_n(counts.get(s, 0)) for s in data.statuses]]
               for label, total, counts in data.petitions]),
        Heading("IV. TỰ KIỂM TRA"),
        Paragraph(f"Điểm tự kiểm tra gần nhất: {'—' if f.get('insp_score') is None else _n(f.get('insp_score'))}; "
                  f"còn {_n(f.get('ca_open'))} biện pháp khắc phục chưa hoàn thành."),
        Heading("V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM " + str(year + 1)),
        Paragraph("Tiếp tục đổi mới nội dung, hình thức tổ chức các phong trào thi đua; nâng cao chất lượng công "
                  "tác khen thưởng, bảo đảm tỷ lệ khen thưởng công nhân, nông dân, người lao động trực tiếp trên 30%; "
                  "giải quyết đơn thư đúng thời hạn."),
    ]
    return OfficialDocument(
        issuer_name=["ỦY BAN NHÂN DÂN", _unit_title(unit)], number_symbol=number_symbol,
        place_date=format_place_date(place, clock.today()), doc_kind_title="BÁO CÁO",
        title_lines=[f"Tổng kết công tác thi đua, khen thưởng năm {year}"], body=body,
        recipients=[("UBND " + unit.parent.name) if unit.parent else "Cấp trên", "Lưu: VT, TĐKT"],
        signature=Signature("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", ""))


def workbook(data: ReportData) -> bytes:
    """The standard tables, one sheet each, with frozen headers and filters."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        book = xlsxwriter.Workbook(handle.name, {"constant_memory": True})
        head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True})
        cell = book.add_format({"border": 1})
        pct = book.add_format({"border": 1, "num_format": "0.0"})
        title = book.add_format({"bold": True, "font_size": 13})

        def sheet(name, heading, columns, rows, formats=None):
            ws = book.add_worksheet(name)
            ws.write(0, 0, f"{heading} — {data.unit.name}, năm {data.year}", title)
            for c, label in enumerate(columns):
                ws.write(2, c, label, head)
                ws.set_column(c, c, max(12, len(label) + 2))
            r = 2
            for r, row in enumerate(rows, start=3):
                for c, value in enumerate(row):
                    fmt = (formats or {}).get(c, cell)
                    if value is None:
                        ws.write_blank(r, c, None, fmt)
                    else:
                        ws.write(r, c, value, fmt)
            ws.freeze_panes(3, 0)
            ws.autofilter(2, 0, max(r, 2), len(columns) - 1)

        sheet("Theo danh hiệu, hình thức", "Khen thưởng theo danh hiệu, hình thức",
              ["Loại", "Danh hiệu, hình thức", "Cá nhân", "Tập thể", "Hộ gia đình", "Cộng"], data.by_award)
        sheet("Theo đối tượng", "Khen thưởng theo đối tượng", ["Đối tượng", "Số lượt"], data.by_kind)
        sheet("Tỷ lệ 30%", "Tỷ lệ khen thưởng công nhân, nông dân, người lao động trực tiếp",
              ["Đơn vị", "Khen thưởng cá nhân", "Trong đó CN, ND, LĐTT", "Tỷ lệ (%)"],
              [(n, t, d, p) for n, t, d, p in data.share], {3: pct})
        sheet("Đơn thư", "Đơn thư theo loại và kết quả",
              ["Loại đơn", "Tiếp nhận", *[PETITION_STATUSES[s] for s in data.statuses]],
              [(label, total, *[counts.get(s, 0) for s in data.statuses]) for label, total, counts in data.petitions])
        book.close()
        handle.seek(0)
        return handle.read()
