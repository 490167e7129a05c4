"""Excel exports of the awards lists: the columns and the rows of each list, read from the list's own
statement (its filters, every page) as a generator. The identity number is never exported: no list
shows it."""
from __future__ import annotations

from sqlalchemy import select

from thiduaweb.awards import rules, season, services
from thiduaweb.awards.models import BASES, GENDERS, OCCUPATION_GROUPS
from thiduaweb.core.excel import xlsx_response
from thiduaweb.core.jobs import ExportSpec, count_of, export_source
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


def _int(args, name: str) -> int | None:
    value = str(args.get(name, "") or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def nomination_filters(args) -> dict:
    """The nominations list's filters, from its query string (the page, its export, the worker)."""
    from thiduaweb.awards import workflow

    filters = {"q": str(args.get("q", "")).strip()[:160], "state": args.get("state", ""), "year": _int(args, "year"),
               "award": str(args.get("award", ""))[:40]}
    if filters["state"] not in workflow.STATES:
        filters["state"] = ""
    return filters


def nominee_filters(args) -> dict:
    from thiduaweb.awards.models import NOMINEE_KINDS

    filters = {"q": str(args.get("q", "")).strip()[:160], "kind": args.get("kind", ""), "body": _int(args, "body")}
    if filters["kind"] not in NOMINEE_KINDS:
        filters["kind"] = ""
    return filters


def register_filters(args) -> dict:
    from thiduaweb.awards.models import NOMINEE_KINDS

    filters = {"q": str(args.get("q", "")).strip()[:160], "year": _int(args, "year"),
               "award": str(args.get("award", ""))[:40], "body": str(args.get("body", "")).strip()[:160],
               "kind": args.get("kind", "")}
    if filters["kind"] not in NOMINEE_KINDS:
        filters["kind"] = ""
    return filters


@export_source("awards.nominations", "nomination.view")
def nominations_source(unit, args) -> ExportSpec:
    from thiduaweb.awards import workflow

    filters = nomination_filters(args)
    stmt = services.nominations_query(unit.id, q=filters["q"], state=filters["state"], year=filters["year"],
                                      award_code=filters["award"])
    rows = lambda: ([n.year, n.nominee.display_name, n.nominee.kind_label, n.award_type.name,  # noqa: E731
                     BASES.get(n.basis, n.basis), n.proposing_body.name if n.proposing_body else "", n.state_label,
                     n.review_on, n.posted_from, n.appraised_on] for n in _stream(stmt))
    subtitle = _subtitle(f"Năm {filters['year']}" if filters["year"] else "", workflow.STATES.get(filters["state"], ""),
                         rules.award_name(filters["award"]), f"Tên có: {filters['q']}" if filters["q"] else "")
    return ExportSpec(filename=f"de-nghi-khen-thuong-{unit.slug}", columns=NOMINATION_COLUMNS, rows=rows,
                      count=lambda: count_of(stmt), title=f"Đề nghị khen thưởng — {unit.name}", subtitle=subtitle)


NOMINEE_COLUMNS = ["Họ và tên, tên tập thể", "Loại", "Giới tính", "Năm sinh", "Chức vụ, nghề nghiệp",
                   "Thôn, xóm, cơ quan", "Nhóm", "Số thành viên"]


@export_source("awards.nominees", "nominee.view")
def nominees_source(unit, args) -> ExportSpec:
    from thiduaweb.awards.models import NOMINEE_KINDS
    from thiduaweb.units.services import bodies_of

    filters = nominee_filters(args)
    stmt = services.nominees_query(unit.id, q=filters["q"], kind=filters["kind"], body_id=filters["body"])
    rows = lambda: ([n.display_name, n.kind_label, GENDERS.get(n.gender or "", ""), n.birth_year,  # noqa: E731
                     n.position or "", n.body.name if n.body else "", n.occupation_label, n.member_count]
                    for n in _stream(stmt))
    body_name = next((b.name for b in bodies_of(unit.id) if b.id == filters["body"]), "") if filters["body"] else ""
    subtitle = _subtitle(NOMINEE_KINDS.get(filters["kind"], ""), body_name,
                         f"Tên có: {filters['q']}" if filters["q"] else "")
    return ExportSpec(filename=f"doi-tuong-khen-thuong-{unit.slug}", columns=NOMINEE_COLUMNS, rows=rows,
                      count=lambda: count_of(stmt), title=f"Đối tượng khen thưởng — {unit.name}", subtitle=subtitle)


REGISTER_COLUMNS = ["Năm", "Danh hiệu, hình thức", "Người, tập thể, hộ", "Loại", "Thôn, xóm, cơ quan", "Nhóm",
                    "Số quyết định", "Ngày quyết định", "Cấp khen", "Ngày thu hồi"]


def _register_award_name(code: str) -> str:
    """The title's name as the register's filter shows it (its first regulation's wording)."""
    if not code:
        return ""
    from thiduaweb.awards.models import AwardType, RegulationVersion

    name = db.session.scalar(select(AwardType.name).join(RegulationVersion, RegulationVersion.id == AwardType.version_id)
                             .where(AwardType.code == code).order_by(RegulationVersion.valid_from).limit(1))
    return name or ""


@export_source("awards.register", "register.view")
def register_source(unit, args) -> ExportSpec:
    filters = register_filters(args)
    stmt = services.register_query(unit.id, q=filters["q"], year=filters["year"], award_code=filters["award"],
                                   body=filters["body"], kind=filters["kind"])
    rows = lambda: ([a.year, a.award_type.name, a.nominee_name, a.nominee_kind_label, a.body_name or "",  # noqa: E731
                     OCCUPATION_GROUPS.get(a.occupation_group or "", ""), a.decision.number_symbol,
                     a.decision.decided_on, unit.name if a.unit_id == unit.id else "Cấp trên", a.revoked_on]
                    for a in _stream(stmt))
    subtitle = _subtitle(f"Năm {filters['year']}" if filters["year"] else "", _register_award_name(filters["award"]),
                         f"Thôn, xóm, cơ quan: {filters['body']}" if filters["body"] else "",
                         f"Tên có: {filters['q']}" if filters["q"] else "")
    return ExportSpec(filename=f"so-khen-thuong-{unit.slug}", columns=REGISTER_COLUMNS, rows=rows,
                      count=lambda: count_of(stmt), title=f"Sổ khen thưởng — {unit.name}", subtitle=subtitle)


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
