"""Emulation clusters (cụm thi đua) and the year's scoring of the communes.

The supervising unit owns the clusters, their members, the scoring tables with their criteria
groups and criteria. A commune owns its self-scoring (lines, evidence, history); the leading
commune of its cluster and then the supervising unit review it; the published result is locked
and ranks the communes in each cluster.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thiduaweb.core.tenancy import UnitOwned, all_units
from thiduaweb.extensions import db


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _load_across(model, ident):
    """A row of the supervising unit read from a commune's pages (deliberately cross-unit)."""
    if ident is None:
        return None
    return db.session.scalar(all_units(select(model).where(model.id == ident)))


TABLE_STATUS = {"draft": "Đang soạn", "open": "Đang chấm điểm", "published": "Đã công bố kết quả"}
SCORE_STATUS = {
    "draft": "Xã đang tự chấm",
    "submitted": "Chờ cụm trưởng xem xét",
    "cluster_reviewed": "Cụm đã xem xét, chờ cấp trên",
    "approved": "Cấp trên đã duyệt",
    "returned": "Bị trả lại",
    "published": "Đã công bố",
}


class EmulationCluster(UnitOwned, db.Model):
    __tablename__ = "emulation_cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    leader_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    note: Mapped[str | None] = mapped_column(Text)
    __field_labels__ = {"name": "Tên cụm thi đua", "leader_unit_id": "Cụm trưởng", "note": "Ghi chú"}

    leader = relationship("Unit", foreign_keys=[leader_unit_id])
    members: Mapped[list[ClusterMember]] = relationship(back_populates="cluster", cascade="all, delete-orphan")

    @property
    def member_units(self) -> list:
        from thiduaweb.core.vntext import fold

        return sorted((m.member for m in self.members), key=lambda u: fold(u.name))


class ClusterMember(UnitOwned, db.Model):
    __tablename__ = "emulation_cluster_member"
    __unit_parents__ = {"cluster_id": "emulation_cluster"}
    __extra_table_args__ = (UniqueConstraint("unit_id", "member_unit_id", name="uq_cluster_member_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(Integer)
    member_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    __field_labels__ = {"cluster_id": "Cụm thi đua", "member_unit_id": "Xã, phường trong cụm"}

    cluster: Mapped[EmulationCluster] = relationship(back_populates="members")
    member = relationship("Unit", foreign_keys=[member_unit_id])

    @property
    def audit_label(self) -> str:
        return self.member.name if self.member else f"#{self.member_unit_id}"


class ScoringTable(UnitOwned, db.Model):
    """The year's scoring table: criteria groups, criteria with maximum and bonus points."""

    __tablename__ = "scoring_table"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __field_labels__ = {"year": "Năm", "title": "Tên bảng điểm", "deadline": "Hạn tự chấm", "status": "Trạng thái",
                        "published_at": "Thời điểm công bố"}
    __value_labels__ = {"status": TABLE_STATUS}

    groups: Mapped[list[ScoringGroup]] = relationship(
        back_populates="table", order_by="ScoringGroup.position", cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        return TABLE_STATUS.get(self.status, self.status)

    @property
    def criteria(self) -> list[ScoringCriterion]:
        return [c for g in self.groups for c in g.criteria]

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal(0))

    @property
    def bonus_total(self) -> Decimal:
        return sum((c.bonus_points for c in self.criteria), Decimal(0))


class ScoringGroup(UnitOwned, db.Model):
    __tablename__ = "scoring_group"
    __unit_parents__ = {"table_id": "scoring_table"}

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(300))
    __field_labels__ = {"table_id": "Bảng điểm", "position": "Thứ tự", "title": "Tên nhóm tiêu chí"}

    table: Mapped[ScoringTable] = relationship(back_populates="groups")
    criteria: Mapped[list[ScoringCriterion]] = relationship(
        back_populates="group", order_by="ScoringCriterion.position", cascade="all, delete-orphan")


class ScoringCriterion(UnitOwned, db.Model):
    __tablename__ = "scoring_criterion"
    __unit_parents__ = {"group_id": "scoring_group"}

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)
    max_points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    bonus_points: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))
    evidence_expected: Mapped[str | None] = mapped_column(String(300))
    __field_labels__ = {"group_id": "Nhóm tiêu chí", "position": "Thứ tự", "text": "Tiêu chí",
                        "max_points": "Điểm tối đa", "bonus_points": "Điểm thưởng tối đa",
                        "evidence_expected": "Minh chứng cần có"}

    group: Mapped[ScoringGroup] = relationship(back_populates="criteria")

    @property
    def audit_label(self) -> str:
        return self.text[:120]


