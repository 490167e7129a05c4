"""Advanced examples (điển hình tiên tiến) and "Người tốt, việc tốt", with their publicity.

An exemplar may belong to one of the unit's movements (`movement_id`, a composite foreign key
to `movement`), or name the movement in free text when it is not in the system.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

import thiduaweb.movements.models  # noqa: F401 - the `movement` table the exemplar refers to
import thiduaweb.plans.models  # noqa: F401 - which `movement` itself refers to
from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db

KINDS = {"person": "Cá nhân", "collective": "Tập thể"}
CATEGORIES = {"advanced": "Điển hình tiên tiến", "good_deed": "Người tốt, việc tốt"}
STAGES = {"discovered": "Phát hiện", "fostered": "Bồi dưỡng", "replicated": "Nhân rộng"}
STAGE_ORDER = ["discovered", "fostered", "replicated"]
CHANNELS = {
    "loa": "Đài truyền thanh xã",
    "portal": "Cổng thông tin điện tử",
    "newspaper": "Báo, tạp chí",
    "tv": "Đài phát thanh - truyền hình",
    "meeting": "Hội nghị, buổi sinh hoạt",
    "social": "Mạng xã hội, trang tin của đơn vị",
    "other": "Khác",
}


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Exemplar(UnitOwned, db.Model):
    __tablename__ = "exemplar"
    __unit_parents__ = {"movement_id": "movement"}
    __extra_table_args__ = (Index("ix_exemplar_unit_id_published", "unit_id", "published"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default="person")
    category: Mapped[str] = mapped_column(String(12), default="advanced")
    name: Mapped[str] = mapped_column(String(160))
    #: Position and workplace (a person) or what the collective is, and where.
    description: Mapped[str | None] = mapped_column(String(255))
    movement_id: Mapped[int | None] = mapped_column(Integer)
    movement_name: Mapped[str | None] = mapped_column(String(255))
    story: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(12), default="discovered")
    discovered_on: Mapped[date | None] = mapped_column(Date)
    follow_up_name: Mapped[str | None] = mapped_column(String(120))
    published: Mapped[bool] = mapped_column(default=False)
    #: The nomination made from this exemplar (awards feature), when there is one.
    nomination_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __field_labels__ = {
        "kind": "Cá nhân hay tập thể", "category": "Loại điển hình", "name": "Họ và tên / tên tập thể",
        "description": "Chức vụ, nơi công tác hoặc địa chỉ", "movement_id": "Phong trào thi đua",
        "movement_name": "Tên phong trào (ghi tay)", "story": "Thành tích, câu chuyện", "stage": "Giai đoạn",
        "discovered_on": "Ngày phát hiện", "follow_up_name": "Người theo dõi, bồi dưỡng",
        "published": "Công khai trên trang của đơn vị", "nomination_id": "Đề nghị khen thưởng",
        "created_at": "Thời điểm tạo",
    }
    __value_labels__ = {"kind": KINDS, "category": CATEGORIES, "stage": STAGES}

    movement = relationship("Movement", viewonly=True)
    publicity: Mapped[list[Publicity]] = relationship(
        back_populates="exemplar", order_by="Publicity.published_on.desc()", cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def movement_label(self) -> str:
        if self.movement_id and self.movement is not None:
            return self.movement.name
        return self.movement_name or ""

    @property
    def next_stage(self) -> str | None:
        position = STAGE_ORDER.index(self.stage) if self.stage in STAGE_ORDER else 0
        return STAGE_ORDER[position + 1] if position + 1 < len(STAGE_ORDER) else None


class Publicity(UnitOwned, db.Model):
    """An article, broadcast or report about an exemplar (tuyên truyền, nêu gương)."""

    __tablename__ = "exemplar_publicity"
    __unit_parents__ = {"exemplar_id": "exemplar"}

    id: Mapped[int] = mapped_column(primary_key=True)
    exemplar_id: Mapped[int] = mapped_column(Integer)
    published_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(255))
    link: Mapped[str | None] = mapped_column(String(500))
    __field_labels__ = {"exemplar_id": "Điển hình", "published_on": "Ngày đăng, phát", "channel": "Kênh",
                        "title": "Tiêu đề bài viết, phóng sự", "link": "Đường dẫn"}
    __value_labels__ = {"channel": CHANNELS}

    exemplar: Mapped[Exemplar] = relationship(back_populates="publicity")

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.channel, self.channel)
