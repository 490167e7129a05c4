"""Unit lookups, who may see what in a unit, successors, and the bodies a unit manages."""
from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from flask import current_app, g, has_request_context
from sqlalchemy import Select, bindparam, func, inspect, literal, or_, select, union_all
from sqlalchemy.orm import contains_eager, joinedload

from thiduaweb.accounts.models import Membership
from thiduaweb.core import clock
from thiduaweb.core.permissions import permissions_for, read_only
from thiduaweb.core.tenancy import reads_descendants
from thiduaweb.core.listing import Page, paginate
from thiduaweb.core.reads import Read
from thiduaweb.core.vntext import slugify
from thiduaweb.extensions import db
from thiduaweb.units.models import Body, Unit, UnitSuccession


@dataclass(frozen=True)
class Access:
    """What one user may do on one unit's pages."""

    unit_id: int
    direct_roles: frozenset[str]
    inherited_roles: frozenset[str]
    permissions: frozenset[str]
    readable_unit_ids: frozenset[int]
    writable_unit_ids: frozenset[int]
    #: The unit ceased to exist and the deployment locks such units (`is_locked`): read only.
    locked: bool = False

    @property
    def roles(self) -> frozenset[str]:
        return self.direct_roles or self.inherited_roles

    @property
    def read_only(self) -> bool:
        return not self.writable_unit_ids


def find_unit_by_slug(slug: str | None) -> Unit | None:
    if not slug:
        return None
    return db.session.execute(_unit_with_lineage(), {"slug": slug}).unique().scalar_one_or_none()


def unit_of_page(slug: str | None) -> Unit | None:
    """The unit a page's address names (`find_unit_by_slug`), from a copy kept per process while the
    unit's `units` counters and its ancestors' stand (core/revisions.py): a unit renamed, moved, merged
    or given a new slug, its parent, or a unit at the other end of its successions changed, raises them.
    The copy is merged into the request's session without SQL; every unit page read the unit, its
    parent and its lineage with one statement that cost more to load than the rest of a kept page.

    The counters are read before the unit: a change made between the two reads is seen by the next
    request, never hidden from it. A copy is first kept without counters and trusted from the visit
    after, whose counters it is checked against."""
    from thiduaweb.core import revisions

    if not slug:
        return None
    known = revisions.peek(("unit-of-page", slug))
    counters = None
    if known is not None:
        copy, kept_counters = known
        counters = revisions.area_revisions_of(copy, (revisions.UNITS_AREA,))
        if counters == kept_counters:
            return db.session.merge(copy, load=False)
    unit = find_unit_by_slug(slug)
    if unit is not None:
        same_unit = known is not None and (known[0].id, known[0].path) == (unit.id, unit.path)
        # With what `find_unit_by_slug` loaded (parent, successions).
        revisions.put(("unit-of-page", slug), (revisions.detached_copy(unit), counters if same_unit else None))
    return unit


@functools.cache
def _unit_with_lineage():
    """The unit by its slug with its parent and its successions in both directions (with the unit at
    their other end): every unit page names the supervising unit, shows the lineage banner and reads
    the predecessors' rows. A unit has few successions, so the joined rows stay few. Built once:
    composing the eager loads cost more than running the statement."""
    return select(Unit).where(Unit.slug == bindparam("slug")).options(
        joinedload(Unit.parent),
        joinedload(Unit.successions_out).joinedload(UnitSuccession.successor),
        joinedload(Unit.successions_in).joinedload(UnitSuccession.predecessor))


def active_memberships(user) -> list[Membership]:
    """The user's active memberships with their units, loaded once per request."""
    cache = g.setdefault("_memberships", {}) if has_request_context() else {}
    if user.id not in cache and "memberships" in inspect(user).dict:  # loaded with the user (load_user)
        cache[user.id] = sorted((m for m in user.memberships if m.active), key=lambda m: (m.unit.path, m.role))
    if user.id not in cache:
        stmt = (
            select(Membership)
            .join(Membership.unit)
            .where(Membership.user_id == user.id, Membership.active.is_(True))
            .order_by(Unit.path, Membership.role)
        )
        cache[user.id] = list(db.session.scalars(stmt))
    return cache[user.id]


def access_for(user, unit: Unit) -> Access | None:
    """The user's access on `unit`, or None when the user is a stranger to it (→ 404)."""
    memberships = active_memberships(user)
    direct = frozenset(m.role for m in memberships if m.unit_id == unit.id)
    ancestors = set(unit.ancestor_ids)
    inherited = frozenset(m.role for m in memberships if m.unit_id in ancestors)
    permissions = permissions_for(direct, inherited)
    if not permissions:
        return None
    readable = {unit.id}
    if reads_descendants(direct):
        readable = supervised_ids(unit)
    else:
        # The direct predecessors come from the statement that also gives the unit's successors
        # (the lineage banner of every unit page); only a longer chain costs more statements.
        first = {s.predecessor_id for s in predecessors_of(unit)}
        readable |= first | (predecessor_ids(first) if first else set())
    writable = {unit.id} if direct else set()
    locked = is_locked(unit)
    if locked:
        permissions, writable = read_only(permissions), set()
    return Access(unit.id, direct, inherited, permissions, frozenset(readable), frozenset(writable), locked)


