"""Excel exports of the awards lists: the columns and the rows of each list, read from the list's own
statement (its filters, every page) as a generator. The identity number is never exported: no list
shows it."""
from __future__ import annotations

from sqlalchemy import select

from thiduaweb.awards import season, services
from thiduaweb.awards.models import BASES, GENDERS, OCCUPATION_GROUPS
from thiduaweb.core.excel import xlsx_response
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

#: Rows fetched from the database at a time while a workbook is written.
BATCH = 500


def _stream(stmt):
    return db.session.scalars(stmt.execution_options(yield_per=BATCH))


def _subtitle(*parts) -> str:
    return "; ".join(p for p in parts if p)


def _percent(value: float | None) -> float | None:
    return round(value * 100, 1) if value is not None else None


NOMINATION_COLUMNS = ["Năm", "Đối tượng", "Loại", "Danh hiệu, hình thức", "Loại khen thưởng", "Đơn vị đề nghị",
                      "Trạng thái", "Ngày bình xét", "Công khai từ ngày", "Ngày thẩm định"]


def nominations(unit, filters: dict, *, states: dict, award_name: str = ""):
    rows = ([n.year, n.nominee.display_name, n.nominee.kind_label, n.award_type.name,
             BASES.get(n.basis, n.basis), n.proposing_body.name if n.proposing_body else "", n.state_label,
             n.review_on, n.posted_from, n.appraised_on]
            for n in _stream(services.nominations_query(unit.id, q=filters["q"], state=filters["state"],
                                                        year=filters["year"], award_code=filters["award"])))
    subtitle = _subtitle(f"Năm {filters['year']}" if filters["year"] else "", states.get(filters["state"], ""),
                         award_name, f"Tên có: {filters['q']}" if filters["q"] else "")
    return xlsx_response(f"de-nghi-khen-thuong-{unit.slug}", NOMINATION_COLUMNS, rows,
                         title=f"Đề nghị khen thưởng — {unit.name}", subtitle=subtitle)


NOMINEE_COLUMNS = ["Họ và tên, tên tập thể", "Loại", "Giới tính", "Năm sinh", "Chức vụ, nghề nghiệp",
                   "Thôn, xóm, cơ quan", "Nhóm", "Số thành viên"]


def nominees(unit, filters: dict, *, kinds: dict, body_name: str = ""):
    rows = ([n.display_name, n.kind_label, GENDERS.get(n.gender or "", ""), n.birth_year, n.position or "",
             n.body.name if n.body else "", n.occupation_label, n.member_count]
            for n in _stream(services.nominees_query(unit.id, q=filters["q"], kind=filters["kind"],
                                                     body_id=filters["body"])))
    subtitle = _subtitle(kinds.get(filters["kind"], ""), body_name, f"Tên có: {filters['q']}" if filters["q"] else "")
    return xlsx_response(f"doi-tuong-khen-thuong-{unit.slug}", NOMINEE_COLUMNS, rows,
                         title=f"Đối tượng khen thưởng — {unit.name}", subtitle=subtitle)


REGISTER_COLUMNS = ["Năm", "Danh hiệu, hình thức", "Người, tập thể, hộ", "Loại", "Thôn, xóm, cơ quan", "Nhóm",
                    "Số quyết định", "Ngày quyết định", "Cấp khen", "Ngày thu hồi"]


def register(unit, filters: dict, *, award_name: str = ""):
    rows = ([a.year, a.award_type.name, a.nominee_name, a.nominee_kind_label, a.body_name or "",
             OCCUPATION_GROUPS.get(a.occupation_group or "", ""), a.decision.number_symbol, a.decision.decided_on,
             unit.name if a.unit_id == unit.id else "Cấp trên", a.revoked_on]
            for a in _stream(services.register_query(unit.id, q=filters["q"], year=filters["year"],
                                                     award_code=filters["award"], body=filters["body"],
                                                     kind=filters["kind"])))
    subtitle = _subtitle(f"Năm {filters['year']}" if filters["year"] else "", award_name,
                         f"Thôn, xóm, cơ quan: {filters['body']}" if filters["body"] else "",
                         f"Tên có: {filters['q']}" if filters["q"] else "")
    return xlsx_response(f"so-khen-thuong-{unit.slug}", REGISTER_COLUMNS, rows,
                         title=f"Sổ khen thưởng — {unit.name}", subtitle=subtitle)


