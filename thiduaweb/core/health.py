"""GET /healthz: the app answers and the database answers."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from thiduaweb.extensions import csrf, db, limiter

bp = Blueprint("health", __name__)


@bp.get("/favicon.ico")
def favicon():
    from flask import current_app, send_from_directory

    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml")


@bp.get("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
