"""Connections are tested for life before use only when they sat idle in the pool.

`pool_pre_ping` costs a round trip to the database on every request. A connection given back a
moment ago is alive in all but the rarest case, while one idle for minutes may have been closed
by the server, a proxy or a restart: only those are pinged (POOL_PING_AFTER_IDLE seconds). When
a ping fails the pool replaces the connection before the request sees it; a connection that dies
while busy makes its request fail, and SQLAlchemy then discards every older connection of the pool.
"""
from __future__ import annotations

import time

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

_INSTALLED = "thiduaweb_idle_ping"


def ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    if getattr(engine, _INSTALLED, False):
        return
    setattr(engine, _INSTALLED, True)

    def note_checkin(dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    def ping_if_idle(dbapi_connection, record, proxy) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return  # new, or given back a moment ago
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        except Exception as error:  # any failure: the pool opens a new connection instead
            raise exc.DisconnectionError(str(error)) from error

    event.listen(engine, "checkin", note_checkin)
    event.listen(engine, "checkout", ping_if_idle)
