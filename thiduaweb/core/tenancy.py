"""Unit scoping: the one place where tenant isolation is enforced.

Layers (see docs/architecture.md):
1. Routing. `unit_blueprint()` takes the unit slug from the URL once, checks membership (a
   stranger gets 404), checks the permission the view declared (no declaration: refused) and
   binds the unit scope to the database session.
2. Data. Rows a unit owns inherit `UnitOwned`. A `do_orm_execute` listener adds
   `unit_id IN scope` to every ORM SELECT, UPDATE and DELETE; with no scope bound, a statement
   naming a UnitOwned entity raises `UnitScopeError` and any other returns no owned rows. A
   `before_flush` listener stamps `unit_id` on new rows and refuses writes outside the writable
   scope. Cross-unit work says so: `all_units(stmt)`.
3. Database. `UnitOwned` tables carry UNIQUE (unit_id, id) so children reference their parents
   with composite foreign keys (unit_id, parent_id), declared through `__unit_parents__`.

Known limits: text() SQL and Core insert() bypass the ORM hook; `Session.get()` answered from
the identity map emits no SQL, which is why the scope is bound per request and per CLI command
(Flask-SQLAlchemy gives each request a fresh session).
"""
from __future__ import annotations

import threading
import weakref
from contextlib import contextmanager
from functools import lru_cache, wraps

from flask import Blueprint, abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, UniqueConstraint, event, false
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, with_loader_criteria

from thiduaweb.core.permissions import READS_DESCENDANTS, permissions_for
from thiduaweb.core.transactions import only_reads
from thiduaweb.extensions import db

SCOPE_KEY = "unit_scope"
WRITABLE_KEY = "unit_writable"


class UnitScopeError(RuntimeError):
    """A unit-owned query or write ran without a unit scope, or outside it."""


def constraint_name(name: str, limit: int = 63) -> str:
    """PostgreSQL cuts identifiers at 63 bytes: a longer name keeps its start and a stable hash."""
    if len(name) <= limit:
        return name
    import hashlib

    return f"{name[:limit - 9]}_{hashlib.sha1(name.encode()).hexdigest()[:8]}"


class UnitOwned:
    """Mixin for every row a unit owns.

    Subclasses may set `__unit_parents__ = {"plan_id": "plan"}` to get composite foreign keys
    (unit_id, plan_id) → plan(unit_id, id), and `__extra_table_args__` for their own
    constraints and indexes.

    Every column (but `id` and `unit_id`) has its Vietnamese name in `__field_labels__`, which the
    audit trail shows instead of the column's name (`audit.changes`; a test fails for a column
    without one); None there marks a column derived from another one (a sort key), left out of
    the trail. `__value_labels__` names, for a column holding codes, their labels: a dict, a
    function of the code, or "module:NAME" of one when importing it here would be circular.
    `__audited__ = False` marks a table written only by Core statements (summary rows), which the
    audit trail never records. `__audit_masked__` names personal identifiers the trail records only
    by their last four characters (a citizen's identity number). `__listed_columns__` names the columns
    a kept list of the rows shows (core.revisions.listed_area): a change of any other column leaves it kept.
    """

    __unit_parents__: dict[str, str] = {}
    __extra_table_args__: tuple = ()
    __field_labels__: dict[str, str | None] = {}
    __value_labels__: dict = {}
    __audited__: bool = True
    __audit_masked__: frozenset[str] = frozenset()

    @declared_attr
    def unit_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("unit.id"), nullable=False)

    @declared_attr.directive
    def __table_args__(cls):
        table = cls.__tablename__
        args = [
            UniqueConstraint("unit_id", "id", name=f"uq_{table}_unit_id_id"),
            Index(f"ix_{table}_unit_id", "unit_id", "id"),
        ]
        for column, parent in cls.__unit_parents__.items():
            args.append(
                ForeignKeyConstraint(
                    ["unit_id", column],
                    [f"{parent}.unit_id", f"{parent}.id"],
                    name=constraint_name(f"fk_{table}_{column}_{parent}_unit"),
                )
            )
        return (*args, *cls.__extra_table_args__)


