"""Summary rows the dashboards read (background export jobs: `core.jobs`).

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


# The background export job is generic now (every large list export); kept importable from here.
from thiduaweb.core.jobs import EXPORT_STATES, ExportJob  # noqa: E402,F401
