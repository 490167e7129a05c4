"""Awards services: nominees, nominations and their dossier, objections, freezes, the register, shares.

Plain functions with explicit arguments; each public function that writes is one unit of work
(it commits, or raises `AwardsError` with a Vietnamese message and the field it concerns).
The interface for the complaints desk: `freeze_nominee`, `lift_freeze`, `nomination_frozen_reason`,
and `OBJECTION_FORWARDERS` (called when an objection is forwarded to become a petition).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from thiduaweb.awards import rules
from thiduaweb.core.listing import ALONG_PREFIX, Page, page_of_rows, paged_select, paginate
from thiduaweb.awards.models import (NOMINEE_KINDS, QUEUE_CLOSED_STATES, Award, AwardType,
                                     Decision, Nomination, NominationStep, Nominee, NomineeFreeze, Objection)
from thiduaweb.awards.rules import nomination_frozen_reason  # noqa: F401 - part of this module's interface
from thiduaweb.core import audit, clock
from thiduaweb.core.clock import today
from thiduaweb.core.tenancy import all_units
from thiduaweb.core.vntext import fold, name_sort_key
from thiduaweb.extensions import db
from thiduaweb.units.models import Body, Unit


class AwardsError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _now():
    return clock.now()


# --- Nominees ----------------------------------------------------------------------------------------

NOMINEE_FIELDS = ("kind", "name", "gender", "birth_year", "position", "body_id", "occupation_group",
                  "identity_number", "member_count", "note")


def nominees_query(unit_id: int, *, q: str = "", kind: str = "", body_id: int | None = None):
    """The nominees list's statement: a unit's active nominees, found without diacritics, people first
    and sorted by given name (then collectives and households), with their body loaded."""
    stmt = select(Nominee).where(Nominee.unit_id == unit_id, Nominee.active.is_(True))
    if q:
        stmt = stmt.where(Nominee.name_folded.contains(fold(q)))
    if kind:
        stmt = stmt.where(Nominee.kind == kind)
    if body_id:
        stmt = stmt.where(Nominee.body_id == body_id)
    return (stmt.options(joinedload(Nominee.body))
            .order_by(case((Nominee.kind == "person", 0), else_=1), Nominee.sort_key, Nominee.id))


def search_nominees(unit_id: int, *, q: str = "", kind: str = "", body_id: int | None = None,
                    limit: int | None = None) -> list[Nominee]:
    """A unit's nominees, found without diacritics, people sorted by given name."""
    stmt = nominees_query(unit_id, q=q, kind=kind, body_id=body_id)
    return list(db.session.scalars(stmt.limit(limit) if limit else stmt))


def nominees_page(unit_id: int, page: int | None, size: int | None = None, **filters) -> Page:
    return paginate(nominees_query(unit_id, **filters), page, size)


def get_nominee(nominee_id: int) -> Nominee | None:
    return db.session.get(Nominee, nominee_id)


def _check_body(unit_id: int, body_id: int | None, field: str = "body_id") -> None:
    if body_id and db.session.get(Body, body_id) is None:
        raise AwardsError("Thôn, xóm, cơ quan không thuộc đơn vị.", field)


def save_nominee(unit: Unit, data: dict, nominee: Nominee | None = None) -> Nominee:
    _check_body(unit.id, data.get("body_id"))
    if data.get("kind") == "collective" and not data.get("body_id") and not data.get("name"):
        raise AwardsError("Nhập tên tập thể hoặc chọn cơ quan, đơn vị.", "name")
    if nominee is None:
        nominee = Nominee(unit_id=unit.id)
        db.session.add(nominee)
    for key in NOMINEE_FIELDS:
        if key in data:
            setattr(nominee, key, data[key])
    nominee.name = " ".join(nominee.name.split())
    nominee.name_folded = fold(nominee.name)
    if nominee.kind != "person":
        nominee.gender = nominee.gender if nominee.kind == "household" else None
        nominee.birth_year = None if nominee.kind == "collective" else nominee.birth_year
    db.session.flush()
    if not nominee.lineage_key:
        nominee.lineage_key = f"{unit.id}:{nominee.id}"
        nominee.origin_unit_id = unit.id
    db.session.commit()
    return nominee


# --- Nominations -----------------------------------------------------------------------------------

NOMINATION_FIELDS = ("basis", "movement_id", "movement_name", "proposing_body_id", "achievements", "initiative",
                     "members_total", "members_completed", "members_ldtt", "members_cstdcs", "members_disciplined")