# --- Scope binding -----------------------------------------------------------------------

def bind_scope(session: Session, readable: set[int], writable: set[int]) -> None:
    """Bind which units' rows this session may read and write."""
    session.info[SCOPE_KEY] = frozenset(readable)
    session.info[WRITABLE_KEY] = frozenset(writable)
    if session.in_transaction():
        _push_database_scope(session)


# --- Layer 4: PostgreSQL row-level security --------------------------------------------------
# The policies (migration "row-level security") read three per-transaction settings. They bind
# only a role that is subject to RLS (the application's own role in production); a superuser,
# as in development and CI, passes through them. See docs/operations.md.

def _scope_settings(session: Session) -> tuple[str, str, str]:
    readable = session.info.get(SCOPE_KEY) or ()
    writable = session.info.get(WRITABLE_KEY) or ()
    everything = "on" if session.info.get("all_units_writes") or session.info.get("all_units_reads") else "off"
    return _ids_setting(frozenset(readable)), _ids_setting(frozenset(writable)), everything


@lru_cache(maxsize=256)
def _ids_setting(ids: frozenset[int]) -> str:
    # A supervisor's scope (thousands of ids) is the same kept set on every request: joined once.
    return ",".join(map(str, sorted(ids)))


#: The statement that sets the three settings, for this transaction only.
SET_SCOPE_SQL = ("SELECT set_config('app.unit_ids', %(r)s, true), set_config('app.writable_unit_ids', %(w)s, true), "
                 "set_config('app.all_units', %(a)s, true)")
#: Where the settings wait on the connection (`Connection.info`) for the transaction's next statement.
PENDING_SCOPE = "thiduaweb_pending_scope"


def _push_database_scope(session: Session, connection=None) -> None:
    """Set the session's scope in the database before the transaction's next statement. It is not sent on
    its own: it waits on the connection and goes with that statement in one round trip (`send_scope_along`);
    a transaction that reads nothing more (a page kept whole) never sends it."""
    connection = connection or session.connection()
    if connection.dialect.name != "postgresql":
        return
    readable, writable, everything = _scope_settings(session)
    settings = {"r": readable, "w": writable, "a": everything}
    if connection.engine in _ENGINES_SENDING_ALONG:
        connection.info[PENDING_SCOPE] = settings
    else:  # an engine made without the app (a script's, a test's), or a libpq without pipeline mode
        connection.exec_driver_sql(SET_SCOPE_SQL, settings)


#: The engines `send_scope_along` equipped: only theirs may hold a scope back.
_ENGINES_SENDING_ALONG: weakref.WeakSet = weakref.WeakSet()


def send_scope_along(engine) -> None:
    """On PostgreSQL, send the pending scope (`_push_database_scope`) with the next statement of its
    transaction: both in one round trip through psycopg's pipeline mode, the settings first. A write, an
    executemany, a server-side cursor (streamed exports) get the settings sent on their own first, as
    before. Whatever is still pending when the transaction ends is dropped with it (the settings would
    have ended with it too): it can never reach another transaction, nor another request."""
    if engine.dialect.name != "postgresql" or engine in _ENGINES_SENDING_ALONG:
        return
    import psycopg

    if not psycopg.Pipeline.is_supported():  # libpq before 14: the scope is sent on its own, as before
        return
    event.listen(engine, "begin", _drop_pending_scope)
    event.listen(engine, "commit", _drop_pending_scope)
    event.listen(engine, "rollback", _drop_pending_scope)
    event.listen(engine, "before_cursor_execute", _send_scope_before_writes)
    event.listen(engine, "do_execute", _execute_with_scope)
    event.listen(engine, "do_execute_no_params", _execute_no_params_with_scope)
    event.listen(engine.pool, "checkin", lambda dbapi_connection, record: record.info.pop(PENDING_SCOPE, None))
    _ENGINES_SENDING_ALONG.add(engine)


