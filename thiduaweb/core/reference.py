"""Reference data kept in each process for a while.

The award catalogue (regulation versions, titles, rule parameters) changes only when a new
regulation is loaded (`load_catalogue`, at deployment), yet nearly every awards page reads it.
`remember(key, load)` answers from this app's cache when the value is at most
REFERENCE_CACHE_SECONDS old, else stores and returns `load()`. Only plain values go in (tuples,
numbers), never ORM rows, which belong to one request's session.

A flush that writes a row of a watched class empties this process's cache when its transaction
ends (commit or rollback: a value read inside a rolled-back transaction must not outlive it);
other processes see the change within REFERENCE_CACHE_SECONDS.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

T = TypeVar("T")
DEFAULT_SECONDS = 300
_WATCHED: set[type] = set()
_DIRTY = "reference_rows_written"


def remember(key: tuple, load: Callable[[], T]) -> T:
    cache = current_app.extensions.setdefault("thiduaweb_reference", {})
    now = time.monotonic()
    hit = cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    cache[key] = (now + current_app.config.get("REFERENCE_CACHE_SECONDS", DEFAULT_SECONDS), value)
    return value


def forget() -> None:
    current_app.extensions.pop("thiduaweb_reference", None)


def watch(*classes: type) -> None:
    """Writing a row of these classes forgets the cached reference data (idempotent)."""
    _WATCHED.update(classes)
    if not event.contains(Session, "after_flush", _note_reference_writes):
        event.listen(Session, "after_flush", _note_reference_writes)
        event.listen(Session, "after_commit", _forget_if_written)
        event.listen(Session, "after_rollback", _forget_if_written)


def is_watched(obj) -> bool:
    """`obj` is a row of reference data (its change concerns every unit's pages)."""
    return type(obj) in _WATCHED


def _note_reference_writes(session: Session, _flush_context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(is_watched(obj) for obj in changed):
        session.info[_DIRTY] = True
        _forget_in_app()


def _forget_if_written(session: Session) -> None:
    if session.info.pop(_DIRTY, False):
        _forget_in_app()


def _forget_in_app() -> None:
    from flask import has_app_context

    if has_app_context():
        forget()
