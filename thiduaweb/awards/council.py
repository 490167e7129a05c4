"""The Hội đồng Thi đua – Khen thưởng: members and terms, sessions, attendance and quorum, the vote on
each nomination against the threshold in force (data per regulation version), recusal, and the
session's result fed into each nomination's appraisal step. Minutes are numbered …/BB-HĐTĐKT.

Vote rules (`VoteThreshold`, loaded with the catalogue):
- the highest individual titles (Chiến sĩ thi đua cấp tỉnh, toàn quốc): secret ballot, at least 90%
  of all the council's members (Nghị định 91/2017/NĐ-CP, Điều 45);
- every other award: configurable, by default open vote, more than half of the members present,
  the session deciding only with at least two thirds of the members attending.
A member does not vote on themself or on their household: they are recused on that item and
leave the base of the count (both "all members" and "members present").
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy import select

from thiduaweb.awards import rules, workflow
from thiduaweb.awards.models import (COUNCIL_ROLES, AgendaItem, AwardType, Council, CouncilMember, CouncilSession,
                                     MemberVote, Nomination, Nominee, RegulationVersion, SessionAttendance,
                                     VoteThreshold)
from thiduaweb.core import audit
from thiduaweb.core.vntext import format_date, name_sort_key
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

MINUTES_ISSUER = "HĐTĐKT"

HIGH_TITLES = ("cstd_tinh", "cstd_tq")
_DEFAULT_BASIS = ("Quy chế hoạt động của Hội đồng Thi đua – Khen thưởng (mặc định của hệ thống: quá nửa số thành "
                  "viên có mặt, phiên họp có ít nhất hai phần ba thành viên dự; tỉnh, đơn vị có thể quy định khác)")
_HIGH_BASIS = {
    "nd91-2017": "Nghị định 91/2017/NĐ-CP, Điều 45: bỏ phiếu kín, tỷ lệ phiếu đồng ý từ 90% trở lên "
                 "tính trên tổng số thành viên Hội đồng",
}
_HIGH_BASIS_LATER = ("Mặc định theo Nghị định 91/2017/NĐ-CP, Điều 45 (bỏ phiếu kín, từ 90% tổng số thành viên); "
                     "tỉnh có thể quy định khác")


class CouncilError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- Thresholds: data per regulation version ------------------------------------------------------

def load_vote_thresholds(versions: dict[str, RegulationVersion]) -> None:
    """The national default rows of every version (idempotent; a province adds its own rows)."""
    for code, version in versions.items():
        rows = [(None, "open", "present", 0.5, True, _DEFAULT_BASIS)]
        rows += [(award, "secret", "members", 0.9, False, _HIGH_BASIS.get(code, _HIGH_BASIS_LATER))
                 for award in HIGH_TITLES]
        for award, method, base, share, strict, basis in rows:
            row = db.session.scalar(select(VoteThreshold).where(
                VoteThreshold.version_id == version.id, VoteThreshold.province_code.is_(None),
                VoteThreshold.award_code.is_(None) if award is None else VoteThreshold.award_code == award))
            if row is None:
                row = VoteThreshold(version_id=version.id, province_code=None, award_code=award)
                db.session.add(row)
            row.method, row.base, row.share, row.strict, row.quorum, row.legal_basis = (
                method, base, share, strict, 0.6667, basis)
    db.session.flush()


def threshold_for(award: AwardType, unit: Unit) -> VoteThreshold:
    """The most specific row: this province and award, this province, this award, the version's default."""
    province = rules.province_code(unit)
    rows = db.session.scalars(select(VoteThreshold).where(VoteThreshold.version_id == award.version_id)).all()
    candidates = [r for r in rows if r.province_code in (None, province) and r.award_code in (None, award.code)]
    if not candidates:
        raise CouncilError(f"Chưa có quy định về biểu quyết của Hội đồng trong {award.version.name}.")
    return max(candidates, key=lambda r: ((r.province_code is not None) * 2 + (r.award_code is not None)))


def _fraction(value) -> Fraction:
    """Shares are stored as decimals (0.6667 for two thirds): read back as the simple fraction meant."""
    return Fraction(str(value)).limit_denominator(20)


