"""Unit revisions, and the parts of unit pages rendered once per revision.

Every unit has two counters (`UnitRevision`), raised in the same transaction as the change:

- `own_revision`: a row the unit owns changed (any row with its `unit_id`: nominations, petitions,
  plans, bodies, memberships, audit entries…), the unit itself (name, kind, parent, lineage), or the
  name of one of its members (a petition shows its handler's);
- `revision`: the same, or a change in a unit below it, or in one of its predecessors (a successor
  reads its predecessors' rows).

Each unit also has the same two counters per area (`UnitAreaRevision`): the module whose rows changed
(`awards`, `complaints`, `plans`…, named by the model's package or its `__revision_area__`; the unit
itself and its successions are `units`, its accounts `accounts`, its villages and offices `bodies`).
A flush raises the areas of all the rows it wrote in each unit it wrote in, and the listed area of a
model that declares the columns its lists show (`listed_area`) when it added or removed a row or changed
one of those columns. A part that reads one
module only (a home panel, the nominations list) is kept under its areas' counters, so that a
nomination changed does not redraw the petitions panel. An area that never changed in a unit has no
row and reads 0.

A change of reference data (the award catalogue, rule parameters) raises every unit's counters and every
area's (rows created where missing, so that no part keeps a 0 for an area that no longer reads 0).

A unit page keeps its costly parts (the home's panels, a list's table) per process under
`page_key(unit)`: the unit's revision, its ancestors' own revisions (a commune reads the plans its
city and province issued), the day (the year for a part that shows nothing depending on the day), the
language and the viewer's permissions and readable units,
to which the view adds its own arguments; or under `part_key(unit, areas)`: the same with the counters
of the areas the part reads (and of `units`, which every part may show) instead of the unit's. Any
change those parts show changes the key, so a kept part is never served stale; least recently used
parts leave first (PAGE_CACHE_ENTRIES parts and PAGE_CACHE_CHARS characters per process; 0 entries:
none). The unit a page's address names is kept too, checked against its `units` counters
(`units.services.unit_of_page`).

Each user has a revision too (`user_account.revision`), raised by a change of the user, of one of their
memberships or of a unit they hold one in (`raise_user_revisions`); it is read with the unit's counters
(`user_revision`), and `accounts.services.load_user` merges the copy of the user its process kept while
it stands.

Revisions are the time of the change in microseconds (or one more than the last value, whichever is
later), so a number is never reused after a backup is restored. Bulk loads written with Core inserts
(seed-scale) skip the session events: `flask dashboard rebuild` raises every unit's counters.
"""
from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import current_app, g, has_request_context, session as web_session
from markupsafe import Markup
from sqlalchemy import (BigInteger, Integer, String, bindparam, case, event, false, inspect, literal, select, true,
                        union_all, update)
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
USER_KEY = "_user_revision_read"
#: The "area" of the user's row in the counters' statement (its unit_id column holds the user's id).
USER_ROW = "@user"
_lock = threading.Lock()


class UnitRevision(db.Model):
    """Two counters per unit (see the module's docstring). Not unit-owned: it says only that something
    changed, never what, and a commune's write raises its city's and province's counters."""

    __tablename__ = "unit_revision"

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(BigInteger, default=0)
    own_revision: Mapped[int] = mapped_column(BigInteger, default=0)


class UnitAreaRevision(db.Model):
    """The same two counters per unit and area (the module whose rows changed)."""

    __tablename__ = "unit_area_revision"

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, default=0)
    own_revision: Mapped[int] = mapped_column(BigInteger, default=0)


#: The areas of the unit itself (and its successions), of its people (`_changed_units`) and of its bodies
#: (villages, offices: `Body.__revision_area__`); the others are model packages.
UNITS_AREA, ACCOUNTS_AREA, BODIES_AREA = "units", "accounts", "bodies"
#: The area of the dashboard's summary rows (dashboard.models): they are written by Core statements, so
#: `dashboard.stats` raises it itself, for the units whose figures changed.
SUMMARY_AREA = "dashboard"


def area_of(cls) -> str:
    """The area of a model's rows: its `__revision_area__`, else its package (thiduaweb.awards → awards)."""
    return getattr(cls, "__revision_area__", None) or cls.__module__.split(".")[1]


def listed_area(area: str) -> str:
    """The area a list of `area`'s rows is kept under: raised with `area` when a row is added or removed,
    or a column a list shows changes (the model's `__listed_columns__`), not when another column does (a
    nomination's achievements rewritten leaves the nominations list as it was)."""
    return f"{area}:listed"


def _listed_change(session: Session, obj) -> bool:
    """Whether writing `obj` changes what a list of its rows shows (models without `__listed_columns__`:
    no list is kept under their listed area)."""
    columns = getattr(type(obj), "__listed_columns__", None)
    if columns is None:
        return False
    if obj not in session.dirty:
        return True  # added or deleted
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in columns)


# --- raising -------------------------------------------------------------------------------------

def raise_revisions(conn, unit_ids: Iterable[int] | None, areas: Iterable[str] = ()) -> None:
    """Raise the own and tree revisions of `unit_ids` (None: of every unit, and every area's), and the
    tree revision of their successors (and, when a unit itself changed, of their direct predecessors) and
    of every unit above them all; the same for each of `areas`."""
    _forget_read()
    now = int(time.time() * 1_000_000)
    lock_chain(conn)  # the province's row is shared by all its communes' writers: the usual lock order
    if unit_ids is None:
        _raise_everything(conn, now)
        return
    direct = set(unit_ids)
    if not direct:
        return
    readers = direct | _successors(conn, direct)
    if UNITS_AREA in areas:  # a unit's page names the units at both ends of its successions
        readers |= _predecessors(conn, direct)
    tree = sorted({int(part) for path in _paths(conn, readers) for part in (path or "").split("/") if part}
                  | readers)
    # A new unit's path may still be "/" at its first flush: its own id is in `readers` in any case.
    rows = [{"unit_id": i, "revision": now, "own_revision": now if i in direct else 0} for i in tree]
    conn.execute(_raising(conn, UnitRevision.__table__, now), rows)
    if areas:
        conn.execute(_raising(conn, UnitAreaRevision.__table__, now, ["unit_id", "area"]),
                     [row | {"area": area} for area in sorted(set(areas)) for row in rows])


def _forget_read() -> None:
    if has_request_context():
        g.pop(READ_KEY, None)  # this request reads the raised revisions when it renders again
        g.pop(USER_KEY, None)


def raise_user_revisions(conn, user_ids: Iterable[int] | None, unit_ids: Iterable[int] = ()) -> None:
    """Raise the revision of `user_ids` (None: of every user) and of every user holding a membership in
    `unit_ids` (the copies of them that processes keep show their memberships' units)."""
    from thiduaweb.accounts.models import Membership, User

    users = User.__table__
    if user_ids is None:
        condition = true()
    else:
        user_ids, unit_ids = sorted(set(user_ids)), sorted(set(unit_ids))
        if not user_ids and not unit_ids:
            return
        condition = users.c.id.in_(user_ids) if user_ids else false()
        if unit_ids:
            condition = condition | users.c.id.in_(select(Membership.user_id).where(Membership.unit_id.in_(unit_ids)))
    _forget_read()
    # Not after the audit chain's lock, unlike the units' counters: a sign-in has just updated its own
    # user's row without it, and taking it now would reverse the order other writers lock in.
    now = int(time.time() * 1_000_000)
    conn.execute(update(users).where(condition).values(revision=_raised(users.c.revision, now)))


def _raised(column, now: int):
    return case((column + 1 > now, column + 1), else_=now)


def _upsert(conn, table):
    return (postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)


def _raising(conn, table, now: int, keys=("unit_id",)):
    """An upsert raising the tree revision of each row given, and its own revision where it is given."""
    upsert = _upsert(conn, table)
    own_changed = upsert.excluded.own_revision > 0
    return upsert.on_conflict_do_update(index_elements=list(keys), set_={
        "revision": _raised(table.c.revision, now),
        "own_revision": case((own_changed, _raised(table.c.own_revision, now)), else_=table.c.own_revision)})


def _raise_everything(conn, now: int) -> None:
    """Every unit's counters and every area's, rows created where missing (a reference change, a rebuild
    after a bulk load)."""
    from thiduaweb.units.models import Unit

    for table, area in ((UnitRevision.__table__, None), *((UnitAreaRevision.__table__, a) for a in known_areas())):
        keys = ["unit_id"] if area is None else ["unit_id", "area"]
        extra = [] if area is None else [literal(area)]
        both = {"revision": _raised(table.c.revision, now), "own_revision": _raised(table.c.own_revision, now)}
        # SQLite reads "ON CONFLICT" after a bare SELECT as a join clause: the WHERE settles it.
        rows = select(Unit.id, *extra, literal(now), literal(now)).where(true())
        conn.execute(_upsert(conn, table).from_select([*keys, "revision", "own_revision"], rows)
                     .on_conflict_do_update(index_elements=keys, set_=both))


def known_areas() -> list[str]:
    """Every area a row of a unit can be in."""
    counters = {UnitRevision, UnitAreaRevision}
    models = [m.class_ for m in db.Model.registry.mappers if "unit_id" in m.columns and m.class_ not in counters]
    return sorted({area_of(model) for model in models}
                  | {listed_area(area_of(model)) for model in models if hasattr(model, "__listed_columns__")}
                  | {UNITS_AREA, ACCOUNTS_AREA, BODIES_AREA})


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


def _predecessors(conn, unit_ids: set[int]) -> set[int]:
    """The units whose territory passed directly into `unit_ids`."""
    from thiduaweb.units.models import UnitSuccession

    return set(conn.execute(select(UnitSuccession.predecessor_id)
                            .where(UnitSuccession.successor_id.in_(sorted(unit_ids)))).scalars())


def _paths(conn, unit_ids: set[int]) -> list[str]:
    from thiduaweb.units.models import Unit

    return list(conn.execute(select(Unit.path).where(Unit.id.in_(sorted(unit_ids)))).scalars())


def _written(session: Session):
    """The objects this flush wrote: added, deleted, or changed in a column (not only in a collection)."""
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj not in session.dirty or session.is_modified(obj, include_collections=False):
            yield obj


def _changed_units(session: Session) -> tuple[set[int], set[str]] | None:
    """The units whose rows this flush wrote and the areas of those rows; None when it wrote reference
    data (every unit's pages)."""
    from thiduaweb.accounts.models import User
    from thiduaweb.units.models import Unit, UnitSuccession

    units: set[int] = set()
    areas: set[str] = set()
    for obj in _written(session):
        if reference.is_watched(obj):
            return None
        if isinstance(obj, (UnitRevision, UnitAreaRevision)):
            continue
        if isinstance(obj, Unit):
            units.add(obj.id)
            units.update(v for v in inspect(obj).attrs.parent_id.history.deleted if v)  # the unit it left
            if obj.parent_id:
                units.add(obj.parent_id)
            areas.add(UNITS_AREA)
        elif isinstance(obj, UnitSuccession):
            units.update(i for i in (obj.predecessor_id, obj.successor_id) if i)
            areas.add(UNITS_AREA)
        elif isinstance(obj, User):
            if inspect(obj).attrs.full_name.history.has_changes():  # shown as a petition's handler
                units.update(m.unit_id for m in obj.memberships)
                areas.add(ACCOUNTS_AREA)
        elif getattr(obj, "unit_id", None) is not None:
            units.add(obj.unit_id)
            areas.add(area_of(type(obj)))
            if _listed_change(session, obj):
                areas.add(listed_area(area_of(type(obj))))
    return units, areas


def _changed_people(session: Session) -> tuple[set[int], set[int]]:
    """The users this flush wrote or whose memberships it wrote, and the units it wrote (whose members'
    kept copies show them)."""
    from thiduaweb.accounts.models import Membership, User
    from thiduaweb.units.models import Unit

    users: set[int] = set()
    units: set[int] = set()
    for obj in _written(session):
        if isinstance(obj, User):
            users.add(obj.id)
        elif isinstance(obj, Membership):
            users.update(i for i in (obj.user_id, *inspect(obj).attrs.user_id.history.deleted) if i)
        elif isinstance(obj, Unit) and obj not in session.new:
            units.add(obj.id)
    return users, units


def _after_flush(session: Session, _flush_context) -> None:
    changed = _changed_units(session)
    if changed is None:
        raise_revisions(session.connection(), None)
    elif changed[0]:
        raise_revisions(session.connection(), *changed)
    raise_user_revisions(session.connection(), *_changed_people(session))


def _before_bulk_write(state) -> None:
    """An UPDATE or DELETE statement run through the session on users, memberships or units (no flush
    sees its rows): every user's revision is raised, in its transaction."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return  # every SELECT passes here: the imports below only for writes
    from thiduaweb.accounts.models import Membership, User
    from thiduaweb.units.models import Unit

    if state.bind_mapper.class_ in (User, Membership, Unit):
        raise_user_revisions(state.session.connection(), None)


def install_listeners() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _before_bulk_write)


# --- reading -------------------------------------------------------------------------------------

def revisions_of(unit) -> tuple[int, ...]:
    """The unit's revision, then its ancestors' own revisions (root first)."""
    read = _revisions_read(unit)
    return tuple(read.get((i, "")) or 0 for i in (unit.id, *unit.ancestor_ids))


def own_revision_of(unit) -> int:
    """The unit's own revision: raised by a change of its own rows only."""
    return _revisions_read(unit).get((unit.id, "="), 0)


def area_revisions_of(unit, areas: Iterable[str]) -> tuple[int, ...]:
    """For each of `areas`: the unit's revision of that area, then its ancestors' own revisions of it
    (0 where the area never changed since the counters were last raised all together)."""
    read = _revisions_read(unit)
    ids = (unit.id, *unit.ancestor_ids)
    return tuple(read.get((i, area), 0) for area in areas for i in ids)


def _revisions_read(unit) -> dict:
    """{(unit id, area): revision}, area "" for the unit's counter and "=" for the unit's own counter:
    the unit's tree revisions and its ancestors' own revisions, in one statement, read once per request
    until this process raises a revision (`raise_revisions` forgets what was read)."""
    read = g.setdefault(READ_KEY, {}) if has_request_context() else {}
    if unit.id not in read:
        read[unit.id] = _read_revisions(unit)
    return read[unit.id]


def _read_revisions(unit) -> dict:
    """The counters of `_revisions_read`, and with them the signed-in user's revision (`user_revision`)."""
    found = {}
    user_id = _signed_in_user_id()
    for unit_id, area, revision, own_revision in db.session.execute(
            _revisions_select(), {"unit_id": unit.id, "ids": [unit.id, *unit.ancestor_ids], "user_id": user_id or 0}):
        if area == USER_ROW:
            g.setdefault(USER_KEY, {})[unit_id] = (revision, own_revision)
            continue
        found[(unit_id, area)] = revision if unit_id == unit.id else own_revision
        if unit_id == unit.id and area == "":
            found[(unit_id, "=")] = own_revision
    return found


def _signed_in_user_id() -> int | None:
    """The user id Flask-Login keeps in the session ("<id>:<session version>"), not yet checked."""
    if not has_request_context():
        return None
    user_id, _, _ = str(web_session.get("_user_id") or "").partition(":")
    return int(user_id) if user_id.isascii() and user_id.isdigit() and len(user_id) <= 12 else None


def user_revision(user_id: int) -> tuple[int, int] | None:
    """(revision, session version) of the user, as read with the unit's counters in this request; None
    when this request read no counters (a page outside any unit) or no such user."""
    return g.get(USER_KEY, {}).get(user_id) if has_request_context() else None


