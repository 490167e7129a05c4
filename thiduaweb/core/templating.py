"""Jinja filters (Vietnamese dates and numbers), globals, and the navigation registry."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user

from thiduaweb.core import vntext


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    permission: str
    order: int = 100
    #: Shown on commune-level units, supervising units, or both.
    where: str = "all"


NAV: list[NavItem] = []
#: Headings of the unit navigation, by the order number where each group starts.
NAV_GROUPS = [(0, ""), (20, "Kế hoạch, phong trào"), (300, "Khen thưởng"), (500, "Kiểm tra, đơn thư, điển hình"),
              (800, "Quản trị")]


def _group_of(order: int) -> str:
    return [label for start, label in NAV_GROUPS if order >= start][-1]


def nav_item(endpoint: str, label: str, permission: str, *, order: int = 100, where: str = "all") -> None:
    """Add a feature's entry to the unit navigation (called at import of its views)."""
    if not any(item.endpoint == endpoint for item in NAV):
        NAV.append(NavItem(endpoint, label, permission, order, where))
        NAV.sort(key=lambda item: item.order)


def unit_nav() -> list[tuple[str, str, bool, str]]:
    """(label, url, active, group heading) for the current unit, filtered by the user's permissions."""
    access = getattr(g, "access", None)
    unit = getattr(g, "unit", None)
    if not access or not unit:
        return []
    endpoint = request.endpoint or ""
    return [(label, url, _is_active(item.endpoint, endpoint), group)
            for item, label, url, group in _unit_nav_items(unit, access.permissions)]


#: Distinct navigations kept per process (unit × permission set × language) before starting afresh.
NAV_CACHE_LIMIT = 4096


def _unit_nav_items(unit, permissions) -> list[tuple[NavItem, str, str, str]]:
    """The unit's navigation for these permissions: the same for every page of the unit, so built
    (labels translated, URLs built) once per process rather than on every page."""
    cache = current_app.extensions.setdefault("thiduaweb_unit_nav", {})
    key = (unit.slug, unit.is_commune_level, permissions, str(get_locale() or "vi"))
    items = cache.get(key)
    if items is None:
        items = [(item, gettext(item.label), url_for(item.endpoint, unit_slug=unit.slug), _group_of(item.order))
                 for item in NAV if item.permission in permissions and _shown_on(item, unit)]
        if len(cache) >= NAV_CACHE_LIMIT:
            cache.clear()
        cache[key] = items
    return items


def _shown_on(item: NavItem, unit) -> bool:
    return not ((item.where == "commune" and not unit.is_commune_level)
                or (item.where == "supervisor" and unit.is_commune_level))


def _is_active(item_endpoint: str, endpoint: str) -> bool:
    return endpoint == item_endpoint or (
        endpoint.split(".")[0] == item_endpoint.split(".")[0] and item_endpoint.endswith(".index"))


def my_units() -> list:
    """The units the current user holds a membership in, for the unit switcher."""
    if not current_user.is_authenticated:
        return []
    from thiduaweb.units.services import active_memberships

    seen, units = set(), []
    for membership in active_memberships(current_user):
        if membership.unit_id not in seen:
            seen.add(membership.unit_id)
            units.append(membership.unit)
    return units


def unit_lineage(unit) -> dict:
    """The unit's successors, and which of them the current user may open."""
    from thiduaweb.units.services import access_for, successors_of

    successors = successors_of(unit)
    reachable = {s.successor_id for s in successors
                 if current_user.is_authenticated and access_for(current_user, s.successor) is not None}
    return {"successors": successors, "reachable": reachable}


def export_url(**overrides) -> str:
    """The current list page as an Excel download: the same view and filters, every page, format=xlsx."""
    args = {k: [v for v in values if v != ""] for k, values in request.args.to_dict(flat=False).items()
            if k not in ("page", "format")}
    args = {k: v for k, v in args.items() if v}
    args.update(request.view_args or {})
    args.update(overrides)
    return url_for(request.endpoint, **args, format="xlsx")


#: A number no route's id reaches, put in the URL that `row_url` builds once.
_ID_MARK = 987654321987


def row_url(endpoint: str, id_name: str):
    """`url_for(endpoint, **{id_name: id})` for every row of a table, as a function of the id: the URL
    is built once with a mark where the id goes (routing builds each URL anew, 25 rows a page)."""
    head, tail = url_for(endpoint, **{id_name: _ID_MARK}).split(str(_ID_MARK))
    return lambda row_id: f"{head}{int(row_id)}{tail}"


def register(app) -> None:
    from thiduaweb.core.listing import page_url, page_urls
    from thiduaweb.core.permissions import ROLE_LABELS
    from thiduaweb.core.tenancy import can

    app.jinja_env.filters["vndate"] = lambda d: vntext.format_date(d) if d else ""
    app.jinja_env.filters["vndatetime"] = format_datetime
    app.jinja_env.filters["vnnumber"] = lambda n, decimals=0: "" if n is None else vntext.format_number(n, decimals)
    from thiduaweb.units.models import BODY_KINDS

    app.jinja_env.globals.update(can=can, unit_nav=unit_nav, my_units=my_units, role_labels=ROLE_LABELS,
                                 unit_lineage=unit_lineage, body_kinds=BODY_KINDS,
                                 current_locale=lambda: str(get_locale() or "vi"), export_url=export_url,
                                 page_url=page_url, page_urls=page_urls, row_url=row_url)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def unit_context():
        return {"unit": getattr(g, "unit", None), "access": getattr(g, "access", None), **_macros(app)}


#: Macro files whose macros every template may call without importing them. A template's own
#: top-level `{% from ... import %}` is not run when one block is rendered alone for htmx, so
#: the shared macros are offered to every render instead.
MACRO_FILES = ("_macros/forms.html", "_macros/files.html", "_macros/lists.html")


def _macros(app) -> dict:
    cached = app.extensions.get("thiduaweb_macros")
    if cached is None or app.debug:
        cached = {}
        for name in MACRO_FILES:
            module = app.jinja_env.get_template(name).module
            cached.update({key: getattr(module, key) for key in dir(module) if not key.startswith("_")})
        app.extensions["thiduaweb_macros"] = cached
    return cached


def format_datetime(value) -> str:
    """A stored moment as Vietnam's wall-clock time, "HH:MM dd/mm/yyyy" (naive values are UTC)."""
    if not value:
        return ""
    from datetime import timezone
    from zoneinfo import ZoneInfo

    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    return local.strftime("%H:%M ") + vntext.format_date(local.date())
