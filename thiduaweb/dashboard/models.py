"""Summary rows the dashboards read (background export jobs: `core.jobs`).

`UnitYearStat` holds one figure per (unit, year, metric); `UnitYearFigures` holds the figures of the
city table as one wide row per (unit, year), derived from those rows, so the city dashboard reads two
rows per commune instead of pivoting forty; `UnitDueStat` holds how many open items of a kind fall
due on each date (so "overdue" and "due this week" stay right as days pass). All three are kept by
`dashboard.stats` in the same transaction as the change, and rebuilt in bulk by `flask dashboard rebuild`.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db


def _now() -> datetime:
    return datetime.now(timezone.utc)


class UnitYearStat(UnitOwned, db.Model):
    __tablename__ = "unit_year_stat"
    __audited__ = False  # summary rows written by Core statements (dashboard.stats)
    __extra_table_args__ = (UniqueConstraint("unit_id", "year", "metric", name="uq_unit_year_stat_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str] = mapped_column(String(80))
    value: Mapped[int] = mapped_column(Integer, default=0)


class UnitYearFigures(UnitOwned, db.Model):
    """The city table's yearly figures of one unit (columns: `stats.FIGURE_SOURCES`)."""

    __tablename__ = "unit_year_figures"
    __audited__ = False  # summary rows written by Core statements (dashboard.stats)
    __extra_table_args__ = (UniqueConstraint("unit_id", "year", name="uq_unit_year_figures_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    plans_adopted: Mapped[int] = mapped_column(Integer, default=0)
    plans_late: Mapped[int] = mapped_column(Integer, default=0)
    mov_running: Mapped[int] = mapped_column(Integer, default=0)
    mov_targets: Mapped[int] = mapped_column(Integer, default=0)
    mov_progress_sum: Mapped[int] = mapped_column(Integer, default=0)
    nom_total: Mapped[int] = mapped_column(Integer, default=0)
    nom_review: Mapped[int] = mapped_column(Integer, default=0)
    nom_proposed: Mapped[int] = mapped_column(Integer, default=0)
    nom_awarded: Mapped[int] = mapped_column(Integer, default=0)
    award_total: Mapped[int] = mapped_column(Integer, default=0)
    award_title: Mapped[int] = mapped_column(Integer, default=0)
    award_form: Mapped[int] = mapped_column(Integer, default=0)
    award_person: Mapped[int] = mapped_column(Integer, default=0)
    award_direct: Mapped[int] = mapped_column(Integer, default=0)
    #: The latest self-inspection score × 100 (None: no scored self-inspection that year).
    insp_score100: Mapped[int | None] = mapped_column(Integer)


class UnitDueStat(UnitOwned, db.Model):
    __tablename__ = "unit_due_stat"
    __audited__ = False  # summary rows written by Core statements (dashboard.stats)
    __extra_table_args__ = (Index("ix_unit_due_stat_key", "unit_id", "metric", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(80))
    due_on: Mapped[date | None] = mapped_column(Date)
    value: Mapped[int] = mapped_column(Integer, default=0)


# The background export job is generic now (every large list export); kept importable from here.
from thiduaweb.core.jobs import EXPORT_STATES, ExportJob  # noqa: E402,F401