@dataclass
class VoteOutcome:
    members_total: int
    present: int
    recused: int
    eligible: int
    quorum_needed: int
    base: int
    needed: int
    votes_for: int
    votes_against: int
    votes_blank: int
    passed: bool
    reason: str
    rule: str
    article: str

    @property
    def quorum_ok(self) -> bool:
        return self.present >= self.quorum_needed

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("members_total", "present", "recused", "eligible", "quorum_needed",
                                              "base", "needed", "votes_for", "votes_against", "votes_blank",
                                              "passed", "reason", "rule", "article")}


def evaluate_vote(threshold: VoteThreshold, *, members_total: int, present: int, recused_present: int = 0,
                  recused_total: int | None = None, votes_for: int, votes_against: int = 0,
                  votes_blank: int = 0) -> VoteOutcome:
    """Decide a vote exactly as the threshold says. Raises CouncilError for an impossible tally.

    - quorum: present ≥ ⌈quorum × members⌉;
    - base: all members (minus the recused) or the members present and voting (present minus recused);
    - needed: "more than" the share → ⌊share × base⌋ + 1; "at least" → ⌈share × base⌉.
    """
    recused_total = recused_present if recused_total is None else recused_total
    if min(votes_for, votes_against, votes_blank) < 0:
        raise CouncilError("Số phiếu không được âm.", "votes_for")
    if present > members_total:
        raise CouncilError(f"Số thành viên có mặt ({present}) lớn hơn số thành viên Hội đồng ({members_total}).")
    eligible = present - recused_present
    cast = votes_for + votes_against + votes_blank
    if cast > eligible:
        raise CouncilError(f"Tổng số phiếu ({cast}) lớn hơn số thành viên có mặt được biểu quyết ({eligible}).",
                           "votes_for")
    quorum_needed = math.ceil(_fraction(threshold.quorum) * members_total)
    share = _fraction(threshold.share)
    base = (members_total - recused_total) if threshold.base == "members" else eligible
    needed = (math.floor(share * base) + 1) if threshold.strict else math.ceil(share * base)
    needed = max(needed, 1)
    if present < quorum_needed:
        passed = False
        reason = (f"Không đủ số thành viên dự họp: có mặt {present}/{members_total}, cần ít nhất {quorum_needed}.")
    elif votes_for >= needed:
        passed = True
        reason = f"Đạt: {votes_for} phiếu đồng ý, cần {needed}/{base}."
    else:
        passed = False
        reason = f"Không đạt: {votes_for} phiếu đồng ý, cần {needed}/{base}."
    return VoteOutcome(members_total, present, recused_present, eligible, quorum_needed, base, needed, votes_for,
                       votes_against, votes_blank, passed, reason, threshold.description, threshold.legal_basis)


# --- The council and its members ------------------------------------------------------------------

def councils(unit_id: int) -> list[Council]:
    return list(db.session.scalars(select(Council).where(Council.unit_id == unit_id)
                                   .order_by(Council.term_from.desc())))


def council_on(unit_id: int, day: date) -> Council | None:
    return next((c for c in councils(unit_id) if c.is_valid_on(day)), None)


def save_council(unit: Unit, data: dict, council: Council | None = None) -> Council:
    if data.get("term_to") and data["term_to"] < data["term_from"]:
        raise CouncilError("Ngày kết thúc nhiệm kỳ không được trước ngày bắt đầu.", "term_to")
    if council is None:
        council = Council(unit_id=unit.id)
        db.session.add(council)
    council.name = " ".join((data.get("name") or "").split()) or f"Hội đồng Thi đua – Khen thưởng {unit.name}"
    council.established_by = (data.get("established_by") or "").strip() or None
    council.term_from, council.term_to = data["term_from"], data.get("term_to")
    db.session.flush()
    overlapping = [c for c in councils(unit.id) if c.id != council.id and _overlap(c, council)]
    if overlapping:
        raise CouncilError("Nhiệm kỳ trùng với một Hội đồng khác của đơn vị.", "term_from")
    db.session.commit()
    return council


def _overlap(a, b) -> bool:
    far = date(9999, 12, 31)
    return a.term_from <= (b.term_to or far) and b.term_from <= (a.term_to or far)


def _check_nominee(unit: Unit, nominee_id: int | None, field: str, kind: str) -> None:
    if nominee_id is None:
        return
    nominee = db.session.get(Nominee, nominee_id)
    if nominee is None or nominee.unit_id != unit.id:
        raise CouncilError("Đối tượng không thuộc đơn vị.", field)
    if kind == "person" and nominee.kind != "person":
        raise CouncilError("Chọn một cá nhân.", field)
    if kind == "household" and nominee.kind != "household":
        raise CouncilError("Chọn một hộ gia đình.", field)