def _drop_pending_scope(connection) -> None:
    connection.info.pop(PENDING_SCOPE, None)


def _send_scope_before_writes(connection, cursor, statement: str, parameters, context, executemany: bool) -> None:
    if PENDING_SCOPE not in connection.info:
        return
    if not only_reads(statement, executemany) or not _plain_cursor(cursor):
        cursor.connection.execute(SET_SCOPE_SQL, connection.info.pop(PENDING_SCOPE))


def _plain_cursor(cursor) -> bool:
    import psycopg

    return isinstance(cursor, psycopg.Cursor) and not isinstance(cursor, psycopg.ServerCursor)


def _execute_with_scope(cursor, statement: str, parameters, context):
    """The dialect's execution, taken over when a scope is pending: the settings and the statement sent
    together, their results read after one sync. None: the dialect executes as usual."""
    try:
        scope = context.root_connection.info.pop(PENDING_SCOPE, None)
    except NotImplementedError:  # the dialect's first connection, not yet in the pool, has no info
        return None
    if scope is None:
        return None
    connection = cursor.connection
    with connection.pipeline():
        connection.execute(SET_SCOPE_SQL, scope)
        cursor.execute(statement, parameters)
    return True


def _execute_no_params_with_scope(cursor, statement: str, context):
    return _execute_with_scope(cursor, statement, None, context)


