"""A plan's life: draft → issued (numbered, locked) → superseded (by an issued replacement)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from thiduaweb.core import audit, clock
from thiduaweb.extensions import db
from thiduaweb.plans.models import DRAFT, ISSUED, SUPERSEDED, Plan, PlanHistory


class PlanRefused(ValueError):
    """A refusal with a Vietnamese message, attached to a form field when `field` is set."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _has_items(plan: Plan) -> str | None:
    if not plan.items:
        return "Kế hoạch chưa có mục nào: thêm nội dung trước khi ban hành."
    if not plan.title_lines:
        return "Kế hoạch chưa có tên."
    return None


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    permission: str
    label: str
    guard: Callable[[Plan], str | None] | None = None
    #: Applied by the system (a replacement was issued), never offered as a button.
    automatic: bool = False


TRANSITIONS = {
    "issue": Transition("issue", DRAFT, ISSUED, "plan.issue", "Ban hành", _has_items),
    "supersede": Transition("supersede", ISSUED, SUPERSEDED, "plan.issue", "Thay thế", automatic=True),
}

#: A plan's history step → its name (the audit trail shows `PlanHistory.transition` with it).
TRANSITION_LABELS = {name: t.label for name, t in TRANSITIONS.items()}

ACTION_LABELS = {"plan.issue": "Ban hành kế hoạch", "plan.supersede": "Thay thế kế hoạch",
                 "plan.adopt": "Tiếp nhận kế hoạch cấp trên"}


def available(plan: Plan, permissions) -> list[Transition]:
    """The transitions a user holding `permissions` may apply to `plan` now (for buttons)."""
    return [t for t in TRANSITIONS.values()
            if not t.automatic and t.source == plan.status and t.permission in permissions
            and (t.guard is None or t.guard(plan) is None)]


def blocked_reason(plan: Plan, name: str) -> str | None:
    transition = TRANSITIONS[name]
    if plan.status != transition.source:
        return "Kế hoạch không ở trạng thái cho phép bước này."
    return transition.guard(plan) if transition.guard else None


def apply(plan: Plan, name: str, actor, reason: str = "") -> PlanHistory:
    """Move the plan, write its history row and an audit entry (no commit)."""
    transition = TRANSITIONS[name]
    refusal = blocked_reason(plan, name)
    if refusal:
        raise PlanRefused(refusal)
    history = PlanHistory(unit_id=plan.unit_id, plan_id=plan.id, transition=name, from_status=plan.status,
                          to_status=transition.target, actor_id=getattr(actor, "id", None),
                          actor_name=getattr(actor, "full_name", "") or "Hệ thống", reason=reason or "",
                          at=clock.now())
    plan.status = transition.target
    db.session.add(history)
    db.session.flush()
    audit.record(db.session, unit_id=plan.unit_id, action=f"plan.{name}", object_type="Plan", object_id=plan.id,
                 label=plan.audit_label, changes={"status": [transition.source, transition.target]})
    return history
