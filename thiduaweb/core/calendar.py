"""Legal deadlines in calendar days or working days, with Vietnamese public holidays.

Working days skip Saturdays, Sundays, the public holidays the `holidays` package knows for
Vietnam (Tết by the lunar calendar included) and the extra days off a unit declares.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

_SATURDAY = 5


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    """Vietnamese public holidays of one year."""
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_public_holiday(d: date) -> bool:
    """True on a Vietnamese public holiday (New Year, Tết, 10/3 lunar, 30/4, 1/5, 2/9...)."""
    return d in _public_holidays(d.year)


def is_working_day(d: date, extra_days_off: Iterable[date] = ()) -> bool:
    """True from Monday to Friday, unless a public holiday or a day off the unit declared."""
    if d.weekday() >= _SATURDAY or is_public_holiday(d):
        return False
    return d not in _as_set(extra_days_off)


def _as_set(days: Iterable[date]) -> frozenset[date] | set[date]:
    return days if isinstance(days, (set, frozenset)) else frozenset(days)


def add_days(
    start: date,
    days: int,
    *,
    working_days: bool,
    extra_days_off: Iterable[date] = (),
) -> date:
    """The last day of a period of `days` days counted from `start`.

    Counting follows the law's "kể từ ngày nhận" convention: the day of `start` itself is
    not counted, day 1 is the next day (the next working day when `working_days`). So 10
    calendar days from 05/03 ends on 15/03, and 7 working days from Friday 30/04/2021 run
    from Tuesday 04/05 (after the 30/4 and 1/5 holidays) to Wednesday 12/05/2021.
    Calendar days are simply added: a last day on a weekend is not moved. A negative
    `days` counts backwards the same way.
    """
    if not working_days:
        return start + timedelta(days=days)
    days_off = _as_set(extra_days_off)
    step = timedelta(days=1 if days >= 0 else -1)
    current = start
    remaining = abs(days)
    while remaining:
        current += step
        if is_working_day(current, days_off):
            remaining -= 1
    return current


def working_days_between(a: date, b: date, extra_days_off: Iterable[date] = ()) -> int:
    """Working days after `a` up to and including `b`; negative when `b` is before `a`.

    The inverse of `add_days(a, n, working_days=True)` under the same convention.
    """
    if b < a:
        return -working_days_between(b, a, extra_days_off)
    days_off = _as_set(extra_days_off)
    span = (b - a).days
    return sum(
        1 for offset in range(1, span + 1) if is_working_day(a + timedelta(days=offset), days_off)
    )


def days_left(deadline: date, today: date) -> int:
    """Calendar days from `today` to `deadline`: 0 on the last day, negative when overdue."""
    return (deadline - today).days
