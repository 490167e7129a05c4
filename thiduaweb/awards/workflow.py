"""The nomination state machine: one table of transitions, one `apply()`.

draft → submitted → binh_xet (vote tally) → cong_khai (posting period, objections) → appraisal
→ appraised (eligibility + the council's result) → awarded (decision …/QĐ-UBND) | refused
                                                  → proposed (tờ trình …/TTr-UBND): a copy enters the
                                                    supervising unit's queue as `submitted`.
Any review step can return the nomination for revision (a reason is required). A frozen
nomination (open complaint, denunciation or disciplinary review of the nominee) cannot move.
Templates ask `available()` which buttons to show.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

from thiduaweb.awards import rules
from thiduaweb.awards.models import Award, Decision, Nomination, NominationStep, Nominee, Objection
from thiduaweb.core import audit
from thiduaweb.core.clock import today
from thiduaweb.core.tenancy import all_units, cross_unit_writes
from thiduaweb.core.vntext import format_date
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

STATES = {
    "draft": "Đang soạn",
    "submitted": "Chờ bình xét",
    "binh_xet": "Đã bình xét",
    "cong_khai": "Đang công khai",
    "appraisal": "Đang thẩm định",
    "appraised": "Đã thẩm định, chờ quyết định",
    "awarded": "Đã khen thưởng",
    "refused": "Không khen thưởng",
    "proposed": "Đã trình cấp trên",
    "returned": "Trả lại để bổ sung",
}
STATE_BADGES = {"draft": "secondary", "submitted": "info", "binh_xet": "info", "cong_khai": "warning",
                "appraisal": "primary", "appraised": "primary", "awarded": "success", "refused": "danger",
                "proposed": "dark", "returned": "danger"}
REVIEW_STATES = ("submitted", "binh_xet", "cong_khai", "appraisal", "appraised")


class WorkflowError(ValueError):
    """A refused step; the Vietnamese message says why, `field` says which form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button
    done_label: str  # the history line
    sources: tuple[str, ...]
    target: str
    permission: str
    guard: Callable[[Nomination], str | None] | None = None
    needs_reason: bool = False
    #: The fields the step's form asks for (the view builds the form from them).
    fields: tuple[str, ...] = ()
    style: str = "primary"
    effect: Callable | None = field(default=None, compare=False)


# --- Guards: None when the step may happen, else the reason it may not ----------------------------

def _vote_passed(n: Nomination) -> str | None:
    if not n.vote_passed:
        return (f"Kết quả bình xét chưa đạt quá nửa số người biểu quyết ({n.votes_for or 0}/{n.voters or 0}): "
                f"không thể công khai.")
    return None


def _posting_over(n: Nomination) -> str | None:
    if n.posted_to and today() <= n.posted_to:
        return f"Chưa hết thời gian công khai (đến hết ngày {format_date(n.posted_to)})."
    open_count = db.session.query(Objection).filter(Objection.nomination_id == n.id, Objection.unit_id == n.unit_id,
                                                    Objection.status == "open").count()
    if open_count:
        return f"Còn {open_count} ý kiến phản ánh chưa xử lý."
    return None


def _not_failing(n: Nomination) -> str | None:
    failed = rules.evaluate(n).failed
    if failed:
        return "Chưa đủ điều kiện: " + "; ".join(f"{r.label} ({r.article})" for r in failed) + "."
    return None


def _can_decide_here(n: Nomination) -> str | None:
    if n.council_result != "approved":
        return "Hội đồng Thi đua – Khen thưởng chưa thẩm định đồng ý."
    unit = db.session.get(Unit, n.unit_id)
    if not rules.within_authority(unit, n.award_type, n.judged_on):
        return (f"{n.award_type.name} vượt thẩm quyền của Chủ tịch {unit.name}: "
                f"phải lập tờ trình đề nghị cấp trên.")
    return _not_failing(n)


def _must_go_upward(n: Nomination) -> str | None:
    if n.council_result != "approved":
        return "Hội đồng Thi đua – Khen thưởng chưa thẩm định đồng ý."
    unit = db.session.get(Unit, n.unit_id)
    if rules.within_authority(unit, n.award_type, n.judged_on):
        return f"{n.award_type.name} thuộc thẩm quyền của Chủ tịch {unit.name}: ra quyết định, không trình cấp trên."
    if unit.parent is None:
        return "Đơn vị không có cấp trên để trình."
    return _not_failing(n)


# --- Effects: what a step writes besides the state -------------------------------------------------

def _record_vote(n: Nomination, data: dict, actor) -> dict:
    voters, votes_for, against = data.get("voters"), data.get("votes_for"), data.get("votes_against") or 0
    if not voters or voters < 1:
        raise WorkflowError("Số người biểu quyết phải lớn hơn 0.", "voters")
    if votes_for is None or votes_for < 0 or against < 0:
        raise WorkflowError("Số phiếu không được âm.", "votes_for")
    if votes_for + against > voters:
        raise WorkflowError(f"Tổng số phiếu đồng ý và không đồng ý ({votes_for + against}) lớn hơn số người "
                            f"biểu quyết ({voters}).", "votes_for")
    review_on = data.get("review_on") or today()
    if review_on.year < n.year:
        raise WorkflowError(f"Ngày bình xét không thể trước năm {n.year}.", "review_on")
    n.voters, n.votes_for, n.votes_against, n.review_on = voters, votes_for, against, review_on
    return {"voters": voters, "votes_for": votes_for, "votes_against": against, "review_on": review_on}


def _post(n: Nomination, data: dict, actor) -> dict:
    start = data.get("posted_from") or today()
    if n.review_on and start < n.review_on:
        raise WorkflowError(f"Ngày bắt đầu công khai không thể trước ngày bình xét ({format_date(n.review_on)}).",
                            "posted_from")
    days = rules.posting_days(n.award_type, db.session.get(Unit, n.unit_id))
    n.posted_from, n.posted_to = start, start + timedelta(days=days - 1)
    n.posting_place = (data.get("posting_place") or "").strip() or "Trụ sở UBND và trang thông tin điện tử"
    return {"posted_from": n.posted_from, "posted_to": n.posted_to, "place": n.posting_place, "days": days}


def _appraise(n: Nomination, data: dict, actor) -> dict:
    result = data.get("council_result")
    if result not in ("approved", "rejected"):
        raise WorkflowError("Chọn kết quả thẩm định của Hội đồng.", "council_result")
    eligibility = rules.evaluate(n)
    if result == "approved" and eligibility.failed:
        raise WorkflowError("Không thể thẩm định đồng ý: " + "; ".join(
            f"{r.label} – {r.message} ({r.article})" for r in eligibility.failed), "council_result")
    n.council_result, n.council_note = result, (data.get("council_note") or "").strip() or None
    n.appraised_on = data.get("appraised_on") or today()
    n.council_session_id = data.get("council_session_id")
    n.eligibility = eligibility.as_dict()
    return {"council_result": result, "eligibility": eligibility.status}


def _decide(n: Nomination, data: dict, actor) -> dict:
    from thiduaweb.core.numbering import NumberTaken, issue_number

    decided_on = data.get("decided_on") or today()
    if n.appraised_on and decided_on < n.appraised_on:
        raise WorkflowError(f"Ngày quyết định không thể trước ngày thẩm định ({format_date(n.appraised_on)}).",
                            "decided_on")
    shared = data.get("decision")  # one decision for many awardees (award season)
    if shared is not None:
        db.session.add(award_from(n, shared))
        n.decision_id = shared.id
        return {"decision": shared.number_symbol, "decided_on": shared.decided_on}
    decision = Decision(unit_id=n.unit_id, number_symbol="", decided_on=decided_on, signer_id=actor.id,
                        signer_name=actor.full_name,
                        title=f"Về việc tặng {n.award_type.name} năm {n.year}")
    db.session.add(decision)
    db.session.flush()
    try:
        issued = issue_number(n.unit_id, "QĐ", decided_on.year, number=data.get("number"),
                              object_type="Decision", object_id=decision.id)
    except NumberTaken as error:
        raise WorkflowError(str(error), "number") from None
    decision.number_symbol, decision.issued_number_id = issued.symbol, issued.id
    db.session.add(award_from(n, decision))
    n.decision_id = decision.id
    return {"decision": decision.number_symbol, "decided_on": decided_on}


def award_from(n: Nomination, decision: Decision) -> Award:
    nominee = n.nominee
    body = nominee.body
    return Award(unit_id=n.unit_id, decision_id=decision.id, nominee_id=nominee.id, nomination_id=n.id,
                 award_type_id=n.award_type_id, award_code=n.award_type.code, year=n.year, basis=n.basis,
                 nominee_name=nominee.display_name, nominee_kind=nominee.kind,
                 body_name=body.name if body else None, occupation_group=nominee.occupation_group,
                 reward_multiple=n.award_type.reward_multiple, lineage_key=nominee.lineage_key,
                 home_unit_id=nominee.origin_unit_id or nominee.unit_id)