@contextmanager
def system_maintenance(connection):
    """Let derived data (summary tables) be rewritten for any unit within this block.

    The rows are computed by the system from the source rows, not chosen by the user, so they
    are written past the unit scope: on PostgreSQL the row-level security switch is turned on
    for the block and restored after it.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    before = connection.exec_driver_sql("SELECT current_setting('app.all_units', true)").scalar() or "off"
    connection.exec_driver_sql("SELECT set_config('app.all_units', 'on', true)")
    try:
        yield
    finally:
        connection.exec_driver_sql("SELECT set_config('app.all_units', %(v)s, true)", {"v": before})


def _on_begin(session: Session, transaction, connection) -> None:
    # Settings made with set_config(..., true) end with their transaction, and an unset scope
    # already sees no rows: a transaction that begins with nothing bound needs no statement.
    readable, writable, everything = _scope_settings(session)
    if readable or writable or everything == "on":
        _push_database_scope(session, connection)


#: Owned tables whose rows are written on behalf of a unit the actor only reads (the audit trail
#: of a supervisor's step in a commune): their write check uses the readable scope.
WRITE_CHECK_READABLE = {"audit_entry"}


def row_level_security_sql(table: str) -> list[str]:
    """The statements that put a unit-owned table under row-level security (PostgreSQL)."""
    everything = "current_setting('app.all_units', true) = 'on'"

    def member(setting: str) -> str:
        return f"unit_id = ANY (string_to_array(NULLIF(current_setting('{setting}', true), ''), ',')::int[])"

    check = member("app.unit_ids" if table in WRITE_CHECK_READABLE else "app.writable_unit_ids")
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS unit_scope ON {table}",
        f"CREATE POLICY unit_scope ON {table} USING ({everything} OR {member('app.unit_ids')}) "
        f"WITH CHECK ({everything} OR {check})",
    ]


def _secure_new_table(table, connection, **kw) -> None:
    if connection.dialect.name == "postgresql":
        for statement in row_level_security_sql(table.name):
            connection.exec_driver_sql(statement)


def install_row_level_security_ddl() -> None:
    """Tables made by create_all (tests, first start) get the same policies as the migration gives."""
    for mapper in db.Model.registry.mappers:
        if issubclass(mapper.class_, UnitOwned):
            table = mapper.class_.__table__
            if not event.contains(table, "after_create", _secure_new_table):
                event.listen(table, "after_create", _secure_new_table)


def current_scope(session: Session | None = None) -> frozenset[int] | None:
    return (session or db.session).info.get(SCOPE_KEY)


@contextmanager
def unit_scope(readable: set[int], writable: set[int] | None = None):
    """Run a block (CLI command, test, job) with an explicit unit scope."""
    session = db.session()
    saved = (session.info.get(SCOPE_KEY), session.info.get(WRITABLE_KEY))
    bind_scope(session, readable, readable if writable is None else writable)
    try:
        yield
    finally:
        session.info[SCOPE_KEY], session.info[WRITABLE_KEY] = saved


def all_units(statement):
    """Mark a statement as deliberately cross-unit (city aggregates, CLI). Search for this."""
    return statement.execution_options(all_units=True)


def _owned_classes():
    return [m.class_ for m in db.Model.registry.mappers if issubclass(m.class_, UnitOwned)]


def _scope_statements(state) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return
    if state.execution_options.get("all_units"):
        if not state.session.info.get("all_units_reads"):
            state.session.info["all_units_reads"] = True  # for the rest of this transaction
            _push_database_scope(state.session)
        return
    scope = state.session.info.get(SCOPE_KEY)
    if scope is None and any(issubclass(m.class_, UnitOwned) for m in state.all_mappers):
        raise UnitScopeError("Unit-owned data queried without a unit scope.")
    state.statement = _scoped_statement(state.statement, None if scope is None else tuple(scope))


#: {statement: {scope: the statement with the scope's criteria}}: a statement built once (most pages'
#: are) keeps its scoped copies, whose cache key SQLAlchemy computes once instead of at each execution
#: (for the dashboard's figures that was a third of a millisecond). Entries leave with their statement.
_scoped_copies: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_scoped_lock = threading.Lock()
#: Scopes kept per statement (a supervisor's scope holds every unit below: few distinct ones per process).
SCOPES_PER_STATEMENT = 32


def _scoped_statement(statement, ids: tuple[int, ...] | None):
    """`statement` with the criteria of the unit scope `ids` (None: no scope, so no unit-owned row)."""
    try:
        with _scoped_lock:
            copies = _scoped_copies.setdefault(statement, {})
            scoped = copies.get(ids)
    except TypeError:  # a statement that cannot be referenced weakly is scoped afresh each time
        return _with_scope(statement, ids)
    if scoped is None:
        scoped = _with_scope(statement, ids)
        with _scoped_lock:
            if len(copies) >= SCOPES_PER_STATEMENT:
                copies.pop(next(iter(copies)))
            copies[ids] = scoped
    return scoped


def _with_scope(statement, ids: tuple[int, ...] | None):
    if ids is None:
        criteria = lambda cls: false()  # noqa: E731 - statements the check cannot see get nothing
    else:
        criteria = lambda cls: cls.unit_id.in_(ids)  # noqa: E731
    return statement.options(with_loader_criteria(UnitOwned, criteria, include_aliases=True))


def _guard_writes(session: Session, flush_context, instances) -> None:
    writable = session.info.get(WRITABLE_KEY)
    if session.info.get("all_units_writes"):
        return
    for obj in session.new:
        if not isinstance(obj, UnitOwned):
            continue
        if obj.unit_id is None:
            if not writable or len(writable) != 1:
                raise UnitScopeError(f"New {type(obj).__name__} has no unit and none is bound.")
            obj.unit_id = next(iter(writable))
        _check_writable(obj, writable)
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, UnitOwned):
            _check_writable(obj, writable)


def _check_writable(obj, writable) -> None:
    if writable is None or obj.unit_id not in writable:
        raise UnitScopeError(f"{type(obj).__name__} of unit {obj.unit_id} is outside the writable scope.")


@contextmanager
def cross_unit_writes():
    """Allow writes to any unit (seeding, migrations of data, CLI). Search for this."""
    session = db.session()
    outer = session.info.get("all_units_writes", False)  # nested uses keep the outer permission
    session.info["all_units_writes"] = True
    if session.in_transaction():
        _push_database_scope(session)
    try:
        yield
    finally:
        if not outer:
            session.info.pop("all_units_writes", None)


def install_listeners() -> None:
    """Attach the scope listeners to every session (idempotent)."""
    if not event.contains(Session, "do_orm_execute", _scope_statements):
        event.listen(Session, "do_orm_execute", _scope_statements)
        event.listen(Session, "before_flush", _guard_writes)
        event.listen(Session, "after_begin", _on_begin)
        event.listen(Session, "after_soft_rollback", _end_cross_unit_reads)
        event.listen(Session, "after_commit", _end_cross_unit_reads)


def _end_cross_unit_reads(session: Session, *args) -> None:
    session.info.pop("all_units_reads", None)


# --- Routing -------------------------------------------------------------------------------

def _slug_blueprint(name: str, import_name: str, url_prefix: str, *, root: str, unit_attr: str,
                    guard) -> Blueprint:
    """A blueprint whose routes live under /<root>/<unit_slug>: the slug is taken from the URL
    once and put back into every url_for, and `guard` runs before each view."""
    bp = Blueprint(name, import_name, url_prefix=f"/{root}/<unit_slug>{url_prefix}")

    @bp.url_value_preprocessor
    def pull_unit_slug(endpoint, values):
        g.unit_slug = values.pop("unit_slug", None)

    @bp.url_defaults
    def add_unit_slug(endpoint, values):
        if "unit_slug" not in values and getattr(g, unit_attr, None) is not None:
            values["unit_slug"] = getattr(g, unit_attr).slug

    bp.before_request(guard)
    return bp


def unit_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """A blueprint whose every route lives under /u/<unit_slug> and passes the unit guard."""
    bp = _slug_blueprint(name, import_name, url_prefix, root="u", unit_attr="unit", guard=_unit_guard)
    bp.is_unit_blueprint = True
    return bp


def _unit_guard():
    from thiduaweb.units.services import access_for, unit_of_page

    unit = unit_of_page(g.unit_slug)
    if unit is None:
        abort(404)
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path))
    access = access_for(current_user, unit)
    if access is None:
        abort(404)
    view = current_app.view_functions.get(request.endpoint)
    needed = getattr(view, "required_permission", None)
    if needed is None:
        current_app.logger.error("Unit route %s declares no permission: refused.", request.endpoint)
        abort(403)
    if needed not in access.permissions:
        abort(403)
    g.unit = unit
    g.access = access
    bind_scope(db.session(), access.readable_unit_ids, access.writable_unit_ids)


def public_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """Citizen pages of a unit under /p/<unit_slug>: no login, the unit's scope only.

    The scope lets the view read and write that unit's rows (a citizen's petition is written
    there); each view shows only what is marked public. Every view must carry `@public_page`.
    """
    bp = _slug_blueprint(name, import_name, url_prefix, root="p", unit_attr="public_unit", guard=_public_guard)
    bp.is_public_blueprint = True
    return bp


def public_page(view):
    """Declare a view meant for anyone, logged in or not (read by the public guard and meta-tests)."""
    view.public_page = True
    return view


def _public_guard():
    from thiduaweb.units.services import unit_of_page

    unit = unit_of_page(g.unit_slug)
    if unit is None:
        abort(404)
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "public_page", False):
        current_app.logger.error("Public route %s is not marked @public_page: refused.", request.endpoint)
        abort(404)
    g.public_unit = unit
    bind_scope(db.session(), {unit.id}, {unit.id})


def can(permission: str) -> bool:
    """True when the current user holds `permission` on the current unit (templates use it)."""
    access = getattr(g, "access", None)
    return bool(access and permission in access.permissions)


def reads_descendants(roles) -> bool:
    return bool(set(roles) & READS_DESCENDANTS)


__all__ = [
    "UnitOwned", "UnitScopeError", "all_units", "bind_scope", "can", "cross_unit_writes",
    "install_listeners", "permissions_for", "public_blueprint", "public_page", "unit_blueprint", "unit_scope",
]


def login_required_outside_units(view):
    """Login check for non-unit pages (account pages)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapper
