"""An uploaded file, owned by a unit and attached to one record of a feature."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db


class Attachment(UnitOwned, db.Model):
    __tablename__ = "attachment"
    __extra_table_args__ = (Index("ix_attachment_owner", "unit_id", "owner_type", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(60))
    owner_id: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    #: Files live in the database: one backup holds everything, any app server can serve them.
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    public: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(timezone.utc))
    #: The file's bytes stay out of the trail (core.audit): its name and size say which file it is.
    __field_labels__ = {"owner_type": "Thuộc loại hồ sơ", "owner_id": "Thuộc hồ sơ", "filename": "Tên tệp",
                        "content_type": "Kiểu tệp", "size": "Dung lượng (byte)", "public": "Công khai",
                        "uploaded_by_id": "Người tải lên", "created_at": "Thời điểm tải lên"}
    __value_labels__ = {"owner_type": "thiduaweb.audit.models:OBJECT_LABELS",
                        "content_type": "thiduaweb.files.services:CONTENT_TYPE_LABELS"}

    @property
    def audit_label(self) -> str:
        return self.filename

    @property
    def size_label(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB".replace(".", ",")
        return f"{max(1, self.size // 1024)} KB"
