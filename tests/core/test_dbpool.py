"""Pooled PostgreSQL connections are pinged before use only after sitting idle (core/dbpool.py)."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from thiduaweb.core.dbpool import ping_idle_connections

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                                reason="Kết nối tới PostgreSQL: kiểm thử trong lượt PostgreSQL.")


def _engine(app, idle_seconds):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1, max_overflow=0)
    ping_idle_connections(engine, idle_seconds)
    return engine


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def test_a_connection_the_server_closed_while_idle_is_replaced_before_use(app):
    engine = _engine(app, idle_seconds=0)
    try:
        first = _backend_pid(engine)
        _terminate(app, first)
        assert _backend_pid(engine) != first  # no error: the dead connection never reached the caller
    finally:
        engine.dispose()


def test_a_connection_given_back_a_moment_ago_is_used_without_a_ping(app):
    engine = _engine(app, idle_seconds=60)
    try:
        first = _backend_pid(engine)
        _terminate(app, first)
        with pytest.raises(DBAPIError):  # not pinged: the caller meets the dead connection
            _backend_pid(engine)
        assert _backend_pid(engine) != first  # and the pool has replaced it for the next one
    finally:
        engine.dispose()


def _terminate(app, pid: int) -> None:
    killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with killer.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()