def _propose(n: Nomination, data: dict, actor) -> dict:
    from thiduaweb.core.numbering import NumberTaken, issue_number

    proposed_on = data.get("proposed_on") or today()
    unit = db.session.get(Unit, n.unit_id)
    parent = unit.parent
    issued = data.get("issued")  # one tờ trình listing many nominations (award season)
    try:
        issued = issued or issue_number(n.unit_id, "TTr", proposed_on.year, number=data.get("number"),
                                        object_type="Nomination", object_id=n.id)
    except NumberTaken as error:
        raise WorkflowError(str(error), "number") from None
    n.proposal_symbol, n.proposed_on, n.upward_unit_id = issued.symbol, proposed_on, parent.id
    upward = send_upward(n, parent, actor)
    n.upward_nomination_id = upward.id
    return {"proposal": n.proposal_symbol, "to_unit": parent.name, "upward_nomination_id": upward.id}


def send_upward(n: Nomination, parent: Unit, actor) -> Nomination:
    """Put a copy of the nomination (and of its nominee) in the supervising unit's queue.

    A deliberate cross-unit write: the commune's chairman files into the city's queue.
    """
    from sqlalchemy import select

    nominee = n.nominee
    with cross_unit_writes():
        copy = db.session.scalar(all_units(select(Nominee).where(
            Nominee.unit_id == parent.id, Nominee.lineage_key == nominee.lineage_key)))
        if copy is None:
            copy = Nominee(unit_id=parent.id, kind=nominee.kind, name=nominee.name, name_folded=nominee.name_folded,
                           gender=nominee.gender, birth_year=nominee.birth_year,
                           position=_position_with_place(nominee, n), occupation_group=nominee.occupation_group,
                           identity_number=nominee.identity_number, member_count=nominee.member_count,
                           lineage_key=nominee.lineage_key, origin_unit_id=nominee.origin_unit_id or nominee.unit_id)
            db.session.add(copy)
            db.session.flush()
        upward = Nomination(
            unit_id=parent.id, nominee_id=copy.id, award_type_id=n.award_type_id, year=n.year, judged_on=n.judged_on,
            basis=n.basis, movement_id=n.movement_id, movement_name=n.movement_name, achievements=n.achievements,
            initiative=n.initiative, members_total=n.members_total, members_completed=n.members_completed,
            members_ldtt=n.members_ldtt, members_cstdcs=n.members_cstdcs, members_disciplined=n.members_disciplined,
            state="submitted", origin_unit_id=n.origin_unit_id or n.unit_id, origin_nomination_id=n.id,
            origin_proposal_symbol=n.proposal_symbol, created_by=actor.full_name)
        db.session.add(upward)
        db.session.flush()
        db.session.add(NominationStep(unit_id=parent.id, nomination_id=upward.id, transition="received",
                                      from_state="", to_state="submitted", actor_id=actor.id,
                                      actor_name=actor.full_name,
                                      reason=f"Tờ trình {n.proposal_symbol} của {db.session.get(Unit, n.unit_id).name}",
                                      data={"origin_nomination_id": n.id}))
        audit.record(db.session, unit_id=parent.id, action="nomination.received", object_type="Nomination",
                     object_id=upward.id, label=upward.audit_label, changes={"proposal": n.proposal_symbol})
    return upward


def _position_with_place(nominee: Nominee, n: Nomination) -> str | None:
    unit = db.session.get(Unit, nominee.unit_id)
    body = nominee.body
    parts = [p for p in (nominee.position, body.name if body else None, unit.name if unit else None) if p]
    return ", ".join(parts)[:160] or None


def _refuse(n: Nomination, data: dict, actor) -> dict:
    n.refusal_reason = data["reason"]
    return {}


def _return(n: Nomination, data: dict, actor) -> dict:
    n.return_reason = data["reason"]
    return {}


def _submit(n: Nomination, data: dict, actor) -> dict:
    if not (n.achievements or "").strip():
        raise WorkflowError("Cần có tóm tắt thành tích trước khi gửi.", "achievements")
    n.return_reason = None
    return {}