def award_choices(on=None) -> list[AwardType]:
    return rules.award_types_on(on or today())


def nominations_query(unit_id: int, *, q: str = "", state: str = "", year: int | None = None,
                      award_code: str = ""):
    """The nominations list's statement: filtered, newest year first, then by the nominee's given name
    (the nominee's key copied on the nomination), with the nominee, the title and the proposing body
    loaded in the same statement."""
    stmt = (select(Nomination).join(Nominee, (Nominee.id == Nomination.nominee_id)
                                    & (Nominee.unit_id == Nomination.unit_id))
            .join(AwardType, AwardType.id == Nomination.award_type_id)
            .where(Nomination.unit_id == unit_id))
    if q:
        stmt = stmt.where(Nominee.name_folded.contains(fold(q)))
    stmt = stmt.where(*_nomination_conditions(state, year))
    if award_code:
        stmt = stmt.where(AwardType.code == award_code)
    return (stmt.options(contains_eager(Nomination.nominee), contains_eager(Nomination.award_type),
                         joinedload(Nomination.proposing_body))
            .order_by(*NOMINATION_ORDER))


#: The list's order: newest year first, then by the nominee's given name (its key, copied).
NOMINATION_ORDER = (Nomination.year.desc(), Nomination.sort_key, Nomination.id)


def list_nominations(unit_id: int, *, q: str = "", state: str = "", year: int | None = None,
                     award_code: str = "") -> list[Nomination]:
    return list(db.session.scalars(nominations_query(unit_id, q=q, state=state, year=year, award_code=award_code)))


def nominations_page(unit_id: int, page: int | None, size: int | None = None, *, q: str = "", state: str = "",
                     year: int | None = None, award_code: str = "", overview_year: int | None = None) -> Page:
    """One page of the list and its total in one statement of plain rows (`NominationRow`s), with the
    overview of `overview_year` read along (`overview_of_page`)."""
    statement = _nominations_page_select(bool(q), bool(state), bool(year), bool(award_code))
    params = {"unit_id": unit_id, "q": fold(q), "state": state, "year": year, "award_code": award_code,
              "overview_year": overview_year or year or today().year}
    frame = page_of_rows(statement, params, page, size)
    names = rules.award_type_names()
    frame.items = [NominationRow(row, names) for row in frame.items]
    return frame


@functools.cache
def _nominations_page_select(by_name: bool, by_state: bool, by_year: bool, by_award: bool):
    """Built once per set of filters (bound parameters unit_id, q, state, year, award_code). The
    nominations are chosen and counted from their own table (the nominee's sort key is copied there),
    joined to the nominee only when the name is searched and to the title only when it is filtered; the
    page's rows then read their nominee's and proposing body's names. The title's name comes from the
    catalogue kept as reference data."""
    unit_id = bindparam("unit_id")
    mine = select(Nomination.id).where(Nomination.unit_id == unit_id)
    if by_state:
        mine = mine.where(Nomination.state == bindparam("state"))
    if by_year:
        mine = mine.where(Nomination.year == bindparam("year"))
    if by_name:
        mine = mine.join(Nominee, (Nominee.id == Nomination.nominee_id) & (Nominee.unit_id == Nomination.unit_id)
                         ).where(Nominee.name_folded.contains(bindparam("q")))
    if by_award:
        mine = mine.join(AwardType, AwardType.id == Nomination.award_type_id).where(
            AwardType.code == bindparam("award_code"))
    rows = mine.add_columns(Nomination.year, Nomination.state, Nomination.award_type_id, Nomination.nominee_id,
                            Nomination.proposing_body_id)
    return paged_select(mine, rows, NOMINATION_ORDER, dress=_dress_nomination_rows, along=_overview_along())


def _dress_nomination_rows(shown, joined):
    """The page's rows joined to their nominee and proposing body (both of the unit). The tables, not
    the entities: the unit scope's criteria would land in the WHERE clause and drop the rows without a
    proposing body; the page's rows are already in scope and the joins name the unit."""
    nominee, body, unit_id = Nominee.__table__.c, Body.__table__.c, bindparam("unit_id")
    return (select(shown, nominee.kind.label("nominee_kind"), nominee.name.label("nominee_name"),
                   nominee.gender.label("nominee_gender"), body.name.label("body_name"))
            .select_from(joined.outerjoin(Nominee.__table__, (nominee.id == shown.c.nominee_id)
                                          & (nominee.unit_id == unit_id))
                         .outerjoin(Body.__table__, (body.id == shown.c.proposing_body_id) & (body.unit_id == unit_id))))


class NominationRow:
    """A row of the nominations list: what the list shows, read as plain values."""

    __slots__ = ("id", "year", "state", "nominee_name", "nominee_kind_label", "award_name", "body_name")

    def __init__(self, row, award_names: dict[int, str]):
        self.id, self.year, self.state, self.body_name = row.id, row.year, row.state, row.body_name
        self.nominee_name = Nominee.display_name_of(row.nominee_kind, row.nominee_name, row.nominee_gender)
        self.nominee_kind_label = NOMINEE_KINDS.get(row.nominee_kind, row.nominee_kind)
        self.award_name = award_names.get(row.award_type_id, "")

    @property
    def state_label(self) -> str:
        from thiduaweb.awards.workflow import STATES

        return STATES.get(self.state, self.state)


def _nomination_conditions(state: str | None, year: int | None) -> list:
    return [*([Nomination.state == state] if state else []), *([Nomination.year == year] if year else [])]


def queue_query(unit_id: int):
    """The incoming queue's statement: nominations proposed to this unit by the units below it, still to
    be handled, oldest first, nominee and title loaded with them."""
    return (select(Nomination).where(Nomination.unit_id == unit_id, Nomination.origin_nomination_id.is_not(None),
                                     Nomination.state.not_in(QUEUE_CLOSED_STATES))
            .options(joinedload(Nomination.nominee), joinedload(Nomination.award_type))
            .order_by(Nomination.id))


def incoming_queue(unit_id: int) -> list[Nomination]:
    """Nominations proposed to this unit by the units below it, still to be handled."""
    return list(db.session.scalars(queue_query(unit_id)))


def get_nomination(nomination_id: int) -> Nomination | None:
    return db.session.get(Nomination, nomination_id)


def _resolve_award(year: int, award_code: str, nominee: Nominee) -> tuple[AwardType, object]:
    judged_on = rules.judged_on_for(year, today())
    try:
        award = rules.award_type_for(award_code, judged_on)
    except rules.RulesError as error:
        raise AwardsError(str(error), error.field or "award_code") from None
    if nominee.kind not in award.kinds:
        raise AwardsError(f"{award.name} chỉ xét tặng cho {award.applies_to_label.lower()}.", "award_code")
    return award, judged_on


def _check_duplicate(nominee: Nominee, award: AwardType, year: int, exclude_id: int | None = None) -> None:
    held = [a for a in rules.lineage_awards(nominee.lineage_key, code=award.code) if a.year == year]
    if held:
        raise AwardsError(f"{nominee.display_name} đã được tặng {award.name} năm {year} "
                          f"(Quyết định {held[0].decision.number_symbol}).", "award_code")
    live = [n for n in rules.lineage_nominations(nominee.lineage_key, code=award.code, year=year,
                                                 states=(*rules.PENDING_STATES, "draft")) if n.id != exclude_id]
    if live:
        raise AwardsError(f"{nominee.display_name} đã có đề nghị {award.name} năm {year} "
                          f"({live[0].state_label.lower()}).", "award_code")


def create_nomination(unit: Unit, actor, *, nominee_id: int, award_code: str, year: int, data: dict) -> Nomination:
    nominee = db.session.get(Nominee, nominee_id) if nominee_id else None
    if nominee is None:
        raise AwardsError("Chọn người, tập thể hoặc hộ gia đình được đề nghị.", "nominee_id")
    if not 2000 <= year <= today().year + 1:
        raise AwardsError(f"Năm phải từ 2000 đến {today().year + 1}.", "year")
    award, judged_on = _resolve_award(year, award_code, nominee)
    _check_duplicate(nominee, award, year)
    _check_body(unit.id, data.get("proposing_body_id"), "proposing_body_id")
    nomination = Nomination(unit_id=unit.id, nominee_id=nominee.id, award_type_id=award.id, year=year,
                            judged_on=judged_on, state="draft", created_by=actor.full_name)
    for key in NOMINATION_FIELDS:
        if key in data:
            setattr(nomination, key, data[key])
    db.session.add(nomination)
    db.session.flush()
    db.session.add(NominationStep(unit_id=unit.id, nomination_id=nomination.id, transition="create", from_state="",
                                  to_state="draft", actor_id=actor.id, actor_name=actor.full_name))
    db.session.commit()
    return nomination


def update_nomination(unit: Unit, nomination: Nomination, *, award_code: str, year: int, data: dict) -> Nomination:
    if nomination.state not in ("draft", "returned"):
        raise AwardsError("Chỉ sửa được đề nghị đang soạn hoặc bị trả lại.")
    if not 2000 <= year <= today().year + 1:
        raise AwardsError(f"Năm phải từ 2000 đến {today().year + 1}.", "year")
    award, judged_on = _resolve_award(year, award_code, nomination.nominee)
    _check_duplicate(nomination.nominee, award, year, exclude_id=nomination.id)
    _check_body(unit.id, data.get("proposing_body_id"), "proposing_body_id")
    nomination.award_type_id, nomination.year, nomination.judged_on = award.id, year, judged_on
    for key in NOMINATION_FIELDS:
        if key in data:
            setattr(nomination, key, data[key])
    db.session.commit()
    return nomination


def history(nomination: Nomination) -> list[NominationStep]:
    return list(db.session.scalars(select(NominationStep).where(
        NominationStep.nomination_id == nomination.id, NominationStep.unit_id == nomination.unit_id)
        .order_by(NominationStep.at, NominationStep.id)))


def related_nominations(nomination: Nomination) -> dict:
    """The commune's nomination this one came from, and where the proposal went (read across levels)."""
    origin = upward = None
    if nomination.origin_nomination_id:
        origin = db.session.scalar(all_units(select(Nomination).where(Nomination.id == nomination.origin_nomination_id)))
    if nomination.upward_nomination_id:
        upward = db.session.scalar(all_units(select(Nomination).where(Nomination.id == nomination.upward_nomination_id)))
    return {"origin": origin, "origin_unit": db.session.get(Unit, origin.unit_id) if origin else None,
            "upward": upward, "upward_unit": db.session.get(Unit, upward.unit_id) if upward else None}


def add_attachment(unit: Unit, nomination: Nomination, file_storage):
    """Attach a file (báo cáo thành tích...) to the dossier; raises AwardsError for a refused upload."""
    from thiduaweb.files.services import UploadRefused, save_upload

    if nomination.state in ("awarded", "refused", "proposed"):
        raise AwardsError("Hồ sơ đã khép lại, không thêm tệp được.", "file")
    if file_storage is None or not file_storage.filename:
        raise AwardsError("Chọn một tệp để tải lên.", "file")
    try:
        attachment = save_upload(file_storage, unit_id=unit.id, owner_type="Nomination", owner_id=nomination.id)
    except UploadRefused as error:
        db.session.rollback()
        raise AwardsError(str(error), "file") from None
    db.session.commit()
    return attachment


def attachments(nomination: Nomination) -> list:
    from thiduaweb.files.services import attachments_for

    return attachments_for("Nomination", nomination.id)


def origin_attachments(nomination: Nomination) -> list:
    """The commune's dossier of a proposal received from below (read across levels)."""
    if not nomination.origin_nomination_id:
        return []
    from thiduaweb.files.models import Attachment

    return list(db.session.scalars(all_units(select(Attachment).where(
        Attachment.owner_type == "Nomination", Attachment.owner_id == nomination.origin_nomination_id))))


# --- Objections (công khai) ---------------------------------------------------------------------------

#: Callables (objection, nomination, actor) → petition id or None, registered by the complaints desk.
OBJECTION_FORWARDERS: list = []


def posted_nominations(unit_id: int) -> list[Nomination]:
    """Nominations under công khai now: the public list."""
    now = today()
    stmt = (select(Nomination).where(Nomination.unit_id == unit_id, Nomination.state == "cong_khai",
                                     Nomination.posted_from <= now)
            .options(joinedload(Nomination.nominee).joinedload(Nominee.body), joinedload(Nomination.award_type)))
    return sorted(db.session.scalars(stmt), key=lambda n: name_sort_key(n.nominee.name))


