"""The audit trail of a unit; a supervising unit also sees its communes'."""
from flask import g, request
from sqlalchemy import select

from thiduaweb.audit import services
from thiduaweb.audit.models import ACTION_LABELS, OBJECT_LABELS
from thiduaweb.core.forms import parse_vn_date
from thiduaweb.core.permissions import requires
from thiduaweb.core.render import render
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import unit_blueprint
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

bp = unit_blueprint("audit", __name__, "/audit")
nav_item("audit.index", "Nhật ký", "audit.view", order=950)


def _parse_date(text: str):
    try:
        return parse_vn_date(text), None
    except ValueError as error:
        return None, str(error)


@bp.get("/")
@requires("audit.view")
def index():
    args = request.args
    readable = sorted(g.access.readable_unit_ids)
    errors = {}
    since, errors["since"] = _parse_date(args.get("since", ""))
    until, errors["until"] = _parse_date(args.get("until", ""))
    unit_filter = args.get("unit", type=int)
    if unit_filter not in readable:
        unit_filter = None
    page = max(args.get("page", 1, type=int) or 1, 1)
    entries, has_more = services.search_entries(
        unit_ids=readable, unit_id=unit_filter, object_type=args.get("type", ""), action=args.get("action", ""),
        actor=args.get("actor", "").strip(), since=since, until=until, page=page)
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(readable)))}
    return render("audit/list.html", block="audit_table", entries=entries, has_more=has_more, page=page,
                  filters=args, errors={k: v for k, v in errors.items() if v}, units=units,
                  object_types=services.object_types(readable), actions=ACTION_LABELS,
                  object_labels=OBJECT_LABELS)
