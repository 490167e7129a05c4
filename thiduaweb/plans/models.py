"""Plans (kế hoạch) and their ordered items; a commune's plan may adapt a parent plan of the city."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thiduaweb.core.documents import DOCUMENT_TYPES
from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db

#: The three parts of a plan, in order, with their printed headings.
SECTIONS = {
    "I": "MỤC ĐÍCH, YÊU CẦU",
    "II": "NỘI DUNG THỰC HIỆN",
    "III": "TỔ CHỨC THỰC HIỆN",
}

DRAFT, ISSUED, SUPERSEDED = "draft", "issued", "superseded"
STATUS_LABELS = {DRAFT: "Dự thảo", ISSUED: "Đã ban hành", SUPERSEDED: "Đã được thay thế"}
STATUS_BADGES = {DRAFT: "text-bg-warning", ISSUED: "text-bg-success", SUPERSEDED: "text-bg-secondary"}


class Plan(UnitOwned, db.Model):
    """A kế hoạch of one unit. Issued plans are numbered (core.numbering) and locked."""

    __tablename__ = "plan"
    __extra_table_args__ = (
        Index("ix_plan_unit_id_year", "unit_id", "year"),
        Index("ix_plan_parent_plan_id", "parent_plan_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(10), default="KH")
    number: Mapped[int | None] = mapped_column(Integer)
    number_symbol: Mapped[str | None] = mapped_column(String(40))
    place: Mapped[str] = mapped_column(String(80), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    #: Subject lines, one per printed line ("Tổ chức phong trào thi đua yêu nước\nvà công tác ...").
    title: Mapped[str] = mapped_column(Text)
    #: A note for users (not printed), e.g. that a demo plan's text is illustrative.
    description: Mapped[str] = mapped_column(Text, default="")
    #: Căn cứ: the opening paragraph naming the documents the plan carries out.
    bases: Mapped[str] = mapped_column(Text, default="")
    closing: Mapped[str] = mapped_column(Text, default="")
    #: Nơi nhận, one recipient per line.
    recipients: Mapped[str] = mapped_column(Text, default="")
    signer_authority: Mapped[str] = mapped_column(String(80), default="TM. ỦY BAN NHÂN DÂN")
    signer_position: Mapped[str] = mapped_column(String(80), default="CHỦ TỊCH")
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(20), default=DRAFT)
    #: The city plan this plan adapts (a plan of an ancestor unit: a plain foreign key).
    parent_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    #: For a parent plan: the date by which communes should have adopted it.
    adoption_deadline: Mapped[date | None] = mapped_column(Date)
    #: The issued plan of the same unit that this one replaces once issued.
    replaces_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    issued_by_id: Mapped[int | None] = mapped_column(Integer)
    __field_labels__ = {
        "year": "Năm kế hoạch", "doc_type": "Loại văn bản", "number": "Số", "number_symbol": "Số, ký hiệu",
        "place": "Địa danh", "issued_on": "Ngày ban hành", "title": "Tên kế hoạch", "description": "Ghi chú nội bộ",
        "bases": "Căn cứ", "closing": "Đoạn kết", "recipients": "Nơi nhận", "signer_authority": "Thẩm quyền ký",
        "signer_position": "Chức vụ người ký", "signer_name": "Họ tên người ký", "status": "Trạng thái",
        "parent_plan_id": "Kế hoạch cấp trên", "adoption_deadline": "Hạn để xã, phường tiếp nhận",
        "replaces_id": "Thay thế kế hoạch", "created_at": "Thời điểm tạo", "issued_at": "Thời điểm ban hành",
        "issued_by_id": "Người ban hành",
    }
    __value_labels__ = {"status": STATUS_LABELS, "doc_type": DOCUMENT_TYPES}

    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="(PlanItem.section, PlanItem.position)", cascade="all, delete-orphan",
        primaryjoin="and_(Plan.id == foreign(PlanItem.plan_id), Plan.unit_id == PlanItem.unit_id)",
        overlaps="plan")

    @property
    def title_lines(self) -> list[str]:
        return [line.strip() for line in (self.title or "").splitlines() if line.strip()]

    @property
    def title_one_line(self) -> str:
        return " ".join(self.title_lines)

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in (self.recipients or "").splitlines() if line.strip()]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "text-bg-light")

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    @property
    def display_name(self) -> str:
        label = f"Kế hoạch số {self.number_symbol}" if self.number_symbol else "Dự thảo kế hoạch"
        return f"{label}: {self.title_one_line}"

    @property
    def audit_label(self) -> str:
        return (self.number_symbol or "Dự thảo") + " " + self.title_one_line

    def items_of(self, section: str) -> list[PlanItem]:
        return [item for item in self.items if item.section == section]


class PlanItem(UnitOwned, db.Model):
    """One numbered item of a section (I, II or III)."""

    __tablename__ = "plan_item"
    __unit_parents__ = {"plan_id": "plan"}
    __extra_table_args__ = (
        Index("ix_plan_item_plan_id", "plan_id", "section", "position"),
        Index("ix_plan_item_parent_item_id", "parent_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(4))
    position: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)
    #: The bodies responsible (cơ quan, bộ phận chủ trì, phối hợp).
    responsible: Mapped[str] = mapped_column(String(255), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    #: The parent plan's item this one was copied from (another unit's row: a plain foreign key).
    parent_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_item.id", ondelete="SET NULL"))
    __field_labels__ = {"plan_id": "Kế hoạch", "section": "Phần", "position": "Thứ tự", "text": "Nội dung",
                        "responsible": "Cơ quan, bộ phận thực hiện", "due_on": "Thời hạn",
                        "parent_item_id": "Mục của kế hoạch cấp trên"}
    __value_labels__ = {"section": SECTIONS}

    plan: Mapped[Plan] = relationship(
        back_populates="items",
        primaryjoin="and_(Plan.id == foreign(PlanItem.plan_id), Plan.unit_id == PlanItem.unit_id)")

    @property
    def label(self) -> str:
        return f"{self.section}.{self.position}"

    @property
    def audit_label(self) -> str:
        return f"Mục {self.label}: {self.text[:80]}"


class PlanHistory(UnitOwned, db.Model):
    """One step of a plan's life (issued, superseded), written by the workflow."""

    __tablename__ = "plan_history"
    __unit_parents__ = {"plan_id": "plan"}
    __extra_table_args__ = (Index("ix_plan_history_plan_id", "plan_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer)
    transition: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __field_labels__ = {
        "plan_id": "Kế hoạch", "transition": "Bước", "from_status": "Từ trạng thái", "to_status": "Sang trạng thái",
        "actor_id": "Tài khoản người thực hiện", "actor_name": "Người thực hiện", "reason": "Lý do", "at": "Thời điểm",
    }
    __value_labels__ = {"transition": "thiduaweb.plans.workflow:TRANSITION_LABELS", "from_status": STATUS_LABELS,
                        "to_status": STATUS_LABELS}

    @property
    def audit_label(self) -> str:
        return f"{self.transition} #{self.plan_id}"
