"""Unit revisions, and the parts of unit pages rendered once per revision.

Every unit has two counters (`UnitRevision`), raised in the same transaction as the change:

- `own_revision`: a row the unit owns changed (any row with its `unit_id`: nominations, petitions,
  plans, bodies, memberships, audit entries…), the unit itself (name, kind, parent, lineage), or the
  name of one of its members (a petition shows its handler's);
- `revision`: the same, or a change in a unit below it, or in one of its predecessors (a successor
  reads its predecessors' rows).

A change of reference data (the award catalogue, rule parameters) raises every unit's counters.

A unit page keeps its costly parts (the home's panels, a list's table) per process under
`page_key(unit)`: the unit's revision, its ancestors' own revisions (a commune reads the plans its
city and province issued), the day, the language and the viewer's permissions and readable units,
to which the view adds its own arguments. Any change those parts show changes the key, so a kept part
is never served stale; least recently used parts leave first (PAGE_CACHE_ENTRIES parts and
PAGE_CACHE_CHARS characters per process; 0 entries: none).

Revisions are the time of the change in microseconds (or one more than the last value, whichever is
later), so a number is never reused after a backup is restored. Bulk loads written with Core inserts
(seed-scale) skip the session events: `flask dashboard rebuild` raises every unit's counters.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import current_app, g, has_request_context
from markupsafe import Markup
from sqlalchemy import BigInteger, Integer, case, event, inspect, literal, select, true
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from thiduaweb.core import clock, reference
from thiduaweb.core.audit import lock_chain
from thiduaweb.extensions import db

T = TypeVar("T")
DEFAULT_ENTRIES = 1024
DEFAULT_CHARS = 32_000_000
READ_KEY = "_unit_revisions_read"
_lock = threading.Lock()


class UnitRevision(db.Model):
    """Two counters per unit (see the module's docstring). Not unit-owned: it says only that something
    changed, never what, and a commune's write raises its city's and province's counters."""

    __tablename__ = "unit_revision"

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(BigInteger, default=0)
    own_revision: Mapped[int] = mapped_column(BigInteger, default=0)


# --- raising -------------------------------------------------------------------------------------

def raise_revisions(conn, unit_ids: Iterable[int] | None) -> None:
    """Raise the own and tree revisions of `unit_ids` (None: of every unit), and the tree revision of
    their successors and of every unit above them all."""
    if has_request_context():
        g.pop(READ_KEY, None)  # this request reads the raised revisions when it renders again
    table = UnitRevision.__table__
    now = int(time.time() * 1_000_000)
    upsert = (postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)

    def raised(column):
        return case((column + 1 > now, column + 1), else_=now)

    lock_chain(conn)  # the province's row is shared by all its communes' writers: the usual lock order
    if unit_ids is None:
        from thiduaweb.units.models import Unit

        # SQLite reads "ON CONFLICT" after a bare SELECT as a join clause: the WHERE settles it.
        conn.execute(upsert.from_select(["unit_id", "revision", "own_revision"],
                                        select(Unit.id, literal(now), literal(now)).where(true()))
                     .on_conflict_do_update(index_elements=["unit_id"], set_={
                         "revision": raised(table.c.revision), "own_revision": raised(table.c.own_revision)}))
        return
    direct = set(unit_ids)
    if not direct:
        return
    readers = direct | _successors(conn, direct)
    tree = sorted({int(part) for path in _paths(conn, readers) for part in (path or "").split("/") if part}
                  | readers)
    # A new unit's path may still be "/" at its first flush: its own id is in `readers` in any case.
    own_changed = upsert.excluded.own_revision > 0
    conn.execute(upsert.on_conflict_do_update(index_elements=["unit_id"], set_={
        "revision": raised(table.c.revision),
        "own_revision": case((own_changed, raised(table.c.own_revision)), else_=table.c.own_revision)}),
        [{"unit_id": i, "revision": now, "own_revision": now if i in direct else 0} for i in tree])


def _successors(conn, unit_ids: set[int]) -> set[int]:
    """The units that took over `unit_ids`' territory, directly or through a chain."""
    from thiduaweb.units.models import UnitSuccession

    found: set[int] = set()
    frontier = set(unit_ids)
    while frontier:
        rows = conn.execute(select(UnitSuccession.successor_id)
                            .where(UnitSuccession.predecessor_id.in_(sorted(frontier)))).scalars()
        frontier = set(rows) - found - unit_ids
        found |= frontier
    return found


def _paths(conn, unit_ids: set[int]) -> list[str]:
    from thiduaweb.units.models import Unit

    return list(conn.execute(select(Unit.path).where(Unit.id.in_(sorted(unit_ids)))).scalars())


def _changed_units(session: Session) -> set[int] | None:
    """The units whose rows this flush wrote; None when it wrote reference data (every unit's pages)."""
    from thiduaweb.accounts.models import User
    from thiduaweb.units.models import Unit, UnitSuccession

    units: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        if reference.is_watched(obj):
            return None
        if isinstance(obj, UnitRevision):
            continue
        if isinstance(obj, Unit):
            units.add(obj.id)
            units.update(v for v in inspect(obj).attrs.parent_id.history.deleted if v)  # the unit it left
            if obj.parent_id:
                units.add(obj.parent_id)
        elif isinstance(obj, UnitSuccession):
            units.update(i for i in (obj.predecessor_id, obj.successor_id) if i)
        elif isinstance(obj, User):
            if inspect(obj).attrs.full_name.history.has_changes():  # shown as a petition's handler
                units.update(m.unit_id for m in obj.memberships)
        elif getattr(obj, "unit_id", None) is not None:
            units.add(obj.unit_id)
    return units


def _after_flush(session: Session, _flush_context) -> None:
    units = _changed_units(session)
    if units is None or units:
        raise_revisions(session.connection(), units)


def install_listeners() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


# --- reading -------------------------------------------------------------------------------------

def revisions_of(unit) -> tuple[int, ...]:
    """The unit's revision, then its ancestors' own revisions (root first), in one statement, read once
    per request until this process raises a revision (`raise_revisions` forgets what was read)."""
    read = g.setdefault(READ_KEY, {}) if has_request_context() else {}
    if unit.id not in read:
        read[unit.id] = _read_revisions(unit)
    return read[unit.id]


def _read_revisions(unit) -> tuple[int, ...]:
    r = UnitRevision
    ancestors = unit.ancestor_ids
    value = case((r.unit_id == unit.id, r.revision), else_=r.own_revision)
    found = dict(db.session.execute(select(r.unit_id, value).where(r.unit_id.in_([unit.id, *ancestors]))).all())
    return tuple(found.get(i, 0) for i in (unit.id, *ancestors))


def page_key(unit) -> tuple:
    """What a unit page's kept parts depend on besides the view's own arguments (see the docstring)."""
    from flask_babel import get_locale

    access = g.access
    return (unit.id, revisions_of(unit), clock.today(), str(get_locale()), access.permissions,
            access.readable_unit_ids)


class _Kept:
    """The parts kept by one app: least recently used first, with their total size in characters."""

    def __init__(self):
        self.parts: OrderedDict = OrderedDict()
        self.size = 0

    def get(self, key):
        found = self.parts.get(key)
        if found is not None:
            self.parts.move_to_end(key)
        return found

    def put(self, key, value, size: int, *, entries: int, chars: int) -> None:
        if key in self.parts:
            self.size -= self.parts.pop(key)[1]
        self.parts[key] = (value, size)
        self.size += size
        while self.parts and (len(self.parts) > entries or self.size > chars):
            self.size -= self.parts.popitem(last=False)[1][1]


def kept(key: tuple, compute: Callable[[], T], *, keep: Callable[[T], bool] = lambda value: True) -> T:
    """The value kept under `key` in this process, else `compute()`'s, kept for the next request when
    `keep(value)`. Only plain values and rendered HTML go in, never ORM rows (they belong to one
    request's session). At most PAGE_CACHE_ENTRIES parts and PAGE_CACHE_CHARS characters of HTML
    are kept (a plain value counts as 1,000)."""
    entries = int(current_app.config.get("PAGE_CACHE_ENTRIES", DEFAULT_ENTRIES))
    if entries <= 0:
        return compute()
    store: _Kept = current_app.extensions.setdefault("thiduaweb_page_cache", _Kept())
    with _lock:
        found = store.get(key)
    if found is not None:
        return found[0]
    value = compute()
    if keep(value):
        with _lock:
            store.put(key, value, len(value) if isinstance(value, str) else 1000, entries=entries,
                      chars=int(current_app.config.get("PAGE_CACHE_CHARS", DEFAULT_CHARS)))
    return value


def rendered(key: tuple, render: Callable[[], str]) -> Markup:
    """The HTML kept under `key`, else `render()`'s (see `kept`). HTML holding a CSRF token is never
    kept: the token belongs to one session."""
    return kept(key, lambda: Markup(render()), keep=lambda html: 'name="csrf_token"' not in html)