@functools.cache
def _revisions_select():
    """Built once (bound parameters unit_id, ids, user_id): every unit page reads it. The user's row
    rides along (area USER_ROW, its id in the unit_id column): one round trip for both."""
    from thiduaweb.accounts.models import User

    ids = bindparam("ids", expanding=True)
    r, a = UnitRevision, UnitAreaRevision
    return union_all(select(r.unit_id, literal("").label("area"), r.revision, r.own_revision).where(r.unit_id.in_(ids)),
                     select(a.unit_id, a.area, a.revision, a.own_revision).where(a.unit_id.in_(ids)),
                     select(User.id, literal(USER_ROW), User.revision, User.session_version)
                     .where(User.id == bindparam("user_id")))


def page_key(unit) -> tuple:
    """What a unit page's kept parts depend on besides the view's own arguments (see the docstring)."""
    return (unit.id, revisions_of(unit), *_viewer_key())


def part_key(unit, areas: Iterable[str], *, daily: bool = True) -> tuple:
    """The same for a part that reads only the rows of `areas` (and the unit, which any part may show).
    `daily=False`: the part shows nothing that changes with the day (no deadline counted from today, no
    "overdue"), only with the year: it is kept across midnight instead of drawn again."""
    areas = (UNITS_AREA, *sorted(set(areas) - {UNITS_AREA}))
    return (unit.id, areas, area_revisions_of(unit, areas), *_viewer_key(daily))


def _viewer_key(daily: bool = True) -> tuple:
    from flask_babel import get_locale

    access = g.access
    day = clock.today()
    return day if daily else day.year, str(get_locale()), access.permissions, access.readable_unit_ids


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


def _entries() -> int:
    return int(current_app.config.get("PAGE_CACHE_ENTRIES", DEFAULT_ENTRIES))


def _store() -> _Kept | None:
    """This app's kept parts, or None when keeping is off (PAGE_CACHE_ENTRIES = 0)."""
    if _entries() <= 0:
        return None
    return current_app.extensions.setdefault("thiduaweb_page_cache", _Kept())


def peek(key: tuple):
    """The value kept under `key`, or None (the caller checks it is still true)."""
    store = _store()
    if store is None:
        return None
    with _lock:
        found = store.get(key)
    return None if found is None else found[0]


def put(key: tuple, value) -> None:
    """Keep `value` under `key` (see `kept`): HTML counts its characters, a plain value 1,000."""
    store = _store()
    if store is not None:
        chars = int(current_app.config.get("PAGE_CACHE_CHARS", DEFAULT_CHARS))
        with _lock:
            store.put(key, value, len(value) if isinstance(value, str) else 1000, entries=_entries(), chars=chars)


def detached_copy(obj: T) -> T:
    """A copy of the ORM object `obj` with what its session loaded (its relationships too), in no
    session: what a process may keep between requests and merge into each (`session.merge(copy,
    load=False)`, no SQL)."""
    holder = Session()
    copy = holder.merge(obj, load=False)
    holder.expunge_all()
    return copy


def kept(key: tuple, compute: Callable[[], T], *, keep: Callable[[T], bool] = lambda value: True) -> T:
    """The value kept under `key` in this process, else `compute()`'s, kept for the next request when
    `keep(value)`. Only plain values and rendered HTML go in, never ORM rows of a session (they belong
    to one request's; `units.services.unit_of_page` keeps a detached copy, merged into each request's).
    At most PAGE_CACHE_ENTRIES parts and PAGE_CACHE_CHARS characters of HTML are kept (a plain value
    counts as 1,000)."""
    found = peek(key)
    if found is not None:
        return found
    value = compute()
    if keep(value):
        put(key, value)
    return value


def rendered(key: tuple, render: Callable[[], str]) -> Markup:
    """The HTML kept under `key`, else `render()`'s (see `kept` and `keep_html`)."""
    found = peek(key)
    return found if found is not None else keep_html(key, render())


def keep_html(key: tuple, html: str) -> Markup:
    """`html`, kept under `key` for the next request (see `kept`) unless it holds a CSRF token: the token
    belongs to one session."""
    html = Markup(html)
    if 'name="csrf_token"' not in html:
        put(key, html)
    return html
