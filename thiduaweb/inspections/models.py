"""Self-inspection (tự kiểm tra) and inspection by the supervising unit.

The supervising unit (a city in 2021) owns the checklist templates, their sections and items,
and the rounds that publish a template to its communes with a period and a deadline. A commune
owns its self-inspection, its answers, findings and corrective actions. An inspection the city
runs itself on a commune is owned by the city (it writes it) and names the commune it inspected.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db


def _now() -> datetime:
    return datetime.now(timezone.utc)


TEMPLATE_STATUS = {"draft": "Đang soạn", "published": "Đã ban hành", "retired": "Đã thay thế"}
RESULTS = {"met": "Đạt", "not_met": "Không đạt", "na": "Không áp dụng"}
KINDS = {"self": "Tự kiểm tra", "supervisory": "Kiểm tra của cấp trên"}
STATUS = {
    "draft": "Đang thực hiện",
    "signed": "Đã ký, chờ cấp trên xem xét",
    "returned": "Cấp trên trả lại",
    "accepted": "Cấp trên đã chấp nhận",
    "concluded": "Đã kết luận",
}
ACTION_STATUS = {"open": "Chưa thực hiện", "in_progress": "Đang thực hiện", "closed": "Đã hoàn thành"}


def _load_across(model, ident):
    """A published round or template, read from a commune's pages (deliberately cross-unit)."""
    from sqlalchemy import select

    from thiduaweb.core.tenancy import all_units

    if ident is None:
        return None
    return db.session.scalar(all_units(select(model).where(model.id == ident)))


class ChecklistTemplate(UnitOwned, db.Model):
    """A versioned checklist the supervising unit defines. Published versions are frozen."""

    __tablename__ = "checklist_template"
    __unit_parents__ = {"previous_id": "checklist_template"}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    previous_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __field_labels__ = {"name": "Tên bộ tiêu chí", "version": "Phiên bản", "description": "Mô tả, hướng dẫn",
                        "status": "Trạng thái", "previous_id": "Phiên bản trước", "created_at": "Thời điểm tạo"}
    __value_labels__ = {"status": TEMPLATE_STATUS}

    sections: Mapped[list[ChecklistSection]] = relationship(
        back_populates="template", order_by="ChecklistSection.position", cascade="all, delete-orphan")

    @property
    def audit_label(self) -> str:
        return f"{self.name} (phiên bản {self.version})"

    @property
    def status_label(self) -> str:
        return TEMPLATE_STATUS.get(self.status, self.status)

    @property
    def items(self) -> list[ChecklistItem]:
        return [item for section in self.sections for item in section.items]

    @property
    def total_weight(self) -> Decimal:
        return sum((item.weight for item in self.items), Decimal(0))


class ChecklistSection(UnitOwned, db.Model):
    __tablename__ = "checklist_section"
    __unit_parents__ = {"template_id": "checklist_template"}

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(300))
    __field_labels__ = {"template_id": "Bộ tiêu chí", "position": "Thứ tự", "title": "Tên phần"}

    template: Mapped[ChecklistTemplate] = relationship(
        back_populates="sections")
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="section", order_by="ChecklistItem.position", cascade="all, delete-orphan")


class ChecklistItem(UnitOwned, db.Model):
    """One thing to check: its weight, the legal basis or plan item, the evidence expected."""

    __tablename__ = "checklist_item"
    __unit_parents__ = {"section_id": "checklist_section"}

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(1))
    basis: Mapped[str | None] = mapped_column(String(300))
    evidence_expected: Mapped[str | None] = mapped_column(String(300))
    __field_labels__ = {"section_id": "Thuộc phần", "position": "Thứ tự", "text": "Nội dung kiểm tra",
                        "weight": "Trọng số (điểm)", "basis": "Căn cứ", "evidence_expected": "Minh chứng cần có"}

    section: Mapped[ChecklistSection] = relationship(
        back_populates="items")

    @property
    def audit_label(self) -> str:
        return self.text[:120]


class InspectionRound(UnitOwned, db.Model):
    """A template published by the supervising unit to all its communes for a period."""

    __tablename__ = "inspection_round"
    __unit_parents__ = {"template_id": "checklist_template"}

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __field_labels__ = {"template_id": "Bộ tiêu chí", "title": "Tên đợt tự kiểm tra",
                        "period_start": "Kỳ kiểm tra từ ngày", "period_end": "Kỳ kiểm tra đến ngày",
                        "deadline": "Hạn nộp kết quả", "note": "Ghi chú, yêu cầu", "published_at": "Thời điểm ban hành"}

    template: Mapped[ChecklistTemplate] = relationship()

    @property
    def audit_label(self) -> str:
        return self.title


