"""Clusters, the year's scoring table, the communes' self-scoring, reviews, published ranking.

Every public function is one unit of work: it commits, or raises `ClusterError` (a Vietnamese
message and the form field it belongs to) before committing.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from thiduaweb.clusters.models import (
    ClusterMember, EmulationCluster, ScoreEvent, ScoringCriterion, ScoringGroup, ScoringTable, SelfScore,
    SelfScoreLine,
)
from thiduaweb.core import audit, clock
from thiduaweb.core.tenancy import all_units, cross_unit_writes
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

NOTE_MAX = 2000


class ClusterError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class LinesRefused(ClusterError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("Vui lòng sửa các ô được đánh dấu đỏ rồi lưu lại.")
        self.errors = errors


def _require_supervising(unit: Unit) -> None:
    if unit.is_commune_level:
        raise ClusterError("Chỉ đơn vị cấp trên mới lập cụm thi đua và bảng chấm điểm.")


def communes_of(unit: Unit) -> list[Unit]:
    from thiduaweb.core.vntext import fold

    return sorted(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id)), key=lambda u: fold(u.name))


# --- Clusters ---------------------------------------------------------------------------------------

def list_clusters(unit: Unit) -> list[EmulationCluster]:
    return list(db.session.scalars(select(EmulationCluster).where(EmulationCluster.unit_id == unit.id)
                                   .order_by(EmulationCluster.name)))


def get_cluster(cluster_id: int) -> EmulationCluster | None:
    return db.session.get(EmulationCluster, cluster_id)


def save_cluster(unit: Unit, data: dict, cluster: EmulationCluster | None = None) -> EmulationCluster:
    """Name, leading commune and members; a commune belongs to one cluster of the unit."""
    _require_supervising(unit)
    children = {u.id: u for u in communes_of(unit)}
    members = [i for i in data["member_ids"] if i in children]
    if not members:
        raise ClusterError("Chọn ít nhất một xã, phường cho cụm.", "member_ids")
    if data["leader_unit_id"] not in members:
        raise ClusterError("Cụm trưởng phải là một thành viên của cụm.", "leader_unit_id")
    taken = {m.member_unit_id: m.cluster for m in db.session.scalars(
        select(ClusterMember).where(ClusterMember.unit_id == unit.id, ClusterMember.member_unit_id.in_(members)))
        if cluster is None or m.cluster_id != cluster.id}
    if taken:
        unit_id, other = next(iter(taken.items()))
        raise ClusterError(f"{children[unit_id].name} đã thuộc {other.name}.", "member_ids")
    cluster = cluster or EmulationCluster(unit_id=unit.id)
    cluster.name = data["name"]
    cluster.leader_unit_id = data["leader_unit_id"]
    cluster.note = data.get("note") or None
    current = {m.member_unit_id: m for m in cluster.members}
    for unit_id, member in current.items():
        if unit_id not in members:
            cluster.members.remove(member)
    for unit_id in members:
        if unit_id not in current:
            cluster.members.append(ClusterMember(unit_id=unit.id, member_unit_id=unit_id))
    db.session.add(cluster)
    db.session.commit()
    return cluster


def cluster_of_commune(commune: Unit) -> EmulationCluster | None:
    """The cluster the supervising unit put `commune` in (read across units)."""
    member = db.session.scalar(all_units(select(ClusterMember).where(ClusterMember.member_unit_id == commune.id,
                                                                     ClusterMember.unit_id.in_(commune.ancestor_ids or [-1]))))
    return member.cluster if member else None


def clusters_led_by(commune: Unit) -> list[EmulationCluster]:
    return list(db.session.scalars(all_units(select(EmulationCluster).where(
        EmulationCluster.leader_unit_id == commune.id, EmulationCluster.unit_id.in_(commune.ancestor_ids or [-1])))))


# --- Scoring tables -----------------------------------------------------------------------------------

def list_tables(unit: Unit) -> list[ScoringTable]:
    return list(db.session.scalars(select(ScoringTable).where(ScoringTable.unit_id == unit.id)
                                   .order_by(ScoringTable.year.desc())))


def get_table(table_id: int) -> ScoringTable | None:
    return db.session.get(ScoringTable, table_id)


def tables_for_commune(commune: Unit) -> list[ScoringTable]:
    return list(db.session.scalars(all_units(select(ScoringTable).where(
        ScoringTable.unit_id.in_(commune.ancestor_ids or [-1]), ScoringTable.status != "draft")
        .order_by(ScoringTable.year.desc()))))


def table_for_commune(commune: Unit, table_id: int) -> ScoringTable | None:
    return next((t for t in tables_for_commune(commune) if t.id == table_id), None)


def save_table(unit: Unit, data: dict, table: ScoringTable | None = None) -> ScoringTable:
    _require_supervising(unit)
    if table is not None and table.status != "draft":
        raise ClusterError("Bảng điểm đã gửi các xã nên không sửa được.")
    table = table or ScoringTable(unit_id=unit.id, status="draft")
    table.year, table.title, table.deadline = data["year"], data["title"], data.get("deadline")
    db.session.add(table)
    db.session.commit()
    return table


def _require_draft(table: ScoringTable) -> None:
    if table.status != "draft":
        raise ClusterError("Bảng điểm đã gửi các xã nên không sửa được.")


def add_group(table: ScoringTable, title: str) -> ScoringGroup:
    _require_draft(table)
    group = ScoringGroup(unit_id=table.unit_id, position=len(table.groups) + 1, title=title)
    table.groups.append(group)
    db.session.commit()
    return group


def add_criterion(table: ScoringTable, data: dict) -> ScoringCriterion:
    _require_draft(table)
    group = next((g for g in table.groups if g.id == data["group_id"]), None)
    if group is None:
        raise ClusterError("Vui lòng chọn nhóm tiêu chí.", "group_id")
    criterion = ScoringCriterion(unit_id=table.unit_id, position=len(group.criteria) + 1, text=data["text"],
                                 max_points=data["max_points"], bonus_points=data.get("bonus_points") or Decimal(0),
                                 evidence_expected=data.get("evidence_expected") or None)
    group.criteria.append(criterion)
    db.session.commit()
    return criterion


def delete_criterion(table: ScoringTable, criterion: ScoringCriterion) -> None:
    _require_draft(table)
    db.session.delete(criterion)
    db.session.commit()


def open_table(table: ScoringTable) -> ScoringTable:
    """Send the table to the communes: they can score themselves; the table is frozen."""
    _require_draft(table)
    if not table.criteria:
        raise ClusterError("Bảng điểm chưa có tiêu chí nào.")
    table.status = "open"
    db.session.commit()
    return table


# --- A commune's self-scoring --------------------------------------------------------------------------

def score_of(commune: Unit, table: ScoringTable) -> SelfScore | None:
    return db.session.scalar(select(SelfScore).where(SelfScore.unit_id == commune.id,
                                                     SelfScore.table_id == table.id))


def start_score(commune: Unit, table: ScoringTable) -> SelfScore:
    if not commune.is_commune_level:
        raise ClusterError("Tự chấm điểm là việc của xã, phường.")
    if table.status != "open":
        raise ClusterError("Bảng điểm không còn mở để tự chấm.")
    existing = score_of(commune, table)
    if existing:
        return existing
    cluster = cluster_of_commune(commune)
    if cluster is None:
        raise ClusterError("Xã, phường chưa được xếp vào cụm thi đua nào: đề nghị cấp trên xếp cụm trước.")
    score = SelfScore(unit_id=commune.id, table_id=table.id, cluster_id=cluster.id, status="draft")
    db.session.add(score)
    db.session.commit()
    return score


def get_score(score_id: int, acting_unit: Unit | None = None) -> SelfScore | None:
    """A score in the bound scope, or (for a leading commune) one of its cluster members' scores."""
    found = db.session.get(SelfScore, score_id)
    if found is None and acting_unit is not None and acting_unit.is_commune_level:
        led = {c.id for c in clusters_led_by(acting_unit)}
        if led:
            found = db.session.scalar(all_units(select(SelfScore).where(
                SelfScore.id == score_id, SelfScore.cluster_id.in_(led))))
    return found