def add_objection(unit_id: int, nomination_id: int, *, content: str, sender_name: str | None = None,
                  sender_contact: str | None = None) -> Objection:
    """Record a citizen's opinion on a posted nomination (public page, no login)."""
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or nomination.unit_id != unit_id or nomination.state != "cong_khai":
        raise AwardsError("Đề nghị này không còn trong thời gian công khai.", "content")
    content = (content or "").strip()
    if len(content) < 10:
        raise AwardsError("Vui lòng nêu rõ nội dung ý kiến (ít nhất 10 ký tự).", "content")
    objection = Objection(unit_id=unit_id, nomination_id=nomination.id, content=content[:5000],
                          sender_name=(sender_name or "").strip()[:120] or None,
                          sender_contact=(sender_contact or "").strip()[:160] or None)
    db.session.add(objection)
    db.session.commit()
    return objection


def objections_of(nomination: Nomination) -> list[Objection]:
    return list(db.session.scalars(select(Objection).where(
        Objection.nomination_id == nomination.id, Objection.unit_id == nomination.unit_id).order_by(Objection.id)))


def resolve_objection(unit: Unit, actor, objection: Objection, *, outcome: str, note: str) -> Objection:
    """Dismiss an objection with a note, or forward it to become a petition (which freezes the nominee)."""
    if objection.status != "open":
        raise AwardsError("Ý kiến này đã được xử lý.", "outcome")
    if outcome not in ("dismissed", "forwarded"):
        raise AwardsError("Chọn cách xử lý.", "outcome")
    note = (note or "").strip()
    if not note:
        raise AwardsError("Vui lòng ghi kết quả xem xét.", "note")
    objection.status, objection.resolution = outcome, note
    objection.resolved_by, objection.resolved_at = actor.full_name, _now()
    nomination = db.session.get(Nomination, objection.nomination_id)
    if outcome == "forwarded":
        for forward in OBJECTION_FORWARDERS:
            petition_id = forward(objection, nomination, actor)
            if petition_id:
                objection.petition_id = petition_id
        freeze_nominee(unit.id, nomination.nominee_id, f"Ý kiến phản ánh khi công khai: {objection.content[:200]}",
                       "objection", objection.id, actor_name=actor.full_name)
    db.session.commit()
    return objection


# --- Freeze: the interface for the complaints desk -------------------------------------------------

def freeze_nominee(unit_id: int | None = None, nominee_id: int | None = None, reason: str = "",
                   source_type: str = "", source_id: int | None = None, *, nomination_id: int | None = None,
                   decision_id: int | None = None, actor_name: str = "", commit: bool = False) -> list[NomineeFreeze]:
    """Stop every proposal and decision for a nominee until `lift_freeze` (NĐ 152/2025 Điều 4).

    The nominee is named directly (`unit_id`, `nominee_id`), or through a nomination or a decision
    (every awardee of it). Idempotent per (nominee, source). Joins the caller's unit of work unless
    `commit=True`. Returns the open freezes.
    """
    targets = _freeze_targets(unit_id, nominee_id, nomination_id, decision_id)
    if not targets:
        raise AwardsError("Không tìm thấy đối tượng khen thưởng trong đơn vị.", "nominee_id")
    reason = (reason or "").strip()
    if not reason:
        raise AwardsError("Vui lòng nêu lý do tạm dừng.", "reason")
    freezes = []
    for nominee in targets:
        existing = db.session.scalar(select(NomineeFreeze).where(
            NomineeFreeze.unit_id == nominee.unit_id, NomineeFreeze.nominee_id == nominee.id,
            NomineeFreeze.source_type == source_type,
            NomineeFreeze.source_id.is_(None) if source_id is None else NomineeFreeze.source_id == source_id,
            NomineeFreeze.lifted_at.is_(None)))
        if existing:
            freezes.append(existing)
            continue
        freeze = NomineeFreeze(unit_id=nominee.unit_id, nominee_id=nominee.id, lineage_key=nominee.lineage_key,
                               reason=reason, source_type=source_type, source_id=source_id, started_by=actor_name)
        db.session.add(freeze)
        db.session.flush()
        audit.record(db.session, unit_id=nominee.unit_id, action="nominee.freeze", object_type="Nominee",
                     object_id=nominee.id, label=nominee.display_name, changes={"source": source_type, "reason": reason})
        freezes.append(freeze)
    if commit:
        db.session.commit()
    return freezes