def save_member(unit: Unit, council: Council, data: dict, member: CouncilMember | None = None) -> CouncilMember:
    if data["role"] not in COUNCIL_ROLES:
        raise CouncilError("Chọn vai trò trong Hội đồng.", "role")
    term_from = data.get("term_from") or council.term_from
    term_to = data.get("term_to") or council.term_to
    if term_from < council.term_from or (council.term_to and term_to and term_to > council.term_to):
        raise CouncilError("Nhiệm kỳ của thành viên phải nằm trong nhiệm kỳ của Hội đồng.", "term_from")
    if term_to and term_to < term_from:
        raise CouncilError("Ngày kết thúc không được trước ngày bắt đầu.", "term_to")
    _check_nominee(unit, data.get("nominee_id"), "nominee_id", "person")
    _check_nominee(unit, data.get("household_nominee_id"), "household_nominee_id", "household")
    if data["role"] == "chair":
        others = [m for m in council.members if m.role == "chair" and (member is None or m.id != member.id)
                  and _overlap(m, type("T", (), {"term_from": term_from, "term_to": term_to})())]
        if others:
            raise CouncilError(f"Hội đồng đã có Chủ tịch trong thời gian này ({others[0].full_name}).", "role")
    if member is None:
        member = CouncilMember(unit_id=unit.id, council_id=council.id)
        db.session.add(member)
    member.full_name = " ".join(data["full_name"].split())
    member.role, member.job_title = data["role"], (data.get("job_title") or "").strip() or None
    member.term_from, member.term_to = term_from, term_to
    member.nominee_id, member.household_nominee_id = data.get("nominee_id"), data.get("household_nominee_id")
    member.position = list(COUNCIL_ROLES).index(data["role"]) * 100 + (member.id or len(council.members) + 1)
    db.session.commit()
    return member


def conflict(member: CouncilMember, nomination: Nomination) -> str | None:
    """Why the member may not vote on the nomination (themself or their household), or None."""
    key = nomination.nominee.lineage_key if nomination.nominee else None

    def same(nominee_id):
        if nominee_id is None:
            return False
        if nominee_id == nomination.nominee_id:
            return True
        linked = db.session.get(Nominee, nominee_id)
        return bool(linked and key and linked.lineage_key == key)

    if same(member.nominee_id):
        return "là người được đề nghị"
    if same(member.household_nominee_id):
        return "thuộc hộ gia đình được đề nghị"
    return None


# --- Sessions -------------------------------------------------------------------------------------

def sessions(unit_id: int) -> list[CouncilSession]:
    return list(db.session.scalars(select(CouncilSession).where(CouncilSession.unit_id == unit_id)
                                   .order_by(CouncilSession.held_on.desc(), CouncilSession.id.desc())))


def members_of(session: CouncilSession) -> list[CouncilMember]:
    return session.council.members_on(session.held_on)


def create_session(unit: Unit, actor, data: dict) -> CouncilSession:
    held_on = data["held_on"]
    council = council_on(unit.id, held_on)
    if council is None:
        raise CouncilError(f"Không có Hội đồng nào trong nhiệm kỳ vào ngày {format_date(held_on)}.", "held_on")
    members = council.members_on(held_on)
    if not members:
        raise CouncilError("Hội đồng chưa có thành viên trong nhiệm kỳ này.", "held_on")
    session = CouncilSession(unit_id=unit.id, council_id=council.id, held_on=held_on,
                             place=(data.get("place") or "").strip() or "Hội trường UBND",
                             content=(data.get("content") or "").strip())
    db.session.add(session)
    db.session.flush()
    for member in members:
        db.session.add(SessionAttendance(unit_id=unit.id, session_id=session.id, member_id=member.id, present=True))
    db.session.commit()
    return session


def _open(session: CouncilSession) -> None:
    if session.state != "open":
        raise CouncilError("Phiên họp đã kết thúc, không sửa được.")


def set_attendance(unit: Unit, session: CouncilSession, present_ids: set[int], reasons: dict[int, str]) -> None:
    _open(session)
    if any(item.result for item in session.items):
        raise CouncilError("Đã có kết quả biểu quyết: không sửa danh sách có mặt được nữa.")
    for row in session.attendance:
        row.present = row.member_id in present_ids
        row.absence_reason = None if row.present else ((reasons.get(row.member_id) or "").strip()[:255] or None)
    db.session.commit()


