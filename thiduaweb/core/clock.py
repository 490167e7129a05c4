"""Today's date for the application. A deployment (or the demo) may pin it with THIDUAWEB_TODAY."""
from datetime import date

from flask import current_app, has_app_context


def today() -> date:
    if has_app_context():
        pinned = current_app.config.get("TODAY")
        if pinned:
            return pinned if isinstance(pinned, date) else date.fromisoformat(str(pinned))
    return date.today()
