"""Today's date for the application. A deployment (or the demo) may pin it with THIDUAWEB_TODAY."""
from contextlib import contextmanager
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def _pinned() -> date | None:
    if has_app_context():
        pinned = current_app.config.get("TODAY")
        if pinned:
            return pinned if isinstance(pinned, date) else date.fromisoformat(str(pinned))
    return None


def today() -> date:
    return _pinned() or date.today()


def now() -> datetime:
    """This moment (UTC) for business timestamps (workflow histories); a pinned today keeps the time of day.

    The audit trail does not use it: its hash chain needs real time."""
    moment = datetime.now(timezone.utc)
    day = _pinned()
    if day is None:
        return moment
    local = moment.astimezone(LOCAL)
    return local.replace(year=day.year, month=day.month, day=day.day).astimezone(timezone.utc)


@contextmanager
def pinned(day: date):
    """Act on `day` for a block (the demo telling its 2021 story); restores the previous setting."""
    config = current_app.config
    had, saved = "TODAY" in config, config.get("TODAY")
    config["TODAY"] = day
    try:
        yield
    finally:
        if had:
            config["TODAY"] = saved
        else:
            config.pop("TODAY", None)
