"""Audit trail written from session events, chained by hash so tampering is detectable.

Every flush that creates, changes or deletes a UnitOwned row writes one entry per row with the
fields that changed (old → new). Workflow steps add their own entries through `record()`.
Each entry's hash covers its content and the previous entry's hash; `verify_chain()` recomputes
the chain (`flask audit verify`).
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from decimal import Decimal

from flask import has_request_context
from sqlalchemy import LargeBinary, event, inspect, insert, select
from sqlalchemy.orm import Session

from thiduaweb.core.tenancy import UnitOwned

GENESIS = "0" * 64
#: Columns never copied into the trail.
SECRET_FIELDS = {"password_hash"}
#: Columns every entry already names (the object's id, its unit).
IMPLIED_FIELDS = {"id", "unit_id"}
ACTOR_KEY = "audit_actor"
PRE_FLUSH_KEY = "audit_pre_flush"


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def entry_hash(prev_hash: str, row: dict) -> str:
    payload = {k: _plain(row[k]) for k in (
        "unit_id", "created_at", "actor_id", "actor_name", "action", "object_type", "object_id",
        "object_label", "changes")}
    payload["created_at"] = _timestamp_text(row["created_at"])
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + blob).encode()).hexdigest()


def _timestamp_text(value) -> str:
    # Databases give back naive or aware datetimes; hash the same text either way.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat()


def _actor(session: Session) -> tuple[int | None, str]:
    actor = session.info.get(ACTOR_KEY)
    if actor:
        return actor
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.full_name
    return None, "Hệ thống"


def set_actor(session: Session, user_id: int | None, name: str) -> None:
    """Name who acts in a CLI command or job (requests use the logged-in user)."""
    session.info[ACTOR_KEY] = (user_id, name)


def _label(obj) -> str:
    for attr in ("audit_label", "name", "title", "full_name", "number_symbol"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)[:255]
    return f"#{getattr(obj, 'id', '')}"


def is_audited(obj_or_class) -> bool:
    """A UnitOwned row or class whose changes the trail records (not a summary table)."""
    cls = obj_or_class if isinstance(obj_or_class, type) else type(obj_or_class)
    return issubclass(cls, UnitOwned) and cls.__audited__


def audited_columns(cls) -> list[str]:
    """The columns of a UnitOwned class that entries copy (old → new)."""
    return [attr.key for attr in inspect(cls).column_attrs if _copied(attr)]


def _copied(attr) -> bool:
    # A file's bytes stay out of the trail (the entry names the file, its type and size): copied,
    # every upload would be stored twice, and a file deleted would live on in the trail.
    return (attr.key not in SECRET_FIELDS and attr.key not in IMPLIED_FIELDS
            and not isinstance(attr.columns[0].type, LargeBinary))


def _column_changes(obj, *, new: bool, deleted: bool, session: Session | None = None) -> dict:
    state = inspect(obj)
    changes = {}
    unknown_old = []
    for attr in state.mapper.column_attrs:
        key = attr.key
        if not _copied(attr):
            continue
        hist = state.attrs[key].history
        if new:
            value = getattr(obj, key)
            if value is not None:
                changes[key] = [None, _plain(value)]
        elif deleted:
            value = hist.unchanged[0] if hist.unchanged else (hist.deleted[0] if hist.deleted else None)
            if value is not None:
                changes[key] = [_plain(value), None]
        elif hist.added:
            if hist.deleted:
                changes[key] = [_plain(hist.deleted[0]), _plain(hist.added[0])]
            else:  # the attribute was expired (after a commit): its old value is still in the database
                unknown_old.append(key)
                changes[key] = [None, _plain(hist.added[0])]
    if unknown_old and session is not None and state.identity:
        table = state.mapper.local_table
        columns = [state.mapper.get_property(k).columns[0] for k in unknown_old]
        row = session.connection().execute(select(*columns).where(table.c.id == state.identity[0])).first()
        if row is not None:
            for key, value in zip(unknown_old, row, strict=True):
                changes[key][0] = _plain(value)
    masked = type(obj).__audit_masked__
    return {k: [_masked(v[0]), _masked(v[1])] if k in masked else v for k, v in changes.items() if v[0] != v[1]}


def _masked(value):
    """A personal identifier as the trail keeps it: its last four characters (None stays None)."""
    if value is None:
        return None
    text = str(value)
    return "•" * max(len(text) - 4, 4) + text[-4:] if len(text) > 4 else "••••"


def record(session: Session, *, unit_id: int, action: str, object_type: str, object_id: int | None,
           label: str = "", changes: dict | None = None) -> None:
    """Write a workflow or management entry now, in the session's transaction."""
    _write(session, [{
        "unit_id": unit_id, "action": action, "object_type": object_type,
        "object_id": object_id, "object_label": label[:255], "changes": changes or {},
    }])
    from thiduaweb.core.revisions import raise_revisions

    raise_revisions(session.connection(), {unit_id})  # the unit's home lists its recent entries