def _freeze_targets(unit_id, nominee_id, nomination_id, decision_id) -> list[Nominee]:
    if nominee_id is not None:
        stmt = select(Nominee).where(Nominee.id == nominee_id)
        if unit_id is not None:
            stmt = stmt.where(Nominee.unit_id == unit_id)
        nominee = db.session.scalar(stmt)
        return [nominee] if nominee else []
    if nomination_id is not None:
        nomination = db.session.get(Nomination, nomination_id)
        if nomination is None or (unit_id is not None and nomination.unit_id != unit_id):
            return []
        return [nomination.nominee]
    if decision_id is not None:
        decision = db.session.get(Decision, decision_id)
        if decision is None or (unit_id is not None and decision.unit_id != unit_id):
            return []
        return [db.session.scalar(select(Nominee).where(Nominee.id == a.nominee_id, Nominee.unit_id == a.unit_id))
                for a in decision.awards]
    return []


def lift_freeze(unit_id: int | None = None, source_type: str = "", source_id: int | None = None, reason: str = "", *,
                nominee_id: int | None = None, actor_name: str = "", commit: bool = False) -> int:
    """End the freezes one source opened (a complaint settled, a review closed). Returns how many.

    Joins the caller's unit of work unless `commit=True`. The source names its freezes wherever they
    are (a đơn forwarded to another commune ends the freeze its first commune opened), so they are
    read across units on purpose; writing them needs the caller's permission all the same.
    """
    stmt = select(NomineeFreeze).where(NomineeFreeze.source_type == source_type, NomineeFreeze.lifted_at.is_(None))
    stmt = stmt.where(NomineeFreeze.source_id.is_(None) if source_id is None else NomineeFreeze.source_id == source_id)
    if unit_id is not None:
        stmt = stmt.where(NomineeFreeze.unit_id == unit_id)
    if nominee_id is not None:
        stmt = stmt.where(NomineeFreeze.nominee_id == nominee_id)
    freezes = list(db.session.scalars(all_units(stmt)))
    for freeze in freezes:
        freeze.lifted_at, freeze.lifted_by = _now(), actor_name
        freeze.lift_reason = (reason or "").strip() or "Đã giải quyết xong"
        audit.record(db.session, unit_id=freeze.unit_id, action="nominee.lift_freeze", object_type="Nominee",
                     object_id=freeze.nominee_id, label=freeze.nominee.display_name if freeze.nominee else "",
                     changes={"source": source_type, "reason": freeze.lift_reason})
    if commit:
        db.session.commit()
    return len(freezes)


def freeze_for_review(unit: Unit, actor, nominee: Nominee, reason: str) -> NomineeFreeze:
    """The officer records a disciplinary review of the nominee (the view's unit of work)."""
    freezes = freeze_nominee(unit.id, nominee.id, reason, "discipline", None, actor_name=actor.full_name, commit=True)
    return freezes[0]


def public_references(unit) -> list[tuple[str, str]]:
    """What a citizen's đơn may be about: the nominations posted now and the decisions of the last years."""
    refs = [(f"nomination:{n.id}", f"Đề nghị {n.award_type.name} năm {n.year}: {n.nominee.display_name}")
            for n in posted_nominations(unit.id)]
    decisions = db.session.scalars(select(Decision).where(Decision.unit_id == unit.id)
                                   .order_by(Decision.decided_on.desc()).limit(50))
    refs += [(f"decision:{d.id}", f"Quyết định {d.number_symbol} ngày {d.decided_on.strftime('%d/%m/%Y')}: "
                                  f"{d.title}") for d in decisions]
    return refs


def freezes_of(nominee: Nominee) -> list[NomineeFreeze]:
    return list(db.session.scalars(all_units(select(NomineeFreeze).where(
        NomineeFreeze.lineage_key == nominee.lineage_key).order_by(NomineeFreeze.started_at.desc()))))


def lift_freeze_by_id(unit: Unit, actor, freeze_id: int, reason: str) -> NomineeFreeze:
    """The officer closes a disciplinary review recorded by hand (other sources close from their desk)."""
    freeze = db.session.get(NomineeFreeze, freeze_id)
    if freeze is None or freeze.lifted_at is not None:
        raise AwardsError("Không có tạm dừng nào đang mở.", "reason")
    if freeze.source_type != "discipline":
        raise AwardsError("Tạm dừng này chỉ chấm dứt khi đơn thư, ý kiến được giải quyết xong.", "reason")
    if not (reason or "").strip():
        raise AwardsError("Vui lòng nêu lý do chấm dứt tạm dừng.", "reason")
    lift_freeze(unit.id, freeze.source_type, freeze.source_id, reason, nominee_id=freeze.nominee_id,
                actor_name=actor.full_name, commit=True)
    return freeze


