"""/cong-dan: every commune and ward in force today, with links to its public pages."""
from flask import Blueprint, request
from sqlalchemy import or_, select

from thiduaweb.core import clock
from thiduaweb.core.render import render
from thiduaweb.core.vntext import fold
from thiduaweb.extensions import db
from thiduaweb.units.models import COMMUNE_LEVEL, Unit

bp = Blueprint("public", __name__)


def units_in_force(search: str = "") -> list[Unit]:
    """Communes and wards valid today (the clock may be pinned to the demo's year), by name."""
    today = clock.today()
    stmt = select(Unit).where(Unit.kind.in_(COMMUNE_LEVEL), Unit.valid_from <= today,
                              or_(Unit.valid_to.is_(None), Unit.valid_to >= today)).order_by(Unit.name)
    units = list(db.session.scalars(stmt))
    if search:
        needle = fold(search)
        units = [u for u in units if needle in fold(u.name)]
    return units


@bp.get("/cong-dan")
def index():
    q = request.args.get("q", "").strip()[:80]
    return render("public/index.html", block="unit_list", units=units_in_force(q), q=q)
