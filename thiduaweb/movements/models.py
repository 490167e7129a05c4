"""Movements (phong trào thi đua) with targets and progress, reviews (sơ kết / tổng kết),
registrations (đăng ký thi đua) and compacts (giao ước thi đua)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db
from thiduaweb.units.models import Body

KINDS = {"regular": "Thường xuyên", "thematic": "Theo chuyên đề", "periodic": "Theo đợt"}
LEVELS = {"central": "Trung ương", "province": "Tỉnh", "city": "Thành phố", "commune": "Xã"}
REVIEW_KINDS = {"interim": "Sơ kết", "final": "Tổng kết"}
SUBJECT_KINDS = {"person": "Cá nhân", "collective": "Tập thể", "household": "Hộ gia đình"}
#: Titles bodies and people usually register for at a commune (free text is allowed too).
REGISTRATION_TITLES = {
    "person": ["Lao động tiên tiến", "Chiến sĩ thi đua cơ sở"],
    "collective": ["Tập thể lao động tiên tiến", "Tập thể lao động xuất sắc", "Thôn, xóm văn hóa"],
    "household": ["Gia đình văn hóa"],
}


class Movement(UnitOwned, db.Model):
    __tablename__ = "movement"
    __unit_parents__ = {"plan_item_id": "plan_item"}
    __extra_table_args__ = (
        Index("ix_movement_unit_id_starts_on", "unit_id", "starts_on"),
        Index("ix_movement_parent_movement_id", "parent_movement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20), default="regular")
    level: Mapped[str] = mapped_column(String(20), default="commune")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    #: The item of this unit's plan the movement carries out.
    plan_item_id: Mapped[int | None] = mapped_column(Integer)
    #: A city movement open to every commune under it.
    for_communes: Mapped[bool] = mapped_column(default=False)
    #: The city movement this commune movement joins (another unit's row: a plain foreign key).
    parent_movement_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"))
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __field_labels__ = {
        "name": "Tên phong trào", "kind": "Loại phong trào", "level": "Cấp phát động", "starts_on": "Ngày bắt đầu",
        "ends_on": "Ngày kết thúc", "description": "Mô tả, nội dung chính", "plan_item_id": "Thực hiện mục kế hoạch",
        "for_communes": "Phát động cho tất cả xã, phường trực thuộc", "parent_movement_id": "Phong trào cấp trên",
        "created_at": "Thời điểm tạo",
    }
    __value_labels__ = {"kind": KINDS, "level": LEVELS}

    targets: Mapped[list[Target]] = relationship(
        order_by="(Target.position, Target.id)", cascade="all, delete-orphan",
        primaryjoin="and_(Movement.id == foreign(Target.movement_id), Movement.unit_id == Target.unit_id)")
    reviews: Mapped[list[Review]] = relationship(
        order_by="Review.held_on", cascade="all, delete-orphan",
        primaryjoin="and_(Movement.id == foreign(Review.movement_id), Movement.unit_id == Review.unit_id)")

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def level_label(self) -> str:
        return LEVELS.get(self.level, self.level)

    participations: Mapped[list[MovementBody]] = relationship(
        cascade="all, delete-orphan",
        primaryjoin="and_(Movement.id == foreign(MovementBody.movement_id), Movement.unit_id == MovementBody.unit_id)")

    @property
    def body_ids(self) -> list[int]:
        return [p.body_id for p in self.participations]

    @property
    def audit_label(self) -> str:
        return self.name


class MovementBody(UnitOwned, db.Model):
    """A body of the unit taking part in a movement."""

    __tablename__ = "movement_body"
    __unit_parents__ = {"movement_id": "movement", "body_id": "body"}
    __extra_table_args__ = (UniqueConstraint("movement_id", "body_id", name="uq_movement_body"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(Integer)
    body_id: Mapped[int] = mapped_column(Integer)
    __field_labels__ = {"movement_id": "Phong trào", "body_id": "Cơ quan, đoàn thể, thôn xóm tham gia"}

    body: Mapped[Body] = relationship(
        primaryjoin="and_(Body.id == foreign(MovementBody.body_id), Body.unit_id == MovementBody.unit_id)",
        viewonly=True)


class Target(UnitOwned, db.Model):
    """A chỉ tiêu: indicator, unit of measure, target value, due date."""

    __tablename__ = "movement_target"
    __unit_parents__ = {"movement_id": "movement"}
    __extra_table_args__ = (Index("ix_movement_target_movement_id", "movement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=1)
    indicator: Mapped[str] = mapped_column(String(255))
    measure: Mapped[str] = mapped_column(String(40), default="")
    target_value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    due_on: Mapped[date | None] = mapped_column(Date)
    #: The city movement's target this commune target answers (another unit's row).
    parent_target_id: Mapped[int | None] = mapped_column(ForeignKey("movement_target.id"))
    __field_labels__ = {
        "movement_id": "Phong trào", "position": "Thứ tự", "indicator": "Chỉ tiêu", "measure": "Đơn vị tính",
        "target_value": "Giá trị chỉ tiêu", "due_on": "Thời hạn", "parent_target_id": "Chỉ tiêu cấp trên",
    }

    reports: Mapped[list[ProgressReport]] = relationship(
        order_by="(ProgressReport.reported_on, ProgressReport.id)", cascade="all, delete-orphan",
        primaryjoin="and_(Target.id == foreign(ProgressReport.target_id), Target.unit_id == ProgressReport.unit_id)")

    @property
    def latest(self) -> ProgressReport | None:
        return self.reports[-1] if self.reports else None

    @property
    def current_value(self) -> Decimal | None:
        return self.latest.value if self.latest else None

    @property
    def percent(self) -> int | None:
        if self.current_value is None or not self.target_value:
            return None
        return int(round(self.current_value * 100 / self.target_value))

    @property
    def audit_label(self) -> str:
        return self.indicator


class ProgressReport(UnitOwned, db.Model):
    """The value reached on a date; evidence files are Attachments (owner_type "ProgressReport")."""

    __tablename__ = "progress_report"
    __unit_parents__ = {"target_id": "movement_target"}
    __extra_table_args__ = (Index("ix_progress_report_target_id", "target_id", "reported_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(Integer)
    reported_on: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    note: Mapped[str] = mapped_column(Text, default="")
    reported_by_id: Mapped[int | None] = mapped_column(Integer)
    __field_labels__ = {"target_id": "Chỉ tiêu", "reported_on": "Ngày báo cáo", "value": "Giá trị đạt được",
                        "note": "Ghi chú", "reported_by_id": "Người báo cáo"}

    @property
    def audit_label(self) -> str:
        return f"Báo cáo tiến độ {self.reported_on:%d/%m/%Y}"


class Review(UnitOwned, db.Model):
    """Sơ kết (interim) or tổng kết (final) of a movement."""

    __tablename__ = "movement_review"
    __unit_parents__ = {"movement_id": "movement"}
    __extra_table_args__ = (Index("ix_movement_review_movement_id", "movement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="interim")
    held_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    __field_labels__ = {"movement_id": "Phong trào", "kind": "Hình thức", "held_on": "Ngày tổ chức",
                        "summary": "Đánh giá chung"}
    __value_labels__ = {"kind": REVIEW_KINDS}

    results: Mapped[list[ReviewResult]] = relationship(
        cascade="all, delete-orphan", order_by="ReviewResult.id",
        primaryjoin="and_(Review.id == foreign(ReviewResult.review_id), Review.unit_id == ReviewResult.unit_id)")
    achievements: Mapped[list[Achievement]] = relationship(
        cascade="all, delete-orphan", order_by="Achievement.id",
        primaryjoin="and_(Review.id == foreign(Achievement.review_id), Review.unit_id == Achievement.unit_id)")

    @property
    def kind_label(self) -> str:
        return REVIEW_KINDS.get(self.kind, self.kind)

    @property
    def audit_label(self) -> str:
        return f"{self.kind_label} {self.held_on:%d/%m/%Y}"


class ReviewResult(UnitOwned, db.Model):
    """What a review found for one target."""

    __tablename__ = "movement_review_result"
    __unit_parents__ = {"review_id": "movement_review", "target_id": "movement_target"}

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(Integer)
    target_id: Mapped[int] = mapped_column(Integer)
    achieved_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    assessment: Mapped[str] = mapped_column(Text, default="")
    __field_labels__ = {"review_id": "Sơ kết, tổng kết", "target_id": "Chỉ tiêu", "achieved_value": "Giá trị đạt được",
                        "assessment": "Đánh giá"}

    target: Mapped[Target] = relationship(
        primaryjoin="and_(Target.id == foreign(ReviewResult.target_id), Target.unit_id == ReviewResult.unit_id)",
        viewonly=True)


class Achievement(UnitOwned, db.Model):
    """A collective, person or household a review singles out (later a source of nominations)."""

    __tablename__ = "movement_achievement"
    __unit_parents__ = {"review_id": "movement_review"}

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(Integer)
    subject_kind: Mapped[str] = mapped_column(String(20), default="collective")
    subject_name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    __field_labels__ = {"review_id": "Sơ kết, tổng kết", "subject_kind": "Đối tượng",
                        "subject_name": "Tên tập thể, cá nhân, hộ gia đình", "description": "Thành tích"}
    __value_labels__ = {"subject_kind": SUBJECT_KINDS}

    @property
    def subject_kind_label(self) -> str:
        return SUBJECT_KINDS.get(self.subject_kind, self.subject_kind)

    @property
    def audit_label(self) -> str:
        return self.subject_name


class Registration(UnitOwned, db.Model):
    """Đăng ký thi đua: a body, person or household aims at a title for the year."""

    __tablename__ = "emulation_registration"
    __unit_parents__ = {"body_id": "body"}
    __extra_table_args__ = (Index("ix_emulation_registration_unit_id_year", "unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    subject_kind: Mapped[str] = mapped_column(String(20), default="person")
    subject_name: Mapped[str] = mapped_column(String(160))
    body_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(160))
    registered_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    __field_labels__ = {
        "year": "Năm", "subject_kind": "Đối tượng", "subject_name": "Tên người, tập thể hoặc hộ đăng ký",
        "body_id": "Thuộc cơ quan, đoàn thể, thôn xóm", "title": "Danh hiệu đăng ký", "registered_on": "Ngày đăng ký",
        "note": "Ghi chú",
    }
    __value_labels__ = {"subject_kind": SUBJECT_KINDS}

    @property
    def subject_kind_label(self) -> str:
        return SUBJECT_KINDS.get(self.subject_kind, self.subject_kind)

    @property
    def audit_label(self) -> str:
        return f"{self.subject_name}: {self.title} ({self.year})"


class Compact(UnitOwned, db.Model):
    """Giao ước thi đua signed by bodies of the unit."""

    __tablename__ = "emulation_compact"
    __extra_table_args__ = (Index("ix_emulation_compact_unit_id_year", "unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    signed_on: Mapped[date] = mapped_column(Date)
    #: The signing bodies, one per line.
    parties: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")
    __field_labels__ = {"year": "Năm", "name": "Tên giao ước", "signed_on": "Ngày ký", "parties": "Các bên ký",
                        "content": "Nội dung giao ước"}

    @property
    def party_list(self) -> list[str]:
        return [line.strip() for line in (self.parties or "").splitlines() if line.strip()]