def lines_by_criterion(score: SelfScore) -> dict[int, SelfScoreLine]:
    return {line.criterion_id: line for line in score.lines}


def compute_total(score: SelfScore) -> Decimal:
    """Points plus bonus points over every criterion (each capped by the table)."""
    total = Decimal(0)
    for line in score.lines:
        total += (line.points or 0) + (line.bonus or 0)
    return Decimal(total).quantize(Decimal("0.01"))


def _decimal(text: str | None, field: str, errors: dict) -> Decimal | None:
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except ArithmeticError:
        errors[field] = "Giá trị phải là một số, ví dụ 8 hoặc 8,5."
        return None
    if not value.is_finite():
        errors[field] = "Giá trị phải là một số, ví dụ 8 hoặc 8,5."
        return None
    return value


def save_lines(score: SelfScore, values: dict[int, dict], uploads: dict[int, list] | None = None, *,
               uploaded_by_id: int | None = None) -> SelfScore:
    """Save points, bonus and notes typed as text, and the evidence files; all checked first."""
    if score.locked:
        raise ClusterError("Bản tự chấm đã gửi nên bị khóa: chỉ sửa được khi bị trả lại.")
    criteria = {c.id: c for c in score.table.criteria}
    errors: dict[str, str] = {}
    parsed: dict[int, tuple] = {}
    for cid, value in values.items():
        criterion = criteria.get(cid)
        if criterion is None:
            continue
        points = _decimal(value.get("points"), f"points-{cid}", errors)
        bonus = _decimal(value.get("bonus"), f"bonus-{cid}", errors)
        if points is not None and not 0 <= points <= criterion.max_points:
            errors[f"points-{cid}"] = f"Điểm phải từ 0 đến {criterion.max_points.normalize():f}."
        if bonus is not None and not 0 <= bonus <= criterion.bonus_points:
            errors[f"bonus-{cid}"] = (f"Điểm thưởng phải từ 0 đến {criterion.bonus_points.normalize():f}."
                                      if criterion.bonus_points else "Tiêu chí này không có điểm thưởng.")
        note = (value.get("note") or "").strip()
        if len(note) > NOTE_MAX:
            errors[f"note-{cid}"] = f"Tối đa {NOTE_MAX} ký tự."
        parsed[cid] = (points, bonus, note or None)
    uploads = {k: [f for f in v if f and f.filename] for k, v in (uploads or {}).items() if k in criteria}
    if any(uploads.values()):
        from thiduaweb.files.services import upload_errors

        errors.update(upload_errors(uploads))
    if errors:
        raise LinesRefused(errors)
    lines = lines_by_criterion(score)
    for cid in set(parsed) | set(uploads):
        line = lines.get(cid)
        if line is None:
            line = SelfScoreLine(unit_id=score.unit_id, criterion_id=cid)
            score.lines.append(line)
            lines[cid] = line
        if cid in parsed:
            line.points, line.bonus, line.note = parsed[cid]
    db.session.flush()
    if any(uploads.values()):
        from thiduaweb.files.services import save_upload

        for cid, files in uploads.items():
            for storage in files:
                save_upload(storage, unit_id=score.unit_id, owner_type="SelfScoreLine", owner_id=lines[cid].id,
                            uploaded_by_id=uploaded_by_id)
    score.total = compute_total(score)
    db.session.commit()
    return score


