"""The audit trail of a unit; a supervising unit also sees its communes'."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import g, render_template, request
from sqlalchemy import select

from thiduaweb.audit import services
from thiduaweb.audit.changes import EXPORT_LIMIT, describe_changes
from thiduaweb.audit.models import ACTION_LABELS, OBJECT_LABELS
from thiduaweb.core import revisions
from thiduaweb.core.forms import parse_vn_date
from thiduaweb.core.jobs import ExportSpec, count_of, export_or_enqueue, export_source
from thiduaweb.core.permissions import requires
from thiduaweb.core.render import render, wants_fragment
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import unit_blueprint
from thiduaweb.core.vntext import format_date
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

bp = unit_blueprint("audit", __name__, "/audit")
nav_item("audit.index", "Nhật ký", "audit.view", order=950)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _parse_date(text: str):
    try:
        return parse_vn_date(text), None
    except ValueError as error:
        return None, str(error)


@bp.get("/")
@requires("audit.view")
def index():
    if request.args.get("format") == "xlsx":
        return export_or_enqueue("audit.entries")
    # The filters and the table are kept per revision of the unit (core/revisions.py) and request
    # arguments; an audited change raises the revision of its unit and of the units above it.
    key = ("audit", *revisions.page_key(g.unit), tuple(sorted(request.args.items(multi=True))))
    context = _trail_context()
    table_html = revisions.rendered((*key, "table"), lambda: render_template("audit/_table.html", **context()))
    filters_html = None if wants_fragment() else revisions.rendered(
        (*key, "filters"), lambda: render_template("audit/_filters.html", **context()))
    return render("audit/list.html", block="audit_table", table_html=table_html, filters_html=filters_html)


def _trail_context():
    """The trail's filters, page and rows, read once and only when a part must be drawn."""
    read: dict = {}

    def context() -> dict:
        if not read:
            read.update(_read_trail(request.args))
        return read

    return context


def _read_trail(args) -> dict:
    readable = sorted(g.access.readable_unit_ids)
    errors = {}
    since, errors["since"] = _parse_date(args.get("since", ""))
    until, errors["until"] = _parse_date(args.get("until", ""))
    unit_filter = args.get("unit", type=int)
    if unit_filter not in readable:
        unit_filter = None
    page = max(args.get("page", 1, type=int) or 1, 1)
    filters = {"unit_ids": readable, "unit_id": unit_filter, "object_type": args.get("type", ""),
               "action": args.get("action", ""), "actor": args.get("actor", "").strip(), "since": since,
               "until": until}
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(readable)))}
    entries, has_more = services.search_entries(page=page, **filters)
    unit_names = {unit_id: u.name for unit_id, u in units.items()}
    changes = {e.id: describe_changes(e.object_type, e.changes, unit_names=unit_names) for e in entries}
    return {"entries": entries, "changes": changes, "has_more": has_more, "page": page, "filters": args,
            "errors": {k: v for k, v in errors.items() if v}, "units": units,
            "object_types": services.object_types(readable), "actions": ACTION_LABELS,
            "object_labels": OBJECT_LABELS}


def _local(moment: datetime) -> datetime:
    """A stored (UTC) moment as Vietnam's wall-clock time, without zone, for Excel."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(VIETNAM).replace(tzinfo=None)


def _changes_text(entry, unit_names: dict[int, str]) -> str:
    """The "Thay đổi" cell: the lines the trail page shows (audit.changes), one per line."""
    lines = describe_changes(entry.object_type, entry.changes, unit_names=unit_names, limit=EXPORT_LIMIT)
    return "\n".join(f"{line.label}: {line.before} → {line.after}" if line.before is not None
                     else f"{line.label}: {line.after}" for line in lines)


EXPORT_COLUMNS = ["Thời điểm", "Đơn vị", "Người thực hiện", "Thao tác", "Đối tượng", "Tên đối tượng", "Thay đổi"]


@export_source("audit.entries", "audit.view")
def export_entries(unit, args) -> ExportSpec:
    """The trail as it is filtered (every page), for the export and its background job."""
    readable = sorted(g.access.readable_unit_ids)
    since, _ = _parse_date(args.get("since", ""))
    until, _ = _parse_date(args.get("until", ""))
    unit_filter = args.get("unit", type=int)
    if unit_filter not in readable:
        unit_filter = None
    filters = {"unit_ids": readable, "unit_id": unit_filter, "object_type": args.get("type", ""),
               "action": args.get("action", ""), "actor": args.get("actor", "").strip(), "since": since,
               "until": until}
    units = {u.id: u.name for u in db.session.scalars(select(Unit).where(Unit.id.in_(readable)))}
    rows = lambda: ([_local(e.created_at), units.get(e.unit_id, ""), e.actor_name, e.action_label,  # noqa: E731
                     e.object_type_label, e.object_label, _changes_text(e, units)]
                    for e in services.all_entries(**filters))
    period = " ".join(x for x in (f"từ {format_date(since)}" if since else "",
                                  f"đến {format_date(until)}" if until else "") if x)
    return ExportSpec(filename=f"nhat-ky-{unit.slug}", columns=EXPORT_COLUMNS, rows=rows,
                      count=lambda: count_of(services.entries_query(**filters)),
                      title=f"Nhật ký thao tác — {unit.name}", subtitle=period.capitalize())