TRANSITIONS: dict[str, Transition] = {t.name: t for t in [
    Transition("submit", "Gửi đề nghị", "Gửi đề nghị", ("draft", "returned"), "submitted", "nomination.edit",
               effect=_submit),
    Transition("record_vote", "Ghi kết quả bình xét", "Ghi kết quả bình xét", ("submitted",), "binh_xet",
               "nomination.review", fields=("review_on", "voters", "votes_for", "votes_against"), effect=_record_vote),
    Transition("post", "Công khai", "Niêm yết công khai", ("binh_xet",), "cong_khai", "nomination.review",
               guard=_vote_passed, fields=("posted_from", "posting_place"), effect=_post),
    Transition("start_appraisal", "Chuyển thẩm định", "Kết thúc công khai, chuyển thẩm định", ("cong_khai",),
               "appraisal", "nomination.review", guard=_posting_over),
    Transition("appraise", "Ghi kết quả thẩm định", "Thẩm định", ("appraisal",), "appraised", "nomination.appraise",
               fields=("appraised_on", "council_result", "council_note"), effect=_appraise),
    Transition("decide", "Quyết định khen thưởng", "Quyết định khen thưởng", ("appraised",), "awarded",
               "nomination.decide", guard=_can_decide_here, fields=("decided_on", "number"), style="success",
               effect=_decide),
    Transition("propose", "Trình cấp trên", "Lập tờ trình đề nghị cấp trên", ("appraised",), "proposed",
               "nomination.decide", guard=_must_go_upward, fields=("proposed_on", "number"), effect=_propose),
    Transition("refuse", "Không khen thưởng", "Không khen thưởng", ("appraised",), "refused", "nomination.decide",
               needs_reason=True, style="outline-danger", effect=_refuse),
    Transition("return", "Trả lại để bổ sung", "Trả lại để bổ sung", REVIEW_STATES, "returned",
               "nomination.review", needs_reason=True, style="outline-danger", effect=_return),
]}


@dataclass
class Button:
    transition: Transition
    disabled_reason: str | None


def available(nomination: Nomination, permissions) -> list[Button]:
    """The steps this user may take now; a step whose condition is not met comes with the reason."""
    frozen = rules.nomination_frozen_reason(nomination)
    buttons = []
    for t in TRANSITIONS.values():
        if nomination.state not in t.sources or t.permission not in permissions:
            continue
        if t.name == "decide" and _hidden_for_authority(nomination, upward=False):
            continue
        if t.name == "propose" and _hidden_for_authority(nomination, upward=True):
            continue
        reason = f"Tạm dừng: {frozen}" if frozen else (t.guard(nomination) if t.guard else None)
        buttons.append(Button(t, reason))
    return buttons


def _hidden_for_authority(n: Nomination, *, upward: bool) -> bool:
    """Show 'decide' only within the unit's authority and 'propose' only above it."""
    unit = db.session.get(Unit, n.unit_id)
    inside = rules.within_authority(unit, n.award_type, n.judged_on)
    return inside if upward else not inside


def apply(nomination: Nomination, name: str, actor, reason: str | None = None, *, permissions,
          data: dict | None = None, commit: bool = True) -> Nomination:
    """Take one step: check who, from where and what must be true; write the history and the audit; commit.

    `commit=False` joins the caller's unit of work (a bulk step, a council session closing): the caller
    commits once; any refusal rolls the whole unit of work back.
    """
    t = TRANSITIONS.get(name)
    if t is None:
        raise WorkflowError("Thao tác không tồn tại.")
    if t.permission not in permissions:
        raise WorkflowError("Tài khoản của bạn không có quyền thực hiện bước này.")
    if nomination.state not in t.sources:
        raise WorkflowError(f"Không thể “{t.label.lower()}” khi đề nghị đang ở trạng thái “{nomination.state_label}”.")
    frozen = rules.nomination_frozen_reason(nomination)
    if frozen:
        raise WorkflowError(f"Đề nghị đang tạm dừng xét khen thưởng — {frozen}.")
    reason = (reason or "").strip() or None
    if t.needs_reason and not reason:
        raise WorkflowError("Vui lòng nêu lý do.", "reason")
    if t.guard:
        refusal = t.guard(nomination)
        if refusal:
            raise WorkflowError(refusal)
    data = dict(data or {})
    data["reason"] = reason
    try:
        details = t.effect(nomination, data, actor) if t.effect else {}
        source = nomination.state
        nomination.state = t.target
        db.session.add(NominationStep(unit_id=nomination.unit_id, nomination_id=nomination.id, transition=t.name,
                                      from_state=source, to_state=t.target, actor_id=actor.id,
                                      actor_name=actor.full_name, reason=reason, data=audit._plain(details)))
        audit.record(db.session, unit_id=nomination.unit_id, action=f"nomination.{t.name}", object_type="Nomination",
                     object_id=nomination.id, label=nomination.audit_label,
                     changes={"state": [source, t.target], **({"reason": reason} if reason else {}),
                              **audit._plain(details)})
        if commit:
            db.session.commit()
        else:
            db.session.flush()
    except Exception:
        db.session.rollback()
        raise
    return nomination
