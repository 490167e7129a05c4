"""What the audit trail shows of an entry's changes: each field's Vietnamese name and its values as
a person reads them, the same on the trail page and in its Excel export.

Entries store `{column or key: [old, new]}` (a workflow step may store a single value) as the
database gave them (`core.audit._plain`): codes, ISO dates, ids, "True". They are described when
read, so entries stored before a label existed read the same way as new ones; a key nobody labels
(a column since removed) is shown as stored.

Where a key's name comes from, in order: the model of the entry's object
(`UnitOwned.__field_labels__`, its codes' labels in `__value_labels__`, the column's type for
dates, yes/no, numbers and references); then `audit.models.CHANGE_LABELS`, the keys workflow
steps pass to `core.audit.record(changes=...)`.
"""
from __future__ import annotations

import functools
import importlib
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, NamedTuple

from sqlalchemy import JSON, Boolean, Date, DateTime, Numeric
from sqlalchemy import inspect as sa_inspect

EMPTY = "—"
YES, NO = "Có", "Không"
#: Characters of one value on the trail page; the Excel export keeps more (`EXPORT_LIMIT`).
PAGE_LIMIT = 200
EXPORT_LIMIT = 2000

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


class ChangeLine(NamedTuple):
    """One line of the "Thay đổi" column. `before` is None when the step names a value (the reason
    given, a document's number) rather than changing one, or when the field had no value before."""

    label: str
    before: str | None
    after: str


class _Field(NamedTuple):
    label: str | None  # None: not shown (derived from another column, or a file's bytes)
    known: bool
    text: Callable[[Any, dict], str]
    listed: bool = False  # its value is a list of items, never a pair [old, new]


def describe_changes(object_type: str, changes, *, unit_names: dict[int, str] | None = None,
                     limit: int = PAGE_LIMIT) -> list[ChangeLine]:
    """The lines of an entry's changes, in the order stored. `unit_names` (unit id → name) names the
    units an entry refers to; other references read "#id"."""
    if not changes:
        return []
    context = {"object_type": object_type, "units": unit_names or {}}
    if not isinstance(changes, dict):
        return [ChangeLine("", None, _cut(_plain_text(changes, context), limit))]
    lines = []
    for key, change in changes.items():
        field = _field(object_type, str(key))
        if field.label is None or (key == "created_at" and _is_pair(change) and change[0] is None):
            continue  # a new record's creation time is the entry's own time, shown beside it
        if isinstance(change, dict):  # per-row corrections of a step ("12": {"nominee_name": [old, new]})
            for inner_key, inner in change.items():
                inner_field = _inner_field(object_type, str(inner_key))
                if inner_field.label is not None:
                    lines.append(_line(f"{field.label} – {inner_field.label}", inner_field, inner, context, limit))
            continue
        lines.append(_line(field.label, field, change, context, limit))
    return [line for line in lines if line is not None]


def unlabeled_keys(object_type: str, changes) -> list[str]:
    """The keys of `changes` that have no Vietnamese name (shown as stored)."""
    if not isinstance(changes, dict):
        return []
    missing = []
    for key, change in changes.items():
        if not _field(object_type, str(key)).known:
            missing.append(str(key))
        if isinstance(change, dict):
            missing += [str(k) for k in change if not _inner_field(object_type, str(k)).known]
    return missing


def field_label(object_type: str, key: str) -> str | None:
    """The Vietnamese name of a key of an entry about `object_type` (None: not shown)."""
    return _field(object_type, key).label


def _line(label: str, field: _Field, change, context: dict, limit: int) -> ChangeLine | None:
    if _is_pair(change) and not field.listed:
        before, after = (_cut(field.text(value, context), limit) for value in change)
        if before == after:  # "" → None would read "— → —"
            return None
        # A value set where there was none (every field of a new record) reads as the value alone.
        return ChangeLine(label, None if before == EMPTY else before, after)
    return ChangeLine(label, None, _cut(field.text(change, context), limit))


def _is_pair(change) -> bool:
    return isinstance(change, (list, tuple)) and len(change) == 2


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# --- Where labels come from --------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _models() -> dict[str, type]:
    """Audited models by class name (the entries' `object_type`)."""
    from thiduaweb.core.audit import is_audited
    from thiduaweb.extensions import db

    return {m.class_.__name__: m.class_ for m in db.Model.registry.mappers if is_audited(m.class_)}


@functools.lru_cache(maxsize=4096)
def _field(object_type: str, key: str) -> _Field:
    from thiduaweb.audit.models import CHANGE_LABELS, CHANGE_LISTS, CHANGE_VALUES

    model = _models().get(object_type)
    if model is not None and _no_longer_copied(model, key):  # by entries written before it was left out
        return _Field(None, True, _formatter(None, None, key))
    if model is not None and key in model.__field_labels__:
        columns = sa_inspect(model).column_attrs
        column_type = columns[key].columns[0].type if key in columns else None
        return _Field(model.__field_labels__[key], True,
                      _formatter(model.__value_labels__.get(key), column_type, key))
    if key in CHANGE_LABELS:
        return _Field(CHANGE_LABELS[key], True, _formatter(CHANGE_VALUES.get(key), None, key), key in CHANGE_LISTS)
    if key.isdigit():  # a row of the step, by id
        return _Field(f"#{key}", True, _formatter(None, None, key))
    return _Field(key, False, _formatter(None, None, key))


