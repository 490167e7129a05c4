"""Downloading an attachment of the unit (other units' files are not found)."""
from urllib.parse import quote

from flask import Response, abort, g
from flask_login import current_user

from thiduaweb.core.permissions import grant, requires
from thiduaweb.core.render import or_404
from thiduaweb.core.tenancy import unit_blueprint
from thiduaweb.extensions import db
from thiduaweb.files.models import Attachment
from thiduaweb.files.services import may_download

bp = unit_blueprint("files", __name__, "/files")
grant({"file.view"}, roles=["admin", "supervisor", "officer", "council", "chairman", "viewer"],
      inherited_by=["admin", "supervisor"])


@bp.get("/<int:attachment_id>")
@requires("file.view")
def download(attachment_id):
    attachment = or_404(db.session.get(Attachment, attachment_id))
    if not may_download(attachment, current_user, g.access):
        abort(403)
    response = Response(attachment.data, mimetype=attachment.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attachment.filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
