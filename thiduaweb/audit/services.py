"""Reading the audit trail."""
from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Integer, bindparam, select

from thiduaweb.audit.models import AuditEntry, EntryLabels
from thiduaweb.core.reads import Read
from thiduaweb.extensions import db


@dataclass(frozen=True)
class RecentEntry(EntryLabels):
    """An entry as the unit home lists it: when, who, what (without its changes)."""

    created_at: datetime
    actor_name: str
    action: str
    object_type: str
    object_label: str


def recent_read(*, unit_ids: list[int], limit: int = 10) -> Read:
    """The newest entries of the units, as the unit home lists them (`recent_of` reads its rows)."""
    return Read(_recent_select(), {"unit_ids": list(unit_ids), "limit": limit}, order=_recent_order())


def recent_of(rows: list[tuple]) -> list[RecentEntry]:
    return [RecentEntry(*row) for row in rows]


@functools.cache
def _recent_select():
    """Built once (bound parameters unit_ids, limit): every unit home lists its recent entries. The
    columns it shows only: an entry's changes can be long (a nomination's achievements, before and after)."""
    e = AuditEntry
    return (select(e.created_at, e.actor_name, e.action, e.object_type, e.object_label)
            .where(e.unit_id.in_(bindparam("unit_ids", expanding=True)))
            .order_by(*_recent_order()).limit(bindparam("limit", type_=Integer)))


@functools.cache
def _recent_order():
    return (AuditEntry.id.desc(),)


def search_entries(*, page: int = 1, per_page: int = 50, **filters):
    """Entries of the given units, newest first, filtered, one page; returns (entries, has_more)."""
    stmt = entries_query(**filters).offset((page - 1) * per_page).limit(per_page + 1)
    rows = list(db.session.scalars(stmt))
    return rows[:per_page], len(rows) > per_page


def all_entries(**filters) -> Iterator[AuditEntry]:
    """Every entry matching the filters of `search_entries` (the Excel export), streamed in batches."""
    for entry in db.session.scalars(entries_query(**filters).execution_options(yield_per=1000)):
        yield entry


def entries_query(*, unit_ids: list[int], unit_id: int | None = None, object_type: str = "", action: str = "",
                  actor: str = "", since: date | None = None, until: date | None = None):
    """The audit list's query: entries of the given units (or of one of them), filtered, newest first."""
    stmt = select(AuditEntry).where(AuditEntry.unit_id.in_([unit_id] if unit_id else unit_ids))
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if actor:
        stmt = stmt.where(AuditEntry.actor_name.ilike(f"%{actor}%"))
    if since:
        stmt = stmt.where(AuditEntry.created_at >= datetime.combine(since, time.min, timezone.utc) - timedelta(hours=7))
    if until:
        stmt = stmt.where(AuditEntry.created_at < datetime.combine(until, time.min, timezone.utc) + timedelta(hours=17))
    return stmt.order_by(AuditEntry.id.desc())


def object_types(unit_ids: list[int]) -> list[str]:
    stmt = select(AuditEntry.object_type).where(AuditEntry.unit_id.in_(unit_ids)).distinct()
    return sorted(db.session.scalars(stmt))