def agenda_candidates(unit_id: int, session: CouncilSession) -> list[Nomination]:
    """Nominations waiting for the council (state appraisal) and not yet on this session's agenda."""
    on = {i.nomination_id for i in session.items}
    found = db.session.scalars(select(Nomination).where(Nomination.unit_id == unit_id,
                                                        Nomination.state == "appraisal"))
    return sorted((n for n in found if n.id not in on), key=lambda n: name_sort_key(n.nominee.name))


def add_to_agenda(unit: Unit, session: CouncilSession, nomination_ids: list[int]) -> int:
    _open(session)
    if not nomination_ids:
        raise CouncilError("Chọn ít nhất một đề nghị.", "nomination_ids")
    on = {i.nomination_id for i in session.items}
    position = len(session.items)
    for nomination_id in nomination_ids:
        nomination = db.session.get(Nomination, nomination_id)
        if nomination is None or nomination.unit_id != unit.id:
            raise CouncilError("Đề nghị không thuộc đơn vị.", "nomination_ids")
        if nomination.state != "appraisal":
            raise CouncilError(f"{nomination.nominee.display_name}: đề nghị chưa ở bước thẩm định "
                               f"({nomination.state_label.lower()}).", "nomination_ids")
        if nomination.id in on:
            continue
        position += 1
        db.session.add(AgendaItem(unit_id=unit.id, session_id=session.id, nomination_id=nomination.id,
                                  position=position, recused=[]))
        on.add(nomination.id)
    db.session.commit()
    return position


def remove_from_agenda(session: CouncilSession, item: AgendaItem) -> None:
    _open(session)
    for vote in item.votes:
        db.session.delete(vote)
    db.session.delete(item)
    db.session.commit()


def item_context(session: CouncilSession, item: AgendaItem) -> dict:
    """Who may vote on the item: members present, the recused with why, the threshold in force."""
    unit = db.session.get(Unit, session.unit_id)
    members = members_of(session)
    present = session.present_ids
    manual = {r["member_id"]: r["reason"] for r in (item.recused or []) if r.get("manual")}
    recused = {}
    for m in members:
        why = conflict(m, item.nomination) or manual.get(m.id)
        if why:
            recused[m.id] = why
    return {"members": members, "present": present, "recused": recused,
            "voters": [m for m in members if m.id in present and m.id not in recused],
            "threshold": threshold_for(item.nomination.award_type, unit)}


def record_vote(unit: Unit, actor, session: CouncilSession, item: AgendaItem, *, method: str,
                votes: dict[int, str] | None = None, votes_for: int | None = None, votes_against: int | None = None,
                votes_blank: int | None = None, manual_recusals: dict[int, str] | None = None,
                note: str | None = None) -> AgendaItem:
    """Record the vote on one item. Open vote: one choice per member present; secret ballot: the tallies.

    A recused member's vote is refused; the tally may not exceed the members present and allowed to vote.
    """
    _open(session)
    manual_recusals = {k: v for k, v in (manual_recusals or {}).items() if (v or "").strip()}
    members = {m.id: m for m in members_of(session)}
    for member_id in manual_recusals:
        if member_id not in members:
            raise CouncilError("Thành viên không thuộc Hội đồng.", "recused")
    item.recused = [{"member_id": k, "name": members[k].full_name, "reason": v.strip()[:255], "manual": True}
                    for k, v in manual_recusals.items()]
    context = item_context(session, item)
    threshold, recused, present = context["threshold"], context["recused"], context["present"]
    if method not in ("open", "secret"):
        raise CouncilError("Chọn hình thức biểu quyết.", "method")
    if threshold.method == "secret" and method != "secret":
        raise CouncilError(f"{item.nomination.award_type.name} phải bỏ phiếu kín ({threshold.legal_basis}).",
                           "method")
    for vote in list(item.votes):
        db.session.delete(vote)
    db.session.flush()
    if method == "open":
        votes = {k: v for k, v in (votes or {}).items() if v}
        for member_id, choice in votes.items():
            member = members.get(member_id)
            if member is None:
                raise CouncilError("Thành viên không thuộc Hội đồng.", "votes")
            if member_id in recused:
                raise CouncilError(f"{member.full_name} không được biểu quyết về đề nghị này "
                                   f"({recused[member_id]}).", "votes")
            if member_id not in present:
                raise CouncilError(f"{member.full_name} vắng mặt, không biểu quyết.", "votes")
            if choice not in ("for", "against", "abstain"):
                raise CouncilError("Lựa chọn biểu quyết không hợp lệ.", "votes")
        missing = [m.full_name for m in context["voters"] if m.id not in votes]
        if missing:
            raise CouncilError(f"Chưa ghi biểu quyết của: {', '.join(missing)}.", "votes")
        for member_id, choice in votes.items():
            db.session.add(MemberVote(unit_id=unit.id, item_id=item.id, member_id=member_id, vote=choice))
        votes_for = sum(1 for v in votes.values() if v == "for")
        votes_against = sum(1 for v in votes.values() if v == "against")
        votes_blank = sum(1 for v in votes.values() if v == "abstain")
    else:
        if votes_for is None:
            raise CouncilError("Nhập số phiếu đồng ý.", "votes_for")
        votes_against, votes_blank = votes_against or 0, votes_blank or 0
    outcome = evaluate_vote(threshold, members_total=len(members), present=len(present),
                            recused_present=len([k for k in recused if k in present]),
                            recused_total=len(recused), votes_for=votes_for, votes_against=votes_against,
                            votes_blank=votes_blank)
    item.method, item.votes_for, item.votes_against, item.votes_blank = method, votes_for, votes_against, votes_blank
    item.outcome = outcome.as_dict() | {"recused_names": {str(k): v for k, v in recused.items()}}
    item.result = "approved" if outcome.passed else "rejected"
    item.note = (note or "").strip() or None
    audit.record(db.session, unit_id=unit.id, action="council.vote", object_type="Nomination",
                 object_id=item.nomination_id, label=item.nomination.audit_label,
                 changes={"method": method, "for": votes_for, "against": votes_against, "result": item.result})
    db.session.commit()
    return item