# --- The register and histories ------------------------------------------------------------------

def register_query(unit_id: int, *, q: str = "", year: int | None = None, award_code: str = "", body: str = "",
                   kind: str = "", include_revoked: bool = True):
    """The sổ khen thưởng's statement: awards the unit conferred, and awards a higher level conferred on
    its people (cross-unit on purpose); newest year first, by title, then by given name; the decision and
    the title loaded in the same statement. `body` matches the body's name without diacritics."""
    stmt = (select(Award).join(Decision, (Decision.id == Award.decision_id) & (Decision.unit_id == Award.unit_id))
            .where(or_(Award.unit_id == unit_id, Award.home_unit_id == unit_id)))
    if q:
        stmt = stmt.join(Nominee, (Nominee.id == Award.nominee_id) & (Nominee.unit_id == Award.unit_id)) \
            .where(Nominee.name_folded.contains(fold(q)))
    if year:
        stmt = stmt.where(Award.year == year)
    if award_code:
        stmt = stmt.where(Award.award_code == award_code)
    if kind:
        stmt = stmt.where(Award.nominee_kind == kind)
    if not include_revoked:
        stmt = stmt.where(Award.revoked_on.is_(None))
    if body:
        stmt = stmt.where(Award.body_name.in_(_body_names_like(unit_id, body)))
    return all_units(stmt.options(contains_eager(Award.decision), joinedload(Award.award_type))
                     .order_by(Award.year.desc(), Award.award_code, Award.sort_key, Award.id))


def _body_names_like(unit_id: int, body: str) -> list[str]:
    """The body names of the register that contain `body`, compared without diacritics (one statement
    over the few distinct names, so that the filter runs in SQL)."""
    needle = fold(body)
    names = db.session.scalars(all_units(select(Award.body_name).where(
        or_(Award.unit_id == unit_id, Award.home_unit_id == unit_id), Award.body_name.is_not(None)).distinct()))
    return [name for name in names if needle in fold(name)]


def register(unit_id: int, **filters) -> list[Award]:
    """The sổ khen thưởng of a unit: awards it conferred, and awards a higher level conferred on its people."""
    return list(db.session.scalars(register_query(unit_id, **filters)))


def register_page(unit_id: int, page: int | None, size: int | None = None, **filters) -> Page:
    return paginate(register_query(unit_id, **filters), page, size)


def nominee_history(nominee: Nominee) -> dict:
    """A person's or body's whole record: every award at every level, and every nomination of theirs."""
    awards = list(db.session.scalars(all_units(select(Award).where(Award.lineage_key == nominee.lineage_key)
                                               .order_by(Award.year.desc()))))
    nominations = list(db.session.scalars(select(Nomination).where(
        Nomination.nominee_id == nominee.id, Nomination.unit_id == nominee.unit_id).order_by(Nomination.year.desc())))
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_({a.unit_id for a in awards})))}
    return {"awards": awards, "nominations": nominations, "units": units}


def register_years(unit_id: int) -> list[int]:
    years = db.session.scalars(all_units(select(Award.year).where(
        or_(Award.unit_id == unit_id, Award.home_unit_id == unit_id)).distinct()))
    return sorted(set(years), reverse=True)


def public_awards_query(unit_id: int, year: int | None = None):
    """The citizens' list: awards the unit conferred (not revoked), newest year first, by title, then by
    given name (the register's sort key), then id; the title and the decision loaded in the same
    statement (inner joins, so that the count of a page reads the award table alone)."""
    stmt = select(Award).where(Award.unit_id == unit_id, Award.revoked_on.is_(None))
    if year:
        stmt = stmt.where(Award.year == year)
    return (stmt.options(joinedload(Award.award_type, innerjoin=True), joinedload(Award.decision, innerjoin=True))
            .order_by(Award.year.desc(), Award.award_code, Award.sort_key, Award.id))


def public_awards(unit_id: int, year: int | None = None) -> list[Award]:
    """Awards the unit conferred (not revoked): names, body, title only, for the public page."""
    return list(db.session.scalars(public_awards_query(unit_id, year)))


def public_awards_page(unit_id: int, year: int | None, page: int | None, size: int | None = None) -> Page:
    """One page of the citizens' list for `year` (two statements, whatever the number of awards)."""
    return paginate(public_awards_query(unit_id, year), page, size)