class Inspection(UnitOwned, db.Model):
    """A self-inspection (owned by the commune) or the city's own inspection of a commune."""

    __tablename__ = "inspection"
    __extra_table_args__ = (
        Index("ix_inspection_round", "round_id", "target_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default="self")
    round_id: Mapped[int] = mapped_column(ForeignKey("inspection_round.id"))
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_template.id"))
    target_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    inspected_on: Mapped[date | None] = mapped_column(Date)
    inspectors: Mapped[str | None] = mapped_column(String(300))
    conclusion: Mapped[str | None] = mapped_column(Text)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_by: Mapped[str | None] = mapped_column(String(120))
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __field_labels__ = {
        "kind": "Loại kiểm tra", "round_id": "Đợt kiểm tra", "template_id": "Bộ tiêu chí",
        "target_unit_id": "Xã, phường được kiểm tra", "status": "Trạng thái", "inspected_on": "Ngày kiểm tra",
        "inspectors": "Đoàn kiểm tra", "conclusion": "Kết luận", "score": "Điểm", "signed_at": "Thời điểm ký",
        "signed_by": "Người ký", "review_comment": "Ý kiến của cấp trên", "reviewed_at": "Thời điểm cấp trên xem xét",
        "reviewed_by": "Người xem xét", "created_at": "Thời điểm tạo",
    }
    __value_labels__ = {"kind": KINDS, "status": STATUS}

    target_unit = relationship("Unit", foreign_keys=[target_unit_id])
    answers: Mapped[list[InspectionAnswer]] = relationship(back_populates="inspection", cascade="all, delete-orphan")
    findings: Mapped[list[Finding]] = relationship(back_populates="inspection", order_by="Finding.id",
                                                   cascade="all, delete-orphan")
    actions: Mapped[list[CorrectiveAction]] = relationship(
        back_populates="inspection", order_by="CorrectiveAction.due_date", cascade="all, delete-orphan")
    events: Mapped[list[InspectionEvent]] = relationship(
        back_populates="inspection", order_by="InspectionEvent.id", cascade="all, delete-orphan")

    # The round and its template belong to the supervising unit: a commune reads them on purpose
    # (they were published to it), so they are loaded across units rather than through a
    # relationship that would carry the commune's scope.
    @property
    def round(self) -> InspectionRound | None:
        return _load_across(InspectionRound, self.round_id)

    @property
    def template(self) -> ChecklistTemplate | None:
        return _load_across(ChecklistTemplate, self.template_id)

    @property
    def audit_label(self) -> str:
        return f"{KINDS.get(self.kind, self.kind)}: {self.round.title if self.round else ''}"

    @property
    def status_label(self) -> str:
        return STATUS.get(self.status, self.status)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def locked(self) -> bool:
        """Signed (waiting for review), accepted or concluded: nothing can be changed."""
        return self.status in ("signed", "accepted", "concluded")


class InspectionAnswer(UnitOwned, db.Model):
    __tablename__ = "inspection_answer"
    __unit_parents__ = {"inspection_id": "inspection"}
    __extra_table_args__ = (UniqueConstraint("inspection_id", "item_id", name="uq_inspection_answer_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("checklist_item.id"))
    result: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    __field_labels__ = {"inspection_id": "Biên bản kiểm tra", "item_id": "Tiêu chí", "result": "Kết quả",
                        "note": "Ghi chú"}
    __value_labels__ = {"result": RESULTS}

    inspection: Mapped[Inspection] = relationship(
        back_populates="answers")

    @property
    def result_label(self) -> str:
        return RESULTS.get(self.result or "", "Chưa đánh giá")


class Finding(UnitOwned, db.Model):
    __tablename__ = "inspection_finding"
    __unit_parents__ = {"inspection_id": "inspection"}

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    __field_labels__ = {"inspection_id": "Biên bản kiểm tra", "text": "Phát hiện, tồn tại"}

    inspection: Mapped[Inspection] = relationship(
        back_populates="findings")

    @property
    def audit_label(self) -> str:
        return self.text[:120]


class CorrectiveAction(UnitOwned, db.Model):
    """What must be corrected, by whom and when; followed until closed (even after sign-off)."""

    __tablename__ = "corrective_action"
    __unit_parents__ = {"inspection_id": "inspection"}
    __extra_table_args__ = (Index("ix_corrective_action_unit_status_due", "unit_id", "status", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(160))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    progress_note: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None] = mapped_column(Date)
    __field_labels__ = {"inspection_id": "Biên bản kiểm tra", "what": "Biện pháp khắc phục",
                        "who": "Người, bộ phận thực hiện", "due_date": "Hạn hoàn thành", "status": "Tình trạng",
                        "progress_note": "Kết quả thực hiện", "closed_on": "Ngày hoàn thành"}
    __value_labels__ = {"status": ACTION_STATUS}

    inspection: Mapped[Inspection] = relationship(
        back_populates="actions")

    @property
    def audit_label(self) -> str:
        return self.what[:120]

    @property
    def status_label(self) -> str:
        return ACTION_STATUS.get(self.status, self.status)

    def is_late(self, today: date) -> bool:
        return self.status != "closed" and self.due_date < today


class InspectionEvent(UnitOwned, db.Model):
    """The history of an inspection's workflow: who moved it, when, and why."""

    __tablename__ = "inspection_event"
    __unit_parents__ = {"inspection_id": "inspection"}

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    actor_name: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __field_labels__ = {"inspection_id": "Biên bản kiểm tra", "from_status": "Từ trạng thái",
                        "to_status": "Sang trạng thái", "actor_name": "Người thực hiện", "reason": "Ý kiến, lý do",
                        "at": "Thời điểm"}
    __value_labels__ = {"from_status": STATUS, "to_status": STATUS}

    inspection: Mapped[Inspection] = relationship(
        back_populates="events")

    @property
    def to_label(self) -> str:
        return STATUS.get(self.to_status, self.to_status)