def close_session(unit: Unit, actor, session: CouncilSession, *, permissions, number: int | None = None
                  ) -> CouncilSession:
    """End the session: number the minutes (…/BB-HĐTĐKT) and feed every result into the nomination's
    appraisal step. All or nothing: one refusal and nothing is recorded."""
    from thiduaweb.core.numbering import NumberTaken, issue_number

    _open(session)
    if not session.items:
        raise CouncilError("Chưa có đề nghị nào trong chương trình họp.")
    waiting = [i.nomination.nominee.display_name for i in session.items if not i.result]
    if waiting:
        raise CouncilError(f"Chưa biểu quyết: {', '.join(waiting)}.")
    try:
        # Write first, so the number below is taken inside this transaction (SQLite begins lazily).
        session.state, session.closed_by = "closed", actor.full_name
        db.session.flush()
        issued = issue_number(unit.id, "BB", session.held_on.year, issuer=MINUTES_ISSUER, number=number,
                              object_type="CouncilSession", object_id=session.id)
        session.minutes_symbol, session.minutes_number_id = issued.symbol, issued.id
        for item in session.items:
            nomination = item.nomination
            tally = f"{item.votes_for}/{item.outcome['base']} đồng ý" if item.outcome else ""
            note = (f"Phiên họp ngày {format_date(session.held_on)} (Biên bản số {issued.symbol}): {tally}. "
                    f"{item.outcome['reason'] if item.outcome else ''}").strip()
            try:
                workflow.apply(nomination, "appraise", actor, permissions=permissions, commit=False,
                               data={"council_result": item.result, "appraised_on": session.held_on,
                                     "council_note": (note + (" " + item.note if item.note else ""))[:2000],
                                     "council_session_id": session.id})
            except workflow.WorkflowError as error:
                raise CouncilError(f"{nomination.nominee.display_name}: {error}") from None
        audit.record(db.session, unit_id=unit.id, action="council.close", object_type="CouncilSession",
                     object_id=session.id, label=session.audit_label,
                     changes={"minutes": issued.symbol, "items": len(session.items)})
        db.session.commit()
    except NumberTaken as error:
        db.session.rollback()
        raise CouncilError(str(error), "number") from None
    except Exception:
        db.session.rollback()
        raise
    return session


def chair_and_secretary(session: CouncilSession) -> tuple[CouncilMember | None, CouncilMember | None]:
    members = members_of(session)
    present = session.present_ids
    chair = next((m for m in members if m.role == "chair" and m.id in present), None) \
        or next((m for m in members if m.role == "deputy" and m.id in present), None)
    secretary = next((m for m in members if m.role == "secretary" and m.id in present), None)
    return chair, secretary
