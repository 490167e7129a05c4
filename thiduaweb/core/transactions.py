"""A request that only read ends its transaction with COMMIT instead of ROLLBACK.

For the database the two are the same when nothing was written. For psycopg they are not: a ROLLBACK
forgets every statement it has prepared on the connection (PostgreSQL then parses and plans each
statement afresh; a list's statement took longer to plan than to run), and a COMMIT keeps them. A
connection prepares a statement after its fifth use, so the statements every page runs (the unit's
counters, the user, the scope, a list's page) are planned once per connection instead of once per page.

A transaction counts as having written when any statement other than a SELECT ran in it (an INSERT,
UPDATE or DELETE, also one a flush listener sends on its own, a SAVEPOINT, a WITH), or when the
session still holds changes it did not flush: those keep ending with ROLLBACK, so that a request that
failed or forgot to commit leaves nothing behind, as before.
"""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event

#: Set on a connection's `info` when its current transaction ran a statement other than a SELECT.
WROTE = "thiduaweb_transaction_wrote"


def end_reads_with_commit(app: Flask, db) -> None:
    """Install the engine listeners and the request teardown (once per engine)."""
    with app.app_context():
        engine = db.engine
    if not event.contains(engine, "before_cursor_execute", _note_writes):
        event.listen(engine, "begin", _forget_writes)
        event.listen(engine, "before_cursor_execute", _note_writes)

    # Registered after Flask-SQLAlchemy's teardown, so it runs before the session is removed.
    @app.teardown_appcontext
    def _commit_if_only_read(error: BaseException | None) -> None:
        if error is None and db.session.registry.has():
            commit_if_only_read(db.session())


def _forget_writes(connection) -> None:
    connection.info[WROTE] = False


def only_reads(statement: str, executemany: bool = False) -> bool:
    """Whether a statement about to be sent only reads: a single SELECT (a WITH may write)."""
    return not executemany and statement.lstrip()[:6].upper() == "SELECT"


def _note_writes(connection, cursor, statement: str, parameters, context, executemany: bool) -> None:
    if not only_reads(statement, executemany):
        connection.info[WROTE] = True


def commit_if_only_read(session) -> bool:
    """Commit `session`'s transaction if it only read (see the module's docstring); True if it did."""
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    if session.connection().info.get(WROTE, True):
        return False
    session.commit()
    return True
