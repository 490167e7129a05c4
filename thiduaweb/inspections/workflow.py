"""The inspection workflow: one table of transitions, one `apply()`.

Self-inspection: draft → signed (the chairman signs; the checklist is locked and goes to the
supervising unit) → accepted, or → returned with a comment (editable again) → signed ...
The supervising unit's own inspection: draft → concluded (locked).
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable

from thiduaweb.core import audit, clock
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db
from thiduaweb.inspections.models import Inspection, InspectionEvent


class WorkflowError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _all_answered(inspection: Inspection) -> str | None:
    answered = {a.item_id for a in inspection.answers if a.result}
    missing = [item for item in inspection.template.items if item.id not in answered]
    if missing:
        return (f"Còn {len(missing)} tiêu chí chưa đánh giá (đạt / không đạt / không áp dụng): "
                "hãy đánh giá đủ rồi mới ký.")
    return None


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    permission: str
    label: str
    kinds: frozenset = field(default_factory=lambda: frozenset({"self"}))
    guard: Callable[[Inspection], str | None] | None = None
    needs_reason: bool = False
    style: str = "primary"


TRANSITIONS = [
    Transition("sign", "draft", "signed", "inspection.sign", "Chủ tịch ký xác nhận, gửi cấp trên", guard=_all_answered),
    Transition("sign", "returned", "signed", "inspection.sign", "Chủ tịch ký xác nhận, gửi lại cấp trên",
               guard=_all_answered),
    Transition("accept", "signed", "accepted", "inspection.review", "Chấp nhận", style="success"),
    Transition("return", "signed", "returned", "inspection.review", "Trả lại để bổ sung", needs_reason=True,
               style="outline-danger"),
    Transition("conclude", "draft", "concluded", "inspection.conduct", "Kết luận kiểm tra",
               kinds=frozenset({"supervisory"}), guard=_all_answered),
]

ACTION_LABELS = {
    "inspection.sign": "Ký xác nhận tự kiểm tra",
    "inspection.accept": "Chấp nhận kết quả tự kiểm tra",
    "inspection.return": "Trả lại kết quả tự kiểm tra",
    "inspection.conclude": "Kết luận kiểm tra",
}


def available(inspection: Inspection, permissions, acting_unit_id: int | None = None) -> list[Transition]:
    """The transitions the holder of `permissions` may apply now (templates show these buttons).

    Review belongs to the supervising unit: it is offered only on the supervising unit's pages
    (`acting_unit_id` is not the inspection's own unit).
    """
    found = []
    for t in TRANSITIONS:
        if t.source != inspection.status or inspection.kind not in t.kinds or t.permission not in permissions:
            continue
        if t.name in ("accept", "return") and acting_unit_id == inspection.unit_id:
            continue
        if t.name == "sign" and acting_unit_id is not None and acting_unit_id != inspection.unit_id:
            continue
        found.append(t)
    return found


def apply(inspection: Inspection, name: str, actor, *, permissions, acting_unit_id: int,
          reason: str | None = None) -> Inspection:
    """Apply transition `name`, write the history row and the audit entry, commit."""
    choices = [t for t in available(inspection, permissions, acting_unit_id) if t.name == name]
    if not choices:
        raise WorkflowError("Thao tác này không thực hiện được ở trạng thái hiện tại của hồ sơ.")
    transition = choices[0]
    reason = (reason or "").strip() or None
    if transition.needs_reason and not reason:
        raise WorkflowError("Vui lòng ghi rõ lý do trả lại.", "reason")
    if reason and len(reason) > 2000:
        raise WorkflowError("Tối đa 2000 ký tự.", "reason")
    if transition.guard:
        problem = transition.guard(inspection)
        if problem:
            raise WorkflowError(problem)
    from thiduaweb.inspections.services import compute_score

    now = clock.now()
    source = inspection.status
    # The supervising unit's decision is written on the commune's own record: deliberate.
    with _cross_writes(acting_unit_id != inspection.unit_id):
        inspection.status = transition.target
        if transition.name in ("sign", "conclude"):
            inspection.score = compute_score(inspection)
            inspection.signed_at = now
            inspection.signed_by = actor.full_name
        if transition.name in ("accept", "return"):
            inspection.review_comment = reason
            inspection.reviewed_at = now
            inspection.reviewed_by = actor.full_name
        db.session.add(InspectionEvent(unit_id=inspection.unit_id, inspection_id=inspection.id,
                                       from_status=source, to_status=transition.target,
                                       actor_name=actor.full_name, reason=reason, at=now))
        audit.record(db.session, unit_id=inspection.unit_id, action=f"inspection.{transition.name}",
                     object_type="Inspection", object_id=inspection.id, label=inspection.audit_label,
                     changes={"status": [source, transition.target], **({"reason": reason} if reason else {})})
        db.session.commit()
    return inspection



def _cross_writes(needed: bool):
    """Cross-unit writes for this step, unless the caller (the demo seeding) already allows them."""
    if needed and not db.session().info.get("all_units_writes"):
        return cross_unit_writes()
    return nullcontext()
