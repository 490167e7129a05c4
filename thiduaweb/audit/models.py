"""Audit entries. Written by core.audit from session events; never edited by the application."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db

ACTION_LABELS = {
    "create": "Tạo mới",
    "update": "Sửa",
    "delete": "Xóa",
}


#: Object type → Vietnamese name; features add theirs.
OBJECT_LABELS = {
    "User": "Người dùng",
    "Body": "Thôn, xóm, cơ quan",
    "Unit": "Đơn vị",
}
ACTION_LABELS.update({
    "user.create": "Tạo tài khoản",
    "user.update": "Sửa tài khoản",
    "user.reset_password": "Cấp lại mật khẩu",
})


class AuditEntry(UnitOwned, db.Model):
    __tablename__ = "audit_entry"
    __extra_table_args__ = (Index("ix_audit_entry_unit_id_created_at", "unit_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int | None] = mapped_column(Integer)
    object_label: Mapped[str] = mapped_column(String(255), default="")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def object_type_label(self) -> str:
        return OBJECT_LABELS.get(self.object_type, self.object_type)