QUEUE_COLUMNS = ["Tờ trình", "Đơn vị đề nghị", "Đối tượng", "Chức vụ, nghề nghiệp", "Danh hiệu, hình thức", "Năm",
                 "Trạng thái"]


def queue(unit):
    found = services.incoming_queue(unit.id)
    origins = {n.origin_unit_id for n in found if n.origin_unit_id}
    names = {uid: name for uid, name in db.session.execute(
        select(Unit.id, Unit.name).where(Unit.id.in_(origins)))} if origins else {}
    rows = ([n.origin_proposal_symbol or "", names.get(n.origin_unit_id, ""), n.nominee.display_name,
             n.nominee.position or "", n.award_type.name, n.year, n.state_label] for n in found)
    return xlsx_response(f"de-nghi-tu-cap-duoi-{unit.slug}", QUEUE_COLUMNS, rows,
                         title=f"Đề nghị từ cấp dưới — {unit.name}")


DECISION_COLUMNS = ["Số, ký hiệu", "Ngày", "Trích yếu", "Người ký", "Số người, tập thể", "Tiền thưởng (đồng)"]


def decisions(unit, year: int | None):
    found = season.decisions(unit.id, year)
    totals = season.decision_totals(found)
    rows = ([d.number_symbol, d.decided_on, d.title, d.signer_name, len(d.awards), totals[d.id]] for d in found)
    return xlsx_response(f"quyet-dinh-khen-thuong-{unit.slug}", DECISION_COLUMNS, rows,
                         title=f"Quyết định khen thưởng — {unit.name}", subtitle=f"Năm {year}" if year else "")


FUND_COLUMNS = ["Ngày", "Loại", "Nội dung", "Số tiền (đồng)"]


def fund(unit, year: int):
    rows = ([e.entry_on, e.kind_label, e.description, e.signed_amount]
            for e in _stream(season.fund_entries_query(unit.id, year)))
    return xlsx_response(f"so-quy-thi-dua-khen-thuong-{unit.slug}-{year}", FUND_COLUMNS, rows,
                         title=f"Sổ quỹ thi đua, khen thưởng năm {year} — {unit.name}")


DUPLICATE_COLUMNS = ["Đơn vị", "Đối tượng", "Năm sinh", "Danh hiệu, hình thức", "Năm", "Trạng thái"]


def duplicates(unit, nomination):
    rows = ([u.name, other.nominee.display_name, other.nominee.birth_year, other.award_type.name, other.year,
             other.state_label] for other, u in season.duplicates_of(nomination))
    return xlsx_response(f"de-nghi-trung-{nomination.id}", DUPLICATE_COLUMNS, rows,
                         title=f"Đề nghị trùng — {nomination.nominee.display_name}",
                         subtitle=f"{nomination.award_type.name} năm {nomination.year}")


SHARE_COLUMNS = ["Đơn vị", "Cá nhân đã khen", "Trong đó lao động trực tiếp", "Tỷ lệ (%)",
                 "Đề nghị đang thẩm định", "Dự kiến, tính cả đang thẩm định (%)", "Đánh giá"]


def share(unit, year: int, units: list, shares: dict):
    def verdict(s):
        if not (s.total or s.pending_total):
            return "Chưa có số liệu"
        return "Chưa đạt" if s.below_target else "Đạt"

    rows = ([u.name, shares[u.id].total, shares[u.id].direct, _percent(shares[u.id].share),
             shares[u.id].pending_total, _percent(shares[u.id].projected), verdict(shares[u.id])] for u in units)
    target = next(iter(shares.values())).target if shares else 0.3
    return xlsx_response(f"ty-le-lao-dong-truc-tiep-{unit.slug}-{year}", SHARE_COLUMNS, rows,
                         title=f"Tỷ lệ khen thưởng người lao động trực tiếp năm {year} — {unit.name}",
                         subtitle=f"Chỉ tiêu: trên {_percent(target):g}% số cá nhân được khen")
