"""The self-scoring workflow: one table of transitions, one `apply()`.

draft → submitted (the commune) → cluster_reviewed (the leading commune of its cluster)
→ approved (the supervising unit) → published (when the supervising unit publishes the results).
The cluster leader or the supervising unit may return it with a reason (→ returned → submitted ...).
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

from thiduaweb.clusters.models import ScoreEvent, SelfScore
from thiduaweb.core import audit, clock
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db


class WorkflowError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    permission: str
    #: Who acts: the commune itself, the leading commune of its cluster, or the supervising unit.
    actor: str
    label: str
    needs_reason: bool = False
    style: str = "primary"


TRANSITIONS = [
    Transition("submit", "draft", "submitted", "cluster.score", "self", "Gửi cụm trưởng"),
    Transition("submit", "returned", "submitted", "cluster.score", "self", "Gửi lại cụm trưởng"),
    Transition("cluster_accept", "submitted", "cluster_reviewed", "cluster.score", "leader",
               "Cụm trưởng thống nhất, gửi cấp trên", style="success"),
    Transition("cluster_return", "submitted", "returned", "cluster.score", "leader", "Cụm trưởng trả lại",
               needs_reason=True, style="outline-danger"),
    Transition("city_accept", "cluster_reviewed", "approved", "cluster.manage", "supervisor", "Duyệt kết quả",
               style="success"),
    Transition("city_return", "cluster_reviewed", "returned", "cluster.manage", "supervisor", "Trả lại xã",
               needs_reason=True, style="outline-danger"),
]


def _role_of(score: SelfScore, acting_unit) -> str | None:
    if acting_unit is None:
        return None
    if acting_unit.id == score.unit_id:
        return "self"
    cluster = score.cluster
    if cluster is not None and cluster.leader_unit_id == acting_unit.id and acting_unit.id != score.unit_id:
        return "leader"
    if cluster is not None and cluster.unit_id == acting_unit.id:
        return "supervisor"
    return None


def available(score: SelfScore, permissions, acting_unit) -> list[Transition]:
    role = _role_of(score, acting_unit)
    return [t for t in TRANSITIONS if t.source == score.status and t.actor == role and t.permission in permissions]


def _missing(score: SelfScore) -> str | None:
    scored = {line.criterion_id for line in score.lines if line.points is not None}
    missing = [c for c in score.table.criteria if c.id not in scored]
    if missing:
        return f"Còn {len(missing)} tiêu chí chưa chấm điểm: hãy chấm đủ rồi mới gửi."
    return None


def apply(score: SelfScore, name: str, actor, *, permissions, acting_unit, reason: str | None = None) -> SelfScore:
    choices = [t for t in available(score, permissions, acting_unit) if t.name == name]
    if not choices:
        raise WorkflowError("Thao tác này không thực hiện được ở trạng thái hiện tại của bản tự chấm.")
    transition = choices[0]
    reason = (reason or "").strip() or None
    if transition.needs_reason and not reason:
        raise WorkflowError("Vui lòng ghi rõ lý do trả lại.", "reason")
    if reason and len(reason) > 2000:
        raise WorkflowError("Tối đa 2000 ký tự.", "reason")
    if transition.name == "submit":
        problem = _missing(score)
        if problem:
            raise WorkflowError(problem)
    from thiduaweb.clusters.services import compute_total

    source = score.status
    target = transition.target
    cluster = score.cluster
    if transition.name == "submit" and cluster is not None and cluster.leader_unit_id == score.unit_id:
        # The leading commune's own scoring has no one above it in the cluster: it goes to the city.
        target = "cluster_reviewed"
    now = clock.now()
    cross = acting_unit.id != score.unit_id
    # The leading commune's and the supervising unit's decisions are written on the commune's
    # own record: deliberately cross-unit, after the checks above.
    with _cross_writes(cross):
        score.status = target
        if transition.name == "submit":
            score.total = compute_total(score)
            score.submitted_at = now
            score.return_reason = None
        if transition.needs_reason:
            score.return_reason = reason
        db.session.add(ScoreEvent(unit_id=score.unit_id, score_id=score.id, from_status=source,
                                  to_status=target, actor_name=f"{actor.full_name} ({acting_unit.name})",
                                  reason=reason, at=now))
        audit.record(db.session, unit_id=score.unit_id, action=f"cluster_score.{transition.name}",
                     object_type="SelfScore", object_id=score.id, label=score.audit_label,
                     changes={"status": [source, target], **({"reason": reason} if reason else {})})
        db.session.commit()
    return score



def _cross_writes(needed: bool):
    """Cross-unit writes for this step, unless the caller (the demo seeding) already allows them."""
    if needed and not db.session().info.get("all_units_writes"):
        return cross_unit_writes()
    return nullcontext()