def public_award_years(unit_id: int) -> list[int]:
    """The years in which the unit conferred awards still in force, newest first (one statement)."""
    return list(db.session.scalars(select(Award.year).where(Award.unit_id == unit_id, Award.revoked_on.is_(None))
                                   .distinct().order_by(Award.year.desc())))


# --- The share of workers, farmers and direct labourers ----------------------------------------------

@dataclass
class LabourShare:
    unit_id: int
    year: int
    total: int
    direct: int
    pending_total: int
    pending_direct: int
    target: float

    @property
    def share(self) -> float | None:
        return self.direct / self.total if self.total else None

    @property
    def projected(self) -> float | None:
        total = self.total + self.pending_total
        return (self.direct + self.pending_direct) / total if total else None

    @property
    def below_target(self) -> bool:
        value = self.projected if self.projected is not None else self.share
        return value is not None and value <= self.target

    @property
    def missing(self) -> int:
        """How many more awards to direct labourers would lift the share over the target."""
        total, direct = self.total + self.pending_total, self.direct + self.pending_direct
        extra = 0
        while total and (direct + extra) / (total + extra) <= self.target:
            extra += 1
        return extra


#: The summary rows (dashboard.stats) the share is computed from: awards to individuals and to workers,
#: farmers and direct labourers, and the same for nominations waiting for the decision.
SHARE_METRICS = ("award.person", "award.direct", "nom.pending_person", "nom.pending_direct")


def labour_shares(unit_ids: list[int], year: int) -> dict[int, LabourShare]:
    """For each unit: awards to individuals it conferred in `year`, how many went to workers, farmers and
    direct labourers, and the same for nominations still waiting for a decision. Cross-unit on purpose
    (the city's page reads every commune); read from the summary rows, kept in the same transaction as
    every award and nomination."""
    from thiduaweb.dashboard.services import unit_metrics

    values = unit_metrics(unit_ids, year, SHARE_METRICS, across_units=True)
    return {unit_id: _labour_share(unit_id, year, values[unit_id]) for unit_id in unit_ids}


#: The summary row the incoming queue is counted from (over every year).
QUEUE_METRIC = "nom.queue"


def nominations_overview(unit_id: int, year: int) -> tuple[int, LabourShare]:
    """What the nominations list shows above the table, from the summary rows in one statement read
    within the page's scope: how many nominations from the units below wait in the incoming queue, and
    the unit's share. (`nominations_page` reads the same along with its page.)"""
    from thiduaweb.dashboard.services import unit_metrics

    return _overview(unit_id, year, unit_metrics([unit_id], year, SHARE_METRICS, (QUEUE_METRIC,))[unit_id])


def _overview(unit_id: int, year: int, values: dict[str, int]) -> tuple[int, LabourShare]:
    return values[QUEUE_METRIC], _labour_share(unit_id, year, values)


def _overview_along() -> tuple:
    """The overview's summary rows as scalar subqueries read with the list's count (`paged_select`'s
    `along`), for the unit `unit_id` and the year `overview_year`. The table, not the entity: the unit
    is bound, and within the page's scope."""
    from thiduaweb.dashboard.models import UnitYearStat

    stat = UnitYearStat.__table__

    def summed(metric: str, yearly: bool):
        where = [stat.c.unit_id == bindparam("unit_id"), stat.c.metric == metric]
        if yearly:
            where.append(stat.c.year == bindparam("overview_year"))
        return (select(func.coalesce(func.sum(stat.c.value), 0)).where(*where).scalar_subquery()
                .label(ALONG_PREFIX + metric))
    return (*[summed(metric, True) for metric in SHARE_METRICS], summed(QUEUE_METRIC, False))


def overview_of_page(unit_id: int, year: int, page: Page) -> tuple[int, LabourShare]:
    """The overview read along with a page of `nominations_page`."""
    return _overview(unit_id, year, {name[len(ALONG_PREFIX):]: int(value or 0) for name, value in page.along.items()})


def _labour_share(unit_id: int, year: int, values: dict[str, int]) -> LabourShare:
    target = rules.parameter("direct_labour_share_target", None, None) or 0.30
    return LabourShare(unit_id, year, values["award.person"], values["award.direct"], values["nom.pending_person"],
                       values["nom.pending_direct"], target)