def evidence_for(score: SelfScore) -> dict[int, list]:
    from thiduaweb.files.services import attachments_for_many

    by_line = attachments_for_many("SelfScoreLine", [line.id for line in score.lines])
    return {line.criterion_id: by_line.get(line.id, []) for line in score.lines}


# --- Reviews and results ---------------------------------------------------------------------------------

def scores_to_review_by_leader(commune: Unit) -> list[SelfScore]:
    led = [c.id for c in clusters_led_by(commune)]
    if not led:
        return []
    return list(db.session.scalars(all_units(select(SelfScore).where(
        SelfScore.cluster_id.in_(led), SelfScore.unit_id != commune.id).order_by(SelfScore.status))))


@dataclass
class Row:
    commune: Unit
    score: SelfScore | None


def table_overview(unit: Unit, table: ScoringTable) -> list[tuple[EmulationCluster | None, list[Row]]]:
    """Per cluster, each commune with its self-scoring (or none yet), ranked when published."""
    scores = {s.unit_id: s for s in db.session.scalars(all_units(select(SelfScore).where(
        SelfScore.table_id == table.id)))}
    groups = []
    placed: set[int] = set()
    for cluster in list_clusters(unit):
        rows = [Row(u, scores.get(u.id)) for u in cluster.member_units]
        placed |= {u.id for u in cluster.member_units}
        rows.sort(key=lambda r: (r.score is None or r.score.rank is None,
                                 r.score.rank if r.score and r.score.rank else 0,
                                 -(r.score.total or 0) if r.score else 0, r.commune.name))
        groups.append((cluster, rows))
    loose = [Row(u, scores.get(u.id)) for u in communes_of(unit) if u.id not in placed]
    if loose:
        groups.append((None, loose))
    return groups


