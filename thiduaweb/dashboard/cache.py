"""The city dashboard's table, rendered once per unit revision.

Rendering a province's page of 50 communes × 17 figures with its charts costs far more than reading
them. The rendered table is kept per process under a key naming the unit, its dashboard revision
(`DashboardRevision`, raised in the same transaction as any change of its figures or of the units
below it), the day (figures due this week or overdue move with the date), the language and every
argument of the request. A changed figure changes the revision, so a cached table is never shown
stale; the oldest entries leave first (DASHBOARD_CACHE_ENTRIES per process, 0: no cache).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from thiduaweb.dashboard.models import DashboardRevision
from thiduaweb.extensions import db

DEFAULT_ENTRIES = 64
_lock = threading.Lock()


def revision_of(unit_id: int) -> int:
    return db.session.scalar(select(DashboardRevision.revision).where(DashboardRevision.unit_id == unit_id)) or 0


def rendered(key: tuple, render: Callable[[], str]) -> Markup:
    """The HTML cached under `key`, else `render()`'s, kept for the next request."""
    limit = int(current_app.config.get("DASHBOARD_CACHE_ENTRIES", DEFAULT_ENTRIES))
    if limit <= 0:
        return Markup(render())
    cache: OrderedDict = current_app.extensions.setdefault("thiduaweb_dashboard_cache", OrderedDict())
    with _lock:
        html = cache.get(key)
        if html is not None:
            cache.move_to_end(key)
            return html
    html = Markup(render())
    with _lock:
        cache[key] = html
        while len(cache) > limit:
            cache.popitem(last=False)
    return html
