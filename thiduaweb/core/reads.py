"""Several reads in one statement.

A page drawn afresh reads each of its parts with a statement of its own. Each statement costs a round
trip to PostgreSQL and, in SQLAlchemy, its own cache lookup, unit scoping and result set-up: on the
benchmark's machine twice what the database spends running it. `read_together` runs several reads as
one statement: each read, a select of plain columns, becomes a JSON array of its rows in the one row
of that statement, and comes back as its rows again, each value typed as its column is.

The statement goes through the session like any other: the unit scope applies to every read in it,
on both databases. A read marked cross-unit (`tenancy.all_units`) cannot go with others: it would
lift the scope of them all.
"""
from __future__ import annotations

import functools
import json
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, BindParameter, Select, bindparam, func, literal_column, select, type_coerce
from sqlalchemy.sql import visitors
from sqlalchemy.types import TypeDecorator

from thiduaweb.extensions import db

#: What psycopg keeps converted (its module globals, read at each query): reads together are longer
#: than its defaults (4 KB, 50 parameters: the unit home's are 8 KB and 65).
PSYCOPG_CACHED_LENGTH, PSYCOPG_CACHED_PARAMS = 16_384, 128
#: Bound parameters of a read are renamed `<read's name>__<parameter>` in the statement together.
_SEPARATOR = "__"


def keep_long_queries_converted() -> None:
    """psycopg converts a query's placeholders (a scan of its text) at each execution, and keeps the
    result only for queries of up to 4 KB and 50 parameters: it takes longer ones for an ORM's one-off
    INSERTs. Reads together are built once and run on every page drawn afresh; converting the unit
    home's took half a millisecond. Raise both limits (what is kept stays bounded: 128 queries)."""
    from psycopg import _queries

    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, PSYCOPG_CACHED_LENGTH)
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, PSYCOPG_CACHED_PARAMS)


@dataclass(frozen=True)
class Read:
    """A select of plain columns (not ORM entities) with its parameters. `order`: the columns its rows
    are ordered by, for a read of several rows whose order matters (a JSON array's order is not
    guaranteed by either database). Build `statement` and `order` once: composing them costs more than
    running them, and the statement together with other reads is kept for the same objects."""

    statement: Select
    params: dict = field(default_factory=dict)
    order: tuple = ()

    def rows(self) -> list[tuple]:
        """The rows of this read alone (one statement), as `read_together` gives them."""
        shape = _row_shape(self.statement)
        return [shape._make(row) for row in db.session.execute(self.statement, self.params)]


def read_together(reads: dict[str, Read]) -> dict[str, list[tuple]]:
    """The rows of each read, by name, read with one statement (none for no reads, the read's own for
    one). Names are identifiers (letters, digits, underscores). A row is a named tuple of its columns
    (`row.drafts`, `row._asdict()`)."""
    if not reads:
        return {}
    if len(reads) == 1:
        (name, read), = reads.items()
        return {name: read.rows()}
    if any(read.statement.get_execution_options().get("all_units") for read in reads.values()):
        raise ValueError("A cross-unit read (all_units) cannot be read with others: it would lift their scope.")
    names = tuple(reads)
    dialect = db.session.get_bind().dialect.name
    statement = _together(dialect, tuple((name, reads[name].statement, reads[name].order) for name in names))
    params = {f"{name}{_SEPARATOR}{key}": value for name in names for key, value in reads[name].params.items()}
    row = db.session.execute(statement, params).one()
    return {name: _rows_of(reads[name], row[index]) for index, name in enumerate(names)}


@functools.lru_cache(maxsize=256)
def _together(dialect: str, reads: tuple) -> Select:
    """The statement of `read_together` for these reads (name, statement, order): one column per read,
    the JSON array of its rows, each row led by its position. Built once per set of reads."""
    columns = []
    for name, statement, order in reads:
        # Rows whose order does not matter (most reads give one) need no window to number them.
        position = func.row_number().over(order_by=order) if order else literal_column("0")
        shown = _renamed(statement.add_columns(position.label("_position")), name).subquery(name)
        values = list(shown.c)
        values = [values[-1], *values[:-1]]  # the position first
        if dialect == "postgresql":
            rows = func.json_agg(func.json_build_array(*values))
        else:
            rows = func.json_group_array(func.json_array(*values))
        columns.append(type_coerce(select(rows).select_from(shown).scalar_subquery(), JSON).label(name))
    return select(*columns)


def _renamed(statement: Select, prefix: str) -> Select:
    """`statement` with its named bound parameters renamed `<prefix>__<name>` (reads built apart may
    use the same names for different values: unit_ids, today)."""

    def rename(element):
        if not isinstance(element, BindParameter) or element.unique:
            return None  # a value written in the statement (status == "received") has a name of its own
        given = {} if element.required else {"value": element.value}
        return bindparam(f"{prefix}{_SEPARATOR}{element.key}", type_=element.type, expanding=element.expanding,
                         literal_execute=element.literal_execute, **given)

    return visitors.replacement_traverse(statement, {}, rename)


def _rows_of(read: Read, found) -> list[tuple]:
    """The read's rows from its JSON array (a string on SQLite, or None for no rows on PostgreSQL),
    in its order, each value converted to its column's type."""
    if isinstance(found, str):
        found = json.loads(found)
    converters = _converters(read.statement)
    shape = _row_shape(read.statement)
    rows = sorted(found or (), key=lambda values: values[0])
    return [shape._make(convert(value) for convert, value in zip(converters, values[1:])) for values in rows]


@functools.lru_cache(maxsize=256)
def _row_shape(statement: Select):
    """A named tuple of the statement's columns (a name that cannot be a field is renamed _<index>)."""
    return namedtuple("Row", statement.selected_columns.keys(), rename=True)


@functools.lru_cache(maxsize=256)
def _converters(statement: Select) -> list:
    return [_converter(column.type) for column in statement.selected_columns]


def _converter(type_):
    """From a JSON value to what SQLAlchemy gives for a column of `type_` (a plain type: a type of the
    project's own would need its result processing, which JSON bypasses)."""
    if isinstance(type_, TypeDecorator):
        raise TypeError(f"{type_!r}: core.reads converts plain column types only.")
    try:
        parse = _PARSERS.get(type_.python_type, _as_is)
    except NotImplementedError:
        parse = _as_is
    return lambda value: None if value is None else parse(value)


def _as_is(value):
    return value


_PARSERS = {
    int: int,
    float: float,
    Decimal: lambda value: Decimal(str(value)),
    bool: bool,
    str: str,
    date: date.fromisoformat,
    datetime: datetime.fromisoformat,
}