def publish_results(unit: Unit, table: ScoringTable, actor) -> ScoringTable:
    """Lock the approved scores and rank the communes inside each cluster (ties share a rank)."""
    _require_supervising(unit)
    if table.status != "open":
        raise ClusterError("Chỉ công bố được bảng điểm đang chấm.")
    scores = list(db.session.scalars(all_units(select(SelfScore).where(SelfScore.table_id == table.id))))
    pending = [s for s in scores if s.status in ("submitted", "cluster_reviewed")]
    if pending:
        raise ClusterError(f"Còn {len(pending)} bản tự chấm đang chờ xem xét: hãy duyệt hoặc trả lại trước khi công bố.")
    approved = [s for s in scores if s.status == "approved"]
    if not approved:
        raise ClusterError("Chưa có bản tự chấm nào được duyệt.")
    now = clock.now()
    by_cluster: dict[int, list[SelfScore]] = {}
    for score in approved:
        by_cluster.setdefault(score.cluster_id, []).append(score)
    # The results are written on the communes' own records: deliberately cross-unit.
    with nullcontext() if db.session().info.get("all_units_writes") else cross_unit_writes():
        for members in by_cluster.values():
            members.sort(key=lambda s: -(s.total or 0))
            rank, previous = 0, None
            for position, score in enumerate(members, 1):
                if score.total != previous:
                    rank, previous = position, score.total
                score.rank = rank
                source, score.status = score.status, "published"
                db.session.add(ScoreEvent(unit_id=score.unit_id, score_id=score.id, from_status=source,
                                          to_status="published", actor_name=f"{actor.full_name} ({unit.name})", at=now))
        table.status = "published"
        table.published_at = now
        audit.record(db.session, unit_id=unit.id, action="cluster_table.publish", object_type="ScoringTable",
                     object_id=table.id, label=table.title, changes={"status": ["open", "published"]})
        db.session.commit()
    return table


def published_ranking(commune: Unit, table: ScoringTable) -> list[SelfScore]:
    """The published ranking of the commune's cluster (what every member may read)."""
    cluster = cluster_of_commune(commune)
    if cluster is None or table.status != "published":
        return []
    return list(db.session.scalars(all_units(select(SelfScore).where(
        SelfScore.table_id == table.id, SelfScore.cluster_id == cluster.id, SelfScore.status == "published")
        .order_by(SelfScore.rank, SelfScore.id))))