def _no_longer_copied(model, key: str) -> bool:
    """A column of the model that entries do not copy (a file's bytes, a secret: `core.audit`)."""
    from thiduaweb.core.audit import audited_columns

    return key in sa_inspect(model).column_attrs and key not in audited_columns(model)


@functools.lru_cache(maxsize=1)
def _one_meaning() -> dict[str, str]:
    """Column names that mean one thing in every model that has them → the first such model."""
    labels: dict[str, set] = {}
    owner: dict[str, str] = {}
    for name, model in sorted(_models().items()):
        for key, label in model.__field_labels__.items():
            if label:
                labels.setdefault(key, set()).add(label)
                owner.setdefault(key, name)
    return {key: owner[key] for key, found in labels.items() if len(found) == 1}


def _inner_field(object_type: str, key: str) -> _Field:
    """A key inside a value (a step's details, a row's corrections): named by the object's model or
    CHANGE_LABELS, else by the one model whose column of that name means one thing everywhere."""
    field = _field(object_type, key)
    owner = None if field.known else _one_meaning().get(key)
    return _field(owner, key) if owner else field


def _resolve(spec):
    """A value-label spec: a dict, a function, or "module:NAME" of one (imported when first used)."""
    if isinstance(spec, str) and ":" in spec:
        module, name = spec.split(":", 1)
        return getattr(importlib.import_module(module), name)
    return spec


def _formatter(spec, column_type, key: str) -> Callable[[Any, dict], str]:
    labels = _resolve(spec)
    if isinstance(column_type, Boolean):
        kind = "bool"
    elif isinstance(column_type, DateTime):
        kind = "datetime"
    elif isinstance(column_type, Date):
        kind = "date"
    elif isinstance(column_type, Numeric):
        kind = "number"
    elif isinstance(column_type, JSON) or column_type is None:
        kind = "plain"
    else:
        kind = "text"
    reference = key.endswith(("_id", "_ids"))

    def text(value, context: dict) -> str:
        if _empty(value):
            return EMPTY
        if callable(labels):
            try:
                shown = labels(value)
            except (TypeError, ValueError, KeyError, AttributeError):  # an odd value stored long ago
                shown = None
            if shown is not None:
                return str(shown)
        elif labels is not None:
            if isinstance(value, list):
                return ", ".join(str(labels.get(v, v)) if _hashable(v) else str(v) for v in value)
            if _hashable(value) and value in labels:
                return str(labels[value])
        if reference and isinstance(value, (int, list)) and not isinstance(value, bool):
            return _reference(key, value, context)
        return _typed(kind, value, context)

    return text


def _empty(value) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def _hashable(value) -> bool:
    return isinstance(value, (str, int, float, bool))


def _reference(key: str, value, context: dict) -> str:
    if isinstance(value, list):
        return ", ".join(_reference(key, v, context) for v in value)
    if key.endswith("unit_id") and value in context["units"]:
        return context["units"][value]
    return f"#{value}"


def _typed(kind: str, value, context: dict) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if kind == "date" and isinstance(value, str):
        return _date_text(value) or value
    if kind == "datetime" and isinstance(value, str):
        return _datetime_text(value) or value
    if kind == "number":
        return _number_text(value)
    if kind == "plain":
        return _plain_text(value, context)
    return str(value)


def _plain_text(value, context: dict) -> str:
    """A value with no column type to go by: a workflow step's key, or what a JSON column holds."""
    if _empty(value):
        return EMPTY
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            return _date_text(value) or value
        if _ISO_DATETIME.fullmatch(value):
            return _datetime_text(value) or value
        return value
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, list):
        return ", ".join(_plain_text(v, context) for v in value)
    if isinstance(value, dict):
        parts = []
        for key, inner in value.items():
            field = _inner_field(context["object_type"], str(key))
            if field.label is None:
                continue
            if _is_pair(inner) and not field.listed:
                parts.append(f"{field.label}: {field.text(inner[0], context)} → {field.text(inner[1], context)}")
            else:
                parts.append(f"{field.label}: {field.text(inner, context)}")
        return "; ".join(parts)
    return str(value)


def _date_text(value: str) -> str | None:
    from thiduaweb.core.vntext import format_date

    try:
        return format_date(date.fromisoformat(value[:10]))
    except ValueError:
        return None


def _datetime_text(value: str) -> str | None:
    from thiduaweb.core.templating import format_datetime

    try:
        return format_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def _number_text(value) -> str:
    from thiduaweb.core.vntext import format_number

    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    decimals = max(0, -number.normalize().as_tuple().exponent)
    return format_number(number, min(decimals, 4))
