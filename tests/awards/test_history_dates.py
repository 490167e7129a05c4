"""A nomination's history ("Quá trình xử lý") is dated by the application's clock, so a pinned today
(THIDUAWEB_TODAY, the demo's 2021) shows on it instead of the moment the rows were written."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.awards.conftest import advance, make_nomination, make_nominee
from tests.factories import make_body
from thiduaweb.awards.models import Nomination, NominationStep
from thiduaweb.core import clock
from thiduaweb.core.tenancy import all_units, cross_unit_writes, unit_scope
from thiduaweb.extensions import db

A = "/u/xa-dong-lien/khen-thuong"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _local_day(moment: datetime) -> date:
    """The day in Vietnam of a stored timestamp (SQLite gives it back without its UTC zone)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(VN).date()


def _history_dates(client, nomination_id) -> list[str]:
    """The dates of the history list on the nomination's page, in the order shown."""
    page = client.get(f"{A}/de-nghi/{nomination_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    history = html[html.index('id="history"'):]
    history = re.sub(r"<[^>]+>", " ", history[:history.index("</ol>")])
    return re.findall(r"\d\d:\d\d (\d\d/\d\d/\d{4})", history)


def test_the_history_carries_the_pinned_day_not_the_real_one(law, login):
    nomination = make_nomination(law.a, make_nominee(law.a), "giay_khen")
    advance(nomination, "appraised", law.users["officer_a"])
    dates = _history_dates(login("officer_a"), nomination.id)
    assert len(dates) == 5 and set(dates) == {"20/12/2021"}, dates


def test_now_is_real_time_unless_today_is_pinned(app):
    assert not app.config.get("TODAY")
    assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(minutes=1)
    with clock.pinned(date(2021, 12, 1)):
        moment, real = clock.now(), datetime.now(VN)
        assert moment.tzinfo is not None and moment.astimezone(VN).date() == date(2021, 12, 1)
        assert abs(moment.astimezone(VN).time().hour - real.hour) in (0, 23)  # the time of day is kept
        assert clock.today() == date(2021, 12, 1)
    assert "TODAY" not in app.config


def test_the_demo_nominations_read_as_2021(app, world, login):
    """Seeded as `make run` seeds it (today not pinned): every step on its day of the 2021 story."""
    from thiduaweb.awards import demo
    from thiduaweb.demo import World

    assert not app.config.get("TODAY")
    for unit in (world.a, world.b):
        make_body(unit, "Hội Nông dân xã", kind="association")
    demo_world = World(units={"tp-thai-nguyen": world.city, "xa-dong-lien": world.a, "xa-tan-cuong": world.b},
                       users={"donglien.canbo": world.users["officer_a"], "donglien.chutich": world.users["chairman_a"],
                              "tancuong.canbo": world.users["officer_b"], "noivu": world.users["supervisor"]})
    with cross_unit_writes():
        demo.seed(demo_world)
        db.session.commit()

    with unit_scope({world.city.id, world.a.id, world.b.id}):
        steps = db.session.scalars(all_units(select(NominationStep))).all()
        assert steps and {_local_day(s.at).year for s in steps} == {2021}
        voted = db.session.scalars(all_units(select(NominationStep).where(
            NominationStep.transition == "record_vote"))).all()
        assert voted and {_local_day(s.at) for s in voted} <= {date(2021, 11, 10), date(2021, 12, 1)}
        decided = db.session.scalar(all_units(select(Nomination).where(
            Nomination.unit_id == world.a.id, Nomination.state == "awarded")).order_by(Nomination.id))
    dates = _history_dates(login("officer_a"), decided.id)
    assert dates and all(d.endswith("/2021") for d in dates), dates
    days = [date(int(d[6:]), int(d[3:5]), int(d[:2])) for d in dates]
    assert days == sorted(days) and days[-1] == date(2021, 12, 16), dates