def _before_flush(session: Session, flush_context, instances) -> None:
    """Changes and deletions are read before the flush, while the old values are at hand."""
    rows = session.info.setdefault(PRE_FLUSH_KEY, [])
    for obj in session.dirty:
        if is_audited(obj) and session.is_modified(obj, include_collections=False):
            changes = _column_changes(obj, new=False, deleted=False, session=session)
            if changes:
                rows.append(_row(obj, "update", changes))
    for obj in session.deleted:
        if is_audited(obj):
            rows.append(_row(obj, "delete", _column_changes(obj, new=False, deleted=True)))


def _after_flush(session: Session, flush_context) -> None:
    """New rows are read after the flush, when they have their ids."""
    rows = [_row(obj, "create", _column_changes(obj, new=True, deleted=False))
            for obj in session.new if is_audited(obj)]
    rows = session.info.pop(PRE_FLUSH_KEY, []) + rows
    if rows:
        _write(session, rows)


def _row(obj, action: str, changes: dict) -> dict:
    return {
        "unit_id": obj.unit_id, "action": action, "object_type": type(obj).__name__,
        "object_id": obj.id, "object_label": _label(obj), "changes": changes,
    }


def lock_chain(connection):
    """Lock the chain's head row for the rest of the transaction: concurrent writers take turns.

    Every audited flush takes it first; code that must lock other shared rows takes it before them,
    so that two writers never hold one lock each while waiting for the other's."""
    from thiduaweb.audit.models import AuditChainHead

    head = AuditChainHead.__table__
    return connection.execute(select(head.c.last_hash, head.c.entries).where(head.c.id == 1).with_for_update()).first()


def _write(session: Session, rows: list[dict]) -> None:
    from thiduaweb.audit.models import AuditChainHead, AuditEntry

    connection = session.connection()
    head = AuditChainHead.__table__
    current = lock_chain(connection)
    if current is None:
        connection.execute(insert(head).values(id=1, last_hash=GENESIS, entries=0))
        current = (GENESIS, 0)
    prev, count = current
    table = AuditEntry.__table__
    actor_id, actor_name = _actor(session)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    for row in rows:
        row.update(created_at=now, actor_id=actor_id, actor_name=actor_name, prev_hash=prev)
        row["changes"] = _plain(row["changes"])
        row["hash"] = prev = entry_hash(prev, row)
        connection.execute(insert(table), row)
    connection.execute(head.update().where(head.c.id == 1).values(last_hash=prev, entries=count + len(rows)))


def verify_chain(connection) -> tuple[int, int | None]:
    """Recompute the chain. Return (entries checked, id of the first broken entry or None).

    An entry deleted from the end shows as a chain shorter than its head records (id 0).
    """
    from thiduaweb.audit.models import AuditChainHead, AuditEntry

    table = AuditEntry.__table__
    prev = GENESIS
    checked = 0
    for row in connection.execute(select(table).order_by(table.c.id)).mappings():
        checked += 1
        if row["prev_hash"] != prev or entry_hash(prev, dict(row)) != row["hash"]:
            return checked, row["id"]
        prev = row["hash"]
    head = connection.execute(select(AuditChainHead.__table__)).mappings().first()
    if head is not None and (head["last_hash"] != prev or head["entries"] != checked):
        return checked, 0
    return checked, None


def install_listeners() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        # Registered after the tenancy guard, so a refused write is never recorded.
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_soft_rollback", _forget_pending)


def _forget_pending(session: Session, previous_transaction) -> None:
    session.info.pop(PRE_FLUSH_KEY, None)
