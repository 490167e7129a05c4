"""Summary rows the dashboards read, and background export jobs.

`UnitYearStat` holds one figure per (unit, year, metric); `UnitDueStat` holds how many open items
of a kind fall due on each date (so "overdue" and "due this week" stay right as days pass). Both
are kept by `dashboard.stats` in the same transaction as the change, and rebuilt in bulk by
`flask dashboard rebuild`.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Date, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db


def _now() -> datetime:
    return datetime.now(timezone.utc)


class UnitYearStat(UnitOwned, db.Model):
    __tablename__ = "unit_year_stat"
    __extra_table_args__ = (UniqueConstraint("unit_id", "year", "metric", name="uq_unit_year_stat_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str] = mapped_column(String(80))
    value: Mapped[int] = mapped_column(Integer, default=0)


class UnitDueStat(UnitOwned, db.Model):
    __tablename__ = "unit_due_stat"
    __extra_table_args__ = (Index("ix_unit_due_stat_key", "unit_id", "metric", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(80))
    due_on: Mapped[date | None] = mapped_column(Date)
    value: Mapped[int] = mapped_column(Integer, default=0)


EXPORT_STATES = {"queued": "Đang chờ", "running": "Đang xuất", "done": "Đã xong", "failed": "Lỗi"}


class ExportJob(db.Model):
    """A large Excel export made in the background; the file is kept for a day."""

    __tablename__ = "export_job"
    __table_args__ = (Index("ix_export_job_user", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    #: The unit whose page started the export (not an owner: the row is the user's own).
    started_in_unit_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255))
    filename: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def state_label(self) -> str:
        return EXPORT_STATES.get(self.state, self.state)

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