class SelfScore(UnitOwned, db.Model):
    """A commune's self-scoring on the year's table, reviewed by its cluster then the city."""

    __tablename__ = "cluster_self_score"
    __extra_table_args__ = (UniqueConstraint("unit_id", "table_id", name="uq_cluster_self_score_table"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("scoring_table.id"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("emulation_cluster.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    total: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    rank: Mapped[int | None] = mapped_column(Integer)
    return_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __field_labels__ = {"table_id": "Bảng điểm", "cluster_id": "Cụm thi đua", "status": "Trạng thái",
                        "total": "Tổng điểm", "rank": "Xếp hạng", "return_reason": "Lý do trả lại",
                        "submitted_at": "Thời điểm gửi", "created_at": "Thời điểm tạo"}
    __value_labels__ = {"status": SCORE_STATUS}

    unit = relationship("Unit", foreign_keys="SelfScore.unit_id", viewonly=True)
    lines: Mapped[list[SelfScoreLine]] = relationship(back_populates="score", cascade="all, delete-orphan")
    events: Mapped[list[ScoreEvent]] = relationship(back_populates="score", order_by="ScoreEvent.id",
                                                    cascade="all, delete-orphan")

    @property
    def table(self) -> ScoringTable | None:
        return _load_across(ScoringTable, self.table_id)

    @property
    def cluster(self) -> EmulationCluster | None:
        return _load_across(EmulationCluster, self.cluster_id)

    @property
    def status_label(self) -> str:
        return SCORE_STATUS.get(self.status, self.status)

    @property
    def locked(self) -> bool:
        return self.status not in ("draft", "returned")

    @property
    def audit_label(self) -> str:
        table = self.table
        return f"Tự chấm điểm thi đua {table.year}" if table else "Tự chấm điểm thi đua"


class SelfScoreLine(UnitOwned, db.Model):
    __tablename__ = "cluster_self_score_line"
    __unit_parents__ = {"score_id": "cluster_self_score"}
    __extra_table_args__ = (UniqueConstraint("score_id", "criterion_id", name="uq_cluster_score_line_criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(Integer)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("scoring_criterion.id"))
    points: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    bonus: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    note: Mapped[str | None] = mapped_column(Text)
    __field_labels__ = {"score_id": "Bản tự chấm", "criterion_id": "Tiêu chí", "points": "Điểm tự chấm",
                        "bonus": "Điểm thưởng", "note": "Ghi chú"}

    score: Mapped[SelfScore] = relationship(back_populates="lines")


class ScoreEvent(UnitOwned, db.Model):
    __tablename__ = "cluster_score_event"
    __unit_parents__ = {"score_id": "cluster_self_score"}

    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_name: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __field_labels__ = {"score_id": "Bản tự chấm", "from_status": "Từ trạng thái", "to_status": "Sang trạng thái",
                        "actor_name": "Người thực hiện", "reason": "Ý kiến, lý do", "at": "Thời điểm"}
    __value_labels__ = {"from_status": SCORE_STATUS, "to_status": SCORE_STATUS}

    score: Mapped[SelfScore] = relationship(back_populates="events")

    @property
    def to_label(self) -> str:
        return SCORE_STATUS.get(self.to_status, self.to_status)