def is_locked(unit: Unit) -> bool:
    """A unit that ceased to exist (merged in the 2025 reform) is read-only when the deployment says
    so (LOCK_MERGED_UNITS): its work goes on in its successor, its records stay readable."""
    return bool(current_app.config.get("LOCK_MERGED_UNITS") and unit.valid_to is not None
                and unit.valid_to < clock.today())


def supervised_ids(unit: Unit) -> frozenset[int]:
    """The unit, every unit below it and all their predecessors: what its supervisors read. Kept per
    process under the unit's revision of its `units` area, which a unit added, moved or merged below it
    raises, and no other write (a province's supervisor would otherwise read its 3,321 communes on
    every page, and again after every write in any of them)."""
    from thiduaweb.core import revisions

    def read() -> frozenset[int]:
        below = {unit.id, *descendant_ids(unit)}
        return frozenset(below | predecessor_ids(below, under=unit))

    units_revision = revisions.area_revisions_of(unit, (revisions.UNITS_AREA,))[0]
    return revisions.kept(("supervised", unit.id, units_revision), read)


def descendant_ids(unit: Unit) -> list[int]:
    return list(db.session.scalars(select(Unit.id).where(Unit.path.like(f"{unit.path}%"), Unit.id != unit.id)))


def predecessor_ids(unit_ids: set[int], *, under: Unit | None = None) -> set[int]:
    """Every unit whose territory passed, directly or through a chain, into `unit_ids`.

    `under`: `unit_ids` are that unit and all below it (a province: thousands), so the first step
    names them by their path rather than one by one."""
    found: set[int] = set()
    frontier = set(unit_ids)
    first = True
    while frontier:
        successors = (select(Unit.id).where(Unit.path.like(f"{under.path}%")) if first and under is not None
                      else sorted(frontier))
        first = False
        rows = db.session.scalars(
            select(UnitSuccession.predecessor_id).where(UnitSuccession.successor_id.in_(successors))
        )
        frontier = set(rows) - found - unit_ids
        found |= frontier
    return found


def successors_of(unit: Unit) -> list[UnitSuccession]:
    if "successions_out" in inspect(unit).dict:  # loaded with the unit
        return sorted(unit.successions_out, key=lambda s: s.successor.name)
    return _lineage("successors", unit.id)


def predecessors_of(unit: Unit) -> list[UnitSuccession]:
    if "successions_in" in inspect(unit).dict:
        return sorted(unit.successions_in, key=lambda s: s.predecessor.name)
    return _lineage("predecessors", unit.id)


def _lineage(direction: str, unit_id: int) -> list[UnitSuccession]:
    """The unit's successions in one direction, with the unit at the other end, read in both
    directions by one statement once per request."""
    cache = g.setdefault("_lineage", {}) if has_request_context() else {}
    if (direction, unit_id) not in cache:
        rows = db.session.scalars(
            select(UnitSuccession).options(joinedload(UnitSuccession.successor), joinedload(UnitSuccession.predecessor))
            .where(or_(UnitSuccession.predecessor_id == unit_id, UnitSuccession.successor_id == unit_id))).all()
        cache[("successors", unit_id)] = sorted((r for r in rows if r.predecessor_id == unit_id),
                                                key=lambda r: r.successor.name)
        cache[("predecessors", unit_id)] = sorted((r for r in rows if r.successor_id == unit_id),
                                                  key=lambda r: r.predecessor.name)
    return cache[(direction, unit_id)]


#: Rows on one page of a supervising unit's list of communes and wards.
CHILDREN_PAGE_SIZE = 50


def unit_search(search: str):
    """Where-clause finding units by name without diacritics, or by code.

    A unit's slug is its folded name made URL-safe ("Xã Đồng Liên" → "xa-dong-lien", see
    `official.unique_slug`), so the folded, hyphenated needle ("dong lien" → "dong-lien") matched inside
    the slug is the diacritics-insensitive name search, in SQL on both databases. A code matches from
    its start ("054" → 05467). The name as typed also matches, for the odd slug that is not its
    name's (a renamed unit keeps its slug; "tp-thai-nguyen")."""
    search = search.strip()[:120]
    clauses = [Unit.code.startswith(search, autoescape=True), Unit.name.icontains(search, autoescape=True)]
    needle = slugify(search)
    if needle:
        clauses.append(Unit.slug.contains(needle, autoescape=True))
    return or_(*clauses)


def child_units_query(unit: Unit, *, on: date | None = None, search: str = "") -> Select:
    """The units directly under `unit` (valid on `on` when given, matching `search`), by name."""
    stmt = select(Unit).where(Unit.parent_id == unit.id)
    if on is not None:
        stmt = stmt.where(Unit.valid_from <= on, or_(Unit.valid_to.is_(None), Unit.valid_to >= on))
    if search.strip():
        stmt = stmt.where(unit_search(search))
    return stmt.order_by(Unit.name, Unit.id)


def child_units(unit: Unit, *, on: date | None = None, search: str = "") -> list[Unit]:
    """Every unit directly under `unit`, as a list (callers that need them all: a city's communes)."""
    return list(db.session.scalars(child_units_query(unit, on=on, search=search)))


def child_units_page(unit: Unit, number: int | None, *, search: str = "", size: int = CHILDREN_PAGE_SIZE) -> Page:
    """Page `number` of the units under `unit` matching `search`: a count and the page (two statements)."""
    return paginate(child_units_query(unit, search=search), number, size)


def successors_of_many(units: Iterable[Unit], *, remember: bool = True) -> dict[int, list[UnitSuccession]]:
    """The successions of each of `units` (unit id → list, the successor joined in): one statement.

    `remember`: also fill the request's cache that `successors_of` reads (not for a streamed export)."""
    ids = [u.id for u in units]
    found: dict[int, list[UnitSuccession]] = {i: [] for i in ids}
    if not ids:
        return found
    stmt = (select(UnitSuccession).join(UnitSuccession.successor).options(contains_eager(UnitSuccession.successor))
            .where(UnitSuccession.predecessor_id.in_(ids)).order_by(Unit.name))
    for succession in db.session.scalars(stmt):
        found[succession.predecessor_id].append(succession)
    if remember and has_request_context():
        cache = g.setdefault("_lineage", {})
        for unit_id, successions in found.items():
            cache.setdefault(("successors", unit_id), successions)
    return found


def child_units_with_successors(unit: Unit, *, search: str = "", batch: int = 500) -> Iterator[tuple[Unit, list]]:
    """Every unit under `unit` matching `search` with its successions, streamed from the database
    `batch` rows at a time, the successions of each batch read in one statement (the Excel export)."""
    rows = db.session.scalars(child_units_query(unit, search=search).execution_options(yield_per=batch))
    for chunk in rows.partitions():
        successors = successors_of_many(chunk, remember=False)
        for child in chunk:
            yield child, successors[child.id]


def supervising_unit(unit: Unit) -> Unit | None:
    """The unit above a commune: a city in 2021, a province today."""
    return unit.parent


def bodies_of(unit_id: int, *, include_inactive: bool = False) -> list[Body]:
    stmt = select(Body).where(Body.unit_id == unit_id)
    if not include_inactive:
        stmt = stmt.where(Body.active.is_(True))
    return list(db.session.scalars(stmt.order_by(Body.kind, Body.name)))


def about_read(unit: Unit) -> Read:
    """The unit's active accounts by role and active bodies by kind, and for a supervising unit the
    count of units below it (`about_of` reads its rows)."""
    return Read(_about_select(unit.is_commune_level), {"unit_id": unit.id})


def about_of(rows: list[tuple]) -> dict:
    """{"member": {role: count}, "body": {kind: count}, "children": count} from `about_read`'s rows."""
    out: dict = {"member": {}, "body": {}, "children": 0}
    for what, key, count in rows:
        if what == "children":
            out["children"] = count
        else:
            out[what][key] = count
    return out


@functools.cache
def _about_select(commune_level: bool):
    """Built once per kind of unit (bound parameter unit_id): composing it cost more than running it."""
    unit_id = bindparam("unit_id")
    parts = [select(literal("member").label("what"), Membership.role.label("key"), func.count().label("count"))
             .where(Membership.unit_id == unit_id, Membership.active.is_(True)).group_by(Membership.role),
             select(literal("body"), Body.kind, func.count())
             .where(Body.unit_id == unit_id, Body.active.is_(True)).group_by(Body.kind)]
    if not commune_level:
        parts.append(select(literal("children"), literal(""), func.count()).where(Unit.parent_id == unit_id))
    return select(*union_all(*parts).subquery("about").c)


def save_body(unit: Unit, data: dict, body: Body | None = None) -> Body:
    """Create or update a body of `unit`. Commits."""
    body = body or Body(unit_id=unit.id)
    for field in ("name", "kind", "head_name", "member_count", "active"):
        if field in data:
            setattr(body, field, data[field])
    db.session.add(body)
    db.session.commit()
    return body


def get_body(body_id: int) -> Body | None:
    """A body in the bound scope (another unit's body is simply not found)."""
    return db.session.get(Body, body_id)


def compute_path(unit: Unit) -> str:
    return f"{unit.parent.path if unit.parent else '/'}{unit.id}/"
